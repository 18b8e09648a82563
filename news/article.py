"""Article pages, for relevant stories whose feed gives less than two sentences.

`fetch_article_texts` fetches them through a `PageSource` (`news.fetch.Fetcher`, with its
limits and per-host pace), at most a cap per cycle, each within the fetch timeout; any failure
leaves the feed's text in place. trafilatura does the extraction (`extract_main_text`: pure,
HTML in, text out, run in a thread since a big page takes milliseconds); it is imported on first
use, so commands that never fetch pages (triage) do not pay for it.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Sequence
from typing import Protocol

from news.records import FetchedBody, FetchOutcome, Story, Verdict
from news.sentences import count_sentences
from news.store import Store

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


class PageSource(Protocol):
    async def fetch_page(self, url: str) -> FetchOutcome: ...


async def fetch_article_texts(
    stories: Sequence[Story],
    verdicts: Sequence[Verdict],
    store: Store,
    pages: PageSource,
    *,
    cap: int,
    timeout_seconds: float,
) -> dict[int, str]:
    """Main texts (by story id) of the article pages of relevant stories with under two
    sentences, at most `cap` of them; each text is cached with its story in `store`."""
    wanted = [
        story
        for story, verdict in zip(stories, verdicts, strict=True)
        if verdict.relevant and story.url and count_sentences(story.text) < 2
    ][:cap]
    if not wanted:
        return {}
    found = await asyncio.gather(
        *(_fetch_article(story, pages, timeout_seconds) for story in wanted)
    )
    texts: dict[int, str] = {}
    for story, text in zip(wanted, found, strict=True):
        if text:
            store.save_article_text(story.id, text)
            texts[story.id] = text
    return texts


async def _fetch_article(story: Story, pages: PageSource, timeout_seconds: float) -> str | None:
    """The page's main text, or None on any failure (the feed's text is used instead)."""
    try:
        async with asyncio.timeout(timeout_seconds):
            outcome = await pages.fetch_page(story.url)
            if not isinstance(outcome, FetchedBody):
                log.info("article page of story %s not used: %s", story.id, outcome)
                return None
            html = decode_page(outcome.body, outcome.headers.get("content-type"))
            return await asyncio.to_thread(extract_main_text, html, outcome.final_url)
    except TimeoutError:
        log.warning("article page %s took longer than %ss", story.url, timeout_seconds)
    except Exception:  # a page must never stop judging; the feed text stands in
        log.warning("article page %s failed", story.url, exc_info=True)
    return None
