"""Plain text and whole sentences from a story's text, for summaries and grouping. Pure functions.

The text is cleaned of HTML and boilerplate (feed footers, "Read more", bylines, photo credits,
"... contributed reporting", share/subscribe lines) and split into sentences with sentencex
("6 p.m. Moscow time" glued back). A dateline before the first sentence (the prefix "KYIV,
March 3 (Reuters) -" or "MOSCOW, March 18. /TASS/.") goes; its sentence stays and is marked as
the wire lead (`LeadSentence`), which `news.salience` scores as the news.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import sentencex

from news.text import fold_whitespace, html_to_text

_LANGUAGE = "en"
_HTML_HINT = re.compile(r"<(?:[a-zA-Z][^>]*|/[a-zA-Z]+\s*)>|&(?:[a-z]+|#\d+);")

_BOILERPLATE_SENTENCE = re.compile(
    r"^(?:the post .{0,300} appeared first on .{0,120}|read more\b.*|continue reading\b.*|"
    r"read the (?:full|whole) (?:story|article)\b.*|click here\b.*|subscribe\b.*|"
    r"sign up\b.*|share this\b.*|share on\b.*|advertisement\.?|related:.*|see also:.*|"
    r"photo(?:graph)?s?(?: credit)?\s*:.*|image(?: credit)?\s*:.*|"
    r"\(?(?:photo|image|picture) by\b.*|follow us\b.*|copyright\b.*|©.*|all rights reserved.*|"
    r"this (?:story|article) (?:was|has been) (?:updated|corrected)\b.*|editor'?s note\b.*|"
    r"(?:text|words|reporting|video|graphics?|interview|translation|sources?)\s*:\s*[A-Z][\w'’.-]+"
    r"(?: [A-Z][\w'’.-]+){0,3}(?:,? (?:and|&) [A-Z][\w'’.-]+(?: [A-Z][\w'’.-]+){0,3})?\.?$|"
    r"(?:posted|updated|published)(?: on)? (?:\d{1,2}[ /.-]|(?:jan|feb|mar|apr|may|jun|jul|aug|"
    r"sep|oct|nov|dec)\w* \d).{0,60}$|(?:translated|posted) by [^.,]{0,60}\.?$|read also\b.*|"
    r"follow (?:our|the) live\b.{0,40}$|by (?:our|a|the) (?:[\w-]+ ){0,3}(?:correspondent|"
    r"reporter|staff|desk|team|editor)s?(?: in [A-Z][\w-]+(?: [A-Z][\w-]+)?)?\.?$|"
    r"\((?:[^()]{0,80}/[^()]{0,60}|(?:photo|image|picture|credit|reporting|editing|writing|"
    r"additional reporting|with|via|source)\b[^()]{0,100})\)\.?$|"
    r"\(?reporting by\b.*|\(?editing by\b.*|\(?writing by\b.*|[A-Z].{0,160} contributed"
    r"(?: reporting| to this (?:report|story|article))?\.\)?$|"
    r"(?-i:[Bb]y [A-Z][\w'.-]+(?: [A-Z][\w'.-]+){0,3}(?:,? (?:and|&) [A-Z][\w'.-]+"
    r"(?: [A-Z][\w'.-]+){0,3})?(?:, [A-Z][\w'.-]+(?: [A-Z][\w'.-]+)?)?\.?"
    r"(?: (?:Photo|Image|Credit)s?:.{0,100})?$)|credits?\s*:.{0,100}$)",
    re.IGNORECASE,
)
_INLINE_BOILERPLATE = re.compile(
    r"(?:the post .{0,300}? appeared first on [^.]{0,120}\.|"
    r"\[?…\]?\s*(?:read more|continue reading)\b[^.]*\.?|"
    r"\b(?:read more|continue reading)\s*(?:»|›|→|\.\.\.|…)?\s*$|"
    r"\((?:photo|image|picture) by [^)]*\)|"
    r"(?-i:\b(?:Photo|Image|Picture|Credit)s?\s*:\s(?:[^.\n\s]+[ \t]+){0,7}[^.\n\s]+\.)|"
    r"\b(?:getty images|afp via getty images|"
    r"reuters/[A-Z][\w ]+|ap photo/[A-Z][\w ]+)\b|\[\s*(?:…|\.\.\.)\s*\]|\badvertisement\b)",
    re.IGNORECASE,
)
_INLINE_TRIGGERS = (
    "appeared first",
    "read more",
    "continue reading",
    "photo",
    "image",
    "picture",
    "getty",
    "reuters/",
    "[",
    "advertisement",
    "credit",
)
"""Words one of which every `_INLINE_BOILERPLATE` match contains (a cheap test first)."""
_DATELINE = re.compile(
    r"^\s*(?:[A-Z][A-Z.'-]+(?:[ ,/]+[A-Z][A-Za-z.'-]+){0,3},?\s+)?"
    r"(?:(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:st|nd|rd|th)?(?:,\s*\d{4})?|"
    r"\d{1,2}(?:st|nd|rd|th)?\s+[A-Z][a-z]{2,8},?(?:\s+\d{4})?)"
    r"\s*)?(?:\((?:Reuters|AP|AFP|Bloomberg|dpa|Xinhua|Ukrinform|Interfax|TASS|RIA|UNIAN|"
    r"[A-Z][A-Za-z .-]{1,24})\)\s*)?[-–—]+\s+"
)
_CITY_AGENCY_DATELINE = re.compile(
    r"^\s*[A-Z][A-Za-z.'-]+(?:[ ,/]+[A-Z][A-Za-z.'-]+){0,3}\s*\([A-Za-z][A-Za-z .-]{0,24}\)"
    r"\s*[-–—:]+\s+"
)
"""A title-case city before an agency's name: "Paris (AFP) – ", "Kyiv (Ukrinform) - "."""
_AGENCY_DATELINE = re.compile(
    r"^\s*[A-Z][A-Z .'-]{2,40},\s+[A-Z][a-z]{2,9}\.?\s+\d{1,2}(?:,\s*\d{4})?\s*[.:-]?\s*"
    r"(?:/[A-Za-z-]{2,20}/\.?\s*)?(?=\S|$)"
)
_CAPS_DATELINE = re.compile(r"^\s*[A-Z][A-Z .'/-]{2,40}(?:\s*\([^)]{2,30}\))?\s*[-–—:]\s+")
_BYLINE_LEAD = re.compile(
    r"^(?:by [A-Z][\w'.-]+(?: [A-Z][\w'.-]+){0,3}(?:,? (?:and|&) [A-Z][\w'.-]+(?: [A-Z][\w'.-]+)"
    r"{0,3})?\s*(?:[|,·•-]\s*)?(?:\d+ (?:min|minutes) read)?\s*)",
)
_TIME_ZONE = re.compile(r"(?:[A-Z][a-z]+ time|GMT|UTC|CET|EET|MSK|ET|local time)\b")


class LeadSentence(str):
    """A sentence that followed a stripped dateline: a wire report's lead, which by convention
    states the news."""

    __slots__ = ()


def clean_title(title: str) -> str:
    """A title as one line of plain text: HTML turned to text, whitespace folded."""
    return fold_whitespace(html_to_text(title) if _HTML_HINT.search(title) else title)


def clean_text(text: str) -> str:
    """Plain text with HTML turned to text and inline boilerplate removed; paragraphs kept."""
    if _HTML_HINT.search(text):
        text = html_to_text(text)
    lowered = text.lower()
    if any(trigger in lowered for trigger in _INLINE_TRIGGERS):
        text = _INLINE_BOILERPLATE.sub(" ", text)
    paragraphs = (fold_whitespace(part) for part in text.split("\n"))
    return "\n".join(part for part in paragraphs if part)


def split_sentences(text: str) -> list[str]:
    """Whole sentences of a cleaned text, boilerplate dropped and datelines stripped; the
    sentence a dateline led is a `LeadSentence`."""
    sentences: list[str] = []
    paragraphs = text.split("\n")
    if len(paragraphs) > 1:
        paragraphs = [part for part in paragraphs if not _is_metadata(part)]
    for paragraph in paragraphs:
        dated = False
        if not sentences:
            undated = _AGENCY_DATELINE.sub("", paragraph, count=1)
            dated, paragraph = undated != paragraph, undated
        for raw in _join_clock_times(sentencex.segment(_LANGUAGE, paragraph)):
            # bylines and datelines open a text: later "22nd Brigade — ..." is prose
            sentence, headed = (
                _strip_prefixes(raw.strip()) if not sentences else (raw.strip(), False)
            )
            if sentence and not _BOILERPLATE_SENTENCE.match(sentence):
                lead = not sentences and (dated or headed)
                sentences.append(LeadSentence(sentence) if lead else sentence)
    return sentences


def _join_clock_times(parts: Iterable[str]) -> Iterable[str]:
    """Segments glued back where the splitter broke after "p.m." before "Moscow time"."""
    held = ""
    for part in parts:
        if held.rstrip().endswith(("a.m.", "p.m.")) and _TIME_ZONE.match(part):
            held = f"{held.rstrip()} {part.lstrip()}"
            continue
        if held:
            yield held
        held = part
    if held:
        yield held


def _strip_prefixes(sentence: str) -> tuple[str, bool]:
    """The sentence without a byline or dateline before it, and whether a dateline went."""
    stripped = _BYLINE_LEAD.sub("", sentence, count=1)
    without = _DATELINE.sub("", stripped, count=1)
    if without == stripped:
        without = _CAPS_DATELINE.sub("", stripped, count=1)
    if without == stripped:
        without = _CITY_AGENCY_DATELINE.sub("", stripped, count=1)
    if without != sentence and without and without[0].islower():
        without = without[0].upper() + without[1:]
    return without.strip(), without != stripped


def _is_metadata(paragraph: str) -> bool:
    """A paragraph that is not prose: short and without any sentence's end (a byline, a dateline,
    a credit, a kicker, "Follow our live coverage"), or fields between bars ("Kyiv Post |
    Analysis | July 25, 2024 | Photo: ...") none of which is a sentence of its own."""
    words = paragraph.split()
    if words and len(words) <= _METADATA_WORDS and not _ANY_SENTENCE_END.search(paragraph):
        return True
    fields = _FIELD_BAR.split(paragraph)
    return len(fields) > 1 and all(len(field.split()) <= _METADATA_WORDS for field in fields)


_METADATA_WORDS = 20
_ANY_SENTENCE_END = re.compile(r"[.!?…:][\"”’'»)]?(?:\s|$)")
_FIELD_BAR = re.compile(r"\s[|·•]\s")


def count_sentences(text: str) -> int:
    """How many real sentences (ending in punctuation, of a few words) the text holds."""
    sentences = split_sentences(clean_text(text))
    return sum(1 for s in sentences if s[-1] in '.!?"”’»)' and len(s.split()) >= 4)
