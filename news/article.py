"""The main text of an article page, for stories whose feed gives less than two sentences.

trafilatura does the extraction (no network: the page is fetched by `news.fetch` and handed in).
It is imported on first use, so commands that never fetch pages (triage) do not pay for it.
Pure: HTML in, text out; callers run it in a thread since a big page takes milliseconds.
"""

from __future__ import annotations

import logging
import re

log = logging.getLogger(__name__)

_CHARSET = re.compile(r"charset=[\"']?([\w.:-]+)", re.IGNORECASE)
_MIN_CHARS = 40


def decode_page(body: bytes, content_type: str | None) -> str:
    """The page's text, decoded with the charset its Content-Type names, else UTF-8."""
    found = _CHARSET.search(content_type or "")
    encoding = found.group(1) if found else "utf-8"
    try:
        return body.decode(encoding, errors="replace")
    except LookupError:
        return body.decode("utf-8", errors="replace")


def extract_main_text(html: str, url: str) -> str | None:
    """The article's main text (paragraphs joined by newlines), or None when there is none."""
    if not html.strip():
        return None
    import trafilatura  # heavy import; only when a page is really extracted

    try:
        text = trafilatura.extract(
            html,
            url=url or None,
            fast=True,
            include_comments=False,
            include_tables=False,
            include_images=False,
            include_links=False,
            deduplicate=True,
        )
    except (ValueError, TypeError, AttributeError) as exc:  # malformed markup deep in lxml
        log.warning("cannot extract the article text of %s: %s", url, exc)
        return None
    if not isinstance(text, str) or len(text.strip()) < _MIN_CHARS:
        return None
    return text.strip()
