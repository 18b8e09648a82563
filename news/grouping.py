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
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from news.records import KINDS, Kind

SIGNATURE_VERSION = 2
MAX_MEMBERS = 4
CENTROID_TOKENS = 80


@dataclass(frozen=True, slots=True)
class GroupingParams:
    """The tuned knobs (see the module docstring for what each does)."""

    threshold: float = 0.11
    title_weight: float = 1.6
    lead_weight: float = 1.0
    kind_penalty: float = 0.6
    actor_penalty: float = 0.7
    number_penalty: float = 0.5
    decay: float = 0.8
    lead_chars: int = 700
    lead_sentences: int = 3
    body_weight: float = 0.5
    body_chars: int = 3000
    centroid: bool = False
    containment: float = 0.0
    rarity: float = 0.5


@dataclass(frozen=True, slots=True)
class Features:
    """What grouping compares: weighted tokens, numbers, kind and actor of one story."""

    tokens: dict[str, float]
    numbers: frozenset[str]
    kind: Kind
    actor: str
    title: frozenset[str] = frozenset()
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
    mr mrs ms dr s t it's ap reuters afp bloomberg vladimir volodymyr donald steve sergei sergey
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
    """The distinct normalised content tokens of a text (synonyms folded, stop words dropped)."""
    return frozenset(_tokens(text))


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


GENERIC_WEIGHT = [0.3]


def token_weight(token: str, names: frozenset[str] = frozenset()) -> float:
    """The built-in weight: numbers and names count most, the topic's everyday words least."""
    if token[0].isdigit():
        return 1.5 if len(token) != 4 else 0.8
    if token in _GENERIC:
        return GENERIC_WEIGHT[0]
    if token in _ACTORS:
        return 0.5
    if token in names:
        return 1.4
    if len(token) <= 3:
        return 0.7
    return 1.0


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


def _actor(title: str) -> str:
    """Who did it: the first person or capital named in the title, else the first country."""
    words = _TOKEN.findall(title.lower())
    for word in words:
        if word in _PEOPLE:
            return _PEOPLE[word]
    for word in words:
        actor = _ACTORS.get(_stem(word))
        if actor is not None:
            return actor
    return ""


def _names(text: str) -> frozenset[str]:
    """Tokens written capitalised inside sentences: names of people, places, bodies."""
    return frozenset(_stem(match.lower()) for match in _NAME.findall(text))


def story_features(
    title: str, lead: str, kind: Kind, params: GroupingParams = GroupingParams(), body: str = ""
) -> Features:
    """The features of one story from its title, the start of its text and its body's names."""
    names = _names(lead) | _names(body)
    weights: dict[str, float] = {}
    for part, factor in (
        (title, params.title_weight),
        (lead[: params.lead_chars], params.lead_weight),
    ):
        for token in _tokens(part):
            weights[token] = weights.get(token, 0.0) + factor * token_weight(token, names)
    if params.body_weight:
        for token in _tokens(body):
            if token in names or token[0].isdigit():
                weight = params.body_weight * token_weight(token, names)
                weights[token] = weights.get(token, 0.0) + weight
    tokens = {token: round(math.sqrt(weight), 3) for token, weight in weights.items()}
    numbers = frozenset(t for t in tokens if t[0].isdigit() and not _is_year(t))
    heads = frozenset(_tokens(title)) or frozenset(_tokens(lead)[:12])
    return _with_norm(Features(tokens, numbers, kind, _actor(title), heads))


def _is_year(token: str) -> bool:
    return len(token) == 4 and token.isdigit() and 1990 <= int(token) <= 2100


def _with_norm(features: Features) -> Features:
    norm = math.sqrt(sum(w * w for w in features.tokens.values()))
    return replace(features, norm=norm)


def index_tokens(features: Features) -> list[str]:
    """The rare tokens a development is found by (not the topic's everyday words)."""
    return [t for t in features.tokens if token_weight(t) >= 0.7]


# -- similarity -----------------------------------------------------------------------------


def cosine(a: Features, b: Features, idf: dict[str, float] | None = None) -> float:
    """Weighted cosine; with `idf`, each shared token counts by its rarity among recent news."""
    if not a.norm or not b.norm:
        return 0.0
    small, large = (a.tokens, b.tokens) if len(a.tokens) <= len(b.tokens) else (b.tokens, a.tokens)
    if idf is None:
        dot = sum(w * large[t] for t, w in small.items() if t in large)
    else:
        dot = sum(w * large[t] * idf.get(t, 1.0) for t, w in small.items() if t in large)
    return dot / (a.norm * b.norm)


def contained(title: frozenset[str], weights: dict[str, float], other: dict[str, float]) -> float:
    """The weighted share of a title's tokens that the other story or development mentions."""
    total = found = 0.0
    for token in title:
        weight = weights.get(token, 0.0)
        total += weight
        if token in other:
            found += weight
    return found / total if total else 0.0


_NEAR_KINDS = frozenset(
    frozenset(pair.split("-"))
    for pair in _words(
        "meeting-statement meeting-agreement statement-other statement-agreement "
        "statement-rejection other-agreement other-meeting"
    )
)


def kind_factor(a: Kind, b: Kind, penalty: float) -> float:
    """1 for the same kind, a mild penalty for kinds outlets mix up, the full one otherwise."""
    if a == b:
        return 1.0
    if frozenset((a, b)) in _NEAR_KINDS:
        return (1.0 + penalty) / 2
    return penalty


@dataclass(frozen=True, slots=True)
class Profile:
    """What a development is compared by: a few member stories and the centroid of all."""

    members: tuple[Features, ...]
    centroid: Features
    count: int


def similarity(
    story: Features,
    profile: Profile,
    gap_hours: float,
    window_hours: float,
    params: GroupingParams = GroupingParams(),
    idf: dict[str, float] | None = None,
) -> float:
    """How likely the story reports the development of this profile, 0..1."""
    if not profile.members or gap_hours > window_hours:
        return 0.0
    best = max(cosine(story, member, idf) for member in profile.members)
    if params.centroid:
        best = max(best, cosine(story, profile.centroid, idf))
    if params.containment:
        head = profile.members[0]
        best = max(
            best,
            params.containment * contained(head.title, head.tokens, story.tokens),
            params.containment * contained(story.title, story.tokens, profile.centroid.tokens),
        )
    head = profile.members[0]
    best *= kind_factor(story.kind, head.kind, params.kind_penalty)
    if story.actor and head.actor and story.actor != head.actor:
        best *= params.actor_penalty
    known = profile.centroid.numbers
    if story.numbers and known and not story.numbers & known:
        best *= params.number_penalty
    return best * (1.0 - params.decay * gap_hours / window_hours)


# -- profiles and signatures ----------------------------------------------------------------


def _make(
    tokens: dict[str, float], kind: Kind, actor: str, title: frozenset[str] = frozenset()
) -> Features:
    numbers = frozenset(t for t in tokens if t[0].isdigit() and not _is_year(t))
    return _with_norm(Features(tokens, numbers, kind, actor, title))


def new_profile(features: Features) -> Profile:
    return Profile((features,), features, 1)


def add_member(profile: Profile, features: Features) -> Profile:
    """The profile after one more story joined: members kept, centroid summed (top tokens)."""
    members = [*profile.members, features]
    kept = tuple(members[:2]) + tuple(members[2:][-(MAX_MEMBERS - 2) :])
    summed = dict(profile.centroid.tokens)
    for token, weight in features.tokens.items():
        summed[token] = round(summed.get(token, 0.0) + weight, 3)
    top = sorted(summed.items(), key=lambda item: (-item[1], item[0]))[:CENTROID_TOKENS]
    head = profile.centroid
    return Profile(kept, _make(dict(top), head.kind, head.actor), profile.count + 1)


def _encode_features(features: Features) -> dict[str, object]:
    return {
        "t": features.tokens,
        "k": features.kind,
        "a": features.actor,
        "h": sorted(features.title),
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
    title = frozenset(str(t) for t in raw.get("h", []))
    return _make(tokens, kind, str(raw.get("a", "")), title)


def decode_signature(signature: str) -> Profile | None:
    """The profile stored in a signature; None for an empty, old or damaged one."""
    try:
        data = json.loads(signature) if signature else None
        if not isinstance(data, dict) or data.get("v") != SIGNATURE_VERSION:
            return None
        members = tuple(_decode_features(raw) for raw in data["m"])
        centroid = _decode_features(data["c"])
        return Profile(members, centroid, int(data["n"])) if members else None
    except (ValueError, TypeError, KeyError, AttributeError):
        return None


def gap_hours(at: datetime, first_seen_at: datetime, updated_at: datetime) -> float:
    """Hours between `at` and the development's span [first seen, updated]; 0 inside it."""
    if at < first_seen_at:
        return (first_seen_at - at) / timedelta(hours=1)
    if at > updated_at:
        return (at - updated_at) / timedelta(hours=1)
    return 0.0


@dataclass(frozen=True, slots=True)
class _Entry:
    profile: Profile
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
        self, development_id: str, profile: Profile, first_seen_at: datetime, updated_at: datetime
    ) -> None:
        self._entries[development_id] = _Entry(profile, first_seen_at, updated_at)
        for token in profile.centroid.tokens:
            self._postings.setdefault(token, set()).add(development_id)

    def _in_window(self, development_id: str, at: datetime) -> bool:
        entry = self._entries[development_id]
        return gap_hours(at, entry.first_seen_at, entry.updated_at) <= self.window_hours

    def rarity(self, story: Features, at: datetime) -> dict[str, float]:
        """Each story token's weight by how few developments of its window mention it."""
        idf: dict[str, float] = {}
        for token in story.tokens:
            posting = self._postings.get(token, ())
            count = sum(1 for dev in posting if self._in_window(dev, at))
            idf[token] = 1.0 / (1.0 + count) ** self.params.rarity
        return idf

    def profile(self, development_id: str) -> Profile | None:
        entry = self._entries.get(development_id)
        return entry.profile if entry else None

    def best_match(self, story: Features, at: datetime) -> tuple[str | None, float]:
        """The most similar development above the threshold (or None) and its similarity."""
        candidates: set[str] = set()
        for token in index_tokens(story):
            candidates |= self._postings.get(token, set())
        idf = self.rarity(story, at) if self.params.rarity and candidates else None
        best_id, best = None, 0.0
        for development_id in sorted(candidates):
            entry = self._entries[development_id]
            gap = gap_hours(at, entry.first_seen_at, entry.updated_at)
            score = similarity(story, entry.profile, gap, self.window_hours, self.params, idf)
            if score > best:
                best_id, best = development_id, score
        if best >= self.params.threshold:
            return best_id, best
        return None, best
