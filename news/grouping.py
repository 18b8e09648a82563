"""Grouping: does a new relevant story report the same development as a recent one? Pure.

Method (measured numbers in the README material of this module's commit and below):
- A story's features come from its title and the first sentences of its text (the lead):
  lower-cased words, a light stemmer, synonyms folded into one concept ("Kyiv", "Zelenskyy",
  "Ukrainian" -> ukraine; "Kremlin", "Putin", "Moscow" -> russia; "truce" -> ceasefire;
  "negotiations" -> talks; "swap" -> exchange; "Riyadh" -> saudi...). Each token gets a weight:
  stop words none, the topic's everyday words (ukraine, russia, talks, peace, war, said...) a
  small one, numbers and rare names a large one. Title words count more than lead words.
- The development's kind (`news.kinds`) and actor (the side named first in the title: who did
  it) are part of the features: an offer and the answer to it are two developments although
  they share every name, so a kind or actor mismatch lowers the similarity.
- Numbers that disagree (380 vs 1,000 prisoners; 30 vs 60 days) lower it further.
- Similarity is the weighted cosine of the token vectors, taken against a few member stories
  of the development (its signature keeps the first and latest members), times a time decay
  over the grouping window; a story joins the most similar development above `threshold`.
- Candidates come from an inverted index on the rare tokens only, so a story is compared with
  a handful of developments, not all of them.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from news.records import KINDS, Kind

SIGNATURE_VERSION = 1
MAX_MEMBERS = 4


@dataclass(frozen=True, slots=True)
class GroupingParams:
    """The tuned knobs (see the module docstring for what each does)."""

    threshold: float = 0.32
    title_weight: float = 1.6
    lead_weight: float = 1.0
    kind_penalty: float = 0.6
    actor_penalty: float = 0.75
    number_penalty: float = 0.7
    decay: float = 0.35
    lead_chars: int = 360


@dataclass(frozen=True, slots=True)
class Features:
    """What grouping compares: weighted tokens, numbers, kind and actor of one story."""

    tokens: dict[str, float]
    numbers: frozenset[str]
    kind: Kind
    actor: str
    norm: float = field(default=0.0)


# -- tokens ---------------------------------------------------------------------------------

_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[a-z\u00c0-\u024f\u0400-\u04ff]+")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_STOP = _words(
    """a about above across after again against all almost also although am among an and another
    any are around as at be because been before being below between both but by can could did do
    does doing down during each either else ever every few for from further had has have having
    he her here hers him his how however i if in into is it its itself just least less let like
    made make many may me might more most much must my near neither no nor not now of off often
    on once one only or other our out over own per perhaps put quite rather really same she
    should since so some such than that the their them then there these they this those though
    through thus to too toward towards under until up upon us very via was we were what when where
    whether which while who whom whose why will with within without would yet you your says said
    say saying told tell tells according reported reports report reporting amid despite new
    latest week day days time times year years today tonight yesterday tomorrow monday tuesday
    wednesday thursday friday saturday sunday morning evening night late early first last next
    two three four five six seven eight nine ten news update live video watch breaking exclusive
    mr mrs ms dr s t it's ap reuters afp bloomberg"""
)
_GENERIC = _words(
    """ukraine russia talk peace war president official minister foreign government country side
    party leader state statement kremlin spokesman spokesperson comment conflict invasion region
    military source told tass ria interfax ukrinform state european europe west western"""
)
_SYNONYMS: dict[str, str] = {}


def _synonyms(concept: str, words: str) -> None:
    for word in words.split():
        _SYNONYMS[word] = concept


_synonyms(
    "ukraine", "ukraine ukrainian ukrainians kyiv kiev zelensky zelenskyy zelenskiy zelenskii"
)
_synonyms("russia", "russia russian russians moscow kremlin putin peskov lavrov zakharova")
_synonyms("us", "u.s u.s. usa american americans washington trump white biden")
_synonyms("ceasefire", "ceasefire ceasefires truce truces cease-fire armistice")
_synonyms(
    "talk",
    "talk talks negotiation negotiations negotiate negotiated negotiating "
    "negotiator negotiators parley",
)
_synonyms("exchange", "exchange exchanges exchanged swap swaps swapped trade traded")
_synonyms("prisoner", "prisoner prisoners pow pows captive captives detainee detainees pows")
_synonyms("body", "body bodies remains")
_synonyms(
    "propose",
    "propose proposes proposed proposal proposals offer offers offered plan plans initiative",
)
_synonyms(
    "reject",
    "reject rejects rejected rejection dismiss dismisses dismissed rebuff "
    "rebuffs rebuffed refuse refuses refused",
)
_synonyms("agree", "agree agrees agreed agreement agreements deal deals accord")
_synonyms("meet", "meet meets meeting meetings met summit")
_synonyms("turkey", "turkey turkish türkiye istanbul ankara erdogan erdoğan fidan")
_synonyms("saudi", "saudi riyadh jeddah")
_synonyms("qatar", "qatar qatari doha")
_synonyms("uae", "uae emirati emirates dhabi")
_synonyms("switzerland", "switzerland swiss geneva")
_synonyms("belarus", "belarus belarusian minsk gomel")
_synonyms("china", "china chinese beijing")
_synonyms("vatican", "vatican pope holy")
_synonyms("child", "child children kids")
_synonyms("grain", "grain grains")
_synonyms("energy", "energy power")
_synonyms("guarantee", "guarantee guarantees security-guarantee")

_ACTORS: dict[str, str] = {
    "ukraine": "ukraine",
    "russia": "russia",
    "us": "us",
    "turkey": "turkey",
    "saudi": "saudi",
    "qatar": "qatar",
    "uae": "uae",
    "china": "china",
    "vatican": "vatican",
}


def _stem(word: str) -> str:
    if word in _SYNONYMS:
        return _SYNONYMS[word]
    if len(word) > 4 and word.endswith("ies"):
        word = word[:-3] + "y"
    elif len(word) > 4 and word.endswith(("ches", "shes", "sses", "xes")):
        word = word[:-2]
    elif len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    return _SYNONYMS.get(word, word)


def _number(raw: str) -> str:
    return raw.replace(",", "").rstrip(".")


def _tokens(text: str) -> list[str]:
    found: list[str] = []
    for raw in _TOKEN.findall(text.lower().replace("’", "'").replace("'s ", " ")):
        if raw[0].isdigit():
            found.append(_number(raw))
        elif raw not in _STOP and len(raw) > 1:
            token = _stem(raw)
            if token not in _STOP:
                found.append(token)
    return found


def token_weight(token: str) -> float:
    """The built-in weight: numbers and rare words count most, the topic's everyday words least."""
    if token[0].isdigit():
        return 1.6 if len(token) != 4 else 0.9
    if token in _GENERIC:
        return 0.25
    if token in _ACTORS:
        return 0.6
    if len(token) <= 3:
        return 0.7
    return 1.0


def _actor(title: str) -> str:
    for token in _tokens(title):
        actor = _ACTORS.get(token)
        if actor is not None:
            return actor
    return ""


def story_features(
    title: str, lead: str, kind: Kind, params: GroupingParams = GroupingParams()
) -> Features:
    """The features of one story from its title and the start of its text."""
    weights: dict[str, float] = {}
    for part, factor in (
        (title, params.title_weight),
        (lead[: params.lead_chars], params.lead_weight),
    ):
        for token in _tokens(part):
            weights[token] = weights.get(token, 0.0) + factor * token_weight(token)
    tokens = {token: round(math.sqrt(weight), 3) for token, weight in weights.items()}
    numbers = frozenset(t for t in tokens if t[0].isdigit() and not _is_year(t))
    return _with_norm(Features(tokens, numbers, kind, _actor(title)))


def _is_year(token: str) -> bool:
    return len(token) == 4 and token.isdigit() and 1990 <= int(token) <= 2100


def _with_norm(features: Features) -> Features:
    norm = math.sqrt(sum(w * w for w in features.tokens.values()))
    return Features(features.tokens, features.numbers, features.kind, features.actor, norm)


def index_tokens(features: Features) -> list[str]:
    """The rare tokens a development is found by (not the topic's everyday words)."""
    return [t for t in features.tokens if token_weight(t) >= 0.9]


# -- similarity -----------------------------------------------------------------------------


def cosine(a: Features, b: Features) -> float:
    if not a.norm or not b.norm:
        return 0.0
    small, large = (a.tokens, b.tokens) if len(a.tokens) <= len(b.tokens) else (b.tokens, a.tokens)
    dot = sum(w * large[t] for t, w in small.items() if t in large)
    return dot / (a.norm * b.norm)


_COMPATIBLE_KINDS = frozenset(
    {frozenset({"meeting", "statement"}), frozenset({"other", "statement"})}
)


def similarity(
    story: Features,
    members: Sequence[Features],
    gap_hours: float,
    window_hours: float,
    params: GroupingParams = GroupingParams(),
) -> float:
    """How likely the story reports the development these members report, 0..1."""
    if not members or gap_hours > window_hours:
        return 0.0
    best = max(cosine(story, member) for member in members)
    head = members[0]
    if story.kind != head.kind and frozenset({story.kind, head.kind}) not in _COMPATIBLE_KINDS:
        best *= params.kind_penalty
    if story.actor and head.actor and story.actor != head.actor:
        best *= params.actor_penalty
    known = frozenset().union(*(m.numbers for m in members))
    if story.numbers and known and not story.numbers & known:
        best *= params.number_penalty
    return best * (1.0 - params.decay * gap_hours / window_hours)


# -- signatures -----------------------------------------------------------------------------


def keep_members(members: Sequence[Features]) -> list[Features]:
    """The members a development remembers: its first two and its latest ones."""
    return list(members[:2]) + list(members[2:][-(MAX_MEMBERS - 2) :])


def encode_signature(members: Sequence[Features]) -> str:
    """The compact text kept in `Development.signature` (see `keep_members`)."""
    kept = keep_members(members)
    data = {
        "v": SIGNATURE_VERSION,
        "m": [
            {"t": {t: round(w, 3) for t, w in m.tokens.items()}, "k": m.kind, "a": m.actor}
            for m in kept
        ],
    }
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def decode_signature(signature: str) -> list[Features]:
    """The members stored in a signature; [] for an empty, old or damaged one."""
    try:
        data = json.loads(signature) if signature else None
    except ValueError:
        return []
    if not isinstance(data, dict) or data.get("v") != SIGNATURE_VERSION:
        return []
    members: list[Features] = []
    for raw in data.get("m", []):
        tokens = {str(t): float(w) for t, w in raw.get("t", {}).items()}
        kind: Kind = raw.get("k") if raw.get("k") in KINDS else "other"
        numbers = frozenset(t for t in tokens if t[0].isdigit() and not _is_year(t))
        members.append(_with_norm(Features(tokens, numbers, kind, str(raw.get("a", "")))))
    return members


def gap_hours(at: datetime, first_seen_at: datetime, updated_at: datetime) -> float:
    """Hours between `at` and the development's span [first seen, updated]; 0 inside it."""
    if at < first_seen_at:
        return (first_seen_at - at) / timedelta(hours=1)
    if at > updated_at:
        return (at - updated_at) / timedelta(hours=1)
    return 0.0


@dataclass(slots=True)
class _Entry:
    members: list[Features]
    first_seen_at: datetime
    updated_at: datetime


class DevelopmentIndex:
    """Recent developments, findable by their rare tokens. Built afresh for each batch."""

    def __init__(self, window_hours: float, params: GroupingParams = GroupingParams()) -> None:
        self.window_hours = window_hours
        self.params = params
        self._entries: dict[str, _Entry] = {}
        self._postings: dict[str, set[str]] = {}

    def add(
        self,
        development_id: str,
        members: list[Features],
        first_seen_at: datetime,
        updated_at: datetime,
    ) -> None:
        self._entries[development_id] = _Entry(members, first_seen_at, updated_at)
        for member in members:
            for token in index_tokens(member):
                self._postings.setdefault(token, set()).add(development_id)

    def members(self, development_id: str) -> list[Features]:
        entry = self._entries.get(development_id)
        return list(entry.members) if entry else []

    def best_match(self, story: Features, at: datetime) -> tuple[str | None, float]:
        """The most similar development above the threshold (or None) and its similarity."""
        candidates: set[str] = set()
        for token in index_tokens(story):
            candidates |= self._postings.get(token, set())
        best_id, best = None, 0.0
        for development_id in sorted(candidates):
            entry = self._entries[development_id]
            gap = gap_hours(at, entry.first_seen_at, entry.updated_at)
            score = similarity(story, entry.members, gap, self.window_hours, self.params)
            if score > best:
                best_id, best = development_id, score
        if best >= self.params.threshold:
            return best_id, best
        return None, best


def all_tokens(features: Iterable[Features]) -> set[str]:
    return {t for f in features for t in f.tokens}
