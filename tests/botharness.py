"""Running the real bot against the Discord emulator and a loopback feed server.

    async with DiscordEmulator() as emu, FeedServer() as feeds:
        settings = bot_settings(tmp_path, emu, feeds, ["/a.xml"])
        async with running_bot(emu, settings) as bot:
            ...

`running_bot` runs the bot in this process (discord.py pointed at the emulator);
`BotProcess` runs `python -m tests.emulator.launch run` as a subprocess, for kill -9 tests.
`rss` writes a small RSS 2.0 feed of `Item`s.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import os
import signal
import subprocess
import sys
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path
from typing import TypeVar
from xml.sax.saxutils import escape

from handlers.app import TalkwatchBot
from settings import Settings
from tests.emulator.emulator import DiscordEmulator
from tests.emulator.redirect import bot_environment, pointed_at
from tests.feedserver import FeedServer

ROOT = Path(__file__).resolve().parents[1]
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Item:
    title: str
    text: str
    link: str
    published_at: datetime | None = None


OFFER = [
    Item(
        "Ukraine offers Russia new round of peace talks in Istanbul next week",
        "Ukraine has offered Russia a new round of peace talks in Istanbul next week, the"
        " secretary of the National Security and Defence Council said. Moscow has not answered.",
        "http://news.example/kyiv/offer",
    ),
    Item(
        "Kyiv proposes fresh negotiations with Moscow in Istanbul",
        "Kyiv proposed fresh negotiations with Moscow to be held in Istanbul next week, Ukraine's"
        " security council secretary announced. The Kremlin has not responded.",
        "http://news.example/wire/offer",
    ),
    Item(
        "Ukraine proposes next round of peace talks with Russia in Istanbul",
        "Ukraine proposed another round of peace talks with Russia in Istanbul next week, the"
        " secretary of its security council said. Moscow has yet to reply to the offer.",
        "http://news.example/europa/offer",
    ),
]
EXCHANGE = Item(
    "Russia and Ukraine swap 300 prisoners of war in UAE-mediated exchange",
    "Russia and Ukraine exchanged 300 prisoners of war each on Tuesday in a swap mediated by the"
    " United Arab Emirates, both defence ministries said.",
    "http://news.example/kyiv/exchange",
)
HOSTILE = Item(
    "@everyone Kremlin [rejects](http://evil.example) Kyiv's **ceasefire** proposal"
    " <@123456789012345678>",
    "The Kremlin rejected Ukraine's ceasefire proposal on Thursday @here, spokesman Dmitry Peskov"
    " said, calling the plan for talks unacceptable.",
    "http://news.example/courier/reject",
)
ENVOY = Item(
    "US envoy meets Putin in Moscow to discuss Ukraine peace plan",
    "The US special envoy met President Vladimir Putin in the Kremlin on Friday for five hours of"
    " talks on a plan to end the war in Ukraine, Russian officials said.",
    "http://news.example/europa/envoy",
)
SUMMIT = Item(
    "Turkey offers to host Russia-Ukraine leaders' summit",
    "Turkish President Recep Tayyip Erdogan offered on Saturday to host a summit between the"
    " presidents of Russia and Ukraine in Istanbul to negotiate a ceasefire.",
    "http://news.example/europa/summit",
)
EVENTS = (OFFER[0], EXCHANGE, HOSTILE, ENVOY, SUMMIT)
"""Five reports of five different developments (each judged relevant, none grouped)."""


def rss(items: Sequence[Item], title: str = "Test outlet") -> bytes:
    now = datetime.now(UTC)
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f"<rss version='2.0'><channel><title>{escape(title)}</title>",
        "<link>http://127.0.0.1/</link><description>test</description>",
    ]
    for item in items:
        published = format_datetime(item.published_at or now)
        parts.append(
            f"<item><title>{escape(item.title)}</title><link>{escape(item.link)}</link>"
            f"<guid>{escape(item.link)}</guid><description>{escape(item.text)}</description>"
            f"<pubDate>{published}</pubDate></item>"
        )
    parts.append("</channel></rss>")
    return "\n".join(parts).encode()


def write_feeds_file(path: Path, feeds: FeedServer, paths: Sequence[str]) -> Path:
    lines = []
    for number, feed_path in enumerate(paths):
        lines += ["[[feeds]]", f'name = "Outlet {number}"', f'url = "{feeds.url(feed_path)}"', ""]
    path.write_text("\n".join(lines))
    return path


def bot_settings(
    tmp_path: Path, emu: DiscordEmulator, feeds: FeedServer, paths: Sequence[str], **changes: object
) -> Settings:
    """Settings for a bot on the emulator: polls every 2 s, no page fetching."""
    for feed_path in paths:
        feeds.set_feed(feed_path, rss([]))
    values: dict[str, object] = {
        "discord_token": emu.token,
        "db_path": tmp_path / "talkwatch.db",
        "feeds_path": write_feeds_file(tmp_path / "feeds.toml", feeds, paths),
        "topic_path": ROOT / "seeds" / "topic.toml",
        "poll_seconds": 2,
        "fetch_articles": False,
        "edit_interval_seconds": 1,
    }
    values.update(changes)
    return dataclasses.replace(Settings(), **values)  # type: ignore[arg-type]


async def poll_until(check: Callable[[], T | None], timeout: float = 20.0, what: str = "") -> T:
    """Re-check `check()` every 50 ms (for conditions the emulator is not told about)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        result = check()
        if result is not None and result is not False:
            return result
        if loop.time() > deadline:
            raise AssertionError(f"timed out after {timeout:g}s waiting for {what or check}")
        await asyncio.sleep(0.05)


@contextlib.asynccontextmanager
async def running_bot(
    emu: DiscordEmulator, settings: Settings, now_fn: Callable[[], datetime] | None = None
) -> AsyncIterator[TalkwatchBot]:
    """The bot, logged in, commands synced and guilds received; closed on exit. `now_fn` is
    the clock of its commands and deliveries (default: real time)."""
    with pointed_at(emu):
        if now_fn is None:
            bot = TalkwatchBot(settings, guild_ready_timeout=0.1)
        else:
            bot = TalkwatchBot(settings, guild_ready_timeout=0.1, now_fn=now_fn)
        task = asyncio.create_task(bot.start(emu.token))
        try:
            await emu.wait_for_commands_synced()
            await asyncio.wait_for(bot.wait_until_ready(), 20)
            yield bot
        finally:
            await bot.close()
            await asyncio.wait_for(task, 20)


def settings_environment(settings: Settings) -> dict[str, str]:
    env = {
        "DISCORD_TOKEN": settings.discord_token or "",
        "TALKWATCH_DB": str(settings.db_path),
        "TALKWATCH_FEEDS": str(settings.feeds_path),
        "TALKWATCH_TOPIC": str(settings.topic_path),
        "TALKWATCH_POLL_SECONDS": str(settings.poll_seconds),
        "TALKWATCH_FETCH_ARTICLES": "false",
        "TALKWATCH_EDIT_INTERVAL_SECONDS": str(settings.edit_interval_seconds),
        "TALKWATCH_CATCHUP_THRESHOLD": str(settings.catchup_threshold),
        "TALKWATCH_LOG_LEVEL": "INFO",
        "TALKWATCH_SEND_RATE_PER_SECOND": str(settings.send_rate_per_second),
        "TALKWATCH_MAJOR_IMPORTANCE": str(settings.major_importance),
        "TALKWATCH_TIMEZONE": settings.timezone,
    }
    return env


class BotProcess:
    """`talkwatch run` as a subprocess pointed at the emulator; stderr goes to a file."""

    def __init__(self, emu: DiscordEmulator, settings: Settings, log_path: Path) -> None:
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("TALKWATCH_", "DISCORD"))},
            **settings_environment(settings),
            **bot_environment(emu),
        }
        self.log_path = log_path
        self.process: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        log = self.log_path.open("ab")
        self.process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "tests.emulator.launch", "run",
            cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL, stderr=log,
        )  # fmt: skip
        log.close()

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGTERM)

    async def wait(self, timeout: float = 20.0) -> int:
        assert self.process is not None
        return await asyncio.wait_for(self.process.wait(), timeout)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")
