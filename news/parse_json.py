"""JSON Feed 1.0 and 1.1 (https://jsonfeed.org). A field of the wrong type is ignored, item by
item; an item that is not an object is skipped."""

from __future__ import annotations

import json
from typing import Any

from news.entries import RawEntry
from news.errors import ParseError


def read_json(body: bytes, max_entries: int) -> list[RawEntry]:
    try:
        document = json.loads(body)
    except (ValueError, RecursionError) as exc:
        raise ParseError(f"not a feed: invalid JSON ({_first_line(exc)})") from exc
    if not isinstance(document, dict) or not isinstance(document.get("items"), list):
        raise ParseError("not a feed: JSON without a JSON Feed 'items' list")
    raws: list[RawEntry] = []
    for item in document["items"]:
        if len(raws) >= max_entries:
            break
        if isinstance(item, dict):
            raws.append(_raw_entry(item, document))
    return raws


def _first_line(exc: BaseException) -> str:
    return (str(exc).splitlines() or [type(exc).__name__])[0][:120]


def _raw_entry(item: dict[str, Any], document: dict[str, Any]) -> RawEntry:
    texts = (
        _text(item.get("content_html")),
        _escaped(_text(item.get("content_text"))),
        _escaped(_text(item.get("summary"))),
    )
    dates = (_text(item.get("date_published")), _text(item.get("date_modified")))
    return RawEntry(
        id=_identifier(item.get("id")),
        link=_text(item.get("url")) or _text(item.get("external_url")),
        title=_escaped(_text(item.get("title"))),
        texts=tuple(text for text in texts if text),
        dates=tuple(date for date in dates if date),
        author=_author(item) or _author(document),
        image=_image(item),
    )


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _escaped(value: str | None) -> str | None:
    """Plain text made safe to read as HTML, so that it stays literal."""
    return value.replace("&", "&amp;").replace("<", "&lt;") if value else None


def _identifier(value: Any) -> str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return str(value)
    return _text(value)


def _author(holder: dict[str, Any]) -> str | None:
    authors = holder.get("authors")
    candidates = authors if isinstance(authors, list) else [holder.get("author")]
    for author in candidates:
        if isinstance(author, dict) and _text(author.get("name")):
            return _escaped(author["name"])
    return None


def _image(item: dict[str, Any]) -> str | None:
    image = _text(item.get("image")) or _text(item.get("banner_image"))
    if image:
        return image
    attachments = item.get("attachments")
    for attachment in attachments if isinstance(attachments, list) else ():
        if not isinstance(attachment, dict):
            continue
        mime = _text(attachment.get("mime_type")) or ""
        if mime.lower().startswith("image/") and _text(attachment.get("url")):
            return str(attachment["url"])
    return None
