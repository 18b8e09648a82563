"""`talkwatch demo` as a subprocess, and the sample templates it serves."""

from __future__ import annotations

import asyncio
import os
import re
from datetime import UTC, datetime
from pathlib import Path

import aiohttp
import pytest

from cli.demo import SAMPLES_DIR, SampleServer, render_sample
from news.parse import parse_feed

PROJECT = Path(__file__).resolve().parent.parent
TALKWATCH = PROJECT / ".venv" / "bin" / "talkwatch"
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
OFFER_TITLES = (
    "Zelensky: Ukraine has offered Russia a new round of talks next week",
    "Kyiv sends Moscow an offer of fresh negotiations; the Kremlin stays silent",
    "Ukraine proposes next round of peace talks with Russia for next week",
    "Umerov delivered new peace talks proposal to Russia, Zelensky confirms",
)
KREMLIN_ANSWER = "Kremlin says it is studying Kyiv's proposal for new talks"
FEED_SUFFIXES = {".xml", ".atom", ".json"}
OFF_TOPIC = ("Drone attack", "Netherlands", "Spartak", "Gaza", "Armenian", "Oil prices", "EU ")


def _headlines(text: str) -> list[str]:
    return [line[2:] for line in text.splitlines() if line.startswith("* ")]


async def test_demo_shows_the_scenario_once_then_only_what_is_new(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TALKWATCH_")}
    env.pop("DISCORD_TOKEN", None)
    proc = await asyncio.create_subprocess_exec(
        str(TALKWATCH),
        "demo",
        cwd=tmp_path,  # no talkwatch.toml, no seeds/ here: the demo needs neither
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out_bytes, err_bytes = await asyncio.wait_for(proc.communicate(), 60)
    out, err = out_bytes.decode(), err_bytes.decode()
    assert proc.returncode == 0, err
    assert "Traceback" not in err
    cycle1, _, cycle2 = out.partition("== Cycle 2")
    assert cycle2, out
    first, second = _headlines(cycle1), _headlines(cycle2)
    assert len([title for title in first + second if title in OFFER_TITLES]) == 1
    assert [title for title in first if title in OFFER_TITLES]
    assert KREMLIN_ANSWER in second
    assert not set(first) & set(second)
    assert not [t for t in first + second if any(word in t for word in OFF_TOPIC)]
    assert "martial law" not in out  # older than the baseline window
    assert "2 not modified" in cycle2  # unchanged feeds answered 304
    assert not list(tmp_path.iterdir())  # the temporary database is gone


@pytest.mark.parametrize(
    "name",
    sorted(p.name for p in SAMPLES_DIR.glob("*.*") if p.suffix in {".xml", ".atom", ".json"}),
)
@pytest.mark.parametrize("cycle", [1, 2])
def test_each_sample_renders_to_a_feed_with_dated_items(name: str, cycle: int) -> None:
    text = render_sample(
        (SAMPLES_DIR / name).read_text(encoding="utf-8"),
        now=NOW,
        base="http://127.0.0.1:9",
        cycle=cycle,
    )
    assert "{{" not in text
    entries = parse_feed(text.encode(), {}, f"http://127.0.0.1:9/feeds/{name}", NOW)
    assert len(entries) >= 2
    assert all(entry.published_at and entry.published_at <= NOW for entry in entries)
    assert all(entry.url.startswith("http://127.0.0.1:9/articles/") for entry in entries)


def test_cycle_two_adds_items_and_dates_are_relative() -> None:
    template = "{{cycle2}}\nnew {{iso_hours_ago:1.5}}\n{{/cycle2}}\nold {{rfc822_hours_ago:3}}\n"
    assert render_sample(template, now=NOW, base="", cycle=1) == (
        "old Wed, 25 Nov 2026 09:00:00 +0000\n"
    )
    assert render_sample(template, now=NOW, base="", cycle=2) == (
        "new 2026-11-25T10:30:00Z\nold Wed, 25 Nov 2026 09:00:00 +0000\n"
    )
    added = 0
    for path in SAMPLES_DIR.glob("*.*"):
        if path.suffix not in FEED_SUFFIXES:
            continue
        added += len(re.findall(r"\{\{cycle2\}\}", path.read_text(encoding="utf-8")))
    assert added == 3


async def test_the_sample_server_answers_304_and_serves_only_sample_files() -> None:
    async with SampleServer(now=NOW) as server, aiohttp.ClientSession() as session:
        url = f"{server.base}/feeds/kyiv-ledger.xml"
        async with session.get(url) as first:
            assert first.status == 200
            assert first.headers["Content-Type"].startswith("application/rss+xml")
            etag = first.headers["ETag"]
        async with session.get(url, headers={"If-None-Match": etag}) as again:
            assert again.status == 304
        server.cycle = 2
        async with session.get(url, headers={"If-None-Match": etag}) as changed:
            assert changed.status == 200 and "football" in await changed.text()
        async with session.get(f"{server.base}/articles/europa-report/pow-exchange") as page:
            assert page.status == 200 and "Mariupol" in await page.text()
        for path in ("/feeds/README.md", "/feeds/..%2Ffeeds.toml", "/articles/x/..%2F..%2Fx"):
            async with session.get(server.base + path) as refused:
                assert refused.status == 404, path
