"""The hostile-feed corpus (tests/hostile.py) served on loopback, fetched and parsed for real.

Every case ends as a FetchFailure or ParseError with a clear one-line message, or as entries
that respect every cap; nothing leaks a local file or fetches a DTD.
"""

from __future__ import annotations

import asyncio
import dataclasses
import random
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import pytest_asyncio

from news.entries import AUTHOR_CHARS, TEXT_CHARS, TITLE_CHARS
from news.errors import ParseError
from news.fetch import Fetcher, create_session
from news.parse import parse_feed
from news.records import Entry, FetchedBody, FetchFailure
from tests.feedserver import FeedServer
from tests.hostile import SECRET_MARKER, HostileCase, install_corpus, rss_items

CAP = 5_000_000
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)

Outcome = FetchFailure | ParseError | list[Entry]


@dataclasses.dataclass(frozen=True)
class Corpus:
    server: FeedServer
    cases: list[HostileCase]
    outcomes: dict[str, Outcome]


async def ingest(fetcher: Fetcher, url: str) -> Outcome:
    fetched = await fetcher.fetch_feed(url, None, None)
    if not isinstance(fetched, FetchedBody):
        assert isinstance(fetched, FetchFailure)
        return fetched
    try:
        return await asyncio.to_thread(
            parse_feed, fetched.body, fetched.headers, fetched.final_url, NOW
        )
    except ParseError as exc:
        return exc


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def corpus() -> AsyncIterator[Corpus]:
    async with FeedServer() as server:
        cases = install_corpus(server, CAP)
        server.set_feed("/good.xml", rss_items(3))
        async with create_session(concurrency=16) as session:
            fetcher = Fetcher(session, timeout_seconds=1.0, max_body_bytes=CAP, concurrency=16)
            urls = [server.url(case.path) for case in cases] + [server.url("/good.xml")]
            results = await asyncio.gather(*(ingest(fetcher, url) for url in urls))
        outcomes = {case.name: result for case, result in zip(cases, results, strict=False)}
        outcomes["good.xml"] = results[-1]
        yield Corpus(server, cases, outcomes)


def kind_of(outcome: Outcome) -> str:
    if isinstance(outcome, FetchFailure):
        return "failure"
    if isinstance(outcome, ParseError):
        return "parse_error"
    return "parsed"


def describe(outcome: Outcome) -> str:
    if isinstance(outcome, FetchFailure):
        return f"FetchFailure({outcome.error})"
    if isinstance(outcome, ParseError):
        return f"ParseError({outcome})"
    return f"{len(outcome)} entries"


def test_the_corpus_has_dozens_of_cases(corpus: Corpus) -> None:
    assert len(corpus.cases) >= 30


def test_every_case_ends_as_expected(corpus: Corpus) -> None:
    wrong = [
        f"{case.name} ({case.note}): expected {case.expect}, got {describe(outcome)}"
        for case in corpus.cases
        if kind_of(outcome := corpus.outcomes[case.name]) != case.expect
    ]
    assert wrong == []


def test_errors_are_one_clear_line(corpus: Corpus) -> None:
    for name, outcome in corpus.outcomes.items():
        if isinstance(outcome, list):
            continue
        message = outcome.error if isinstance(outcome, FetchFailure) else str(outcome)
        assert message and "\n" not in message and len(message) <= 300, name
        if isinstance(outcome, ParseError):
            assert message.startswith("not a feed: "), name


def test_parsed_entries_respect_every_cap(corpus: Corpus) -> None:
    for name, outcome in corpus.outcomes.items():
        for entry in outcome if isinstance(outcome, list) else ():
            assert entry.entry_id and len(entry.entry_id) <= 1000, name
            assert len(entry.title) <= TITLE_CHARS, name
            assert len(entry.text) <= TEXT_CHARS, name
            assert entry.author is None or len(entry.author) <= AUTHOR_CHARS, name
            assert entry.url == "" or entry.url.startswith(("http://", "https://")), name
            if entry.published_at is not None:
                assert datetime(1990, 1, 1, tzinfo=UTC) <= entry.published_at, name
                assert entry.published_at <= NOW + timedelta(days=2), name
            assert "\x00" not in entry.title + entry.text, name


def test_no_local_file_or_network_entity_leaks(corpus: Corpus) -> None:
    for name, outcome in corpus.outcomes.items():
        for entry in outcome if isinstance(outcome, list) else ():
            fields = " ".join(str(value) for value in dataclasses.astuple(entry))
            assert SECRET_MARKER not in fields, name
            assert "LEAKED" not in fields, name
            assert "lollollol" not in fields, name
    assert corpus.server.hits("/hostile-evil.dtd") == 0


def entries(corpus: Corpus, name: str) -> list[Entry]:
    outcome = corpus.outcomes[name]
    assert isinstance(outcome, list), describe(outcome)
    return outcome


def test_good_feed_beside_the_corpus_comes_through(corpus: Corpus) -> None:
    assert [entry.title for entry in entries(corpus, "good.xml")] == [
        "Story 0",
        "Story 1",
        "Story 2",
    ]


def test_tens_of_thousands_of_items_are_cut_to_the_first_500(corpus: Corpus) -> None:
    items = entries(corpus, "many-items.xml")
    assert len(items) == 500
    assert (items[0].entry_id, items[-1].entry_id) == ("h-0", "h-499")


def test_megabyte_title_is_clipped(corpus: Corpus) -> None:
    (entry,) = entries(corpus, "huge-title.xml")
    assert entry.title.startswith("talks talks") and entry.title.endswith("…")


def test_truncated_feed_keeps_its_complete_items(corpus: Corpus) -> None:
    items = entries(corpus, "truncated.xml")
    assert 10 <= len(items) < 20
    assert items[0].title == "Story 0"


def test_absurd_dates_become_unknown(corpus: Corpus) -> None:
    items = entries(corpus, "parsed--absurd-dates.xml")
    assert len(items) == 6
    assert all(entry.published_at is None for entry in items)


def test_items_without_id_link_or_title_are_kept_when_they_show_something(
    corpus: Corpus,
) -> None:
    items = entries(corpus, "parsed--no-id-link-or-title.xml")
    assert [(entry.title, entry.url) for entry in items] == [
        ("Only a description.", ""),
        ("Only a title", ""),
        ("", "https://h.example/only-link"),
    ]
    assert len({entry.entry_id for entry in items}) == 3


def test_json_feed_with_wrong_types_keeps_the_usable_items(corpus: Corpus) -> None:
    titles = [entry.title for entry in entries(corpus, "json-wrong-types.json")]
    assert titles == ["Fine title", "Text only"]


def test_script_and_javascript_links_are_dropped(corpus: Corpus) -> None:
    (entry,) = entries(corpus, "parsed--script-in-items.xml")
    assert (entry.title, entry.text, entry.url) == ("Clean title", "Body text", "")


@pytest.mark.parametrize(
    ("name", "title"),
    [
        ("parsed--null-bytes.xml", "Null bytes inside"),
        ("parsed--declared-utf16-but-utf8.xml", "Says UTF-16, is UTF-8"),
        ("parsed--unknown-encoding.xml", "Bogus charset"),
    ],
)
def test_broken_encodings_still_give_titles(corpus: Corpus, name: str, title: str) -> None:
    assert entries(corpus, name)[0].title == title


def test_mixed_encodings_keep_the_good_text(corpus: Corpus) -> None:
    first, second = entries(corpus, "parsed--mixed-encodings.xml")
    assert first.title == "Café in UTF-8"
    assert second.title == "Café in Latin-1"


def test_oversize_and_bombs_stop_at_the_cap(corpus: Corpus) -> None:
    for name in ("oversize.xml", "gzip-bomb.xml"):
        assert corpus.outcomes[name] == FetchFailure("body larger than 5,000,000 bytes", 200)


def test_slow_servers_time_out(corpus: Corpus) -> None:
    for name in ("never-answers.xml", "trickle.xml"):
        assert corpus.outcomes[name] == FetchFailure("timed out after 1 s")


FIXTURES = Path(__file__).parent / "fixtures"
SPLICES = [b"<", b">", b"&", b"]]>", b"<![CDATA[", b"\x00", b"&#0;", b"&#xD800;", b"<item>"]
SPLICES += [b"</item>", b"<entry>", b"{", b'"', b"\xff\xfe", b"<!DOCTYPE x [", b"<!ENTITY a 'b'>"]


def mutate(rng: random.Random, data: bytes) -> bytes:
    body = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        if not body:
            break
        where, roll = rng.randrange(len(body)), rng.random()
        if roll < 0.4:
            body[where] = rng.randrange(256)
        elif roll < 0.6:
            del body[where : where + rng.randint(1, 50)]
        elif roll < 0.8:
            body[where:where] = rng.choice(SPLICES)
        else:
            del body[where:]
    return bytes(body)


def test_mutated_fixtures_parse_or_raise_parse_error_only() -> None:
    rng = random.Random(20261125)
    sources = [
        path.read_bytes()
        for folder in (FIXTURES / "feeds", FIXTURES / "hostile")
        for path in sorted(folder.iterdir())
        if not path.name.endswith((".expected.json", ".headers.json"))
    ]
    parsed = refused = 0
    for _ in range(2000):
        body = mutate(rng, rng.choice(sources))
        try:
            parse_feed(body, {}, "https://feeds.example/f.xml", NOW)
        except ParseError:
            refused += 1
        else:
            parsed += 1
    assert parsed > 1000 and refused > 0
