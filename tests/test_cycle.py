"""news/cycle.py against the loopback feed server and a real SQLite file.

The judge here is a small test double (every story is its own development) so that these tests
are about fetching, storing and counting; the real Judge runs in test_demo and test_cli_check.
"""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator, Sequence
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import pytest_asyncio
from sqlite_utils import Database

from news.article import PageSource
from news.cycle import CycleReport, run_cycle
from news.fetch import Fetcher, create_session
from news.judging import Judge
from news.records import Development, Entry, FeedSource, Source, Story, Verdict
from news.store import Judgement, Store
from settings import Settings
from storage.schema import format_time
from storage.store import SqliteStore
from tests.feedserver import FeedServer
from tests.hostile import install_corpus

POLL = 300
PROJECT = Path(__file__).resolve().parent.parent


class Clock:
    def __init__(self) -> None:
        self.now = datetime.now(UTC).replace(microsecond=0)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


class OwnItemJudge:
    """Every story is relevant and starts its own development."""

    def __init__(self, *, fail: bool = False) -> None:
        self.fail = fail
        self.seen: list[int] = []

    async def judge_new_stories(
        self, stories: Sequence[Story], store: Store, pages: PageSource | None, now: datetime
    ) -> list[Judgement]:
        if self.fail:
            raise RuntimeError("judge bug")
        self.seen += [story.id for story in stories]
        return [
            Judgement(
                story.id,
                Verdict(True, 1.0, ("test",)),
                Development(
                    id=f"dev-{story.id}",
                    headline=story.title,
                    summary=story.text,
                    url=story.url,
                    kind="other",
                    importance=0.5,
                    first_seen_at=now,
                    updated_at=now,
                    sources=(Source(story.outlet, story.url, story.title, story.reported_at),),
                ),
                True,
            )
            for story in stories
        ]


def rss(prefix: str, count: int, now: datetime, *, hours_ago: float = 1.0) -> str:
    items = "".join(
        f"<item><title>{prefix} story {n}</title>"
        f"<link>https://news.example/{prefix}/{n}?utm_source=rss</link>"
        f"<guid isPermaLink='false'>{prefix}-{n}</guid>"
        f"<pubDate>{format_datetime(now - timedelta(hours=hours_ago))}</pubDate>"
        f"<description>Text of {prefix} story {n}. A second sentence.</description></item>"
        for n in range(count)
    )
    channel = f"<channel><title>{prefix}</title>{items}</channel>"
    return f'<?xml version="1.0"?><rss version="2.0">{channel}</rss>'


@pytest_asyncio.fixture
async def fetcher() -> AsyncIterator[Fetcher]:
    session = create_session(concurrency=4)
    yield Fetcher(session, timeout_seconds=1.0, max_body_bytes=1_000_000, concurrency=4)
    await session.close()


def _store(db: Database, server: FeedServer, clock: Clock, *paths: str) -> SqliteStore:
    store = SqliteStore(db, now_fn=clock)
    store.sync_feeds([FeedSource(path.strip("/"), server.url(path)) for path in paths])
    return store


async def _cycle(
    store: SqliteStore, fetcher: Fetcher, judge: OwnItemJudge, clock: Clock, **options: Any
) -> CycleReport:
    return await run_cycle(
        store, fetcher, judge, poll_seconds=POLL, baseline_hours=12, now_fn=clock, **options
    )


async def test_conditional_get_counts_200_then_304_at_the_server(
    db: Database, feed_server: FeedServer, fetcher: Fetcher
) -> None:
    clock = Clock()
    feed_server.set_feed("/a.xml", rss("a", 3, clock.now))
    feed_server.set_feed("/b.xml", rss("b", 2, clock.now))
    store = _store(db, feed_server, clock, "/a.xml", "/b.xml")
    judge = OwnItemJudge()
    first = await _cycle(store, fetcher, judge, clock, force=True)
    assert (len(first.new_stories), len(first.new_developments), first.not_modified) == (5, 5, 0)
    second = await _cycle(store, fetcher, judge, clock, force=True)
    assert (second.feeds_checked, second.not_modified, second.new_stories) == (2, 2, ())
    assert feed_server.statuses("/a.xml") == [200, 304]
    assert feed_server.requests("/a.xml")[-1].headers["if-none-match"] == feed_server.etag("/a.xml")
    # new content: only the new item comes through
    feed_server.set_feed("/a.xml", rss("a", 4, clock.now))
    third = await _cycle(store, fetcher, judge, clock, force=True)
    assert [story.entry_id for story in third.new_stories] == ["a-3"]
    assert len(judge.seen) == len(set(judge.seen)) == 6


async def test_without_force_only_due_feeds_are_fetched(
    db: Database, feed_server: FeedServer, fetcher: Fetcher
) -> None:
    clock = Clock()
    feed_server.set_feed("/a.xml", rss("a", 1, clock.now))
    store = _store(db, feed_server, clock, "/a.xml")
    judge = OwnItemJudge()
    await _cycle(store, fetcher, judge, clock)
    clock.advance(POLL / 2)
    assert (await _cycle(store, fetcher, judge, clock)).feeds_checked == 0
    clock.advance(POLL / 2)
    assert (await _cycle(store, fetcher, judge, clock)).feeds_checked == 1
    assert feed_server.statuses("/a.xml") == [200, 304]


async def test_broken_feeds_never_stop_the_others(
    db: Database, feed_server: FeedServer, fetcher: Fetcher
) -> None:
    clock = Clock()
    feed_server.set_feed("/good.xml", rss("good", 2, clock.now))
    feed_server.set_status("/error.xml", 500)
    feed_server.stall("/stall.xml")
    feed_server.set_feed("/html.xml", "<html><body>Not a feed</body></html>", "text/html")
    feed_server.redirect("/loop1.xml", "/loop2.xml")
    feed_server.redirect("/loop2.xml", "/loop1.xml")
    paths = ("/good.xml", "/error.xml", "/stall.xml", "/html.xml", "/loop1.xml")
    store = _store(db, feed_server, clock, *paths)
    report = await _cycle(store, fetcher, OwnItemJudge(), clock, force=True)
    assert [story.entry_id for story in report.new_stories] == ["good-0", "good-1"]
    assert sorted(problem.name for problem in report.failures) == sorted(
        path.strip("/") for path in paths[1:]
    )
    health = {feed.name: feed for feed in store.feed_health()}
    assert health["good.xml"].consecutive_failures == 0
    for path in paths[1:]:
        feed = health[path.strip("/")]
        assert feed.consecutive_failures == 1 and feed.last_error
        assert feed.next_check_at is not None and feed.next_check_at > clock.now + timedelta(
            seconds=POLL
        )


async def test_a_bug_in_one_feeds_parsing_is_that_feeds_error(
    db: Database, feed_server: FeedServer, fetcher: Fetcher
) -> None:
    clock = Clock()
    feed_server.set_feed("/a.xml", rss("a", 1, clock.now))
    feed_server.set_feed("/b.xml", rss("b", 1, clock.now))
    store = _store(db, feed_server, clock, "/a.xml", "/b.xml")
    from news.parse import parse_feed

    def parse(body: bytes, headers: dict[str, str], url: str, now: datetime) -> list[Entry]:
        if url.endswith("/b.xml"):
            raise ValueError("boom")
        return parse_feed(body, headers, url, now)

    report = await _cycle(store, fetcher, OwnItemJudge(), clock, force=True, parse=parse)
    assert [story.entry_id for story in report.new_stories] == ["a-0"]
    assert [(p.name, "boom" in p.error) for p in report.failures] == [("b.xml", True)]


async def test_retry_after_is_honoured_even_by_a_forced_cycle(
    db: Database, feed_server: FeedServer, fetcher: Fetcher
) -> None:
    clock = Clock()
    feed_server.set_status("/busy.xml", 429, {"Retry-After": "3600"})
    feed_server.set_feed("/ok.xml", rss("ok", 1, clock.now))
    store = _store(db, feed_server, clock, "/busy.xml", "/ok.xml")
    judge = OwnItemJudge()
    first = await _cycle(store, fetcher, judge, clock, force=True)
    assert [problem.name for problem in first.failures] == ["busy.xml"]
    clock.advance(600)
    second = await _cycle(store, fetcher, judge, clock, force=True)
    assert [problem.name for problem in second.skipped] == ["busy.xml"]
    assert "Retry-After" in second.skipped[0].error
    assert feed_server.hits("/busy.xml") == 1
    assert feed_server.hits("/ok.xml") == 2
    clock.advance(3600)
    feed_server.set_feed("/busy.xml", rss("busy", 1, clock.now))
    third = await _cycle(store, fetcher, judge, clock, force=True)
    assert [story.entry_id for story in third.new_stories] == ["busy-0"]


async def test_backoff_then_recovery(
    db: Database, feed_server: FeedServer, fetcher: Fetcher
) -> None:
    clock = Clock()
    feed_server.set_status("/flaky.xml", 503)
    store = _store(db, feed_server, clock, "/flaky.xml")
    judge = OwnItemJudge()
    await _cycle(store, fetcher, judge, clock)
    clock.advance(POLL)  # one poll later: still backing off (2 polls after one failure)
    assert (await _cycle(store, fetcher, judge, clock)).feeds_checked == 0
    clock.advance(POLL)
    assert len((await _cycle(store, fetcher, judge, clock)).failures) == 1
    assert store.feed_health()[0].consecutive_failures == 2
    clock.advance(4 * POLL)
    feed_server.set_feed("/flaky.xml", rss("flaky", 2, clock.now))
    report = await _cycle(store, fetcher, judge, clock)
    assert (len(report.new_stories), report.failures) == (2, ())
    (feed,) = store.feed_health()
    assert (feed.consecutive_failures, feed.last_error, feed.last_status) == (0, None, 200)
    assert feed_server.statuses("/flaky.xml") == [503, 503, 200]


async def test_dry_run_queues_nothing_and_a_failed_judge_retries(
    db: Database, feed_server: FeedServer, fetcher: Fetcher
) -> None:
    clock = Clock()
    stamp = format_time(clock.now)
    db.execute(
        "INSERT INTO subscriptions (channel_id, created_at, updated_at) VALUES (42, ?, ?)",
        (stamp, stamp),
    )
    feed_server.set_feed("/a.xml", rss("a", 1, clock.now))
    store = _store(db, feed_server, clock, "/a.xml")
    failed = await _cycle(store, fetcher, OwnItemJudge(fail=True), clock, force=True)
    assert failed.judge_error and len(failed.new_stories) == 1
    dry = await _cycle(store, fetcher, OwnItemJudge(), clock, force=True, dry_run=True)
    assert dry.new_stories == () and len(dry.new_developments) == 1  # judged late, not lost
    assert list(db.query("SELECT * FROM deliveries")) == []
    feed_server.set_feed("/a.xml", rss("a", 2, clock.now))
    live = await _cycle(store, fetcher, OwnItemJudge(), clock, force=True)
    assert len(live.new_developments) == 1
    rows = list(db.query("SELECT channel_id, state FROM deliveries"))
    assert rows == [{"channel_id": 42, "state": "pending"}]


async def test_progress_reports_every_feed(
    db: Database, feed_server: FeedServer, fetcher: Fetcher
) -> None:
    clock = Clock()
    paths = [f"/f{n}.xml" for n in range(5)]
    for path in paths:
        feed_server.set_feed(path, rss(path.strip("/"), 1, clock.now))
    store = _store(db, feed_server, clock, *paths)
    calls: list[tuple[int, int]] = []
    await _cycle(store, fetcher, OwnItemJudge(), clock, progress=lambda d, t: calls.append((d, t)))
    assert calls == [(n, 5) for n in range(6)]


async def test_a_hostile_corpus_is_recorded_per_feed_and_good_news_still_arrives(
    db: Database, feed_server: FeedServer, settings: Settings
) -> None:
    """The whole cycle (fetch, parse, store and the real Judge) over every hostile case."""
    cap = 5_000_000
    cases = install_corpus(feed_server, cap)
    clock = Clock()
    feed_server.set_feed("/good.xml", rss("good", 3, clock.now))
    store = SqliteStore(db, now_fn=clock)
    sources = [FeedSource(case.name, feed_server.url(case.path)) for case in cases]
    store.sync_feeds([*sources, FeedSource("good", feed_server.url("/good.xml"))])
    judge = Judge.from_settings(
        dataclasses.replace(settings, topic_path=PROJECT / "seeds" / "topic.toml")
    )
    async with create_session(concurrency=16) as session:
        fetcher = Fetcher(session, timeout_seconds=1.0, max_body_bytes=cap, concurrency=16)
        report = await run_cycle(
            store, fetcher, judge, poll_seconds=POLL, baseline_hours=1e6, now_fn=clock, force=True
        )
    assert report.judge_error is None
    assert report.feeds_checked == len(cases) + 1
    assert {"good-0", "good-1", "good-2"} <= {story.entry_id for story in report.new_stories}
    failed = {problem.name for problem in report.failures}
    expected_failures = {case.name for case in cases if case.expect != "parsed"}
    assert failed == expected_failures
    health = {feed.name: feed for feed in store.feed_health()}
    for name in expected_failures:
        assert health[name].consecutive_failures == 1 and health[name].last_error
    assert all("\n" not in (health[name].last_error or "") for name in expected_failures)
