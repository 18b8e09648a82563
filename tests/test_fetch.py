"""The fetcher against a real loopback server (tests/feedserver.py)."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import aiohttp
import pytest

from news.fetch import Fetcher, create_session, parse_retry_after
from news.records import FetchedBody, FetchFailure, NotModified
from tests.feedserver import FeedServer

FEED = b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title></channel></rss>'


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with create_session(concurrency=4) as client:
        yield client


def fetcher(session: aiohttp.ClientSession, **overrides: float) -> Fetcher:
    options = {"timeout_seconds": 5.0, "max_body_bytes": 100_000, "concurrency": 4.0}
    options.update(overrides)
    return Fetcher(
        session,
        timeout_seconds=options["timeout_seconds"],
        max_body_bytes=int(options["max_body_bytes"]),
        concurrency=int(options["concurrency"]),
        host_interval_seconds=options.get("host_interval_seconds", 0.0),
    )


async def test_conditional_get_turns_the_second_fetch_into_a_304(
    feed_server: FeedServer, session: aiohttp.ClientSession
) -> None:
    feed_server.set_feed("/feed.xml", FEED)
    client = fetcher(session)
    first = await client.fetch_feed(feed_server.url("/feed.xml"), None, None)
    assert isinstance(first, FetchedBody)
    assert first.body == FEED
    assert first.etag == feed_server.etag("/feed.xml")
    assert first.last_modified == feed_server.last_modified("/feed.xml")
    second = await client.fetch_feed(feed_server.url("/feed.xml"), first.etag, first.last_modified)
    assert isinstance(second, NotModified)
    assert feed_server.statuses("/feed.xml") == [200, 304]
    sent = feed_server.requests("/feed.xml")[1].headers
    assert sent["if-none-match"] == first.etag
    assert sent["if-modified-since"] == first.last_modified
    assert "if-none-match" not in feed_server.requests("/feed.xml")[0].headers


async def test_last_modified_alone_gives_a_304(
    feed_server: FeedServer, session: aiohttp.ClientSession
) -> None:
    feed_server.set_feed("/lm.xml", FEED, etag=False)
    client = fetcher(session)
    first = await client.fetch_feed(feed_server.url("/lm.xml"), None, None)
    assert isinstance(first, FetchedBody) and first.etag is None
    second = await client.fetch_feed(feed_server.url("/lm.xml"), None, first.last_modified)
    assert isinstance(second, NotModified)
    assert feed_server.statuses("/lm.xml") == [200, 304]


async def test_changed_content_is_fetched_again(
    feed_server: FeedServer, session: aiohttp.ClientSession
) -> None:
    feed_server.set_feed("/feed.xml", FEED)
    client = fetcher(session)
    first = await client.fetch_feed(feed_server.url("/feed.xml"), None, None)
    assert isinstance(first, FetchedBody)
    feed_server.set_feed("/feed.xml", FEED.replace(b"<title>T", b"<title>New"))
    second = await client.fetch_feed(feed_server.url("/feed.xml"), first.etag, first.last_modified)
    assert isinstance(second, FetchedBody)
    assert b"New" in second.body and second.etag != first.etag
    assert feed_server.statuses("/feed.xml") == [200, 200]


async def test_user_agent_names_the_bot_and_its_project(
    feed_server: FeedServer, session: aiohttp.ClientSession
) -> None:
    feed_server.set_feed("/feed.xml", FEED)
    await fetcher(session).fetch_feed(feed_server.url("/feed.xml"), None, None)
    agent = feed_server.requests("/feed.xml")[0].headers["user-agent"]
    assert re.fullmatch(r"talkwatch/\S+ \(\+https://github\.com/talkwatch/talkwatch\)", agent)


async def test_gzip_bodies_are_decompressed(
    feed_server: FeedServer, session: aiohttp.ClientSession
) -> None:
    feed_server.set_feed("/gz.xml", FEED * 10, gzip=True)
    outcome = await fetcher(session).fetch_feed(feed_server.url("/gz.xml"), None, None)
    assert isinstance(outcome, FetchedBody)
    assert outcome.body == FEED * 10
    assert outcome.headers["content-encoding"] == "gzip"
    assert "gzip" in feed_server.requests("/gz.xml")[0].headers["accept-encoding"]


async def test_corrupt_gzip_fails_clearly(
    feed_server: FeedServer, session: aiohttp.ClientSession
) -> None:
    headers = {"Content-Type": "application/xml", "Content-Encoding": "gzip"}
    feed_server.set_raw("/bad.gz", b"\x1f\x8b\x08\x00garbage" * 10, headers)
    outcome = await fetcher(session).fetch_feed(feed_server.url("/bad.gz"))
    assert outcome == FetchFailure("the body could not be read (broken compression or transfer)")


async def test_bodies_over_the_cap_fail(
    feed_server: FeedServer, session: aiohttp.ClientSession
) -> None:
    feed_server.set_feed("/big.xml", b"x" * 5_000)
    feed_server.trickle("/big-chunked.xml", b"x" * 5_000, chunk_bytes=1_000, interval_seconds=0)
    client = fetcher(session, max_body_bytes=4_000)
    for path in ("/big.xml", "/big-chunked.xml"):
        outcome = await client.fetch_feed(feed_server.url(path), None, None)
        assert isinstance(outcome, FetchFailure), path
        assert outcome.error == "body larger than 4,000 bytes"


async def test_body_at_the_cap_is_fine(
    feed_server: FeedServer, session: aiohttp.ClientSession
) -> None:
    feed_server.set_feed("/exact.xml", b"x" * 4_000)
    outcome = await fetcher(session, max_body_bytes=4_000).fetch_feed(
        feed_server.url("/exact.xml"), None, None
    )
    assert isinstance(outcome, FetchedBody)


async def test_a_server_that_never_answers_times_out(
    feed_server: FeedServer, session: aiohttp.ClientSession
) -> None:
    feed_server.stall("/never")
    outcome = await fetcher(session, timeout_seconds=0.3).fetch_feed(feed_server.url("/never"))
    assert outcome == FetchFailure("timed out after 0.3 s")
    assert feed_server.hits("/never") == 1


async def test_a_server_that_trickles_times_out(
    feed_server: FeedServer, session: aiohttp.ClientSession
) -> None:
    feed_server.trickle("/slow", b"<rss>" + b" " * 1000, chunk_bytes=5, interval_seconds=0.05)
    outcome = await fetcher(session, timeout_seconds=0.3).fetch_feed(feed_server.url("/slow"))
    assert outcome == FetchFailure("timed out after 0.3 s")


async def test_five_redirects_are_followed(
    feed_server: FeedServer, session: aiohttp.ClientSession
) -> None:
    feed_server.redirect("/r1", "/r2", status=301)
    feed_server.redirect("/r2", "/r3", status=302)
    feed_server.redirect("/r3", "/r4", status=307)
    feed_server.redirect("/r4", "/r5", status=308)
    feed_server.redirect("/r5", "/final.xml", status=303)
    feed_server.set_feed("/final.xml", FEED)
    outcome = await fetcher(session).fetch_feed(feed_server.url("/r1"))
    assert isinstance(outcome, FetchedBody)
    assert outcome.final_url == feed_server.url("/final.xml")
    assert feed_server.total_hits() == 6


@pytest.mark.parametrize("hops", [6, 0])
async def test_long_chains_and_loops_fail(
    feed_server: FeedServer, session: aiohttp.ClientSession, hops: int
) -> None:
    if hops:
        for hop in range(hops):
            feed_server.redirect(f"/hop{hop}", f"/hop{hop + 1}")
        feed_server.set_feed(f"/hop{hops}", FEED)
    else:
        feed_server.redirect("/hop0", "/loop")
        feed_server.redirect("/loop", "/hop0")
    outcome = await fetcher(session).fetch_feed(feed_server.url("/hop0"))
    assert outcome == FetchFailure("too many redirects (more than 5)")
    assert feed_server.total_hits() == 6


@pytest.mark.parametrize(
    ("target", "error"),
    [
        ("file:///etc/passwd", "redirected to a non-HTTP URL (file:///etc/passwd)"),
        ("http://[broken", "redirected to an invalid URL"),
    ],
)
async def test_redirects_to_unusable_urls_fail(
    feed_server: FeedServer, session: aiohttp.ClientSession, target: str, error: str
) -> None:
    feed_server.redirect("/moved", target)
    assert await fetcher(session).fetch_feed(feed_server.url("/moved")) == FetchFailure(error)


async def test_429_retry_after_seconds(
    feed_server: FeedServer, session: aiohttp.ClientSession
) -> None:
    feed_server.set_status("/busy", 429, {"Retry-After": "120"})
    outcome = await fetcher(session).fetch_feed(feed_server.url("/busy"))
    assert outcome == FetchFailure("HTTP 429 Too Many Requests", 429, 120.0)


async def test_503_retry_after_date(
    feed_server: FeedServer, session: aiohttp.ClientSession
) -> None:
    later = datetime.now(UTC) + timedelta(hours=1)
    feed_server.set_status("/down", 503, {"Retry-After": format_datetime(later, usegmt=True)})
    outcome = await fetcher(session).fetch_feed(feed_server.url("/down"))
    assert isinstance(outcome, FetchFailure) and outcome.status == 503
    assert outcome.retry_after_seconds is not None
    assert 3000 < outcome.retry_after_seconds <= 3600


@pytest.mark.parametrize(
    ("status", "error"),
    [(500, "HTTP 500 Internal Server Error"), (404, "HTTP 404 Not Found"), (410, "HTTP 410 Gone")],
)
async def test_error_statuses_fail(
    feed_server: FeedServer, session: aiohttp.ClientSession, status: int, error: str
) -> None:
    feed_server.set_status("/bad", status, body="oops")
    outcome = await fetcher(session).fetch_feed(feed_server.url("/bad"))
    assert outcome == FetchFailure(error, status)


async def test_unknown_paths_are_404_at_the_server(
    feed_server: FeedServer, session: aiohttp.ClientSession
) -> None:
    outcome = await fetcher(session).fetch_feed(feed_server.url("/missing"))
    assert isinstance(outcome, FetchFailure) and outcome.status == 404
    assert feed_server.statuses("/missing") == [404]


async def test_dns_failure(session: aiohttp.ClientSession) -> None:
    outcome = await fetcher(session).fetch_feed("http://no-such-host.invalid/feed.xml")
    assert outcome == FetchFailure("DNS lookup failed for no-such-host.invalid")


async def test_connection_refused(session: aiohttp.ClientSession) -> None:
    async with FeedServer() as closed:
        url = closed.url("/feed.xml")
    outcome = await fetcher(session).fetch_feed(url)
    assert isinstance(outcome, FetchFailure)
    assert outcome.error.startswith("cannot connect to 127.0.0.1:")


async def test_tls_to_a_plain_http_server_fails_clearly(
    feed_server: FeedServer, session: aiohttp.ClientSession
) -> None:
    feed_server.set_feed("/feed.xml", FEED)
    url = feed_server.url("/feed.xml").replace("http://", "https://")
    outcome = await fetcher(session).fetch_feed(url)
    assert isinstance(outcome, FetchFailure)
    assert outcome.error.startswith("TLS error with 127.0.0.1: ")


async def test_oversized_header_fails_without_echoing_it(
    feed_server: FeedServer, session: aiohttp.ClientSession
) -> None:
    feed_server.set_raw("/feed.xml", FEED, {"X-Junk": "j" * 20_000})
    outcome = await fetcher(session).fetch_feed(feed_server.url("/feed.xml"))
    assert isinstance(outcome, FetchFailure)
    assert outcome.error.startswith("bad response: ") and "jjj" not in outcome.error


@pytest.mark.parametrize("url", ["ftp://example.com/feed", "not a url", "http://[broken/", ""])
async def test_unusable_urls_fail_without_raising(session: aiohttp.ClientSession, url: str) -> None:
    outcome = await fetcher(session).fetch_feed(url)
    assert isinstance(outcome, FetchFailure)
    assert outcome.error


async def test_concurrency_is_bounded(
    feed_server: FeedServer, session: aiohttp.ClientSession
) -> None:
    for n in range(4):
        feed_server.stall(f"/stall{n}")
    client = fetcher(session, concurrency=2, timeout_seconds=0.5)
    tasks = [
        asyncio.create_task(client.fetch_feed(feed_server.url(f"/stall{n}"))) for n in range(4)
    ]
    while feed_server.total_hits() < 2:
        await asyncio.sleep(0.01)
    await asyncio.sleep(0.1)
    assert feed_server.total_hits() == 2
    outcomes = await asyncio.gather(*tasks)
    assert all(isinstance(outcome, FetchFailure) for outcome in outcomes)
    assert feed_server.total_hits() == 4


async def test_fetch_page_gets_html_and_refuses_other_types(
    feed_server: FeedServer, session: aiohttp.ClientSession
) -> None:
    feed_server.set_feed("/article", b"<html><p>Text</p></html>", "text/html; charset=utf-8")
    feed_server.set_feed("/doc.pdf", b"%PDF-1.7", "application/pdf")
    client = fetcher(session)
    page = await client.fetch_page(feed_server.url("/article"))
    assert isinstance(page, FetchedBody) and page.body.startswith(b"<html>")
    assert "text/html" in feed_server.requests("/article")[0].headers["accept"]
    assert await client.fetch_page(feed_server.url("/doc.pdf")) == FetchFailure(
        "not a web page (application/pdf)", 200
    )


async def test_fetch_page_paces_requests_to_one_host(
    feed_server: FeedServer, session: aiohttp.ClientSession
) -> None:
    feed_server.set_feed("/a", b"<p>a</p>", "text/html")
    client = fetcher(session, host_interval_seconds=0.2)
    loop = asyncio.get_running_loop()
    started = loop.time()
    await asyncio.gather(*(client.fetch_page(feed_server.url("/a")) for _ in range(3)))
    assert loop.time() - started >= 0.4
    assert feed_server.statuses("/a") == [200, 200, 200]


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("120", 120.0),
        (" 0 ", 0.0),
        ("Wed, 25 Nov 2026 12:10:00 GMT", 600.0),
        ("Wed, 25 Nov 2026 11:00:00 GMT", 0.0),
        ("soon", None),
        ("-5", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_retry_after(value: str | None, seconds: float | None) -> None:
    now = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
    assert parse_retry_after(value, now) == seconds
