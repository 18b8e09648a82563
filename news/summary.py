"""Short summaries made only of whole sentences taken from the story. Pure functions.

Method (extractive, lead-biased, topic-weighted): the text is cleaned of boilerplate (feed
footers, "Read more", bylines, photo credits, share/subscribe lines) and datelines (the prefix
"KYIV, March 3 (Reuters) -" or "MOSCOW, March 18. /TASS/." goes, its sentence stays), split into
sentences with sentencex, and each sentence scored by
- its position (the lead carries the news in most reports),
- the share of the title's tokens it repeats, synonyms folded as in grouping (the title names
  the news, so the sentence that repeats it is the news sentence even when the article opens
  with a scene or a quote), plus a point for each number it shares with the title,
- topic words it contains, and a concrete detail (a number, a weekday or month),
- minus penalties for colour (no title or topic word at all), questions, quotes and fragments.
The best sentence that fits leads; up to two more that fit and share a title or topic word are
added to carry more detail; they are printed in their original order.

Rule for odd inputs: when no whole sentence fits the limit (one endless sentence, text without
punctuation, a title only), the title is used, with a full stop added when it has none (a
headline is a sentence without its stop); only as a last resort is the title (or, without a
title, the text) clipped at a word boundary and marked with "…". The result never exceeds
`limit` characters and holds no word that is not in the story.

Measured on the labelled set (bench/quality.py): all 199 summaries within 280 characters, end
on sentence punctuation and carry no boilerplate; every key fact is carried by 54% of the
long-article summaries (65% of single facts). A fifth of those misses are out of reach of whole
sentences: the fact's sentence alone is longer than 280 characters.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import combinations

import sentencex

from news.grouping import content_tokens
from news.text import clip, fold_whitespace, html_to_text

_LANGUAGE = "en"
_HTML_HINT = re.compile(r"<(?:[a-zA-Z][^>]*|/[a-zA-Z]+\s*)>|&(?:[a-z]+|#\d+);")

_BOILERPLATE_SENTENCE = re.compile(
    r"^(?:the post .{0,300} appeared first on .{0,120}|read more\b.*|continue reading\b.*|"
    r"read the (?:full|whole) (?:story|article)\b.*|click here\b.*|subscribe\b.*|"
    r"sign up\b.*|share this\b.*|share on\b.*|advertisement\.?|related:.*|see also:.*|"
    r"photo(?:graph)?s?(?: credit)?\s*:.*|image(?: credit)?\s*:.*|"
    r"\(?(?:photo|image|picture) by\b.*|follow us\b.*|copyright\b.*|©.*|all rights reserved.*|"
    r"this (?:story|article) (?:was|has been) (?:updated|corrected)\b.*|"
    r"\(?reporting by\b.*|\(?editing by\b.*|\(?writing by\b.*|"
    r"by [A-Z][\w'.-]+(?: [A-Z][\w'.-]+){0,3}(?:,? (?:and|&) [A-Z][\w'.-]+(?: [A-Z][\w'.-]+)"
    r"{0,3})?\.?$)",
    re.IGNORECASE,
)
_INLINE_BOILERPLATE = re.compile(
    r"(?:the post .{0,300}? appeared first on [^.]{0,120}\.|"
    r"\[?…\]?\s*(?:read more|continue reading)\b[^.]*\.?|"
    r"\b(?:read more|continue reading)\s*(?:»|›|→|\.\.\.|…)?\s*$|"
    r"\((?:photo|image|picture) by [^)]*\)|\b(?:getty images|afp via getty images|"
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
)
"""Words one of which every `_INLINE_BOILERPLATE` match contains (a cheap test first)."""
_DATELINE = re.compile(
    r"^\s*(?:[A-Z][A-Z.'-]+(?:[ ,/]+[A-Z][A-Za-z.'-]+){0,3},?\s+)?"
    r"(?:(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:,\s*\d{4})?|\d{1,2}\s+[A-Z][a-z]{2,8}(?:\s+\d{4})?)"
    r"\s*)?(?:\((?:Reuters|AP|AFP|Bloomberg|dpa|Xinhua|Ukrinform|Interfax|TASS|RIA|UNIAN|"
    r"[A-Z][A-Za-z .-]{1,24})\)\s*)?[-–—]+\s+"
)
_AGENCY_DATELINE = re.compile(
    r"^\s*[A-Z][A-Z .'-]{2,40},\s+[A-Z][a-z]{2,9}\.?\s+\d{1,2}(?:,\s*\d{4})?\s*[.:-]?\s*"
    r"(?:/[A-Za-z-]{2,20}/\.?\s*)?(?=\S|$)"
)
_CAPS_DATELINE = re.compile(r"^\s*[A-Z][A-Z .'/-]{2,40}(?:\s*\([^)]{2,30}\))?\s*[-–—:]\s+")
_BYLINE_LEAD = re.compile(
    r"^(?:by [A-Z][\w'.-]+(?: [A-Z][\w'.-]+){0,3}(?:,? (?:and|&) [A-Z][\w'.-]+(?: [A-Z][\w'.-]+)"
    r"{0,3})?\s*(?:[|,·•-]\s*)?(?:\d+ (?:min|minutes) read)?\s*)",
)
_WORD = re.compile(r"[a-z0-9][a-z0-9'-]*")
_DETAIL = re.compile(
    r"\d|\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|"
    r"april|may|june|july|august|september|october|november|december|today|tomorrow|"
    r"yesterday|next week|this week)\b",
    re.IGNORECASE,
)
_DIGIT = re.compile(r"\d")
_CANDIDATES = 8
_READ_SENTENCES = 16
_MAX_SENTENCES = 3
_HEAD_WEIGHT = 6.0
_ENDINGS = '.!?…"”’»)'
_STOP = frozenset(
    str.split(
        "a an the of to in on at for and or but by with from as is are was were be been has "
        "have had it its this that these those he she they we i you his her their our not no "
        "will would could should may might can said says say after over about into than then "
        "also more new"
    )
)
_QUOTE_OPEN = ('"', "“", "‘", "'", "«")


def clean_text(text: str) -> str:
    """Plain text with HTML turned to text and inline boilerplate removed; paragraphs kept."""
    if _HTML_HINT.search(text):
        text = html_to_text(text)
    text = _AGENCY_DATELINE.sub("", text.lstrip(), count=1)
    lowered = text.lower()
    if any(trigger in lowered for trigger in _INLINE_TRIGGERS):
        text = _INLINE_BOILERPLATE.sub(" ", text)
    paragraphs = (fold_whitespace(part) for part in text.split("\n"))
    return "\n".join(part for part in paragraphs if part)


def split_sentences(text: str) -> list[str]:
    """Whole sentences of a cleaned text, boilerplate dropped and datelines stripped."""
    sentences: list[str] = []
    for paragraph in text.split("\n"):
        for raw in sentencex.segment(_LANGUAGE, paragraph):
            sentence = _strip_prefixes(raw.strip())
            if sentence and not _BOILERPLATE_SENTENCE.match(sentence):
                sentences.append(sentence)
    return sentences


def _strip_prefixes(sentence: str) -> str:
    stripped = _BYLINE_LEAD.sub("", sentence, count=1)
    without = _DATELINE.sub("", stripped, count=1)
    if without == stripped:
        without = _CAPS_DATELINE.sub("", stripped, count=1)
    if without != sentence and without and without[0].islower():
        without = without[0].upper() + without[1:]
    return without.strip()


def count_sentences(text: str) -> int:
    """How many real sentences (ending in punctuation, of a few words) the text holds."""
    sentences = split_sentences(clean_text(text))
    return sum(1 for s in sentences if s[-1] in '.!?"”’»)' and len(s.split()) >= 4)


def topic_tokens(terms: Iterable[str]) -> frozenset[str]:
    """The topic's words in the form sentences are compared in."""
    return content_tokens(" ".join(terms))


def _score(
    index: int,
    sentence: str,
    tokens: frozenset[str],
    title_words: frozenset[str],
    topic: frozenset[str],
) -> float:
    score = 1.5 / (1.0 + index * 0.5)
    shared = len(tokens & title_words)
    if title_words:
        score += 4.0 * shared / len(title_words)
    score += 1.0 * sum(1 for token in tokens & title_words if token[0].isdigit())
    on_topic = min(len(tokens & topic), 3)
    score += on_topic * 0.5
    if _DIGIT.search(sentence):
        score += 1.0
    elif _DETAIL.search(sentence):
        score += 0.5
    if not shared and not on_topic:
        score -= 2.0  # a scene or colour, not the news
    if sentence.startswith(_QUOTE_OPEN):
        score -= 1.0
    if sentence.endswith("?"):
        score -= 1.5
    if len(sentence) < 40 or len(tokens) < 4:
        score -= 1.5
    return score


def summarise(title: str, text: str, *, limit: int = 280, topic_terms: Iterable[str] = ()) -> str:
    """At most `limit` characters of whole sentences from `text` (see the module's rule)."""
    title = fold_whitespace(html_to_text(title)) if _HTML_HINT.search(title) else title
    sentences = split_sentences(clean_text(text)) if text else []
    topic = topic_tokens(topic_terms)
    return summarise_sentences(fold_whitespace(title), sentences, limit=limit, topic=topic)


def summarise_sentences(
    title: str, sentences: list[str], *, limit: int, topic: frozenset[str]
) -> str:
    """`summarise` on a plain one-line title and already split sentences; `topic` made by
    `topic_tokens`."""
    title_words = content_tokens(title)
    chosen = _choose(sentences, title_words, topic, title_words | topic, limit)
    if chosen:
        return " ".join(sentences[i] for i in sorted(chosen))
    if title and len(title) < limit and title[-1] not in _ENDINGS:
        return title + "."  # a headline is a sentence without its full stop
    if title and len(title) <= limit:
        return title
    return _clip_words(title or " ".join(sentences), limit)


def _choose(
    sentences: list[str],
    title_words: frozenset[str],
    topic: frozenset[str],
    on_topic: frozenset[str],
    limit: int,
) -> tuple[int, ...]:
    """The indexes of the best-scoring set of up to three sentences that fits the limit.

    Only the eight best sentences are considered; the best one must be on the topic or the
    title; the others must share at least a word with them.
    """
    tokens = {
        i: content_tokens(sentence)
        for i, sentence in enumerate(sentences[:_READ_SENTENCES])
        if len(sentence) <= limit and sentence[-1] in _ENDINGS
    }
    scored = [
        (_score(i, sentences[i], found, title_words, topic), i) for i, found in tokens.items()
    ]
    top = sorted(scored, key=lambda item: (-item[0], item[1]))[:_CANDIDATES]
    best: tuple[float, tuple[int, ...]] = (float("-inf"), ())
    ceiling = (_MAX_SENTENCES - 1) * max(top[0][0], 0.0) if top else 0.0
    for head_score, head in top:
        if _HEAD_WEIGHT * head_score + ceiling < best[0]:
            break  # heads come best first: no later one can win, even with the best fill
        room = limit - len(sentences[head])
        others = [
            (score, i)
            for score, i in top
            if i != head and score > 0 and len(sentences[i]) < room and tokens[i] & on_topic
        ]
        for size in range(_MAX_SENTENCES):
            for group in combinations(others, size):
                length = sum(len(sentences[i]) + 1 for _, i in group)
                total = _HEAD_WEIGHT * head_score + sum(score for score, _ in group)
                if length <= room and total > best[0]:
                    best = (total, (head, *(i for _, i in group)))
    return tuple(sorted(best[1]))


def _clip_words(text: str, limit: int) -> str:
    """The longest whole-word prefix of `text` that fits with "…" (the last resort)."""
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(" ,;:.-–—") if " " in text[:limit] else ""
    return f"{cut}…" if cut and len(cut) < limit else clip(text, limit)
