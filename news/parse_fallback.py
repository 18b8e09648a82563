"""The slow path: feedparser, for documents lxml refuses (malformed XML, odd dialects).

Callers must have removed DOCTYPE internal subsets and entity declarations first (feedparser's
loose parser expands them: a 98 KB "quadratic blowup" took 1.8 GB) and cut the body after the
first few hundred items. feedparser is imported on first use: most cycles never need it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from news.entries import RawEntry
from news.errors import ParseError
from news.parse_xml import is_image, pick_image


@dataclass(frozen=True, slots=True)
class FallbackResult:
    version: str
    """feedparser's name of the format ("rss20", "atom10"...), "" when it saw no feed."""
    raws: list[RawEntry]


def read_with_feedparser(
    body: bytes, headers: Mapping[str, str], url: str, max_entries: int
) -> FallbackResult:
    import feedparser

    try:
        parsed = feedparser.parse(
            body,
            response_headers=dict(headers),
            resolve_relative_uris=False,
            sanitize_html=False,
        )
    except Exception as exc:  # feedparser can fail in many ways on hostile bytes
        name = type(exc).__name__
        raise ParseError(f"not a feed: unreadable even by the lenient parser ({name})") from exc
    entries: list[Any] = list(parsed.get("entries") or [])[:max_entries]
    raws = [_raw_entry(entry, url) for entry in entries]
    return FallbackResult(version=str(parsed.get("version") or ""), raws=raws)


def _raw_entry(feed_entry: Any, url: str) -> RawEntry:
    # A plain dict view: FeedParserDict maps missing keys to others (with a warning).
    entry = dict(feed_entry)
    texts = [_markup(content) for content in entry.get("content") or ()]
    summary = entry.get("summary_detail")
    if summary:
        texts.append(_markup(summary))
    title = entry.get("title_detail")
    author_detail = entry.get("author_detail") or {}
    return RawEntry(
        id=_text(entry.get("id")),
        link=_text(entry.get("link")),
        title=_markup(title) if title else None,
        texts=tuple(text for text in texts if text),
        dates=tuple(d for d in (_text(entry.get("published")), _text(entry.get("updated"))) if d),
        parsed_at=_parsed_at(entry.get("published_parsed") or entry.get("updated_parsed")),
        author=_text(entry.get("author")) or _text(author_detail.get("name")),
        image=_image(entry),
        base=url,
    )


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _markup(detail: Any) -> str:
    """A feedparser text construct as markup: plain text is escaped so it stays literal."""
    value = _text(detail.get("value")) or ""
    if detail.get("type") == "text/plain":
        return value.replace("&", "&amp;").replace("<", "&lt;")
    return value


def _parsed_at(value: Any) -> datetime | None:
    try:
        return datetime(*value[:6]).replace(tzinfo=UTC) if value else None
    except (TypeError, ValueError, OverflowError):
        return None


def _image(entry: Any) -> str | None:
    images: dict[str, str] = {}
    for link in entry.get("links") or ():
        href = _text(link.get("href"))
        if href and link.get("rel") == "enclosure" and is_image(_text(link.get("type")), href):
            images.setdefault("enclosure", href)
    for media in entry.get("media_content") or ():
        media_url = _text(media.get("url"))
        if media_url and (
            media.get("medium") == "image" or is_image(_text(media.get("type")), media_url)
        ):
            images.setdefault("media", media_url)
    for thumbnail in entry.get("media_thumbnail") or ():
        if _text(thumbnail.get("url")):
            images.setdefault("thumbnail", thumbnail["url"])
    itunes = entry.get("image")
    if isinstance(itunes, Mapping) and _text(itunes.get("href")):
        images.setdefault("itunes", itunes["href"])
    return pick_image(images)
