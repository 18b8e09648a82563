"""End to end, as processes: `talkwatch run` against the emulator.

Killed with SIGKILL during a burst of deliveries (one send in flight, which Discord completes
after the kill) and restarted: every channel gets every development exactly once. SIGTERM exits
0 after closing the database. A missing or rejected token is one line and exit code 2.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

from tests.botharness import EVENTS, ROOT, BotProcess, bot_settings, poll_until, rss
from tests.emulator.emulator import DiscordEmulator
from tests.emulator.redirect import bot_environment
from tests.feedserver import FeedServer

FEEDS = ["/kyiv.xml", "/wire.xml"]
CHANNELS = ("alpha", "bravo", "charlie", "delta")


def clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith(("TALKWATCH_", "DISCORD"))}


def feeds_file(tmp_path: Path) -> Path:
    path = tmp_path / "feeds.toml"
    path.write_text('[[feeds]]\nname = "Local"\nurl = "http://127.0.0.1:9/feed.xml"\n')
    return path


def test_missing_token_is_one_line_and_exit_2(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "bot.py", "run"],
        cwd=ROOT, env={**clean_env(), "TALKWATCH_DB": str(tmp_path / "x.db")},
        capture_output=True, text=True, timeout=30,
    )  # fmt: skip
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "DISCORD_TOKEN" in lines[0], done.stderr


async def test_rejected_token_is_one_line_and_exit_2(tmp_path: Path, emu: DiscordEmulator) -> None:
    secret = "not-the-token-" + "x" * 40
    env = {
        **clean_env(),
        **bot_environment(emu),
        "DISCORD_TOKEN": secret,
        "TALKWATCH_DB": str(tmp_path / "x.db"),
        "TALKWATCH_FEEDS": str(feeds_file(tmp_path)),
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "tests.emulator.launch", "run",
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    out, err = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode == 2
    text = err.decode()
    assert "Traceback" not in text and secret not in text and secret not in out.decode()
    assert "rejected the token" in text
    problems = [line for line in text.splitlines() if line.startswith("talkwatch:")]
    assert len(problems) == 1, text


async def test_kill_during_burst_then_restart_delivers_each_once(
    tmp_path: Path, emu: DiscordEmulator, feeds: FeedServer
) -> None:
    guild = emu.add_guild("Peace desk", channels=CHANNELS)
    settings = bot_settings(tmp_path, emu, feeds, FEEDS)
    first = BotProcess(emu, settings, tmp_path / "bot.log")
    await first.start()
    await emu.wait_for_commands_synced(timeout=30)
    owner = guild.members[guild.owner_id]
    for name in CHANNELS:
        await emu.invoke("subscribe", guild.channel(name), member=owner, timeout=15)
    slow = guild.channel("delta")
    # Discord takes 2 s over one send to delta, creates the message, then answers 500.
    emu.inject_fault("POST", f"/channels/{slow.id}/messages", 500, delay=2.0, after=True)
    feeds.set_feed("/kyiv.xml", rss(EVENTS[:3]))
    feeds.set_feed("/wire.xml", rss(EVENTS[3:]))
    total = len(EVENTS) * len(CHANNELS)
    await poll_until(lambda: len(emu.all_posts()) >= 6, 30, "the burst to start")
    first.kill()
    assert await first.wait() == -9
    assert len(emu.all_posts()) < total, "the kill must land during the burst"
    await asyncio.sleep(2.2)  # the in-flight send completes at "Discord"

    second = BotProcess(emu, settings, tmp_path / "bot.log")
    await second.start()
    await poll_until(lambda: len(emu.all_posts()) >= total, 40, "every post")
    # the in-flight row is sent again with its nonce; Discord answers with the first message
    await poll_until(lambda: emu.stats.nonce_dedupes >= 1, 20, "the in-flight row's resend")
    await asyncio.sleep(1.5)  # a duplicate would show up here
    for name in CHANNELS:
        titles = Counter(post.embeds[0]["title"] for post in emu.posts(guild.channel(name)))
        assert len(titles) == len(EVENTS) and set(titles.values()) == {1}, (name, titles)
    assert all(not post.mentions.any for post in emu.all_posts())
    second.terminate()
    assert await second.wait() == 0
    assert "database closed" in second.log()
    assert settings.discord_token and settings.discord_token not in second.log()


async def test_invite_asks_discord_for_the_application_id(emu: DiscordEmulator) -> None:
    env = {**clean_env(), **bot_environment(emu), "DISCORD_TOKEN": emu.token}
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "tests.emulator.launch", "invite",
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    out, _ = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode == 0
    url = out.decode().strip()
    assert f"client_id={emu.application_id}" in url
    assert "scope=bot+applications.commands" in url and "permissions=19456" in url


def test_invite_with_an_application_id_needs_no_token() -> None:
    done = subprocess.run(
        [sys.executable, "bot.py", "invite", "--application-id", "1234"],
        cwd=ROOT, env=clean_env(), capture_output=True, text=True, timeout=30,
    )  # fmt: skip
    assert done.returncode == 0
    assert done.stdout.strip() == (
        "https://discord.com/oauth2/authorize?client_id=1234"
        "&scope=bot+applications.commands&permissions=19456"
    )


def test_bad_feeds_file_is_reported_before_logging_in(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "bot.py", "run"],
        cwd=ROOT,
        env={
            **clean_env(),
            "DISCORD_TOKEN": "unused",
            "TALKWATCH_DB": str(tmp_path / "x.db"),
            "TALKWATCH_FEEDS": str(tmp_path / "missing.toml"),
        },
        capture_output=True, text=True, timeout=30,
    )  # fmt: skip
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        f"talkwatch: {tmp_path / 'missing.toml'}: feeds file not found"
    ]
