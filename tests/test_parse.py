"""Feed parsing: fixture feeds with their expected entries beside them, both parser paths."""

from __future__ import annotations

import dataclasses
import json
import pickle
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from news.entries import normalise_entries
from news.errors import NewsError, ParseError
from news.parse import parse_feed
from news.parse_fallback import read_with_feedparser
from news.parse_xml import NotWellFormed, read_xml
from news.records import Entry

FEEDS = Path(__file__).parent / "fixtures" / "feeds"
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
FIXTURES = sorted(
    path.name
    for path in FEEDS.iterdir()
    if not path.name.endswith((".expected.json", ".headers.json"))
)
WELL_FORMED_XML = [name for name in FIXTURES if name.endswith(".xml") and name != "malformed.xml"]


def load(name: str) -> tuple[bytes, dict[str, str], str]:
    path = FEEDS / name
    headers_path = path.with_name(path.stem + ".headers.json")
    headers = json.loads(headers_path.read_text()) if headers_path.exists() else {}
    return path.read_bytes(), headers, f"https://feeds.example/{name}"


def as_json(entry: Entry) -> dict[str, Any]:
    row = dataclasses.asdict(entry)
    row["published_at"] = entry.published_at.isoformat() if entry.published_at else None
    return row


@pytest.mark.parametrize("name", FIXTURES)
def test_fixture_gives_expected_entries(name: str) -> None:
    body, headers, url = load(name)
    expected = json.loads((FEEDS / name).with_suffix(".expected.json").read_text())
    assert [as_json(entry) for entry in parse_feed(body, headers, url, NOW)] == expected


@pytest.mark.parametrize("name", WELL_FORMED_XML)
def test_fallback_path_gives_the_same_entries(name: str) -> None:
    body, headers, url = load(name)
    fallback = read_with_feedparser(body, headers, url, 500)
    assert normalise_entries(fallback.raws, url, NOW) == parse_feed(body, headers, url, NOW)


@pytest.mark.parametrize("name", WELL_FORMED_XML)
def test_well_formed_fixtures_take_the_fast_path(name: str) -> None:
    body, _, url = load(name)
    encoding = "iso-8859-1" if "latin1" in name else None
    assert read_xml(body, url, 500, encoding)


def test_malformed_fixture_needs_the_fallback() -> None:
    body, _, url = load("malformed.xml")
    with pytest.raises(NotWellFormed):
        read_xml(body, url, 500)


def test_header_names_are_case_insensitive() -> None:
    body, _, url = load("latin1_http.xml")
    entries = parse_feed(body, {"Content-Type": "text/xml; Charset=iso-8859-1"}, url, NOW)
    assert entries[0].title == "Café diplomacy: envoys meet in Zürich"


def rss(items: str, prolog: str = '<?xml version="1.0" encoding="utf-8"?>') -> bytes:
    return f'{prolog}<rss version="2.0"><channel><title>T</title>{items}</channel></rss>'.encode()


def item(title: str = "A title", extra: str = "") -> str:
    return f"<item><title>{title}</title>{extra}</item>"


def parse(body: bytes, now: datetime = NOW) -> list[Entry]:
    return parse_feed(body, {}, "https://feeds.example/f.xml", now)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"", "empty"),
        (b"  \n\t ", "empty"),
        (b"<!DOCTYPE html><html><head><title>Hi</title></head><body>x</body></html>", "HTML"),
        (b"<?xml version='1.0'?>\n<html><body>x</body></html>", "HTML"),
        (b"Just some text, no markup.", "neither XML nor JSON"),
        (b'{"title": "no items"}', "JSON Feed"),
        (b'{"items": ', "invalid JSON"),
        (b"<?xml version='1.0'?><catalog><book/></catalog>", "catalog"),
        (b"<not even < xml", "not a feed"),
    ],
)
def test_bodies_that_are_not_feeds_raise_parse_error(body: bytes, message: str) -> None:
    with pytest.raises(ParseError, match=message):
        parse(body)


def test_parse_error_is_a_news_error() -> None:
    assert issubclass(ParseError, NewsError)


def test_feed_without_items_gives_no_entries() -> None:
    assert parse(rss("")) == []


def test_items_outside_the_channel_are_read() -> None:
    body = b"<rss><channel><title>T</title></channel><item><title>Out</title></item></rss>"
    assert [entry.title for entry in parse(body)] == ["Out"]


@pytest.mark.parametrize(
    ("date", "kept"),
    [
        ("Tue, 25 Nov 2026 10:00:00 GMT", True),
        ("Wed, 26 Nov 2026 20:00:00 GMT", True),
        ("Sat, 28 Nov 2026 20:00:00 GMT", False),
        ("Fri, 01 Jan 3000 00:00:00 GMT", False),
        ("Thu, 01 Jan 1970 00:00:00 GMT", False),
        ("Sun, 31 Dec 1989 23:59:59 GMT", False),
        ("yesterday-ish", False),
        ("", False),
    ],
)
def test_absurd_dates_become_none(date: str, kept: bool) -> None:
    entry = parse(rss(item(extra=f"<pubDate>{date}</pubDate>")))[0]
    assert (entry.published_at is not None) is kept


def test_other_date_formats_are_read_as_utc() -> None:
    entries = parse(
        rss(
            item("a", "<pubDate>2026-11-25T10:00:00+02:00</pubDate>")
            + item("b", "<pubDate>25 Nov 2026 10:00 EST</pubDate>")
            + item("c", "<pubDate>2026-11-25 07:30:00</pubDate>")
        )
    )
    assert [entry.published_at for entry in entries] == [
        datetime(2026, 11, 25, 8, 0, tzinfo=UTC),
        datetime(2026, 11, 25, 15, 0, tzinfo=UTC),
        datetime(2026, 11, 25, 7, 30, tzinfo=UTC),
    ]


def test_entries_are_capped() -> None:
    body = rss("".join(item(f"story {n}") for n in range(620)))
    entries = parse_feed(body, {}, "https://feeds.example/f.xml", NOW)
    assert len(entries) == 500
    assert entries[-1].title == "story 499"
    assert len(parse_feed(body, {}, "https://feeds.example/f.xml", NOW, max_entries=3)) == 3


def test_title_and_text_are_capped() -> None:
    body = rss(item("word " * 1000, f"<description>{'long text ' * 20_000}</description>"))
    entry = parse(body)[0]
    assert len(entry.title) <= 500
    assert entry.title.endswith("…")
    assert len(entry.text) <= 50_000


def test_items_without_id_get_a_stable_hash_id() -> None:
    body = rss(item("Same title") + item("Other title"))
    first, second = parse(body)
    assert first.entry_id.startswith("sha1:")
    assert first.entry_id != second.entry_id
    assert parse(body)[0].entry_id == first.entry_id


def test_item_with_only_text_uses_it_for_the_title() -> None:
    entry = parse(rss("<item><description>&lt;p&gt;Only a body.&lt;/p&gt;</description></item>"))
    assert (entry[0].title, entry[0].text) == ("Only a body.", "Only a body.")


def test_html_entities_that_xml_does_not_know_are_decoded() -> None:
    entry = parse(rss(item("Talks&nbsp;resume &mdash; in Geneva")))[0]
    assert entry.title == "Talks resume — in Geneva"


def test_bare_ampersands_and_html_entities_are_repaired_for_the_fast_path() -> None:
    body = rss(
        item("Q&A: talks &hellip; AT&T &amp; more", "<link>https://x.example/?a=1&b=2</link>")
    )
    with pytest.raises(NotWellFormed):
        read_xml(body, "https://feeds.example/f.xml", 500)
    entry = parse(body)[0]
    assert (entry.title, entry.url) == ("Q&A: talks … AT&T & more", "https://x.example/?a=1&b=2")


def test_control_characters_are_removed() -> None:
    entry = parse(rss(item("Bad\x0bbytes\x1b here", "<guid>g</guid>")))[0]
    assert (entry.title, entry.entry_id) == ("Badbytes here", "g")


def test_mixed_encodings_keep_the_good_items() -> None:
    body = rss(item("Café talks") + item("Bad XX byte")).replace(b"XX", b"\xe9")
    titles = [entry.title for entry in parse(body)]
    assert titles == ["Café talks", "Bad é byte"]


def test_lone_surrogates_from_json_never_reach_the_entry() -> None:
    item = {
        "id": "a\ud800",
        "url": "https://x.example/\udfff",
        "title": "T\ud800itle",
        "content_text": "te\udc00xt",
        "authors": [{"name": "\ud800"}],
    }
    body = json.dumps({"items": [item]}).encode()
    (entry,) = parse(body)
    assert (entry.entry_id, entry.url, entry.title, entry.text) == (
        "a",
        "https://x.example/",
        "T itle",
        "te xt",
    )
    assert entry.author is None


def test_parse_feed_and_entries_cross_process_boundaries() -> None:
    body, headers, url = load("rss2.xml")
    entries = parse_feed(body, headers, url, NOW)
    assert pickle.loads(pickle.dumps(entries)) == entries
    assert pickle.loads(pickle.dumps(parse_feed)) is parse_feed
