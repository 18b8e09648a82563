"""The features grouping compares: weighted tokens, numbers, kind and actor of one story. Pure.

See `news.grouping` for the method and why.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache

from news.event_days import calendar_days_of, weekdays
from news.records import Kind
from news.wording import (
    ACTORS,
    GENERIC,
    NAME,
    PEOPLE,
    STOP,
    TOKEN,
    body_numbers,
    stem,
    venues_of,
    word_tokens,
)


@dataclass(frozen=True, slots=True)
class GroupingParams:
    """The tuned knobs (see the module docstring for what each does)."""

    threshold: float = 0.08
    title_weight: float = 1.6
    lead_weight: float = 1.0
    kind_penalty: float = 0.6
    actor_penalty: float = 0.7
    number_penalty: float = 0.5
    decay: float = 0.95
    lead_chars: int = 700
    lead_sentences: int = 3
    body_weight: float = 0.8
    body_chars: int = 1500
    same_outlet: float = 0.3
    rarity: float = 0.5
    date_penalty: float = 0.5
    round_penalty: float = 0.1
    venue_penalty: float = 0.5


DEFAULT_PARAMS = GroupingParams()


@dataclass(frozen=True, slots=True)
class Features:
    """What grouping compares: weighted tokens, numbers, kind and actor of one story."""

    tokens: dict[str, float]
    numbers: frozenset[str]
    kind: Kind
    actor: str
    norm: float = field(default=0.0)
    calendar: frozenset[int] = frozenset()
    """Calendar dates named in the title and lead (`news.event_days`)."""
    weekdays: frozenset[int] = frozenset()
    """Weekdays named in the title and lead, "yesterday" and the like resolved."""
    rounds: frozenset[str] = frozenset()
    """Numbered rounds, stages or phases named ("round2", `news.wording.mark_rounds`)."""
    outlet: str = ""
    venues: frozenset[str] = frozenset()
    """The talks venues its title names ("geneva", "dhabi"; `news.wording.VENUES`)."""
    sides: frozenset[str] = frozenset()
    """Every side its title names as a party, not as a place (`_sides`)."""


@lru_cache(maxsize=65536)
def _class_weight(token: str) -> float:
    """The weight of a token by its class alone (0 when its class does not decide)."""
    if token[0].isdigit():
        return 1.5 if len(token) != 4 else 0.8
    if token in GENERIC:
        return 0.3
    if token in ACTORS:
        return 0.5
    return 0.0


def token_weight(token: str, names: frozenset[str] = frozenset()) -> float:
    """The built-in weight: numbers and names count most, the topic's everyday words least."""
    weight = _class_weight(token)
    if weight:
        return weight
    if token in names:
        return 1.4
    return 0.7 if len(token) <= 3 else 1.0


_ATTRIBUTION = re.compile(
    r"(?:,\s*[^,]{1,40}\b(?:says?|said|told|reports?|claims?)\b[^,]*|\s+[-–—|]\s+[^-–—|]{1,40})$",
    re.IGNORECASE,
)


def _actor(title: str) -> str:
    """Who did it: the first side named as the title's subject (a person, capital, country
    or Europe's leaders), leaving out a trailing attribution (", Witkoff says", " — Kremlin";
    its speaker is the actor when the rest names no side), a leading topic tag ("Ukraine:
    Russia's Putin orders...") and places after a preposition ("... force in Ukraine")."""
    attribution = _ATTRIBUTION.search(title)
    main = title[: attribution.start()] if attribution else title
    words = TOKEN.findall(main.lower())
    tag = _TOPIC_TAG.match(title)
    if tag and tag.group(1).lower() in ACTORS:
        found = _first_side(words[1:])  # a country before a colon is the topic ...
        if found:  # ... when another side follows
            return found
    found = _first_side(words)
    if found or attribution is None:
        return found
    return _first_side(TOKEN.findall(attribution.group().lower()))  # who says it


def _sides(title: str) -> frozenset[str]:
    """Every side the title names as a party (its attribution left out): "Trump and Zelenskyy
    meet" and "Zelensky and Trump held meeting" both name {us, ukraine}; a side after "in",
    "on" or "against" is a place or a target, not a party."""
    attribution = _ATTRIBUTION.search(title)
    main = title[: attribution.start()] if attribution else title
    found: set[str] = set()
    before = ""
    for word in TOKEN.findall(main.lower()):
        actor = PEOPLE.get(word) or ACTORS.get(stem(word))
        if actor is not None and before not in _PLACE_WORDS and word not in _HOST_CITIES:
            found.add(actor)
        before = word
    return frozenset(found)


_PLACE_WORDS = frozenset(
    ("in", "into", "on", "against", "over", "about", "across", "inside", "without")
)


_TOPIC_TAG = re.compile(r"^(\w+)\s*:\s")
_PREPOSITIONS = frozenset(
    ["in", "into", "to", "for", "from", "on", "against", "at", "over", "with", "by", "about", "of"]
)


_HOST_CITIES = frozenset(("istanbul", "antalya"))
"""Cities where talks are held that are not a side's capital: the venue, not who acted."""


def _first_side(words: list[str]) -> str:
    """The first side named, not after a preposition."""
    before = ""
    for word in words:
        actor = PEOPLE.get(word) or ACTORS.get(stem(word))
        if actor is not None and before not in _PREPOSITIONS and word not in _HOST_CITIES:
            return actor
        before = word
    return ""


_REVISION = re.compile(
    r"^(?:(?:update|wrapup|refile|corrected|correction|exclusive|breaking|live(?: updates)?|"
    r"analysis|factbox)\s*\d*\s*[-:–—|]\s*)+",
    re.IGNORECASE,
)


def strip_revision(title: str) -> str:
    """The title without the wire's revision marker ("UPDATE 2-", "REFILE-", "LIVE:"), which
    an outlet adds when it rewrites its story of one fact."""
    return _REVISION.sub("", title) if "-" in title[:20] or ":" in title[:20] else title


def story_features(
    title: str,
    lead: str,
    kind: Kind,
    params: GroupingParams = DEFAULT_PARAMS,
    body: str = "",
    reported_at: datetime | None = None,
    outlet: str = "",
) -> Features:
    """The features of one story from its title, the start of its text and its body's names
    and numbers (one token per mention), and the days its title and lead name."""
    title = strip_revision(title)
    mentions = [stem(match.lower()) for match in NAME.findall(body or lead)]
    names = frozenset(mentions)
    weights: dict[str, float] = {}
    weight_of: dict[str, float] = {}  # token_weight, once per distinct token
    body_tokens = _body_tokens(mentions, body) if params.body_weight and body else []
    for part, factor in (
        (word_tokens(title), params.title_weight),
        (word_tokens(lead[: params.lead_chars]), params.lead_weight),
        (body_tokens, params.body_weight),
    ):
        for token in part:
            weight = weight_of.get(token)
            if weight is None:
                weight = weight_of[token] = token_weight(token, names)
            weights[token] = weights.get(token, 0.0) + factor * weight
    tokens = {token: round(math.sqrt(weight), 3) for token, weight in weights.items()}
    head = f"{title}. {lead[: params.lead_chars]}"
    days = calendar_days_of(weights), weekdays(head, reported_at)
    venues = venues_of(title)
    actor, sides = _actor(title), _sides(title)
    return make_features(tokens, kind, actor, *days, outlet_key(outlet), venues, sides)


def _body_tokens(mentions: list[str], body: str) -> list[str]:
    """The body's names and numbers, one token per mention."""
    return [token for token in (*mentions, *body_numbers(body)) if token not in STOP]


def _is_year(token: str) -> bool:
    return len(token) == 4 and token.isdigit() and 1990 <= int(token) <= 2100


def index_tokens(features: Features) -> list[str]:
    """The rare tokens a development is found by (not the topic's everyday words)."""
    return [t for t in features.tokens if t not in _UNINDEXED]


_UNINDEXED = GENERIC | frozenset(ACTORS)
"""The tokens whose built-in weight is under 0.7 (`token_weight`)."""


def make_features(
    tokens: dict[str, float],
    kind: Kind,
    actor: str,
    calendar: frozenset[int] = frozenset(),
    days: frozenset[int] = frozenset(),
    outlet: str = "",
    venues: frozenset[str] = frozenset(),
    sides: frozenset[str] = frozenset(),
) -> Features:
    numbers = frozenset(t for t in tokens if t[0].isdigit() and not _is_year(t))
    norm = math.sqrt(sum(w * w for w in tokens.values()))
    rounds = frozenset(t for t in tokens if t.startswith("round") and t[5:].isdigit())
    return Features(
        tokens, numbers, kind, actor, norm, calendar, days, rounds, outlet, venues, sides
    )


def outlet_key(outlet: str) -> str:
    """One outlet however a feed spells it ("Reuters", " reuters ")."""
    return " ".join(outlet.casefold().split())
