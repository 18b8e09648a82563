"""The hostile-feed corpus: dozens of feeds a hostile or broken server might send.

`install_corpus(server, max_body_bytes)` puts each case on a `FeedServer` under /hostile/ and
returns the cases with what must happen: "failure" (a FetchFailure: timeout, cap, redirects,
HTTP status), "parse_error" (a ParseError: not a feed), or "parsed" (read as well as it can be).
Small cases are files in tests/fixtures/hostile/; big ones are generated here so that the repo
holds no megabytes. Used by tests/test_hostile.py and bench/hostile.py.
"""

from __future__ import annotations

import gzip
import json
import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from tests.feedserver import FeedServer

HOSTILE = Path(__file__).parent / "fixtures" / "hostile"
SECRET_MARKER = "root:x:0:0"
"""What /etc/passwd holds and no parsed entry may ever contain."""

Expect = Literal["failure", "parse_error", "parsed"]


@dataclass(frozen=True, slots=True)
class HostileCase:
    name: str
    expect: Expect
    note: str

    @property
    def path(self) -> str:
        return f"/hostile/{self.name}"


def rss_items(count: int, make_item: Callable[[int], str] | None = None) -> bytes:
    build = make_item or (
        lambda n: (
            f"<item><title>Story {n}</title><link>https://h.example/{n}</link>"
            f"<guid>h-{n}</guid></item>"
        )
    )
    items = "".join(build(n) for n in range(count))
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>H</title>'
        f"{items}</channel></rss>"
    ).encode()


def quadratic_blowup() -> bytes:
    """One 50 KB entity referenced 5,000 times: 100 KB on the wire, 250 MB if expanded."""
    value = "A" * 50_000
    refs = "&big;" * 5_000
    return (
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY big "{value}">]>'
        f"<rss><channel><item><title>Q</title><description>{refs}</description></item>"
        "</channel></rss>"
    ).encode()


def external_dtd(dtd_url: str) -> bytes:
    return (
        '<?xml version="1.0"?>'
        f'<!DOCTYPE rss [<!ENTITY % remote SYSTEM "{dtd_url}"> %remote;]>'
        "<rss><channel><item><title>Net</title><link>https://h.example/net</link></item>"
        "</channel></rss>"
    ).encode()


def json_wrong_types() -> bytes:
    items: list[object] = [
        {"id": 1, "title": ["list"], "url": 5, "content_html": {"x": 1}, "date_published": 7},
        {"id": None, "title": "Fine title", "url": "https://h.example/j", "tags": "x"},
        {"id": True, "content_text": "Text only", "authors": [1, None, {"name": 3}]},
        None,
        [],
        "string item",
    ]
    return json.dumps({"version": "https://jsonfeed.org/version/1.1", "items": items}).encode()


def _expect(prefix: str) -> Expect:
    """Files in tests/fixtures/hostile/ are named `<expect>--<what it is>.<ext>`."""
    for expect in ("failure", "parse_error", "parsed"):
        if prefix == expect:
            return expect
    raise ValueError(f"hostile fixture with unknown expectation: {prefix!r}")


def install_corpus(server: FeedServer, max_body_bytes: int) -> list[HostileCase]:
    """Serve every case on `server`; returns them in a stable order."""
    cases = []
    for path in sorted(HOSTILE.iterdir()):
        prefix, _, note = path.name.partition("--")
        case = HostileCase(path.name, _expect(prefix), note.rsplit(".", 1)[0].replace("-", " "))
        server.set_feed(case.path, path.read_bytes(), "application/xml")
        cases.append(case)
    for case, body, content_type in _generated_bodies(server, max_body_bytes):
        server.set_feed(case.path, body, content_type)
        cases.append(case)
    server.set_feed("/hostile-evil.dtd", b'<!ENTITY leak "LEAKED">', "application/xml-dtd")
    cases.extend(_install_behaviours(server, max_body_bytes))
    return cases


XML = "application/xml"


def _generated_bodies(
    server: FeedServer, max_body_bytes: int
) -> list[tuple[HostileCase, bytes, str]]:
    def nested(depth: int) -> bytes:
        return rss_items(1, lambda n: "<item><title>Nested</title>" + "<x>" * depth + "</item>")

    def one_item(title: str, text: str = "") -> bytes:
        item = f"<item><title>{title}</title><description>{text}</description></item>"
        return rss_items(1, lambda n: item)

    table: list[tuple[str, Expect, str, bytes, str]] = [
        ("quadratic-blowup.xml", "parsed", "one entity referenced thousands of times",
         quadratic_blowup(), XML),
        ("external-dtd.xml", "parsed", "parameter entity loading a DTD over the network",
         external_dtd(server.url("/hostile-evil.dtd")), XML),
        ("oversize.xml", "failure", "a valid feed larger than the body cap",
         rss_items(max_body_bytes // 80 + 1_000), XML),
        ("many-items.xml", "parsed", "30,000 items", rss_items(30_000), XML),
        ("huge-title.xml", "parsed", "a one-megabyte title", one_item("talks " * 200_000), XML),
        ("huge-text.xml", "parsed", "a three-megabyte description",
         one_item("T", "word " * 600_000), XML),
        ("deep-nesting.xml", "parse_error", "200,000 nested elements in an item",
         nested(200_000), XML),
        ("shallow-nesting.xml", "parsed", "5,000 nested elements in an item", nested(5_000), XML),
        ("truncated.xml", "parsed", "a feed cut off in the middle of an item",
         rss_items(20)[:-400], XML),
        ("binary-garbage.xml", "parse_error", "random bytes",
         random.Random(7).randbytes(200_000), XML),
        ("json-wrong-types.json", "parsed", "JSON Feed items with wrong types",
         json_wrong_types(), "application/feed+json"),
        ("json-deep.json", "parse_error", "JSON nested 200,000 deep", b"[" * 200_000,
         "application/json"),
    ]  # fmt: skip
    return [
        (HostileCase(name, expect, note), body, kind) for name, expect, note, body, kind in table
    ]


def _install_behaviours(server: FeedServer, max_body_bytes: int) -> list[HostileCase]:
    """Cases that are about how the server answers rather than what it sends."""
    gzipped = {"Content-Type": XML, "Content-Encoding": "gzip"}
    bomb = gzip.compress(b" " * (max_body_bytes * 4), compresslevel=9)
    notes = {
        "gzip-bomb.xml": "a small gzip body that inflates past the cap",
        "corrupt-gzip.xml": "says gzip, sends garbage",
        "never-answers.xml": "accepts the request and never answers",
        "trickle.xml": "answers five bytes at a time, slowly",
        "redirect-loop.xml": "redirects to itself through another path",
        "redirect-to-file.xml": "redirects to file:///etc/passwd",
        "status-500.xml": "server error with a large body",
        "status-429.xml": "rate limited, with an absurd Retry-After",
        "status-404.xml": "gone",
        "huge-header.xml": "a 100 KB response header",
    }
    cases = [HostileCase(name, "failure", note) for name, note in notes.items()]
    path = {case.name: case.path for case in cases}
    server.set_raw(path["gzip-bomb.xml"], bomb, gzipped)
    server.set_raw(path["corrupt-gzip.xml"], b"\x1f\x8b\x08\x00garbage" * 100, gzipped)
    server.stall(path["never-answers.xml"])
    server.trickle(path["trickle.xml"], rss_items(50), chunk_bytes=5, interval_seconds=0.2)
    server.redirect(path["redirect-loop.xml"], "/hostile/redirect-loop-2.xml")
    server.redirect("/hostile/redirect-loop-2.xml", path["redirect-loop.xml"])
    server.redirect(path["redirect-to-file.xml"], "file:///etc/passwd")
    server.set_status(path["status-500.xml"], 500, body=b"x" * (max_body_bytes * 2))
    server.set_status(path["status-429.xml"], 429, {"Retry-After": "99999999999"})
    server.set_status(path["status-404.xml"], 404)
    server.set_raw(
        path["huge-header.xml"], rss_items(1), {"Content-Type": XML, "X-Junk": "j" * 100_000}
    )
    return cases
