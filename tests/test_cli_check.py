"""`talkwatch check` as a subprocess, against the sample feeds served on loopback."""

from __future__ import annotations

import asyncio
import io
import os
import signal
import sqlite3
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from cli.check import ProgressLine
from cli.demo import SAMPLES_DIR, render_sample
from tests.feedserver import FeedServer

PROJECT = Path(__file__).resolve().parent.parent
TALKWATCH = PROJECT / ".venv" / "bin" / "talkwatch"
SAMPLE_FEEDS = (
    "kyiv-ledger.xml",
    "moscow-courier.atom",
    "northern-wire.json",
    "europa-report.xml",
    "black-sea-tribune.atom",
)
OFFER_TITLES = (
    "Zelensky: Ukraine has offered Russia a new round of talks next week",
    "Kyiv sends Moscow an offer of fresh negotiations; the Kremlin stays silent",
    "Ukraine proposes next round of peace talks with Russia for next week",
)


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("TALKWATCH_") and key != "DISCORD_TOKEN"
    }
    env.update(
        TALKWATCH_DB=str(tmp_path / "check.db"),
        TALKWATCH_FEEDS=str(tmp_path / "feeds.toml"),
        TALKWATCH_TOPIC=str(PROJECT / "seeds" / "topic.toml"),
        TALKWATCH_FETCH_ARTICLES="false",
        TALKWATCH_FETCH_TIMEOUT_SECONDS="5",
    )
    env.update(extra)
    return env


async def _talkwatch(tmp_path: Path, *args: str, **env: str) -> Run:
    proc = await asyncio.create_subprocess_exec(
        str(TALKWATCH),
        *args,
        cwd=tmp_path,
        env=_env(tmp_path, **env),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(proc.communicate(), 60)
    assert proc.returncode is not None
    return Run(proc.returncode, out.decode(), err.decode())


def _serve_samples(server: FeedServer, tmp_path: Path, cycle: int = 1) -> None:
    now = datetime.now(UTC)
    base = server.url("")
    feeds = []
    for name in SAMPLE_FEEDS:
        text = (SAMPLES_DIR / name).read_text(encoding="utf-8")
        server.set_feed(f"/feeds/{name}", render_sample(text, now=now, base=base, cycle=cycle))
        feeds.append(f'[[feeds]]\nname = "{name}"\nurl = "{server.url("/feeds/" + name)}"\n')
    (tmp_path / "feeds.toml").write_text("\n".join(feeds), encoding="utf-8")


def _headlines(text: str) -> list[str]:
    return [line[2:] for line in text.splitlines() if line.startswith("* ")]


async def test_once_prints_developments_then_nothing_new(
    feed_server: FeedServer, tmp_path: Path
) -> None:
    _serve_samples(feed_server, tmp_path)
    first = await _talkwatch(tmp_path, "check", "--once", "--dry-run")
    assert first.code == 0, first.err
    headlines = _headlines(first.out)
    assert len([title for title in headlines if title in OFFER_TITLES]) == 1
    assert not any("Spartak" in title or "Gaza" in title for title in headlines)
    assert "checked 5 feeds (5 fetched, 0 not modified, 0 failed)" in first.err
    second = await _talkwatch(tmp_path, "check", "--once", "--dry-run")
    assert (second.code, second.out) == (0, "")
    assert "checked 5 feeds (0 fetched, 5 not modified, 0 failed)" in second.err
    assert feed_server.total_count(304) == 5


async def test_failed_feeds_are_listed_and_the_exit_is_still_0(
    feed_server: FeedServer, tmp_path: Path
) -> None:
    _serve_samples(feed_server, tmp_path)
    feed_server.set_status("/down.xml", 500)
    with (tmp_path / "feeds.toml").open("a") as feeds:
        feeds.write(f'\n[[feeds]]\nname = "Down"\nurl = "{feed_server.url("/down.xml")}"\n')
    run = await _talkwatch(tmp_path, "check", "--once", "--dry-run")
    assert run.code == 0
    assert f"failed: Down ({feed_server.url('/down.xml')}): " in run.err
    assert "500" in run.err
    assert _headlines(run.out)


async def test_without_dry_run_new_developments_are_queued(
    feed_server: FeedServer, tmp_path: Path
) -> None:
    _serve_samples(feed_server, tmp_path)
    bootstrap = await _talkwatch(tmp_path, "check", "--once", "--dry-run")  # creates the db
    assert bootstrap.code == 0
    with sqlite3.connect(tmp_path / "check.db") as conn:
        conn.execute(
            "INSERT INTO subscriptions (channel_id, created_at, updated_at) VALUES (7, 'x', 'x')"
        )
    _serve_samples(feed_server, tmp_path, cycle=2)
    run = await _talkwatch(tmp_path, "check", "--once")
    assert run.code == 0 and _headlines(run.out)
    with sqlite3.connect(tmp_path / "check.db") as conn:
        queued = conn.execute("SELECT count(*) FROM deliveries WHERE channel_id = 7").fetchone()
    assert queued[0] == len(_headlines(run.out))


@pytest.mark.parametrize(
    ("setup", "fragment"),
    [
        ("feeds", "feeds.toml: feed #1 ('A'): missing url"),
        ("topic", "topic.toml"),
        ("db", "cannot open the database"),
    ],
)
async def test_operator_mistakes_are_one_line_and_exit_2(
    tmp_path: Path, setup: str, fragment: str
) -> None:
    (tmp_path / "feeds.toml").write_text('[[feeds]]\nname = "A"\nurl = "https://a.example/"\n')
    env: dict[str, str] = {}
    if setup == "feeds":
        (tmp_path / "feeds.toml").write_text('[[feeds]]\nname = "A"\n')
    elif setup == "topic":
        (tmp_path / "topic.toml").write_text("this is = = not a profile\n")
        env["TALKWATCH_TOPIC"] = str(tmp_path / "topic.toml")
    else:
        (tmp_path / "garbage.db").write_bytes(b"not a database" * 200)
        env["TALKWATCH_DB"] = str(tmp_path / "garbage.db")
    run = await _talkwatch(tmp_path, "check", "--once", "--dry-run", **env)
    assert run.code == 2
    lines = run.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("talkwatch: ")
    assert fragment in lines[0]


async def test_check_never_imports_discord(feed_server: FeedServer, tmp_path: Path) -> None:
    _serve_samples(feed_server, tmp_path)
    code = (
        "import sys, bot\n"
        "status = bot.main(['check', '--once', '--dry-run'])\n"
        "sys.exit(3 if 'discord' in sys.modules else status)\n"
    )
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        code,
        cwd=tmp_path,
        env={**_env(tmp_path), "PYTHONPATH": str(PROJECT)},
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    _, err = await asyncio.wait_for(proc.communicate(), 60)
    assert proc.returncode == 0, err.decode()


async def test_the_scheduler_loop_checks_and_stops_cleanly_on_sigterm(
    feed_server: FeedServer, tmp_path: Path
) -> None:
    _serve_samples(feed_server, tmp_path)
    proc = await asyncio.create_subprocess_exec(
        str(TALKWATCH),
        "check",
        "--dry-run",
        cwd=tmp_path,
        env=_env(tmp_path, TALKWATCH_POLL_SECONDS="2"),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    assert proc.stderr is not None and proc.stdout is not None
    seen = ""
    while "checked 5 feeds" not in seen:
        line = await asyncio.wait_for(proc.stderr.readline(), 30)
        assert line, f"talkwatch check stopped early: {seen}"
        seen += line.decode()
    proc.send_signal(signal.SIGTERM)
    out, err = await asyncio.wait_for(proc.communicate(), 30)
    assert proc.returncode == 0, err.decode()
    assert "stopped" in err.decode()
    assert "Traceback" not in err.decode()
    assert len([t for t in _headlines(out.decode()) if t in OFFER_TITLES]) == 1


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_is_rewritten_in_place_on_a_terminal_and_a_few_lines_otherwise() -> None:
    terminal, pipe = _Terminal(), io.StringIO()
    for stream in (terminal, pipe):
        progress = ProgressLine(stream)
        for done in range(201):
            progress(done, 200)
    assert terminal.getvalue().count("\r") == 201
    assert terminal.getvalue().endswith("fetched 200/200 feeds\n")
    assert pipe.getvalue().splitlines() == [
        f"fetched {done}/200 feeds" for done in (0, 50, 100, 150, 200)
    ]
