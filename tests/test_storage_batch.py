"""Storing entries of several feeds in one transaction (the path `talkwatch triage` uses)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlite_utils import Database

from news.records import Entry, FeedSource, FetchedBody
from storage.store import SqliteStore

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
LATER = NOW + timedelta(minutes=5)
BODY = FetchedBody(200, b"<rss/>", {}, "https://example.org/feed", '"v2"', None)


def _entry(n: int, url: str | None = None) -> Entry:
    return Entry(
        entry_id=f"id-{n}",
        url=url if url is not None else f"https://example.org/story/{n}",
        title=f"Story {n}",
        text=f"Text of story {n}.",
        published_at=NOW - timedelta(hours=1),
    )


def _feeds(db: Database) -> tuple[SqliteStore, int, int]:
    store = SqliteStore(db, now_fn=lambda: NOW)
    a, b = store.sync_feeds(
        [FeedSource("a", "https://a.example/f"), FeedSource("b", "https://b.example/f")]
    )
    for feed in (a, b):  # take the baselines, so every later entry is new
        store.record_entries(feed.id, BODY, [], NOW, LATER, NOW)
    return store, a.id, b.id


def test_entries_of_several_feeds_are_stored_in_the_given_order(db: Database) -> None:
    store, a, b = _feeds(db)
    items = [(b, _entry(1)), (a, _entry(2)), (b, _entry(3))]
    new = store.record_entries_of_feeds(items, BODY, NOW, LATER, NOW)
    assert [(story.feed_id, story.entry_id, story.outlet) for story in new] == [
        (b, "id-1", "b"),
        (a, "id-2", "a"),
        (b, "id-3", "b"),
    ]
    assert [story.id for story in new] == sorted(story.id for story in new)
    assert all(feed.etag == '"v2"' and feed.has_baseline for feed in store.list_feeds())


def test_seen_entries_are_left_out_as_with_one_feed(db: Database) -> None:
    store, a, b = _feeds(db)
    store.record_entries(a, BODY, [_entry(1)], NOW, LATER, NOW)
    items = [(a, _entry(1)), (b, _entry(2, url="https://example.org/story/1")), (b, _entry(3))]
    new = store.record_entries_of_feeds(items, BODY, NOW, LATER, NOW)
    assert [story.entry_id for story in new] == ["id-3"]
    assert int(next(db.query("SELECT count(*) AS n FROM stories"))["n"]) == 2
