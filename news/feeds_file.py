"""The operator's feeds file: TOML, one `[[feeds]]` table per feed.

    [[feeds]]
    name = "Kyiv Independent"
    url = "https://kyivindependent.com/feed/"
    label = "Ukrainian media"      # optional

`load_feeds` refuses a bad file with `FeedsFileError`, whose one-line message names the file,
the line (for TOML syntax errors) or the feed (its number and name), and the problem.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from news.errors import FeedsFileError
from news.records import FeedSource

_KEYS = {"name", "url", "label"}
_MAX_NAME_CHARS = 100


def load_feeds(path: Path | str) -> list[FeedSource]:
    """Read and check the feeds file at `path`."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise FeedsFileError(f"{path}: feeds file not found") from None
    except UnicodeDecodeError:
        raise FeedsFileError(f"{path}: not UTF-8 text") from None
    except OSError as exc:
        raise FeedsFileError(f"{path}: cannot be read ({exc.strerror})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise FeedsFileError(f"{path}: not valid TOML: {exc}") from exc
    return parse_feeds(data, str(path))


def parse_feeds(data: dict[str, Any], where: str) -> list[FeedSource]:
    """Check parsed TOML; `where` names the file in messages."""
    extra = sorted(set(data) - {"feeds"})
    if extra:
        raise FeedsFileError(f"{where}: unknown top-level key {extra[0]!r} (expected [[feeds]])")
    tables = data.get("feeds")
    if tables is None:
        raise FeedsFileError(f"{where}: no feeds (add [[feeds]] tables with name and url)")
    if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
        raise FeedsFileError(f"{where}: 'feeds' must be [[feeds]] tables")
    if not tables:
        raise FeedsFileError(f"{where}: no feeds (add [[feeds]] tables with name and url)")
    sources: list[FeedSource] = []
    seen: dict[str, str] = {}
    for number, table in enumerate(tables, start=1):
        source = _parse_feed(table, f"{where}: feed #{number}")
        key = canonical_feed_url(source.url)
        if key in seen:
            raise FeedsFileError(
                f"{where}: feed #{number} ({source.name!r}) repeats the URL of {seen[key]}"
            )
        seen[key] = f"feed #{number} ({source.name!r})"
        sources.append(source)
    return sources


def _parse_feed(table: dict[str, Any], where: str) -> FeedSource:
    name = table.get("name")
    if isinstance(name, str) and name.strip():
        where = f"{where} ({name.strip()!r})"
    unknown = sorted(set(table) - _KEYS)
    if unknown:
        raise FeedsFileError(f"{where}: unknown key {unknown[0]!r} (known: label, name, url)")
    for key in ("name", "url"):
        if key not in table:
            raise FeedsFileError(f"{where}: missing {key}")
    for key in _KEYS & set(table):
        if not isinstance(table[key], str):
            raise FeedsFileError(f"{where}: {key} must be a string")
    if not table["name"].strip():
        raise FeedsFileError(f"{where}: name must not be empty")
    if len(table["name"]) > _MAX_NAME_CHARS:
        raise FeedsFileError(f"{where}: name longer than {_MAX_NAME_CHARS} characters")
    url = table["url"].strip()
    problem = url_problem(url)
    if problem:
        raise FeedsFileError(f"{where}: url {url!r} {problem}")
    label = table.get("label")
    label = label.strip() or None if isinstance(label, str) else None
    return FeedSource(name=table["name"].strip(), url=url, label=label)


def url_problem(url: str) -> str | None:
    """Why `url` cannot be a feed URL, or None when it can."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        return "is not a valid URL"
    if parts.scheme.lower() not in {"http", "https"}:
        return "is not an http(s) URL"
    if not parts.hostname:
        return "has no host"
    if any(char.isspace() for char in url):
        return "contains spaces"
    return None


def canonical_feed_url(url: str) -> str:
    """The form two feed URLs are compared in: http and https alike, host lower-cased, default
    port and fragment dropped, an empty path as '/'."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    port = parts.port
    if port is not None and (scheme, port) not in {("http", 80), ("https", 443)}:
        host = f"{host}:{port}"
    return urlunsplit(("http", host, parts.path or "/", parts.query, ""))
