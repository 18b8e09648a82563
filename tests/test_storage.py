"""storage/: dedupe, baseline, feed bookkeeping, sync, judgements and the outbox, on real files."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlite_utils import Database

from news.records import (
    Development,
    Entry,
    FeedSource,
    FetchedBody,
    FetchFailure,
    Source,
    Story,
    Verdict,
)
from news.store import Judgement
from storage import developments as devs
from storage.schema import format_time, open_database
from storage.store import SqliteStore

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
POLL = timedelta(minutes=5)


def _entry(n: int, *, hours_ago: float | None = 1.0, url: str | None = None) -> Entry:
    published = None if hours_ago is None else NOW - timedelta(hours=hours_ago)
    return Entry(
        entry_id=f"id-{n}",
        url=url if url is not None else f"https://example.org/story/{n}",
        title=f"Story {n}",
        text=f"Text of story {n}.",
        published_at=published,
    )


def _body(etag: str | None = '"v1"') -> FetchedBody:
    return FetchedBody(200, b"<rss/>", {}, "https://example.org/feed", etag, None)


def _store(db: Database, *names: str) -> tuple[SqliteStore, list[int]]:
    store = SqliteStore(db, now_fn=lambda: NOW)
    sources = [FeedSource(name, f"https://{name}.example/feed") for name in names]
    feeds = store.sync_feeds(sources)
    return store, [feed.id for feed in feeds]


def _record(
    store: SqliteStore, feed_id: int, entries: list[Entry], now: datetime = NOW
) -> list[Story]:
    return store.record_entries(
        feed_id, _body(), entries, now, now + POLL, baseline_since=now - timedelta(hours=12)
    )


def _story_count(db: Database) -> int:
    return int(next(db.query("SELECT count(*) AS n FROM stories"))["n"])


def test_baseline_stores_everything_and_returns_only_recent_dated_items(db: Database) -> None:
    store, (feed_id,) = _store(db, "a")
    entries = [_entry(1, hours_ago=1), _entry(2, hours_ago=30), _entry(3, hours_ago=None)]
    new = _record(store, feed_id, entries)
    assert [story.entry_id for story in new] == ["id-1"]
    assert _story_count(db) == 3
    assert store.list_feeds()[0].has_baseline
    # after the baseline, an undated item and an old one are new
    later = _record(store, feed_id, [_entry(4, hours_ago=None), _entry(5, hours_ago=300)])
    assert [story.entry_id for story in later] == ["id-4", "id-5"]


def test_a_story_seen_again_is_never_returned_twice(db: Database) -> None:
    store, (feed_id,) = _store(db, "a")
    _record(store, feed_id, [_entry(1)])
    again = _record(store, feed_id, [_entry(1), _entry(1), _entry(2), _entry(2)])
    assert [story.entry_id for story in again] == ["id-2"]
    assert _story_count(db) == 2


def test_dedupe_survives_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "restart.db"
    first = open_database(path)
    store, (feed_id,) = _store(first, "a")
    assert len(_record(store, feed_id, [_entry(1), _entry(2)])) == 2
    first.close()
    reopened = open_database(path)
    store = SqliteStore(reopened, now_fn=lambda: NOW)
    assert _record(store, feed_id, [_entry(1), _entry(2)]) == []
    reopened.close()


def test_same_canonical_url_from_another_feed_is_not_new(db: Database) -> None:
    store, (a, b) = _store(db, "a", "b")
    _record(store, a, [_entry(1, url="https://news.example/x")])
    _record(store, b, [_entry(9, url="https://other.example/only-b")])  # b's baseline
    other = Entry("b-7", "https://news.example/x", "Same story, other outlet", "", NOW)
    assert _record(store, b, [other]) == []
    assert _story_count(db) == 2


def test_items_without_a_link_are_told_apart_by_id(db: Database) -> None:
    store, (feed_id,) = _store(db, "a")
    new = _record(store, feed_id, [_entry(1, url=""), _entry(2, url="")])
    assert len(new) == 2


def test_not_modified_changes_only_the_check_times(db: Database) -> None:
    store, (feed_id,) = _store(db, "a")
    _record(store, feed_id, [_entry(1)])
    before = next(db.query("SELECT * FROM feeds"))
    stories_before = list(db.query("SELECT * FROM stories"))
    later = NOW + timedelta(minutes=5)
    store.record_not_modified(feed_id, later, later + POLL)
    after = next(db.query("SELECT * FROM feeds"))
    changed = {key for key in before if before[key] != after[key]}
    assert changed == {"last_checked_at", "next_check_at", "last_status"}
    assert after["etag"] == '"v1"'
    assert list(db.query("SELECT * FROM stories")) == stories_before


def test_failures_count_up_back_off_and_reset_on_recovery(db: Database) -> None:
    store, (feed_id,) = _store(db, "a")
    store.record_failure(feed_id, FetchFailure("HTTP 500", 500), NOW, NOW + 2 * POLL)
    store.record_failure(feed_id, FetchFailure("HTTP 500", 500), NOW, NOW + 4 * POLL)
    (feed,) = store.list_feeds()
    assert (feed.consecutive_failures, feed.last_status, feed.last_error) == (2, 500, "HTTP 500")
    assert store.due_feeds(NOW + 3 * POLL) == []
    assert [f.id for f in store.due_feeds(NOW + 4 * POLL)] == [feed_id]
    _record(store, feed_id, [_entry(1)], now=NOW + 4 * POLL)
    (feed,) = store.list_feeds()
    assert (feed.consecutive_failures, feed.last_status, feed.last_error) == (0, 200, None)


def test_retry_after_is_kept_until_it_passes(db: Database) -> None:
    store, (feed_id,) = _store(db, "a")
    failure = FetchFailure("HTTP 429", 429, retry_after_seconds=3600)
    store.record_failure(feed_id, failure, NOW, NOW + timedelta(hours=1))
    (feed,) = store.list_feeds()
    assert feed.retry_after_at == NOW + timedelta(hours=1)
    # even a generous slack on the next check does not pass the server's Retry-After
    assert store.due_feeds(NOW + timedelta(minutes=59), slack_seconds=0) == []
    assert len(store.due_feeds(NOW + timedelta(hours=1))) == 1


def test_sync_adds_renames_retires_and_reactivates(db: Database) -> None:
    store, (a, b) = _store(db, "a", "b")
    _record(store, b, [_entry(1)])
    renamed = FeedSource("A renamed", "https://a.example/feed", "Wire")
    active = store.sync_feeds([renamed])
    assert [(f.id, f.name, f.label) for f in active] == [(a, "A renamed", "Wire")]
    assert _story_count(db) == 1  # b's stories are kept
    assert store.due_feeds(NOW) == active
    again = store.sync_feeds([renamed, FeedSource("b", "https://b.example/feed")])
    assert [f.id for f in again] == [a, b]
    assert not again[1].has_baseline  # back after a pause: a new baseline, no flood
    assert _record(store, b, [_entry(1), _entry(2, hours_ago=30)]) == []


def _development(dev_id: str, at: datetime, *, sources: int = 1) -> Development:
    return Development(
        id=dev_id,
        headline=f"Headline {dev_id}",
        summary="Summary.",
        url="https://example.org/story/1",
        kind="proposal",
        importance=0.5,
        first_seen_at=at,
        updated_at=at,
        sources=tuple(Source("a", "https://example.org", "t", at) for _ in range(sources)),
    )


def _subscribe(db: Database, channel_id: int, state: str = "active") -> None:
    db.execute(
        "INSERT INTO subscriptions (channel_id, state, created_at, updated_at) VALUES (?, ?, ?, ?)",
        (channel_id, state, format_time(NOW), format_time(NOW)),
    )


def test_save_judgements_writes_verdicts_developments_sources_and_outbox(db: Database) -> None:
    store, (feed_id,) = _store(db, "a")
    _subscribe(db, 111)
    _subscribe(db, 222)
    _subscribe(db, 333, state="paused")
    s1, s2, s3 = _record(store, feed_id, [_entry(1), _entry(2), _entry(3)])
    assert len(store.unjudged_stories()) == 3
    dev = _development("d1", NOW)
    store.save_judgements(
        [
            Judgement(s1.id, Verdict(True, 0.9, ("title: talks",)), dev, True),
            Judgement(s2.id, Verdict(True, 0.8), dev, False),
            Judgement(s3.id, Verdict(False, 0.1), None, False),
        ],
        NOW,
    )
    assert store.unjudged_stories() == []
    saved = store.get_development("d1")
    assert saved is not None
    assert [source.url for source in saved.sources] == [s1.url, s2.url]
    rows = list(db.query("SELECT channel_id, nonce, state FROM deliveries ORDER BY channel_id"))
    assert [(row["channel_id"], row["state"]) for row in rows] == [
        (111, "pending"),
        (222, "pending"),
    ]
    nonces = [row["nonce"] for row in rows]
    assert len(set(nonces)) == 2 and all(len(nonce) <= 25 for nonce in nonces)
    assert nonces[0] == devs.delivery_nonce("d1", 111)
    counts = store.counts()
    assert (counts.stories, counts.relevant_stories, counts.developments) == (3, 2, 1)


def test_an_update_or_a_dry_run_queues_nothing(db: Database) -> None:
    store, (feed_id,) = _store(db, "a")
    _subscribe(db, 111)
    s1, s2, s3 = _record(store, feed_id, [_entry(1), _entry(2), _entry(3)])
    store.save_judgements([Judgement(s1.id, Verdict(True, 1), _development("d1", NOW), True)], NOW)
    later = NOW + timedelta(hours=1)
    store.save_judgements(
        [Judgement(s2.id, Verdict(True, 1), _development("d1", later), False)], later
    )
    store.save_judgements(
        [Judgement(s3.id, Verdict(True, 1), _development("d2", later), True)],
        later,
        queue_deliveries=False,
    )
    rows = list(db.query("SELECT development_id FROM deliveries"))
    assert [row["development_id"] for row in rows] == ["d1"]
    updated = store.get_development("d1")
    assert updated is not None
    assert (updated.first_seen_at, updated.updated_at, len(updated.sources)) == (NOW, later, 2)


def test_latest_developments_pages_newest_first(db: Database) -> None:
    store, (feed_id,) = _store(db, "a")
    stories = _record(store, feed_id, [_entry(n) for n in range(5)])
    store.save_judgements(
        [
            Judgement(
                story.id, Verdict(True, 1), _development(f"d{n}", NOW + timedelta(hours=n)), True
            )
            for n, story in enumerate(stories)
        ],
        NOW,
    )
    first = store.latest_developments(2)
    assert [d.id for d in first] == ["d4", "d3"]
    assert [d.id for d in store.latest_developments(2, before="d3")] == ["d2", "d1"]
    assert [d.id for d in store.latest_developments(10, offset=3)] == ["d1", "d0"]
    assert len(store.recent_developments(NOW + timedelta(hours=3))) == 2
