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
    cases: list[HostileCase] = []

    def add(name: str, expect: Expect, note: str, body: bytes | None = None, **kw: str) -> None:
        case = HostileCase(name, expect, note)
        if body is not None:
            server.set_feed(case.path, body, kw.get("content_type", "application/xml"))
        cases.append(case)

    for path in sorted(HOSTILE.iterdir()):
        prefix, _, note = path.name.partition("--")
        add(path.name, _expect(prefix), note.rsplit(".", 1)[0].replace("-", " "), path.read_bytes())

    add(
        "quadratic-blowup.xml",
        "parsed",
        "one big entity referenced thousands of times",
        quadratic_blowup(),
    )
    add(
        "external-dtd.xml",
        "parsed",
        "parameter entity loading a DTD over the network",
        external_dtd(server.url("/hostile-evil.dtd")),
    )
    server.set_feed("/hostile-evil.dtd", b'<!ENTITY leak "LEAKED">', "application/xml-dtd")
    add(
        "oversize.xml",
        "failure",
        "a valid feed larger than the body cap",
        rss_items(max_body_bytes // 80 + 1_000),
    )
    bomb = gzip.compress(b" " * (max_body_bytes * 4), compresslevel=9)
    add("gzip-bomb.xml", "failure", "a small gzip body that inflates past the cap")
    server.set_raw(
        cases[-1].path, bomb, {"Content-Type": "application/xml", "Content-Encoding": "gzip"}
    )
    add("corrupt-gzip.xml", "failure", "says gzip, sends garbage")
    server.set_raw(
        cases[-1].path,
        b"\x1f\x8b\x08\x00garbage" * 100,
        {"Content-Type": "application/xml", "Content-Encoding": "gzip"},
    )
    add("many-items.xml", "parsed", "30,000 items", rss_items(30_000))
    add(
        "huge-title.xml",
        "parsed",
        "a one-megabyte title",
        rss_items(1, lambda n: f"<item><title>{'talks ' * 200_000}</title></item>"),
    )
    add(
        "huge-text.xml",
        "parsed",
        "a three-megabyte description",
        rss_items(
            1,
            lambda n: (
                f"<item><title>T</title><description>{'word ' * 600_000}</description></item>"
            ),
        ),
    )
    add(
        "deep-nesting.xml",
        "parse_error",
        "200,000 nested elements inside an item",
        rss_items(1, lambda n: "<item><title>Deep</title>" + "<x>" * 200_000 + "</item>"),
    )
    add(
        "shallow-nesting.xml",
        "parsed",
        "5,000 nested elements inside an item",
        rss_items(1, lambda n: "<item><title>Nested</title>" + "<x>" * 5_000 + "</item>"),
    )
    add("truncated.xml", "parsed", "a feed cut off in the middle of an item", rss_items(20)[:-400])
    garbage = random.Random(7).randbytes(200_000)
    add("binary-garbage.xml", "parse_error", "random bytes", garbage)
    add(
        "json-wrong-types.json",
        "parsed",
        "JSON Feed items with wrong types",
        json_wrong_types(),
        content_type="application/feed+json",
    )
    add(
        "json-deep.json",
        "parse_error",
        "JSON nested 200,000 deep",
        b"[" * 200_000,
        content_type="application/json",
    )

    add("never-answers.xml", "failure", "accepts the request and never answers")
    server.stall(cases[-1].path)
    add("trickle.xml", "failure", "answers five bytes at a time, slowly")
    server.trickle(cases[-1].path, rss_items(50), chunk_bytes=5, interval_seconds=0.2)
    add("redirect-loop.xml", "failure", "redirects to itself through another path")
    server.redirect(cases[-1].path, "/hostile/redirect-loop-2.xml")
    server.redirect("/hostile/redirect-loop-2.xml", cases[-1].path)
    add("redirect-to-file.xml", "failure", "redirects to file:///etc/passwd")
    server.redirect(cases[-1].path, "file:///etc/passwd")
    add("status-500.xml", "failure", "server error with a large body")
    server.set_status(cases[-1].path, 500, body=b"x" * (max_body_bytes * 2))
    add("status-429.xml", "failure", "rate limited, with an absurd Retry-After")
    server.set_status(cases[-1].path, 429, {"Retry-After": "99999999999"})
    add("status-404.xml", "failure", "gone")
    server.set_status(cases[-1].path, 404)
    add("huge-header.xml", "failure", "a 100 KB response header")
    server.set_raw(
        cases[-1].path, rss_items(1), {"Content-Type": "application/xml", "X-Junk": "j" * 100_000}
    )
    return cases
