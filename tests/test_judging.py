"""news.judging: the Judge over a real SqliteStore (file in tmp_path) and, for article pages, a
real fetcher against the loopback server."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
import pytest
from sqlite_utils import Database

from news.fetch import Fetcher, create_session
from news.grouping import decode_signature
from news.judging import Judge, JudgeConfig
from news.records import Entry, FeedSource, FetchedBody, Story
from news.store import Judgement
from news.topic import load_profile
from storage.schema import open_database
from storage.store import SqliteStore
from storage.stories import get_article_text
from tests.feedserver import FeedServer

TOPIC = Path(__file__).resolve().parents[1] / "seeds" / "topic.toml"
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
EARLY = datetime(1990, 1, 1, tzinfo=UTC)
FETCHED = FetchedBody(200, b"", {}, "https://feeds.test/", None, None)

OFFER = (
    "Reuters",
    "Ukraine proposes new round of peace talks with Russia in Istanbul next week - Reuters",
    "Ukraine proposed on Monday to hold a new round of peace talks with Russia in Istanbul next "
    "week, President Volodymyr Zelenskyy said, adding that Kyiv was ready for a ceasefire.",
)
OFFER_AGAIN = (
    "Kyiv Post",
    "Zelenskyy offers Moscow fresh negotiations in Turkey",
    "Kyiv wants another round of negotiations with the Kremlin in Istanbul next week, "
    "Zelenskyy said on Monday, calling on Russia to agree to a ceasefire first.",
)
ANSWER = (
    "TASS",
    "Kremlin says it is studying Kyiv's offer of Istanbul talks",
    "The Kremlin is studying Ukraine's proposal for new peace talks in Istanbul, spokesman "
    "Dmitry Peskov said on Tuesday, adding that no decision on the delegation had been made.",
)
SPORT = (
    "BBC",
    "Ukraine beat Russia-born striker's side in Kyiv friendly",
    "Ukraine won 2-0 in a friendly match in Kyiv on Saturday.",
)


@pytest.fixture
def judge() -> Judge:
    return Judge(load_profile(TOPIC), JudgeConfig(fetch_articles=True, fetch_timeout_seconds=5.0))


@pytest.fixture
def store(db: Database) -> SqliteStore:
    return SqliteStore(db, now_fn=lambda: NOW)


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with create_session(concurrency=4) as client:
        yield client


def add_stories(
    store: SqliteStore,
    reports: Sequence[tuple[str, str, str]],
    start: datetime = NOW,
    urls: Sequence[str] | None = None,
) -> list[Story]:
    """Store each (outlet, title, text) as a new story, an hour apart from `start`."""
    outlets = sorted({outlet for outlet, _, _ in reports})
    kept = [FeedSource(f.name, f.url) for f in store.list_feeds()]
    wanted = [FeedSource(o, f"https://feeds.test/{o.replace(' ', '-')}") for o in outlets]
    feeds = {f.name: f.id for f in store.sync_feeds([*kept, *wanted])}
    stories: list[Story] = []
    for n, (outlet, title, text) in enumerate(reports):
        url = urls[n] if urls else f"https://news.test/{outlet.replace(' ', '-')}/{n}-{title[:12]}"
        entry = Entry(f"{url}#{n}", url, title, text, start + timedelta(hours=n))
        stories += store.record_entries(feeds[outlet], FETCHED, [entry], NOW, NOW, EARLY)
    return stories


async def judge_and_save(
    judge: Judge, store: SqliteStore, stories: Sequence[Story], pages: Fetcher | None = None
) -> list[Judgement]:
    judgements = await judge.judge_new_stories(stories, store, pages, NOW)
    store.save_judgements(judgements, NOW, queue_deliveries=False)
    return judgements


async def test_reports_across_outlets_are_one_development_announced_once(
    judge: Judge, store: SqliteStore
) -> None:
    stories = add_stories(store, [OFFER, OFFER_AGAIN, SPORT])
    first, second, sport = await judge_and_save(judge, store, stories)

    assert first.development is not None and second.development is not None
    assert first.development.id == second.development.id
    assert (first.is_new_development, second.is_new_development) == (True, False)
    assert sport.development is None and not sport.verdict.relevant

    dev = second.development
    assert dev.id.startswith("d-") and len(dev.id) == 12
    assert (
        dev.headline
        == "Ukraine proposes new round of peace talks with Russia in Istanbul next week"
    )
    assert dev.url == stories[0].url
    assert [source.outlet for source in dev.sources] == ["Reuters", "Kyiv Post"]
    assert dev.first_seen_at == stories[0].reported_at
    assert dev.updated_at == stories[1].reported_at
    assert dev.kind == "proposal"
    assert 0.0 < dev.importance <= 1.0
    assert 0 < len(dev.summary) <= 280 and "Istanbul" in dev.summary
    assert decode_signature(dev.signature) is not None
    assert [j.summary != "" for j in (first, second)] == [True, True]


async def test_the_answer_to_an_offer_is_a_new_development(
    judge: Judge, store: SqliteStore
) -> None:
    offer = await judge_and_save(judge, store, add_stories(store, [OFFER]))
    answer = await judge_and_save(
        judge, store, add_stories(store, [ANSWER], start=NOW + timedelta(hours=20))
    )
    assert offer[0].development and answer[0].development
    assert offer[0].development.id != answer[0].development.id
    assert answer[0].is_new_development


async def test_one_batch_and_one_story_at_a_time_give_the_same_developments(
    tmp_path: Path,
) -> None:
    reports = [OFFER, SPORT, OFFER_AGAIN, ANSWER]
    results: list[list[str | None]] = []
    for name, one_by_one in (("batch", False), ("single", True)):
        db = open_database(tmp_path / f"{name}.db")
        store = SqliteStore(db, now_fn=lambda: NOW)
        stories = add_stories(store, reports)
        judgements: list[Judgement] = []
        if one_by_one:  # a fresh Judge each time: nothing is remembered but the store
            for story in stories:
                fresh = Judge(load_profile(TOPIC))
                judgements += await judge_and_save(fresh, store, [story])
        else:
            judgements = await judge_and_save(Judge(load_profile(TOPIC)), store, stories)
        results.append([j.development.id if j.development else None for j in judgements])
        db.close()
    assert results[0] == results[1]
    assert results[0][0] == results[0][2] != results[0][3]


async def test_windows_are_measured_on_the_stories_dates_not_the_clock(
    judge: Judge, store: SqliteStore
) -> None:
    long_ago = datetime(2022, 3, 29, 9, 0, tzinfo=UTC)
    stories = add_stories(store, [OFFER, OFFER_AGAIN], start=long_ago)
    first, second = await judge_and_save(judge, store, stories)
    assert first.development and second.development
    assert first.development.id == second.development.id
    later = add_stories(store, [OFFER_AGAIN], start=long_ago + timedelta(days=5))
    (third,) = await judge_and_save(judge, store, later)
    assert third.development and third.development.id != first.development.id


ARTICLE = (
    "<html><body><nav>Home | World</nav><article><h1>Talks</h1>"
    "<p>Ukraine and Russia agreed in Istanbul on Friday to exchange 1,000 prisoners of war "
    "each, Turkish Foreign Minister Hakan Fidan said after the talks.</p>"
    "<p>The delegations met for less than two hours at the Dolmabahce Palace.</p>"
    "</article><footer>All rights reserved</footer></body></html>"
)
THIN = ("Reuters", "Russia and Ukraine agree prisoner swap at Istanbul peace talks", "")


def fetcher(
    session: aiohttp.ClientSession, timeout: float = 5.0, max_bytes: int = 100_000
) -> Fetcher:
    return Fetcher(session, timeout_seconds=timeout, max_body_bytes=max_bytes, concurrency=4)


async def test_a_thin_story_is_summarised_from_its_article_page_which_is_cached(
    judge: Judge,
    store: SqliteStore,
    db: Database,
    feed_server: FeedServer,
    session: aiohttp.ClientSession,
) -> None:
    feed_server.set_raw("/article", ARTICLE.encode(), {"Content-Type": "text/html; charset=utf-8"})
    stories = add_stories(store, [THIN], urls=[feed_server.url("/article")])
    (judgement,) = await judge_and_save(judge, store, stories, fetcher(session))
    assert feed_server.hits("/article") == 1
    assert judgement.development is not None
    assert "1,000 prisoners of war" in judgement.development.summary
    cached = get_article_text(db, stories[0].id)
    assert cached is not None and "Dolmabahce Palace" in cached


@pytest.mark.parametrize("failure", ["404", "stall", "huge", "not-html"])
async def test_a_failing_page_falls_back_to_the_feed_text_within_the_timeout(
    failure: str,
    store: SqliteStore,
    db: Database,
    feed_server: FeedServer,
    session: aiohttp.ClientSession,
) -> None:
    if failure == "404":
        feed_server.set_status("/page", 404)
    elif failure == "stall":
        feed_server.stall("/page")
    elif failure == "huge":
        huge = ARTICLE.replace("<p>The", "<p>" + "The talks went on. " * 20_000 + "The")
        feed_server.set_raw("/page", huge.encode(), {"Content-Type": "text/html"})
    else:
        feed_server.set_raw("/page", b"\x89PNG\r\n", {"Content-Type": "image/png"})
    judge = Judge(load_profile(TOPIC), JudgeConfig(fetch_timeout_seconds=0.5))
    stories = add_stories(store, [THIN], urls=[feed_server.url("/page")])
    (judgement,) = await judge_and_save(judge, store, stories, fetcher(session, timeout=30.0))
    assert judgement.development is not None
    assert judgement.development.summary == THIN[1] + "."
    assert get_article_text(db, stories[0].id) is None


async def test_page_fetches_are_capped_per_cycle_and_can_be_turned_off(
    store: SqliteStore, feed_server: FeedServer, session: aiohttp.ClientSession
) -> None:
    feed_server.set_raw("/a", ARTICLE.encode(), {"Content-Type": "text/html"})
    thin = [(f"Outlet {n}", THIN[1], "") for n in range(4)]
    capped = Judge(load_profile(TOPIC), JudgeConfig(article_fetches_per_cycle=2))
    urls = [feed_server.url(f"/a?n={n}") for n in range(4)]
    await judge_and_save(capped, store, add_stories(store, thin, urls=urls), fetcher(session))
    assert feed_server.hits("/a") == 2

    feed_server.reset_counts()
    off = Judge(load_profile(TOPIC), JudgeConfig(fetch_articles=False))
    urls = [feed_server.url(f"/a?m={n}") for n in range(4)]
    await judge_and_save(off, store, add_stories(store, thin, urls=urls), fetcher(session))
    assert feed_server.hits("/a") == 0


async def test_stories_with_enough_text_are_not_fetched(
    judge: Judge, store: SqliteStore, feed_server: FeedServer, session: aiohttp.ClientSession
) -> None:
    feed_server.set_raw("/full", ARTICLE.encode(), {"Content-Type": "text/html"})
    two_sentences = (OFFER[0], OFFER[1], OFFER[2] + " The Kremlin did not comment at once.")
    stories = add_stories(store, [two_sentences], urls=[feed_server.url("/full")])
    await judge_and_save(judge, store, stories, fetcher(session))
    assert feed_server.hits("/full") == 0
