"""Subscriptions, the outbox rows and digest planning, on real SQLite files."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlite_utils import Database

from handlers import digests
from news.records import Development, Entry, FeedSource, FetchedBody, Verdict
from news.store import Judgement
from storage import deliveries, subscriptions
from storage.developments import save_judgements
from storage.feeds import sync_feeds
from storage.schema import open_database
from storage.stories import record_entries

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
UTC_ZONE = ZoneInfo("UTC")


def subscribe(db: Database, channel: int, mode: subscriptions.Mode = "instant") -> int:
    sub, _ = subscriptions.subscribe(
        db,
        guild_id=1,
        channel_id=channel,
        mode=mode,
        digest_time="08:00",
        role_id=None,
        user_id=7,
        now=NOW,
    )
    return sub.id


def add_development(db: Database, number: int, *, outlets: int = 1, now: datetime = NOW) -> str:
    """Development `dev{number}` reported by one story in each of `outlets` feeds; the first
    report starts it (and queues its outbox rows), the others join it as sources."""
    dev_id = f"dev{number}"
    development = Development(
        dev_id, f"Headline {number}", "Summary.", "http://f0.example/", "proposal", 0.5, now, now
    )
    judgements: list[Judgement] = []
    for feed in sync_feeds(db, _sources(outlets), now):
        entry = Entry(dev_id, f"{feed.url}{dev_id}", "t", "x", now)
        fetched = FetchedBody(200, b"", {}, feed.url, None, None)
        stories = record_entries(db, feed, fetched, [entry], now, now, now - timedelta(days=1))
        for story in stories:
            is_new = not judgements and feed.url == "http://f0.example/"
            judgements.append(Judgement(story.id, Verdict(True, 1.0), development, is_new))
    save_judgements(db, judgements, now)
    return dev_id


def _sources(count: int) -> list[FeedSource]:
    return [FeedSource(f"Outlet {i}", f"http://f{i}.example/") for i in range(count)]


@pytest.fixture
def db(tmp_path: Path) -> Database:
    return open_database(tmp_path / "outbox.db")


def test_subscribe_is_idempotent_and_updates_mode(db: Database) -> None:
    first, created = subscriptions.subscribe(
        db, guild_id=1, channel_id=5, mode="instant", digest_time="08:00", role_id=None,
        user_id=7, now=NOW,
    )  # fmt: skip
    again, created_again = subscriptions.subscribe(
        db, guild_id=1, channel_id=5, mode="daily", digest_time="09:30", role_id=3,
        user_id=7, now=NOW,
    )  # fmt: skip
    assert created and not created_again
    assert again.id == first.id and again.mode == "daily" and again.digest_time == "09:30"
    assert again.role_id == 3
    assert [s.channel_id for s in subscriptions.guild_subscriptions(db, 1)] == [5]


def test_one_row_per_active_subscription_with_distinct_nonces(db: Database) -> None:
    subscribe(db, 10)
    subscribe(db, 11)
    paused = subscribe(db, 12)
    subscriptions.pause_subscription(db, paused, "missing access", NOW)
    add_development(db, 1)
    rows = deliveries.due_posts(db, NOW)
    assert sorted(r.channel_id for r in rows) == [10, 11]
    nonces = {r.nonce for r in rows}
    assert len(nonces) == 2 and all(len(n) <= 25 for n in nonces)


def test_sent_rows_are_not_due_and_retry_waits(db: Database) -> None:
    subscribe(db, 10)
    subscribe(db, 11)
    add_development(db, 1)
    first, second = deliveries.due_posts(db, NOW)
    deliveries.mark_attempt(db, [first.id])
    deliveries.mark_sent(db, [first.id], 999, NOW, 1)
    deliveries.mark_retry(db, [second.id], "Discord error 500", NOW + timedelta(seconds=30))
    assert deliveries.due_posts(db, NOW) == []
    later = deliveries.due_posts(db, NOW + timedelta(seconds=31))
    assert [r.id for r in later] == [second.id] and later[0].last_error == "Discord error 500"
    assert deliveries.count_deliveries(db) == {"pending": 1, "sent": 1, "failed": 0}


def test_paused_channel_keeps_rows_until_subscribed_again(db: Database) -> None:
    sub = subscribe(db, 10)
    add_development(db, 1)
    subscriptions.pause_subscription(db, sub, "Discord refused: missing access", NOW)
    assert deliveries.due_posts(db, NOW) == []
    paused = subscriptions.get_subscription(db, 10)
    assert paused is not None and paused.state == "paused"
    assert paused.paused_reason == "Discord refused: missing access"
    subscribe(db, 10)
    assert len(deliveries.due_posts(db, NOW)) == 1


def test_unsubscribe_removes_rows(db: Database) -> None:
    subscribe(db, 10)
    add_development(db, 1)
    assert subscriptions.unsubscribe(db, 10)
    assert not subscriptions.unsubscribe(db, 10)
    assert deliveries.count_deliveries(db)["pending"] == 0


def test_edit_due_when_development_gains_sources(db: Database) -> None:
    subscribe(db, 10)
    add_development(db, 1)
    (row,) = deliveries.due_posts(db, NOW)
    deliveries.mark_sent(db, [row.id], 555, NOW, 1)
    assert deliveries.edits_due(db, NOW, 300, NOW - timedelta(days=1)) == []
    add_development(db, 1, outlets=3)  # the same development, two more outlets
    (due,) = deliveries.edits_due(db, NOW, 300, NOW - timedelta(days=1))
    deliveries.mark_edited(db, due.id, NOW, 2)
    assert deliveries.edits_due(db, NOW + timedelta(seconds=299), 300, NOW) == []
    assert len(deliveries.edits_due(db, NOW + timedelta(seconds=300), 300, NOW)) == 1
    later = NOW + timedelta(seconds=1)
    assert deliveries.edits_due(db, NOW + timedelta(hours=1), 300, later) == [], "old news"


def test_catchup_batches_a_stale_backlog_once(db: Database) -> None:
    subscribe(db, 10)
    subscribe(db, 11)
    for number in range(5):
        add_development(db, number)
    cutoff = NOW + timedelta(seconds=1)
    assert digests.plan_catchups(db, cutoff, threshold=3) == 2
    assert deliveries.due_posts(db, NOW) == []
    batches = deliveries.due_batches(db, NOW)
    assert len(batches) == 2 and all(len(rows) == 5 for rows in batches.values())
    assert digests.plan_catchups(db, cutoff, threshold=3) == 0
    nonce, rows = next(iter(batches.items()))
    deliveries.mark_sent(db, [r.id for r in rows], 1234, NOW)
    assert nonce not in deliveries.due_batches(db, NOW)


def test_fresh_rows_are_not_a_backlog(db: Database) -> None:
    subscribe(db, 10)
    for number in range(5):
        add_development(db, number)
    assert digests.plan_catchups(db, NOW - timedelta(seconds=60), threshold=3) == 0
    assert len(deliveries.due_posts(db, NOW)) == 5


def test_daily_digest_at_its_time_and_not_on_empty_days(db: Database) -> None:
    daily = subscribe(db, 20, mode="daily")
    add_development(db, 1)
    add_development(db, 2)
    assert deliveries.due_posts(db, NOW) == [], "daily rows wait for the digest"
    early = datetime(2026, 11, 26, 7, 59, tzinfo=UTC)
    assert digests.plan_daily(db, early, UTC_ZONE) == 0
    at_time = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)
    assert digests.plan_daily(db, at_time, UTC_ZONE) == 1
    (rows,) = deliveries.due_batches(db, at_time).values()
    assert len(rows) == 2 and rows[0].batch is not None and rows[0].batch.startswith("dd")
    assert digests.plan_daily(db, at_time + timedelta(hours=1), UTC_ZONE) == 0
    next_day = datetime(2026, 11, 27, 8, 5, tzinfo=UTC)
    assert digests.plan_daily(db, next_day, UTC_ZONE) == 0, "empty day: no digest"
    sub = subscriptions.get_subscription_by_id(db, daily)
    assert sub is not None and sub.last_digest_on == date(2026, 11, 27)


def test_digest_day_in_a_time_zone() -> None:
    kyiv = ZoneInfo("Europe/Kyiv")
    # 06:30 UTC is 08:30 in Kyiv (UTC+2 in November)
    moment = datetime(2026, 11, 26, 6, 30, tzinfo=UTC)
    assert digests.digest_day_due("08:00", None, moment, kyiv) == date(2026, 11, 26)
    assert digests.digest_day_due("09:00", None, moment, kyiv) is None
    assert digests.digest_day_due("08:00", date(2026, 11, 26), moment, kyiv) is None


@pytest.mark.parametrize("text", ["8", "24:00", "12:60", "ab:cd", "1:2:3", ""])
def test_bad_digest_times(text: str) -> None:
    with pytest.raises(ValueError):
        digests.parse_digest_time(text)


def test_was_away() -> None:
    started = NOW
    assert digests.was_away(NOW - timedelta(minutes=5), started, poll_seconds=300) is False
    assert digests.was_away(NOW - timedelta(minutes=11), started, poll_seconds=300) is True
    assert digests.was_away(None, started, poll_seconds=300) is False
