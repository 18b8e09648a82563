"""`SqliteStore`: the `news.store.Store` protocol over one sqlite-utils database.

Thin: each method calls the matching function in `storage.feeds`, `storage.stories` or
`storage.developments`. Used only on the event loop's thread.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from sqlite_utils import Database

from news.records import (
    Development,
    Entry,
    FeedSource,
    FeedState,
    FetchedBody,
    FetchFailure,
    Story,
)
from news.store import Judgement
from storage import developments, feeds, stories


def _utc_now() -> datetime:
    return datetime.now(UTC)


class SqliteStore:
    """The pipeline's store. `now_fn` stamps feeds added by `sync_feeds`."""

    def __init__(self, db: Database, now_fn: Callable[[], datetime] | None = None) -> None:
        self.db = db
        self._now_fn = now_fn or _utc_now

    def sync_feeds(self, sources: Sequence[FeedSource]) -> list[FeedState]:
        return feeds.sync_feeds(self.db, sources, self._now_fn())

    def list_feeds(self) -> list[FeedState]:
        return feeds.list_feeds(self.db, with_counts=False)

    def due_feeds(self, now: datetime, slack_seconds: float = 0.0) -> list[FeedState]:
        return feeds.due_feeds(self.db, now, slack_seconds)

    def record_not_modified(self, feed_id: int, now: datetime, next_check_at: datetime) -> None:
        feeds.record_not_modified(self.db, feed_id, now, next_check_at)

    def record_failure(
        self, feed_id: int, failure: FetchFailure, now: datetime, next_check_at: datetime
    ) -> None:
        feeds.record_failure(self.db, feed_id, failure, now, next_check_at)

    def record_entries(
        self,
        feed_id: int,
        fetched: FetchedBody,
        entries: Sequence[Entry],
        now: datetime,
        next_check_at: datetime,
        baseline_since: datetime,
    ) -> list[Story]:
        feed = feeds.get_feed(self.db, feed_id)
        if feed is None:
            raise KeyError(f"no feed with id {feed_id}")
        return stories.record_entries(
            self.db, feed, fetched, entries, now, next_check_at, baseline_since
        )

    def record_entries_of_feeds(
        self,
        items: Sequence[tuple[int, Entry]],
        fetched: FetchedBody,
        now: datetime,
        next_check_at: datetime,
        baseline_since: datetime,
    ) -> list[Story]:
        """`record_entries` for (feed id, entry) pairs of several feeds, in one transaction and
        in the given order; each feed's success is recorded once."""
        states: dict[int, FeedState] = {}
        for feed_id, _ in items:
            if feed_id not in states:
                feed = feeds.get_feed(self.db, feed_id)
                if feed is None:
                    raise KeyError(f"no feed with id {feed_id}")
                states[feed_id] = feed
        pairs = [(states[feed_id], entry) for feed_id, entry in items]
        return stories.record_entries_of_feeds(
            self.db, pairs, fetched, now, next_check_at, baseline_since
        )

    def save_article_text(self, story_id: int, text: str) -> None:
        stories.save_article_text(self.db, story_id, text)

    def recent_developments(self, since: datetime) -> list[Development]:
        return developments.recent_developments(self.db, since)

    def unjudged_stories(self) -> list[Story]:
        return stories.unjudged_stories(self.db)

    def save_judgements(
        self, judgements: Sequence[Judgement], now: datetime, *, queue_deliveries: bool = True
    ) -> None:
        developments.save_judgements(self.db, judgements, now, queue_deliveries=queue_deliveries)

    # -- reads for the Discord side and `/status` --------------------------------------------

    def feed_health(self) -> list[FeedState]:
        """Active feeds with their status and story counts."""
        return feeds.list_feeds(self.db, with_counts=True)

    def latest_developments(
        self, limit: int, before: str | None = None, offset: int = 0
    ) -> list[Development]:
        return developments.latest_developments(self.db, limit, before, offset)

    def get_development(self, development_id: str) -> Development | None:
        return developments.get_development(self.db, development_id)

    def counts(self) -> stories.Counts:
        return stories.count_records(self.db)
