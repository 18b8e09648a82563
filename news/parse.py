"""Feed bytes to normalised entries: RSS 2.0, RSS 1.0/RDF, Atom and JSON Feed.

`parse_feed` is a pure top-level function of plain data, safe to run in a thread or a process
pool. Well-formed XML takes a fast lxml path (`news.parse_xml`); anything lxml refuses is read
by feedparser (`news.parse_fallback`) after the defences below. Both produce `RawEntry`s that
`news.entries` normalises, so one item gives one `Entry` whichever path read it.

Defences against hostile bodies: DOCTYPE internal subsets and every `<!ENTITY` are removed
before any parser sees the bytes (no entity expansion, no external entities, no DTD loading);
null bytes are dropped from 8-bit bodies; at most `max_entries` items are read (the fallback's
input is cut after them) and raw titles and texts are cut before HTML is stripped.
"""

from __future__ import annotations

import codecs
import html.entities
import re
from collections.abc import Mapping
from datetime import datetime

from news.entries import RawEntry, normalise_entries
from news.errors import ParseError
from news.parse_fallback import read_with_feedparser
from news.parse_json import read_json
from news.parse_xml import NotWellFormed, read_xml, root_name
from news.records import Entry

MAX_ENTRIES = 500
MAX_FALLBACK_TAGS = 100_000
"""feedparser spends 10-20 us a tag: a malformed body with more tags than this (after the cut
at `max_entries` items) is refused rather than given seconds of CPU."""

_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_WIDE_START = (b"\x00<", b"<\x00", b"\xff\xfe", b"\xfe\xff")
_DOCTYPE = re.compile(rb"<!DOCTYPE[^\[>]*(?:\[.*?\]\s*)?>", re.IGNORECASE | re.DOTALL)
_ENTITY = re.compile(rb"<!ENTITY", re.IGNORECASE)
_XML_DECL_ENCODING = re.compile(rb"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._:-]+)")
_FIRST_TAG = re.compile(rb"<([A-Za-z][\w:.-]*)")
_LEAD = re.compile(rb"\s*(?:<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>|\s+)*", re.DOTALL | re.IGNORECASE)
_ITEM_START = re.compile(rb"<(?:[\w-]+:)?(?:item|entry)[\s>/]")
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9._:-]+)", re.IGNORECASE)


def parse_feed(
    body: bytes,
    headers: Mapping[str, str],
    url: str,
    now: datetime,
    max_entries: int = MAX_ENTRIES,
) -> list[Entry]:
    """The entries of a feed body, normalised; raises `ParseError` when the body is no feed.

    `headers` are the HTTP response headers (any case; the charset of Content-Type is used when
    the document declares none); `url` the feed's (final) URL, for relative links; `now` the
    check time, for refusing absurd dates. At most `max_entries` entries, in document order.
    """
    raws = read_entries(
        body, {key.lower(): value for key, value in headers.items()}, url, max_entries
    )
    return normalise_entries(raws, url, now)


def read_entries(
    body: bytes, headers: Mapping[str, str], url: str, max_entries: int
) -> list[RawEntry]:
    if not body.strip():
        raise ParseError("not a feed: the body is empty")
    is_wide = body.startswith(_WIDE_START)
    if not is_wide and b"\x00" in body:
        body = body.replace(b"\x00", b"")
    start = _strip_bom(body).lstrip()[:1]
    if start in (b"{", b"["):
        return read_json(_strip_bom(body), max_entries)
    if start != b"<" and not is_wide:
        raise ParseError("not a feed: the body is neither XML nor JSON")
    if _first_tag(body) == b"html":
        raise ParseError("not a feed: the server sent an HTML page")
    return _read_xml_body(_neutralise_dtd(body), headers, url, max_entries)


def _read_xml_body(
    body: bytes, headers: Mapping[str, str], url: str, max_entries: int
) -> list[RawEntry]:
    encoding = _override_encoding(body, headers)
    try:
        raws = read_xml(body, url, max_entries, encoding)
    except NotWellFormed as exc:
        error = str(exc)
        repaired = _repair(body, encoding)
        if repaired is not None:
            try:
                raws = read_xml(repaired, url, max_entries, "utf-8")
            except NotWellFormed:
                raws = None
            if raws is not None:
                return raws
            # feedparser reads the repaired UTF-8 copy: its own encoding handling is what
            # breaks on the bodies that needed repair.
            body, headers = repaired, {**headers, "content-type": _UTF8_XML}
    else:
        if raws is not None:
            return raws
        error = f"unknown document <{root_name(body)}>"
    return _read_with_fallback(body, headers, url, max_entries, error)


_UTF8_XML = "application/xml; charset=utf-8"


def _read_with_fallback(
    body: bytes, headers: Mapping[str, str], url: str, max_entries: int, error: str
) -> list[RawEntry]:
    body = _cut_after_items(body, max_entries)
    if body.count(b"<") > MAX_FALLBACK_TAGS:
        raise ParseError(f"not a feed: malformed XML too big to repair ({error})")
    result = read_with_feedparser(body, headers, url, max_entries)
    if not result.version and not result.raws:
        raise ParseError(f"not a feed: {error or 'unreadable XML'}")
    return result.raws


def _strip_bom(body: bytes) -> bytes:
    for bom in _BOMS:
        if body.startswith(bom):
            return body[len(bom) :]
    return body


def _first_tag(body: bytes) -> bytes:
    head = _strip_bom(body)[:65536]
    lead = _LEAD.match(head)
    match = _FIRST_TAG.match(head, lead.end() if lead else 0)
    return match.group(1).lower() if match else b""


def _neutralise_dtd(body: bytes) -> bytes:
    """Remove DOCTYPE declarations (with any internal subset) and every entity declaration."""
    if b"<!" not in body:
        return body
    body = _DOCTYPE.sub(b"", body, count=1)
    return _ENTITY.sub(b"<!-- -->", body)


def _declared_encoding(body: bytes) -> str | None:
    match = _XML_DECL_ENCODING.match(_strip_bom(body)[:512])
    return match.group(1).decode("ascii") if match else None


def _override_encoding(body: bytes, headers: Mapping[str, str]) -> str | None:
    """The HTTP charset, when the document itself names no encoding (no BOM, no declaration)."""
    if body.startswith(_BOMS) or body.startswith(_WIDE_START) or _declared_encoding(body):
        return None
    match = _CHARSET.search(headers.get("content-type", ""))
    return _known_codec(match.group(1)) if match else None


def _known_codec(name: str) -> str | None:
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _repair(body: bytes, encoding: str | None) -> bytes | None:
    """The body as UTF-8 with the common faults of hand-made feeds fixed, for a second strict
    parse: bytes bad for the encoding (replaced), a wide encoding declared on 8-bit bytes,
    control characters, HTML entities XML does not know (`&nbsp;`) and bare `&`.

    Returns None when none of these applies (the fault is elsewhere).
    """
    if body.startswith(_WIDE_START):
        return None
    codec = _known_codec(encoding or _declared_encoding(body) or "utf-8") or "utf-8"
    changed = codec.startswith(("utf-16", "utf-32"))
    if changed:
        codec = "utf-8"  # a wide encoding declared on 8-bit bytes is a lie
    raw = _strip_bom(body)
    try:
        text = raw.decode(codec)
    except UnicodeDecodeError:
        text = raw.decode(codec, _CP1252_FALLBACK if codec == "utf-8" else "replace")
        changed = True
    fixed = _BAD_XML_CHARS.sub("", text)
    fixed = _BARE_AMPERSAND.sub("&amp;", fixed)
    fixed = _NAMED_ENTITY.sub(_numeric_entity, fixed)
    if not changed and fixed == text:
        return None
    return _XML_DECL_TEXT.sub("", fixed, count=1).encode("utf-8")


_BAD_XML_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_BARE_AMPERSAND = re.compile(r"&(?!#[0-9]{1,7};|#x[0-9a-fA-F]{1,6};|[A-Za-z][A-Za-z0-9]{0,31};)")
_NAMED_ENTITY = re.compile(r"&([A-Za-z][A-Za-z0-9]{0,31});")
_XML_DECL_TEXT = re.compile(r"^\s*<\?xml[^>]*\?>")
_XML_ENTITIES = frozenset({"amp", "lt", "gt", "quot", "apos"})


def _decode_as_cp1252(error: UnicodeError) -> tuple[str, int]:
    """Bytes that are not UTF-8 in a UTF-8 body: most often Windows-1252 (mixed encodings)."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    return error.object[error.start : error.end].decode("cp1252", "replace"), error.end


_CP1252_FALLBACK = "talkwatch-cp1252"
codecs.register_error(_CP1252_FALLBACK, _decode_as_cp1252)


def _numeric_entity(match: re.Match[str]) -> str:
    name = match.group(1)
    if name in _XML_ENTITIES:
        return match.group(0)
    codepoint = html.entities.name2codepoint.get(name)
    return f"&#{codepoint};" if codepoint is not None else match.group(0)


def _cut_after_items(body: bytes, max_entries: int) -> bytes:
    """The body cut where item number `max_entries + 1` starts, so feedparser reads no more."""
    for count, match in enumerate(_ITEM_START.finditer(body)):
        if count == max_entries:
            return body[: match.start()]
    return body
