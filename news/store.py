"""The seam between the pipeline and storage: what one check cycle needs from a store.

`storage.SqliteStore` implements it; tests may use the same class on a temporary file.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from news.records import (
    Development,
    Entry,
    FeedSource,
    FeedState,
    FetchedBody,
    FetchFailure,
    Story,
    Verdict,
)


@dataclass(frozen=True, slots=True)
class Judgement:
    """What the judgement steps decided about one new story.

    `development` is the development's state after this story joined it (new or updated), or
    None when the story is not relevant. `is_new_development` is True when this story started it.
    `summary` is this story's own summary (the development keeps its first report's) and
    `notes` say how it was grouped, for `talkwatch triage` and debugging.
    """

    story_id: int
    verdict: Verdict
    development: Development | None
    is_new_development: bool
    summary: str = ""
    notes: tuple[str, ...] = ()


class Store(Protocol):
    def sync_feeds(self, sources: Sequence[FeedSource]) -> list[FeedState]:
        """Make the stored feeds match the feeds file (new ones added, removed ones retired)."""

    def list_feeds(self) -> list[FeedState]: ...

    def due_feeds(self, now: datetime) -> list[FeedState]: ...

    def record_not_modified(self, feed_id: int, now: datetime, next_check_at: datetime) -> None:
        """A 304: only the check time and the next check change."""

    def record_failure(
        self, feed_id: int, failure: FetchFailure, now: datetime, next_check_at: datetime
    ) -> None: ...

    def record_entries(
        self,
        feed_id: int,
        fetched: FetchedBody,
        entries: Sequence[Entry],
        now: datetime,
        next_check_at: datetime,
        baseline_since: datetime,
    ) -> list[Story]:
        """Store unseen entries and the feed's status in one transaction; return the new stories.

        An entry is unseen when neither its (feed, entry id) nor its canonical URL is stored. On a
        feed's first successful check (its baseline) every entry is stored, but only those
        published at or after `baseline_since` are returned as new.
        """

    def save_article_text(self, story_id: int, text: str) -> None:
        """Cache the main text of a story's article page."""

    def recent_developments(self, since: datetime) -> list[Development]:
        """Developments updated at or after `since`, for grouping new stories."""

    def unjudged_stories(self) -> list[Story]:
        """Stored new stories without a verdict yet (this cycle's, plus any left by a crash)."""

    def save_judgements(
        self, judgements: Sequence[Judgement], now: datetime, *, queue_deliveries: bool = True
    ) -> None:
        """Write verdicts and developments; queue a delivery per active subscription for each new
        development, all in one transaction. `queue_deliveries=False` (a dry run) queues none."""
