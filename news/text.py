"""Plain text and canonical URLs from what feeds hand us. Pure functions; none raises on garbage.

`html_to_text` uses lxml's forgiving HTML parser (about twice as fast as a chain of regular
expressions on feed snippets); control characters are removed first, since lxml refuses them.
"""

from __future__ import annotations

import html
import re
from urllib.parse import unquote_plus, urljoin, urlsplit

from lxml import etree

_HTML_PARSER = etree.HTMLParser(
    remove_comments=True, remove_pis=True, no_network=True, recover=True, default_doctype=False
)
_DROPPED_TAGS = (
    "script",
    "style",
    "noscript",
    "template",
    "iframe",
    "svg",
    "math",
    "head",
    "title",
    "figcaption",
)
_BLOCK_TAGS = (
    *("p", "div", "br", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6"),
    *("tr", "td", "th", "table", "blockquote", "section", "article", "header", "footer", "aside"),
    *("nav", "pre", "hr", "figure", "address", "main", "form", "details", "summary"),
)
_BREAK = "\u2029"
"""Marks a paragraph break while the tree is flattened (a Unicode paragraph separator)."""
_ANY_TAG = re.compile(r"</?[a-zA-Z][^>]*>|<![^>]*>|<\?[^>]*>")
_CONTROL = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200d\u2028\ud800-\udfff\ufeff\ufffe\uffff]"
)
"""Invisible or invalid characters (controls, zero-width, lone surrogates) removed from text."""

ELLIPSIS = "…"


def fold_whitespace(text: str) -> str:
    """Every run of whitespace (and invisible control characters) becomes one space; trimmed."""
    return " ".join(_CONTROL.sub(" ", text).split())


def html_to_text(markup: str) -> str:
    """Readable plain text from an HTML fragment or page.

    Tags are removed, entities decoded, script/style/comments dropped, and block elements
    (paragraphs, line breaks, list items, headings...) become paragraph breaks: paragraphs are
    joined by a blank line ("\\n\\n"), whitespace inside each is folded to single spaces.
    """
    if not markup:
        return ""
    text = _CONTROL.sub(" ", markup)
    if "<" not in text:
        return _join_paragraphs(html.unescape(text).split("\n\n"))
    try:
        flat = _flatten_html(text)
    except (ValueError, etree.LxmlError):
        flat = html.unescape(_ANY_TAG.sub(" ", text))
    return _join_paragraphs(flat.split(_BREAK))


def _flatten_html(text: str) -> str:
    root = etree.fromstring(text, _HTML_PARSER)
    if root is None:
        return ""
    etree.strip_elements(root, *_DROPPED_TAGS, with_tail=False)
    for element in root.iter(_BLOCK_TAGS):
        element.text = _BREAK + element.text if element.text else _BREAK
        element.tail = _BREAK + element.tail if element.tail else _BREAK
    flat: str = etree.tostring(root, method="text", encoding=str)
    return flat


def _join_paragraphs(parts: list[str]) -> str:
    folded = (" ".join(part.split()) for part in parts)
    return "\n\n".join(part for part in folded if part)


def plain_line(markup: str) -> str:
    """A one-line plain text (titles, names): HTML removed, everything folded to one line."""
    return fold_whitespace(html_to_text(markup))


def clip(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters, at a word boundary when one is near, with "…"."""
    if limit <= 0:
        return ""
    if len(text) <= limit:
        return text
    if limit == 1:
        return ELLIPSIS
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space >= (limit * 4) // 5:
        cut = cut[:space]
    return cut.rstrip(" ,;:.-–—") + ELLIPSIS


_TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "gclsrc",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "yclid",
        "mc_cid",
        "mc_eid",
        "ocid",
        "cmpid",
        "cmp",
        "ref",
        "ref_src",
        "ref_url",
        "igshid",
        "_ga",
        "_gl",
        "smid",
        "smtyp",
        "mkt_tok",
        "oly_anon_id",
        "oly_enc_id",
        "vero_id",
        "__twitter_impression",
        "xtor",
        "soc_src",
        "soc_trk",
    }
)
_TRACKING_PREFIXES = ("utm_", "at_", "pk_", "hsa_", "mtm_")
_DEFAULT_PORTS = {"http": 80, "https": 443}
_URL_JUNK = re.compile(r"[\x00-\x20\x7f\ud800-\udfff]")


def is_tracking_param(name: str) -> bool:
    lowered = name.lower()
    return lowered in _TRACKING_PARAMS or lowered.startswith(_TRACKING_PREFIXES)


def canonical_url(url: str, base: str | None = None) -> str:
    """An absolute http(s) URL in one canonical spelling, or "" when there is none.

    Relative URLs are resolved against `base`; scheme and host are lower-cased, the default
    port, the fragment, user info and tracking parameters (utm_*, fbclid, gclid, ref...)
    removed; an empty path becomes "/". Anything that is not http(s) gives "".
    """
    raw = _URL_JUNK.sub("", url or "")
    if not raw:
        return ""
    simple = _SIMPLE_URL.fullmatch(raw)
    if simple is not None:
        scheme, host, path, query = simple.groups()
        return _join_url(scheme, host, path or "/", _strip_tracking(query or ""))
    try:
        if base:
            raw = urljoin(_URL_JUNK.sub("", base), raw)
        parts = urlsplit(raw)
        scheme = parts.scheme.lower()
        host = (parts.hostname or "").rstrip(".")
        port = parts.port
    except ValueError:
        return ""
    if scheme not in _DEFAULT_PORTS or not host:
        return ""
    netloc = f"[{host}]" if ":" in host else host
    if port is not None and port != _DEFAULT_PORTS[scheme]:
        netloc = f"{netloc}:{port}"
    return _join_url(scheme, netloc, parts.path or "/", _strip_tracking(parts.query))


_SIMPLE_URL = re.compile(
    r"(https?)://([a-z0-9](?:[a-z0-9.-]*[a-z0-9])?)(/[^?#]*)?(?:\?([^#]*))?(?:#.*)?",
    re.DOTALL,
)
"""An absolute URL already in canonical form but for its query and fragment (the common case)."""


def _join_url(scheme: str, netloc: str, path: str, query: str) -> str:
    return f"{scheme}://{netloc}{path}?{query}" if query else f"{scheme}://{netloc}{path}"


def _strip_tracking(query: str) -> str:
    """The query without tracking parameters; the others keep their order and spelling."""
    if not query:
        return ""
    kept = [
        pair
        for pair in query.split("&")
        if pair and not is_tracking_param(unquote_plus(pair.split("=", 1)[0]))
    ]
    return "&".join(kept)
