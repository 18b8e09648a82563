"""From what a feed format gave us (`RawEntry`, strings as found) to a normalised `Entry`.

Every parser (lxml fast path, feedparser fallback, JSON Feed) fills `RawEntry` the same way and
`normalise_entry` does the rest, so the same item gives the same `Entry` whichever path read it.
Pure: `now` is passed in.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

from news.records import Entry
from news.text import canonical_url, clip, fold_whitespace, html_to_text

TITLE_CHARS = 500
TEXT_CHARS = 50_000
AUTHOR_CHARS = 200
ID_CHARS = 1_000
RAW_TITLE_CHARS = 20_000
"""Raw titles are cut to this before HTML is stripped, so a megabyte title costs little."""
RAW_TEXT_CHARS = 1_000_000

EARLIEST_AT = datetime(1990, 1, 1, tzinfo=UTC)
FUTURE_SLACK = timedelta(days=2)


@dataclass(frozen=True, slots=True)
class RawEntry:
    """One item as a parser found it: raw strings (titles and texts may hold HTML)."""

    id: str | None = None
    link: str | None = None
    title: str | None = None
    texts: tuple[str, ...] = ()
    """Candidate texts (content, summary, description...); the longest wins."""
    dates: tuple[str, ...] = ()
    """Date strings, best first (published before updated)."""
    parsed_at: datetime | None = None
    """A date some library already parsed, used when none of `dates` parses."""
    author: str | None = None
    image: str | None = None
    base: str | None = None
    """The URL relative links resolve against (xml:base or the feed's URL)."""


def normalise_entries(raws: Sequence[RawEntry], url: str, now: datetime) -> list[Entry]:
    """Normalised entries in document order; items with nothing to show are dropped."""
    entries = []
    for raw in raws:
        entry = normalise_entry(raw, url, now)
        if entry is not None:
            entries.append(entry)
    return entries


def normalise_entry(raw: RawEntry, url: str, now: datetime) -> Entry | None:
    base = raw.base or url
    title = clip(fold_whitespace(html_to_text(_head(raw.title, RAW_TITLE_CHARS))), TITLE_CHARS)
    text = clip(html_to_text(_head(_longest(raw.texts), RAW_TEXT_CHARS)), TEXT_CHARS)
    link = canonical_url(raw.link or "", base)
    if not (title or link or text):
        return None
    published_at = _first_date(raw.dates, now) or _sane_date(raw.parsed_at, now)
    raw_id = fold_whitespace(raw.id or "")[:ID_CHARS]
    entry_id = raw_id or link or _hash_id(title, raw.dates, text)
    return Entry(
        entry_id=entry_id,
        url=link,
        title=title or clip(text.split("\n\n", 1)[0], TITLE_CHARS),
        text=text,
        published_at=published_at,
        author=_author(raw.author),
        image_url=canonical_url(raw.image or "", base) or None,
    )


def _head(value: str | None, limit: int) -> str:
    return value[:limit] if value else ""


def _longest(texts: Sequence[str]) -> str:
    best = ""
    for candidate in texts:
        if candidate and len(candidate) > len(best):
            best = candidate
    return best


def _hash_id(title: str, dates: Sequence[str], text: str) -> str:
    seed = "\n".join((title, dates[0] if dates else "", "" if title else text[:2000]))
    return "sha1:" + hashlib.sha1(seed.encode("utf-8", "replace")).hexdigest()


_EMAIL_THEN_NAME = re.compile(r"^\s*\S+@\S+\s*\((.+)\)\s*$")
_NAME_THEN_EMAIL = re.compile(r"^\s*(.+?)\s*\(\s*\S+@\S+\s*\)\s*$")


def _author(value: str | None) -> str | None:
    """The author's name: "desk@x.org (Jane Doe)" and "Jane Doe (desk@x.org)" give "Jane Doe"."""
    if not value:
        return None
    value = value[:RAW_TITLE_CHARS]
    match = _EMAIL_THEN_NAME.match(value) or _NAME_THEN_EMAIL.match(value)
    name = fold_whitespace(html_to_text(match.group(1) if match else value))
    return clip(name, AUTHOR_CHARS) or None


def _first_date(values: Sequence[str], now: datetime) -> datetime | None:
    for value in values:
        parsed = parse_date(value)
        if parsed is not None:
            return _sane_date(parsed, now)
    return None


def _sane_date(value: datetime | None, now: datetime) -> datetime | None:
    """The date, unless it is before 1990 or more than two days after `now`."""
    if value is None or value < EARLIEST_AT or value > now + FUTURE_SLACK:
        return None
    return value


_ISO_Z = re.compile(r"(?<=\d)[zZ]$")


def parse_date(value: str) -> datetime | None:
    """An aware UTC datetime from an RFC 822 or ISO 8601 date, else None. Naive means UTC."""
    text = value.strip()[:100]
    if not text:
        return None
    parsed = _parse_iso(text) if text[:1].isdigit() else None
    if parsed is None:
        parsed = _parse_rfc822(text)
    if parsed is None:
        parsed = _parse_other(text)
    if parsed is None:
        return None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def _parse_iso(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(_ISO_Z.sub("+00:00", text))
    except ValueError:
        return None


def _parse_rfc822(text: str) -> datetime | None:
    try:
        return parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def _parse_other(text: str) -> datetime | None:
    """The many other formats feeds use, through feedparser's date parser (imported lazily)."""
    from feedparser.datetimes import _parse_date

    try:
        parsed = _parse_date(text)
    except (TypeError, ValueError, OverflowError, IndexError):
        return None
    if parsed is None:
        return None
    try:
        return datetime(*parsed[:6]).replace(tzinfo=UTC)
    except (TypeError, ValueError, OverflowError):
        return None
