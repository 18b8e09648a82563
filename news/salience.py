"""How much one sentence reads as the news: the scores `news.summary` chooses by. Pure functions.

A sentence scores for its position, a news verb, topic and outcome words, the title's words and
numbers it repeats, and its specifics (number, date, place, names, condition), minus penalties for
leaning on another sentence, scene-setting, quotes, questions, fragments and colour.
The weights and their reasons are in `news.summary`'s docstring. Words are compared as light
stems (`stem_words`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from news.sentences import LeadSentence

_WORD = re.compile(r"[^\W_]+(?:[,.][0-9]+)*")
_NEWS_WORDS = frozenset(
    str.split(
        "agree agreed agrees proposed proposes offered offers rejected rejects accepted accepts "
        "signed exchanged swapped released returned freed announced declared met meets held "
        "hosted reached handed demanded demands undertook undertakes committed commits approved "
        "finalised finalized resumed launched postponed invited endorsed ordered lasted ended "
        "answered responded replied"
    )
)
"""A party did something: the mark of a news sentence (with `_NEWS_PHRASE`)."""
_NEWS_PHRASE = re.compile(
    r"\b(?:called (?:on|for)|spent [a-z0-9 ]{1,24}(?:hours|days)|(?:will|would|to) (?:hold|"
    r"meet|host|travel|visit|sign|start|begin|resume|take effect|enter into force)|(?:said|"
    r"says|told \w+) (?:it|they|he|she|on \w+ (?:it|they))? ?(?:would|will))\b"
)
_NEWS_HINTS = frozenset(
    str.split("called spent hold meet host travel visit sign start begin resume effect force")
)
"""Words one of which every `_NEWS_PHRASE` match but "said it would" contains."""
_OUTCOME_WORDS = frozenset(
    str.split(
        "agreement agreements deal exchange exchanges swap return returns ceasefire truce "
        "memorandum round treaty guarantee guarantees corridor moratorium prisoner prisoners "
        "bodies date valid venue result results outcome breakthrough"
    )
)
_DATE_WORDS = frozenset(
    str.split(
        "monday tuesday wednesday thursday friday saturday sunday january february april june "
        "july august september october november december today tomorrow"
    )
)
_DATE_PHRASE = re.compile(
    r"\b(?:next|this) week\b|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|several) "
    r"(?:hours|days|weeks|months|years)\b"
)
_DATE_HINTS = frozenset(("week", "hours", "days", "weeks", "months", "years"))
_DIGIT = re.compile(r"\d")
_CONDITION = re.compile(
    r"\b(?:only (?:if|after|when|once)|provided (?:that )?|on condition|unless|must|would have "
    r"to|in exchange for|as long as)\b"
)
"""A condition set: the one detail that matters most, with a date or a number."""
_CONDITION_HINTS = frozenset(("only", "provided", "condition", "unless", "must", "exchange"))
_PLACE = re.compile(r"\b(?:in|at|to|from) (?:the )?[A-Z][a-z]")
_NAME = re.compile(r"[^.!?] [A-Z][a-z]")
_ANAPHOR = re.compile(
    r"^(?:(?:That|This|These|Those|Such)(?! (?:week|month|year|morning|evening|day)\b)|It|He|"
    r"She|They|His|Her|Their|Its|Then|Still|But|And|So|Yet|Instead|Meanwhile|Now)\b"
)
"""Openers that lean on an earlier sentence: the sentence is not the news on its own."""
_FRONTED_PRONOUN = re.compile(
    r"^[^\"“]{3,160}?, (?:they|he|she|we) (?!(?:said|says|told|added|announced|wrote)\b)[a-z]+"
)
"""A pronoun subject after a fronted phrase ("For an hour on Saturday, they held ..."): the
sentence leans on an earlier one as much as one that opens with the pronoun."""
_PRONOUN_HINTS = frozenset(("they", "he", "she", "we"))
_PLUPERFECT = re.compile(
    r"\bhad (?:already |previously |earlier |just |long )?(?:been|(?!need\b|seed\b|feed\b)[a-z]+ed|"
    r"taken|given|chosen|broken|spoken|written|driven|frozen|seen|shown|known|grown|drawn|"
    r"thrown|fallen|stood|sent|met|held|made|told|left|brought|put|set|kept|sought|won|lost|"
    r"spent|begun|run|come|done)\b"
)
"""Past perfect ("had stood", "had sent"): what happened before the news, i.e. background;
not after a speech verb ("said on Friday that Russia had agreed" is reported news)."""
_REPORTED = re.compile(r"\b(?:said|says|told|announced|emerged|added|confirmed|reported)\b")
_PAST_YEAR = re.compile(
    r"^(?:[\w'’-]+\s+){0,3}?(?i:in|since|back in)\s+(?:[\w'’-]+\s+){0,3}?(?:19|20)\d\d\b"
)
"""A sentence that opens with a year ("In Budapest in 1994, ...", "In May 2025, ..."): background
before the news, which is dated by a weekday or "this week"."""
_SCENE = re.compile(r"\bthat is how\b|\bsuch (?:was|is) \w+\b|\b(?:was|were) \w+ing\b.* when ")
_SCENE_HINTS = frozenset(("how", "such", "when"))
_SPEECH_WORDS = frozenset(("said", "says", "told", "added", "wrote"))
_QUOTE_TAIL = re.compile(r"[,.?!][\"”’']\s+(?:\w+\s+){0,3}(?:said|says|told|added|wrote)\b")
_FOLD = {
    **dict.fromkeys(("swap", "swaps", "swapped", "exchanged", "exchanges"), "exchan"),
    **dict.fromkeys(("truce", "truces", "ceasefires"), "ceasef"),
    **dict.fromkeys(("talk", "talks", "talked"), "negoti"),
    **dict.fromkeys(("deal", "deals", "pact", "accord"), "agreem"),
    **dict.fromkeys(("pow", "pows", "captives"), "prison"),
    **dict.fromkeys(("met", "meets", "meeting", "meetings"), "meet"),
}
"""Words a title and its article use for the same thing, folded to one stem."""
_POSSESSIVES = ("His", "Her", "Their", "Its")
_FILL_SCORE = -1.0
_STOP = frozenset(
    str.split(
        "a an the of to in on at for and or but by with from as is are was were be been has "
        "have had it its this that these those he she they we i you his her their our not no "
        "will would could should may might can said says say after over about into than then "
        "also more new who which what when where while"
    )
)
_QUOTE_OPEN = ('"', "“", "‘", "'", "«")
POSITION_WEIGHT = 2.0
POSITION_DECAY = 0.6
"""A sentence's position prior: POSITION_WEIGHT / (1 + POSITION_DECAY x index)."""
TITLE_WEIGHT = 3.0
NAME_WEIGHT = 0.3
SPECIFICS_CAP = 2.5


@dataclass(frozen=True, slots=True)
class Context:
    """What a sentence is scored against: the title's and the topic's stems."""

    title: frozenset[str]
    topic: frozenset[str]


@dataclass(frozen=True, slots=True)
class Candidate:
    """A scored sentence: its score, position, text and stems."""

    score: float
    index: int
    text: str
    tokens: frozenset[str]
    filler: bool
    """It may join the best sentence: score >= 1, not colour, not a bare quote."""


def stem_words(text: str) -> frozenset[str]:
    """The stems of the text's content words (see `_stems`)."""
    return _stems(frozenset(_WORD.findall(text.lower())))


def _stems(words: frozenset[str]) -> frozenset[str]:
    """Content words, stop words dropped, a final "s" dropped and cut to six letters (a light
    stem: "negotiations" and the topic prefix "negotiat" meet), a few synonyms folded (a
    title's "swap" is the text's "exchange"); numbers kept whole."""
    return frozenset(filter(None, map(_stem, words - _STOP)))


@lru_cache(maxsize=16_384)
def _stem(word: str) -> str:
    """One word's stem (see `_stems`); "" for a word too short to count."""
    if word[0].isdigit():
        return word
    if len(word) < 3:
        return ""
    return _FOLD.get(word) or word[: 6 if word[-1] != "s" or word[-2] == "s" else -1][:6]


def score_sentence(index: int, sentence: str, context: Context) -> Candidate:
    """How much the sentence reads as the news (see the module docstring)."""
    lowered = sentence.lower()
    seen = frozenset(_WORD.findall(lowered))
    tokens = _stems(seen)
    score = POSITION_WEIGHT / (1.0 + POSITION_DECAY * index)
    shared = tokens & context.title
    if shared:
        score += TITLE_WEIGHT * len(shared) / len(context.title)
        score += sum(1.0 for token in shared if token[0].isdigit())
    on_topic = min(len(tokens & context.topic), 4)
    news = _has_news_verb(seen, lowered)
    score += 0.4 * on_topic + (1.5 if news else 0.0)
    score += 0.4 * min(len(seen & _OUTCOME_WORDS), 3)
    number = _DIGIT.search(sentence) is not None
    specifics = 1.2 if number else 0.0
    if not seen.isdisjoint(_DATE_WORDS) or (
        not seen.isdisjoint(_DATE_HINTS) and _DATE_PHRASE.search(lowered)
    ):
        specifics += 0.7
    specifics += 0.5 if _PLACE.search(sentence) else 0.0
    if (not seen.isdisjoint(_CONDITION_HINTS) or "have" in seen or "long" in seen) and (
        _CONDITION.search(lowered)
    ):
        specifics += 0.7
    specifics += NAME_WEIGHT * min(len(_NAME.findall(sentence)), 3)
    score += min(specifics, SPECIFICS_CAP)
    substantive = news or on_topic > 0 or number or len(shared) > 1  # else colour
    penalty = _penalty(sentence, lowered, seen, len(tokens)) + (0.0 if substantive else 2.0)
    if isinstance(sentence, LeadSentence) and penalty < 1.0 and news:
        score += 2.5  # a wire lead after a dateline states the news
    score -= penalty
    bare_quote = sentence.startswith(_QUOTE_OPEN) and not _QUOTE_TAIL.search(sentence)
    filler = score >= _FILL_SCORE and substantive and not bare_quote
    return Candidate(score, index, sentence, tokens, filler)


def _has_news_verb(seen: frozenset[str], lowered: str) -> bool:
    """A news verb or phrase; the phrase searched only when its words are there."""
    if not seen.isdisjoint(_NEWS_WORDS):
        return True
    hinted = not seen.isdisjoint(_NEWS_HINTS) or (
        not seen.isdisjoint(_SPEECH_WORDS) and ("would" in seen or "will" in seen)
    )
    return hinted and _NEWS_PHRASE.search(lowered) is not None


def _penalty(sentence: str, lowered: str, seen: frozenset[str], size: int) -> float:
    """Points off for what is not the news: anaphora, scenes, quotes, questions, fragments."""
    penalty = 0.0
    anaphor = _ANAPHOR.match(sentence)
    if anaphor:
        penalty += 0.5 if anaphor.group(0) in _POSSESSIVES else 1.5
    elif not seen.isdisjoint(_PRONOUN_HINTS) and _FRONTED_PRONOUN.match(sentence):
        penalty += 1.5
    if "had" in seen and _PLUPERFECT.search(lowered):
        before = lowered[: lowered.find("had ")]
        penalty += 0.0 if _REPORTED.search(before) else 1.0
    if _PAST_YEAR.match(sentence):
        penalty += 1.5
    if not seen.isdisjoint(_SCENE_HINTS) and _SCENE.search(lowered):
        penalty += 2.0
    tail = not seen.isdisjoint(_SPEECH_WORDS) and _QUOTE_TAIL.search(sentence) is not None
    if sentence.startswith(_QUOTE_OPEN):
        penalty += 2.0 if tail else 3.5
    elif tail:
        penalty += 1.0
    if sentence.endswith("?"):
        penalty += 2.0
    if len(sentence) < 40 or size < 4:
        penalty += 1.5
    return penalty
