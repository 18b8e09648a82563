"""Grouping: does a new relevant story report the same development as a recent one? Pure.

Method
- Features of a story: its title, its lead (first three sentences) and the names and numbers
  of its body, as tokens: lower-cased words, a light stemmer, synonyms folded into one concept
  ("Kyiv", "Zelenskyy", "Ukrainian" -> ukraine; "Kremlin", "Putin" -> russia; "truce" ->
  ceasefire; "negotiations" -> talk; "swap" -> exchange; "month-long" -> 30), dates joined
  ("May 15" -> may15), clock times dropped. Weights: stop words none, the topic's everyday
  words (ukraine, russia, talks, peace, ceasefire, proposal...) 0.3, numbers 1.5, names
  written capitalised inside sentences 1.4; title x1.6, lead x1, body names x0.5; square-rooted.
- Rarity: a token shared by many developments of the story's window counts less (its weight
  is divided by sqrt(1 + how many of them mention it)); this adapts to what is in the news.
- The kind (`news.kinds`) and the actor (who is named first in the title) frame the fact: a
  different kind costs x0.6 (x0.8 for kinds outlets mix up, x0.36 for the pairs the editorial
  line keeps apart: an offer and its answer, an exchange agreed and carried out); another
  actor x0.7 (squared between offers and statements: Kyiv's offer is not Moscow's answer).
- Similarity: the rarity-weighted cosine with the closest of the development's remembered
  reports (the first two and the latest two), times those frame factors, x0.5 when numbers
  disagree, x0.3 when the story's own outlet already reported the development (outlets report
  a fact once; their next story is usually a new fact: in the labelled set no development has
  two reports from one outlet), times a linear decay to x0.05 at the edge of the window
  (48 h); a story joins the most similar development above 0.09, else it starts one.
- Speed: candidates come from an inverted index of rare tokens per 48-hour time bucket, so a
  story meets only the developments of its window that share a rare word with it.

Measured on the labelled set (tests/data, `bench/grouping_probe.py`, B-cubed F1 over the
relevant items; tune 132 items / 49 developments, holdout 70 / 25):
- as dated: tune 0.965, holdout 0.973 (both splits in one stream: 0.948);
- crowded calendar (developments 3 h apart): tune 0.905, holdout 0.860 (a 48-hour window
  alone: 0.19 and 0.35); without the same-outlet factor 0.871 and 0.854.
What did not help (measured along the way): raw token cosine (crowded 0.69), a centroid of
all reports (chains different developments together), a title-containment score (crowded
0.69), no rarity (0.77).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import lru_cache

from news.records import KINDS, Kind

SIGNATURE_VERSION = 2
MAX_MEMBERS = 4
CENTROID_TOKENS = 80


@dataclass(frozen=True, slots=True)
class GroupingParams:
    """The tuned knobs (see the module docstring for what each does)."""

    threshold: float = 0.09
    title_weight: float = 1.6
    lead_weight: float = 1.0
    kind_penalty: float = 0.6
    actor_penalty: float = 0.7
    number_penalty: float = 0.5
    decay: float = 0.95
    lead_chars: int = 700
    lead_sentences: int = 3
    body_weight: float = 0.5
    body_chars: int = 1500
    same_outlet: float = 0.3
    rarity: float = 0.5


@dataclass(frozen=True, slots=True)
class Features:
    """What grouping compares: weighted tokens, numbers, kind and actor of one story."""

    tokens: dict[str, float]
    numbers: frozenset[str]
    kind: Kind
    actor: str
    norm: float = field(default=0.0)


# -- tokens ---------------------------------------------------------------------------------

_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[a-z\u00c0-\u024f\u0400-\u04ff]+\d*")


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
    mr mrs ms dr s t it's ap reuters afp bloomberg adding added add also vladimir volodymyr
    donald steve sergei sergey
    dmitry dmitri marco recep tayyip andriy andrii rustem emmanuel keir friedrich yury yuri
    kirill vladimirovich jd j d alexander oleksandr andrei andrey january february march april
    june july august september october november december jan feb mar apr jun jul aug sep oct nov
    dec"""
)
_GENERIC = _words(
    """ukraine russia us talk peace war president official minister foreign government country side
    party leader state statement kremlin spokesman spokesperson comment conflict invasion region
    military source told tass ria interfax ukrinform state european europe west western ceasefire
    propose agree meet reject envoy delegation end ending settlement diplomat diplomatic process
    deal plan moscow kyiv call"""
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
_synonyms("saudi", "saudi saudis")
_synonyms("qatar", "qatar qatari doha")
_synonyms("uae", "uae emirati emirates dhabi")
_synonyms("switzerland", "switzerland swiss geneva")
_synonyms("belarus", "belarus belarusian minsk gomel")
_synonyms("china", "china chinese beijing")
_synonyms("vatican", "vatican pope holy")
_synonyms("alaska", "alaska anchorage alaskan")
_synonyms("child", "child children kids")
_synonyms("grain", "grain grains")
_synonyms("energy", "energy power")
_synonyms("guarantee", "guarantee guarantees security-guarantee")
_synonyms("announce", "announce announces announced declare declares declared unveil unveils")
_synonyms("support", "back backs backed support supports supported endorse endorses endorsed")
_synonyms(
    "study",
    "study studying studies consider considers considering analyze analyse "
    "analyzing analysing weigh weighs weighing review reviewing examine examining",
)
_synonyms(
    "return",
    "return returns returned release released releases free freed frees "
    "repatriate repatriated repatriation homecoming",
)
_synonyms(
    "halt",
    "halt halts halted pause paused pauses stop stops stopped moratorium "
    "suspend suspends suspended",
)
_synonyms("strike", "strike strikes attack attacks attacked hitting hit")
_synonyms("30", "month month-long monthlong")
_synonyms("soldier", "soldier soldiers serviceman servicemen troops defender defenders fighters")
_synonyms("wounded", "wounded injured")
_synonyms("memorandum", "memorandum memoranda memo")

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


@lru_cache(maxsize=65536)
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


_MONTH = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_DATES = re.compile(
    rf"\b{_MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?\b|\b(\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH}"
)
_CLOCK = re.compile(r"\b\d{1,2}[:.]\d{2}\b|\b\d{1,2}\s*[ap]\.?m\b")


def _date_token(match: re.Match[str]) -> str:
    month = match.group(1) or match.group(4)
    day = match.group(2) or match.group(3)
    return f" {month}{int(day)} "


def _number(raw: str) -> str:
    return raw.replace(",", "").rstrip(".")


def content_tokens(text: str) -> frozenset[str]:
    """The distinct content tokens of a text, synonyms folded and stop words dropped (a quick
    version of the features' tokens: dates are not joined into one token)."""
    found = set()
    for raw in _TOKEN.findall(text.lower()):
        token = _number(raw) if raw[0].isdigit() else _stem(raw)
        if token not in _STOP and len(token) > 1:
            found.add(token)
    return frozenset(found)


def _tokens(text: str) -> list[str]:
    found: list[str] = []
    lowered = _CLOCK.sub(" ", text.lower().replace("’", "'").replace("'s ", " "))
    lowered = _DATES.sub(_date_token, lowered)
    for raw in _TOKEN.findall(lowered):
        if raw[0].isdigit():
            found.append(_number(raw))
        elif raw not in _STOP and len(raw) > 1:
            token = _stem(raw)
            if token not in _STOP:
                found.append(token)
    return found


@lru_cache(maxsize=65536)
def _class_weight(token: str) -> float:
    """The weight of a token by its class alone (0 when its class does not decide)."""
    if token[0].isdigit():
        return 1.5 if len(token) != 4 else 0.8
    if token in _GENERIC:
        return 0.3
    if token in _ACTORS:
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


_NAME = re.compile(r"(?<![.!?\u201c\"]\s)(?<!^)\b[A-Z][a-z\u00e0-\u024f]+(?:-[A-Z][a-z]+)?")
_PEOPLE: dict[str, str] = {}
for _side, _words_of_side in (
    ("russia", "putin peskov lavrov medinsky ushakov zakharova dmitriev karasin kremlin moscow"),
    ("ukraine", "zelensky zelenskyy zelenskiy zelenskii yermak umerov sybiha kyiv kiev"),
    ("us", "trump witkoff rubio vance kellogg washington"),
    ("turkey", "erdogan erdoğan fidan ankara"),
):
    for _word in _words_of_side.split():
        _PEOPLE[_word] = _side


_ATTRIBUTION = re.compile(
    r"(?:,\s*[^,]{1,40}\b(?:says?|said|told|reports?|claims?)\b[^,]*|\s+[-–—|]\s+[^-–—|]{1,40})$",
    re.IGNORECASE,
)


def _actor(title: str) -> str:
    """Who did it: the first side named in the title (a person, capital or country), leaving
    out a trailing attribution (", Witkoff says", " — Kremlin")."""
    for word in _TOKEN.findall(_ATTRIBUTION.sub("", title).lower()):
        actor = _PEOPLE.get(word) or _ACTORS.get(_stem(word))
        if actor is not None:
            return actor
    return ""


_NUMBER = re.compile(r"\b\d+(?:[.,]\d+)*")


def _body_numbers(body: str) -> list[str]:
    """The numbers of a body, one token per mention (dates and clock times left out)."""
    plain = _DATES.sub(" ", _CLOCK.sub(" ", body.lower()))
    return [_number(raw) for raw in _NUMBER.findall(plain)]


def _names(text: str) -> frozenset[str]:
    """Tokens written capitalised inside sentences: names of people, places, bodies."""
    return frozenset(_stem(match.lower()) for match in _NAME.findall(text))


def story_features(
    title: str, lead: str, kind: Kind, params: GroupingParams = GroupingParams(), body: str = ""
) -> Features:
    """The features of one story from its title, the start of its text and its body's names
    and numbers (one token per mention)."""
    mentions = [_stem(match.lower()) for match in _NAME.findall(body or lead)]
    names = frozenset(mentions)
    weights: dict[str, float] = {}
    for part, factor in (
        (title, params.title_weight),
        (lead[: params.lead_chars], params.lead_weight),
    ):
        for token in _tokens(part):
            weights[token] = weights.get(token, 0.0) + factor * token_weight(token, names)
    if params.body_weight and body:
        for token in (*mentions, *_body_numbers(body)):
            if token not in _STOP:
                weight = params.body_weight * token_weight(token, names)
                weights[token] = weights.get(token, 0.0) + weight
    tokens = {token: round(math.sqrt(weight), 3) for token, weight in weights.items()}
    numbers = frozenset(t for t in tokens if t[0].isdigit() and not _is_year(t))
    return _with_norm(Features(tokens, numbers, kind, _actor(title)))


def _is_year(token: str) -> bool:
    return len(token) == 4 and token.isdigit() and 1990 <= int(token) <= 2100


def _with_norm(features: Features) -> Features:
    norm = math.sqrt(sum(w * w for w in features.tokens.values()))
    return replace(features, norm=norm)


def index_tokens(features: Features) -> list[str]:
    """The rare tokens a development is found by (not the topic's everyday words)."""
    return [t for t in features.tokens if token_weight(t) >= 0.7]


# -- similarity -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Rarity:
    """Squared rarity factors of a story's tokens and the story's reweighted squared norm."""

    factors: dict[str, float]
    story_square: float


def rarity_of(story: Features, counts: dict[str, int], power: float) -> Rarity:
    """Each token's weight divided by (1 + how many nearby developments mention it) ** power."""
    factors = {token: (1.0 + count) ** (-2.0 * power) for token, count in counts.items()}
    square = sum(w * w * factors.get(t, 1.0) for t, w in story.tokens.items())
    return Rarity(factors, square)


def cosine(a: Features, b: Features, rarity: Rarity | None = None) -> float:
    """Weighted cosine. With `rarity` (made for `a`), both vectors are reweighted by it, so
    tokens that every nearby development shares count little."""
    if not a.norm or not b.norm:
        return 0.0
    if rarity is None:
        small, large = (
            (a.tokens, b.tokens) if len(a.tokens) <= len(b.tokens) else (b.tokens, a.tokens)
        )
        dot = sum(w * large[t] for t, w in small.items() if t in large)
        return dot / (a.norm * b.norm)
    dot = 0.0
    b_square = b.norm * b.norm
    factors = rarity.factors
    other_tokens = b.tokens
    for token, weight in a.tokens.items():
        other = other_tokens.get(token)
        if other is not None:
            factor = factors.get(token, 1.0)
            dot += weight * other * factor
            b_square += other * other * (factor - 1.0)
    if rarity.story_square <= 0.0 or b_square <= 0.0:
        return 0.0
    return dot / math.sqrt(rarity.story_square * b_square)


_NEAR_KINDS = frozenset(
    frozenset(pair.split("-"))
    for pair in _words(
        "meeting-statement meeting-agreement statement-other statement-agreement "
        "statement-rejection other-agreement other-meeting"
    )
)


_SPEECH_KINDS = frozenset(("proposal", "statement", "rejection"))
_OPPOSED_KINDS = frozenset(
    frozenset(pair.split("-"))
    for pair in _words(
        "proposal-statement proposal-rejection agreement-exchange meeting-exchange "
        "proposal-exchange"
    )
)


def kind_factor(a: Kind, b: Kind, penalty: float) -> float:
    """1 for the same kind, a mild penalty for kinds outlets mix up, the full one otherwise,
    and its square for the pairs the editorial rule keeps apart (an offer and the answer to
    it, an exchange agreed and the exchange carried out)."""
    if a == b:
        return 1.0
    pair = frozenset((a, b))
    if pair in _NEAR_KINDS:
        return (1.0 + penalty) / 2
    if pair in _OPPOSED_KINDS:
        return penalty * penalty
    return penalty


@dataclass(frozen=True, slots=True)
class Profile:
    """What a development is compared by: a few member stories and the centroid of all."""

    members: tuple[Features, ...]
    centroid: Features
    count: int
    keys: tuple[str, ...] = ()
    """The centroid's rare tokens (`index_tokens`), which the index files it under."""


def _profile(members: tuple[Features, ...], centroid: Features, count: int) -> Profile:
    return Profile(members, centroid, count, tuple(index_tokens(centroid)))


def similarity(
    story: Features,
    profile: Profile,
    gap_hours: float,
    window_hours: float,
    params: GroupingParams = GroupingParams(),
    rarity: Rarity | None = None,
) -> float:
    """How likely the story reports the development of this profile, 0..1: the best match
    with one of its member reports, each weighed by whether the two tell the same kind of
    fact by the same actor, then numbers that disagree and the time between them."""
    if not profile.members or gap_hours > window_hours:
        return 0.0
    best = 0.0
    for member in profile.members:
        score = cosine(story, member, rarity) * frame_factor(story, member, params)
        best = max(best, score)
    known = profile.centroid.numbers
    if story.numbers and known and not story.numbers & known:
        best *= params.number_penalty
    return best * (1.0 - params.decay * gap_hours / window_hours)


def frame_factor(story: Features, member: Features, params: GroupingParams) -> float:
    """1 when both tell the same kind of fact by the same actor, less otherwise."""
    factor = kind_factor(story.kind, member.kind, params.kind_penalty)
    if story.actor and member.actor and story.actor != member.actor:
        # who made an offer or a statement matters most: Kyiv's offer is not Moscow's answer
        speech = story.kind in _SPEECH_KINDS and member.kind in _SPEECH_KINDS
        factor *= params.actor_penalty ** (2 if speech else 1)
    return factor


# -- profiles and signatures ----------------------------------------------------------------


def _make(tokens: dict[str, float], kind: Kind, actor: str) -> Features:
    numbers = frozenset(t for t in tokens if t[0].isdigit() and not _is_year(t))
    return _with_norm(Features(tokens, numbers, kind, actor))


def new_profile(features: Features) -> Profile:
    return _profile((features,), features, 1)


def add_member(profile: Profile, features: Features) -> Profile:
    """The profile after one more story joined: members kept, centroid summed (top tokens)."""
    members = [*profile.members, features]
    kept = tuple(members[:2]) + tuple(members[2:][-(MAX_MEMBERS - 2) :])
    summed = dict(profile.centroid.tokens)
    for token, weight in features.tokens.items():
        summed[token] = round(summed.get(token, 0.0) + weight, 3)
    top = [(t, -w) for w, t in sorted((-w, t) for t, w in summed.items())[:CENTROID_TOKENS]]
    head = profile.centroid
    return _profile(kept, _make(dict(top), head.kind, head.actor), profile.count + 1)


def _encode_features(features: Features) -> dict[str, object]:
    return {
        "t": features.tokens,
        "k": features.kind,
        "a": features.actor,
    }


def encode_signature(profile: Profile) -> str:
    """The compact text kept in `Development.signature`."""
    data = {
        "v": SIGNATURE_VERSION,
        "n": profile.count,
        "c": _encode_features(profile.centroid),
        "m": [_encode_features(member) for member in profile.members],
    }
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _decode_features(raw: object) -> Features:
    if not isinstance(raw, dict):
        raise ValueError("not an object")
    tokens = {str(t): float(w) for t, w in raw.get("t", {}).items()}
    found = raw.get("k")
    kind: Kind = found if found in KINDS else "other"
    return _make(tokens, kind, str(raw.get("a", "")))


@lru_cache(maxsize=8192)
def decode_signature(signature: str) -> Profile | None:
    """The profile stored in a signature; None for an empty, old or damaged one."""
    try:
        data = json.loads(signature) if signature else None
        if not isinstance(data, dict) or data.get("v") != SIGNATURE_VERSION:
            return None
        members = tuple(_decode_features(raw) for raw in data["m"])
        centroid = _decode_features(data["c"])
        return _profile(members, centroid, int(data["n"])) if members else None
    except (ValueError, TypeError, KeyError, AttributeError):
        return None


def gap_hours(at: datetime, first_seen_at: datetime, updated_at: datetime) -> float:
    """Hours between `at` and the development's span [first seen, updated]; 0 inside it."""
    return _gap(_hours(at), _hours(first_seen_at), _hours(updated_at))


def _hours(at: datetime) -> float:
    return at.timestamp() / 3600.0


def _gap(at: float, first: float, updated: float) -> float:
    if at < first:
        return first - at
    if at > updated:
        return at - updated
    return 0.0


@dataclass(frozen=True, slots=True)
class _Entry:
    profile: Profile
    first: float
    updated: float
    keys: tuple[tuple[str, int], ...]
    outlets: frozenset[str]


class DevelopmentIndex:
    """Recent developments, findable by their rare tokens. Built afresh for each batch.

    Postings are kept per (token, time bucket of one window), so a story only meets the
    developments of its own and the neighbouring buckets.
    """

    def __init__(self, window_hours: float, params: GroupingParams = GroupingParams()) -> None:
        self.window_hours = window_hours
        self.params = params
        self._entries: dict[str, _Entry] = {}
        self._postings: dict[tuple[str, int], set[str]] = {}

    def _bucket(self, hours: float) -> int:
        return math.floor(hours / self.window_hours)

    def add(
        self,
        development_id: str,
        profile: Profile,
        first_seen_at: datetime,
        updated_at: datetime,
        outlets: Iterable[str] = (),
    ) -> None:
        """Add a development (with the outlets that reported it), or replace it with its new
        state."""
        old = self._entries.get(development_id)
        for key in old.keys if old else ():
            self._postings[key].discard(development_id)
        first, updated = _hours(first_seen_at), _hours(updated_at)
        buckets = range(self._bucket(first), self._bucket(updated) + 1)
        keys = tuple((token, b) for token in profile.keys for b in buckets)
        self._entries[development_id] = _Entry(profile, first, updated, keys, frozenset(outlets))
        for key in keys:
            self._postings.setdefault(key, set()).add(development_id)

    def profile(self, development_id: str) -> Profile | None:
        entry = self._entries.get(development_id)
        return entry.profile if entry else None

    def _window(self, story: Features, at: float) -> dict[str, float]:
        """Developments in the window sharing a rare token with the story: id -> gap in hours."""
        gaps: dict[str, float] = {}
        bucket = self._bucket(at)
        for token in index_tokens(story):
            for near in (bucket - 1, bucket, bucket + 1):
                for development_id in self._postings.get((token, near), ()):
                    if development_id not in gaps:
                        entry = self._entries[development_id]
                        gaps[development_id] = _gap(at, entry.first, entry.updated)
        return {dev: gap for dev, gap in gaps.items() if gap <= self.window_hours}

    def _rarity(self, story: Features, live: Iterable[str]) -> Rarity:
        """The story's tokens weighed by how few of these developments mention them."""
        counts = dict.fromkeys(story.tokens, 0)
        for development_id in live:
            centroid = self._entries[development_id].profile.centroid.tokens
            for token in counts:
                if token in centroid:
                    counts[token] += 1
        return rarity_of(story, counts, self.params.rarity)

    def best_match(
        self, story: Features, at: datetime, outlet: str = ""
    ) -> tuple[str | None, float]:
        """The most similar development above the threshold (or None) and its similarity.

        A development the story's own outlet already reported is less likely: outlets report
        a fact once, and a second story of theirs usually brings a new one."""
        live = self._window(story, _hours(at))
        rarity = self._rarity(story, live) if self.params.rarity and live else None
        best_id, best = None, 0.0
        for development_id in sorted(live):
            entry = self._entries[development_id]
            gap = live[development_id]
            score = similarity(story, entry.profile, gap, self.window_hours, self.params, rarity)
            if outlet and outlet in entry.outlets:
                score *= self.params.same_outlet
            if score > best:
                best_id, best = development_id, score
        if best >= self.params.threshold:
            return best_id, best
        return None, best
