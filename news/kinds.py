"""What kind of development a story reports. Pure functions (the patterns: `news.kind_patterns`;
importance: `news.importance`).

The kind follows the editorial line: an offer made (proposal), an answer given (rejection, or a
statement such as "studying it"), a meeting or round of talks held (meeting), a deal reached or
signed (agreement), a prisoner or body exchange carried out (exchange), other statements about
the talks (statement), anything else (other).

Method: each kind has verb patterns (what someone did: "proposes", "rejects", "swapped") and noun
patterns (what the story is about: "proposal", "talks", "swap"). The title decides first, since
outlets put the news in it: the earliest verb match in the title wins ("Kremlin rejects Kyiv's
proposal" is a rejection, "Ukraine proposes talks" a proposal). A title without a verb that
opens with a speaker ("Peskov: ...", not "Analysis:" or a venue) is a statement. Otherwise the
lead sentence's earliest verb decides, unless it is a statement verb ("said", "warned",
"confirmed": attribution, so the title's nouns decide, then the lead's nouns, and only then the
statement verb). A refusal in the title ("Russia quits grain deal") outranks the special
patterns. An exchange that is only agreed ("agree to swap") is an
agreement; one carried out is an exchange. A grain or shipping deal agreed is an agreement;
children returned, a delegation named and a force pledged for after the war are "other".
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from news.kind_patterns import NOUNS, REJECTS, SPECIAL, VERBS
from news.records import Kind
from news.wording import venues_of

_I = re.IGNORECASE

_LEAD_CHARS = 320


def _combine(patterns: Iterable[tuple[Kind, re.Pattern[str]]]) -> re.Pattern[str]:
    """One pattern whose match is the earliest of any, the first listed winning at a tie."""
    return re.compile("|".join(f"(?P<{kind}>{pattern.pattern})" for kind, pattern in patterns), _I)


_ANY_VERB = _combine(VERBS)
_ANY_NOUN = _combine(NOUNS)


def _earliest(text: str, combined: re.Pattern[str]) -> Kind | None:
    found = combined.search(text)
    if found is None or found.lastgroup is None:
        return None
    kind: Kind = found.lastgroup  # type: ignore[assignment]  # group names are kinds
    return kind


def _lead(text: str) -> str:
    """The first sentence or so of the text, enough to read the lead's verb."""
    head = text[:_LEAD_CHARS]
    stop = head.find(". ")
    return head[: stop + 1] if stop > 40 else head


def classify_kind(title: str, text: str) -> Kind:
    """The development kind a story reports, from its title first and its lead second."""
    lead = _lead(text)
    if REJECTS.search(title):
        return "rejection"  # "Russia quits grain deal": no special outranks a refusal
    for special, pattern in SPECIAL:
        if pattern.search(title):
            return special
    title_verb = _earliest(title, _ANY_VERB) if title else None
    if title_verb is not None:
        return _refine(title_verb, title, lead)
    if _SPEAKER.match(title) and not venues_of(title.split(":", 1)[0]):
        # "Peskov: ...": a quote headline without a deed of its own, unless it is about a round
        return "meeting" if _ROUND_NOUNS.search(title) else "statement"
    lead_verb = _earliest(lead, _ANY_VERB) if lead else None
    if lead_verb is not None and lead_verb != "statement":
        return _refine(lead_verb, title, lead)
    for part in (title, lead):  # "said" in a lead is attribution: the title's nouns come first
        kind = _earliest(part, _ANY_NOUN) if part else None
        if kind is not None:
            return _refine(kind, title, lead)
    return lead_verb or "other"


_SPEAKER = re.compile(
    r"^(?!(?:Analysis|Explainer|Exclusive|Live|Update|Opinion|Watch|Video|Breaking|Factbox|"
    r"Comment|Editorial|Podcast|Interview|Timeline|Q&A|Photos?)\b)[A-Z][\w'’.-]+"
    r"(?: [A-Z][\w'’.-]+){0,3}:\s"
)
"""A headline that opens with a speaker's name and a colon."""
_ROUND_NOUNS = re.compile(
    r"\b(?:round|day (?:one|two)|second day)\b|(?-i:[A-Z][a-z]+) (?i:talks|consultations)\b|"
    r"\b(?:talks|consultations) (?:in|at) ",
    _I,
)
"""What a speaker's headline about a round of talks names ("Medinsky: Geneva talks 'hard'")."""
_AGREED_ONLY = re.compile(
    r"\b(?:agree(?:s|d)?|deal|plan|will|to)\b(?:\s+\S+){0,4}?\s+(?:to )?(?:swap|exchange)", _I
)
_STUDYING = re.compile(
    r"\b(?:studying|study|considering|weighing|reviewing|examining|will consider|"
    r"will study|looking at|analy[sz](?:e|es|ing)|mulls?|mulling|ponders?|pondering|"
    r"non-?committal|neither yes nor no)\b",
    _I,
)

_ANSWERING = re.compile(
    r"\b(?:answers?|answered|responds?|responded|replies|replied|reacts?|reacted)\b"
    r"(?: to)?(?:\s+\S+){0,4}?\s+(?:offer|proposal|plan|call|truce|ceasefire)",
    _I,
)
"""An answer to an offer ("Putin answers Washington's truce offer") is not the offer."""


def _refine(kind: Kind, title: str, lead: str) -> Kind:
    """Second looks: an answer "studying" an offer is a statement; an agreed swap an agreement."""
    if kind == "proposal" and (_STUDYING.search(title) or _ANSWERING.search(title)):
        return "statement"
    if kind == "exchange" and _AGREED_ONLY.search(title) and not _CARRIED.search(title):
        return "agreement"
    return kind


_CARRIED = re.compile(
    r"\b(?:swapped|exchanged|returned|repatriated|freed|released|came home|carried out|"
    r"took place|completed)\b",
    _I,
)
