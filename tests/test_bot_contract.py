"""The contract outside checks rely on (issue 5), checked the way an independent harness would.

An outside harness does not use our launcher nor `emu.invoke`: it starts `python bot.py run`
with discord.py redirected by its own `sitecustomize`, and builds INTERACTION_CREATE payloads
with only the fields discord-protocol.md lists as required: a member with `permissions` but no
role granting them, a channel option resolved with Discord's computed `permissions`, a DM with
a bare channel. The bot must decide from what Discord sends, not from what its cache happens to
hold.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import re
import secrets
import sys
import threading
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from news.judging import Judge
from storage import subscriptions
from storage.developments import latest_developments
from storage.schema import open_database
from tests.botharness import (
    EVENTS,
    OFFER,
    ROOT,
    Item,
    bot_settings,
    poll_until,
    rss,
    running_bot,
    settings_environment,
    write_feeds_file,
)
from tests.emulator import permissions as perm
from tests.emulator.emulator import DiscordEmulator
from tests.emulator.invoke import Invoker
from tests.emulator.models import Channel, Member, User, new_snowflake
from tests.emulator.pending import InteractionResult
from tests.emulator.process import BotProcess
from tests.feedserver import FeedServer

JSON = dict[str, Any]
ADMIN = perm.VIEW_CHANNEL | perm.SEND_MESSAGES | perm.MANAGE_CHANNELS
READER = perm.VIEW_CHANNEL | perm.SEND_MESSAGES
REDIRECT = """\
import os
import discord.gateway, discord.http, yarl
discord.http.Route.BASE = os.environ["OUTSIDE_API"]
discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(os.environ["OUTSIDE_GATEWAY"])
"""


def outsider(name: str) -> User:
    """A user the bot never saw in GUILD_CREATE (bots get no member list without intents)."""
    return User(new_snowflake(), name)


def bare_user(user: User) -> JSON:
    return {"id": str(user.id), "username": user.username, "discriminator": "0", "avatar": None}


def channel_option(channel: Channel, permissions: int) -> tuple[JSON, JSON]:
    """The `channel` option and its `resolved` entry with the invoker's computed permissions."""
    resolved = {"id": str(channel.id), "type": channel.type, "name": channel.name}
    resolved["permissions"] = str(permissions)
    option = {"type": 7, "name": "channel", "value": str(channel.id)}
    return option, {"channels": {str(channel.id): resolved}}


async def minimal_invoke(
    emu: DiscordEmulator,
    name: str,
    where: Channel,
    user: User,
    permissions: int,
    *,
    option: tuple[JSON, JSON] | None = None,
    command_id: int | None = None,
) -> InteractionResult:
    """INTERACTION_CREATE with only the required fields; `where` a guild or DM channel;
    `command_id` for a command the bot does not know (left over from an older version)."""
    known = command_id or emu.command(name).id
    data: JSON = {"id": str(known), "name": name, "type": 1, "options": []}
    if option is not None:
        data["options"], data["resolved"] = [option[0]], option[1]
    payload: JSON = {
        "id": str(new_snowflake()),
        "application_id": str(emu.application_id),
        "type": 2,
        "token": secrets.token_hex(24),
        "version": 1,
        "attachment_size_limit": 8 * 1024 * 1024,
        "data": data,
    }
    member = None
    if where.guild_id is None:
        payload["channel"] = {"id": str(where.id), "type": 1}
        payload["user"] = bare_user(user)
    else:
        payload["guild_id"] = str(where.guild_id)
        payload["channel"] = {"id": str(where.id), "type": where.type, "name": where.name}
        payload["member"] = {
            "user": bare_user(user),
            "roles": [],
            "flags": 0,
            "permissions": str(permissions),
        }
        payload["app_permissions"] = str(emu.bot_permissions_in(where))
        member = Member(user, [])
    invoker = Invoker(user, member, where, permissions)
    result = await emu._dispatch_interaction(payload, name, invoker, None, 10.0)
    assert not result.errors, result.errors  # answered within 3 s, once
    return result


async def test_minimal_payloads_are_judged_by_discords_permissions(
    tmp_path: Path, emu: DiscordEmulator, feeds: FeedServer
) -> None:
    guild = emu.add_guild("Outside", channels=("general", "news"))
    general, news = guild.channel("general"), guild.channel("news")
    settings = bot_settings(tmp_path, emu, feeds, ["/a.xml"])
    unavailable = emu.inject_fault("PUT", "/applications/*/commands", 503)
    async with running_bot(emu, settings) as bot:  # the sync is retried
        assert unavailable.hits == 1
        db = bot.services.db if bot.services else None
        assert db is not None
        reader = outsider("reader")
        refused = await minimal_invoke(
            emu, "subscribe", general, reader, READER, option=channel_option(news, READER)
        )
        assert "Manage Channels" in refused.text and refused.ephemeral
        assert subscriptions.guild_subscriptions(db, guild.id) == []

        admin = outsider("admin")  # Manage Channels by Discord's figures, no role in the cache
        named = await minimal_invoke(
            emu, "subscribe", general, admin, ADMIN, option=channel_option(news, ADMIN)
        )
        assert named.text.startswith(f"Subscribed <#{news.id}>"), named.text
        here = await minimal_invoke(emu, "subscribe", general, admin, ADMIN)
        assert here.text.startswith(f"Subscribed <#{general.id}>"), here.text
        # Manage Channels here but not in #news (an overwrite Discord accounted for)
        denied = await minimal_invoke(
            emu, "unsubscribe", general, admin, ADMIN, option=channel_option(news, READER)
        )
        assert "Manage Channels in #news" in denied.text
        subs = subscriptions.guild_subscriptions(db, guild.id)
        assert sorted(sub.channel_id for sub in subs) == sorted([general.id, news.id])

        owner = outsider("owner")  # Administrator alone means every permission
        again = await minimal_invoke(emu, "subscribe", general, owner, perm.ADMINISTRATOR)
        assert again.text.startswith(f"Updated the subscription of <#{general.id}>"), again.text
        assert "every 2 s" in again.text, "the poll interval as configured"

        desk = emu.add_role(guild, "desk", 0, mentionable=True)
        await emu.settle()
        thin_role = (
            {"type": 8, "name": "role", "value": str(desk.id)},
            {"roles": {str(desk.id): {"id": str(desk.id), "name": desk.name}}},
        )
        pinged = await minimal_invoke(
            emu, "subscribe", general, owner, perm.ADMINISTRATOR, option=thin_role
        )
        assert f"ping <@&{desk.id}>" in pinged.text, pinged.text

        stale = await minimal_invoke(emu, "digest", general, reader, READER, command_id=1234)
        assert stale.ephemeral and "changed" in stale.text

        dm = emu.core.world.dm_channel(reader)
        latest = await minimal_invoke(emu, "latest", dm, reader, READER)
        status = await minimal_invoke(emu, "status", dm, reader, READER)
        assert "No developments" in latest.text and "talkwatch status" in status.text


def sitecustomize_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "sitecustomize.py").write_text(REDIRECT)
    return folder


async def test_bot_py_run_as_an_outsider_starts_it(
    tmp_path: Path, emu: DiscordEmulator, feeds: FeedServer
) -> None:
    """`python bot.py run` with env settings over talkwatch.toml, Discord refusing connections
    at first, global sync, the command definitions, a post with the summary, SIGTERM."""
    guild = emu.add_guild("Outside", channels=("general",))
    general = guild.channel("general")
    feeds.set_feed("/a.xml", rss([]))
    feeds_file = write_feeds_file(tmp_path / "feeds.toml", feeds, ["/a.xml"])
    config = tmp_path / "talkwatch.toml"
    config.write_text('poll_seconds = 900\nfeeds = "missing.toml"\nlog_level = "ERROR"\n')
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TALKWATCH_", "DISCORD"))}
    env |= {
        "PYTHONPATH": str(sitecustomize_dir(tmp_path)),
        "OUTSIDE_API": emu.api_base,
        "OUTSIDE_GATEWAY": emu.gateway_url,
        "DISCORD_TOKEN": emu.token,
        "TALKWATCH_CONFIG": str(config),
        "TALKWATCH_FEEDS": str(feeds_file),
        "TALKWATCH_DB": str(tmp_path / "tw.db"),
        "TALKWATCH_POLL_SECONDS": "2",
        "TALKWATCH_LOG_LEVEL": "INFO",
    }
    refused = emu.inject_fault("GET", "/users/@me", 0, times=2)  # connection dropped twice
    log_path = tmp_path / "bot.log"
    with log_path.open("wb") as log:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "bot.py", "run", cwd=ROOT, env=env, stdout=log, stderr=log
        )
    try:
        await emu.wait_for_commands_synced(timeout=20)
        assert refused.hits == 2
        assert_definitions(emu)
        admin = outsider("admin")
        reply = await minimal_invoke(emu, "subscribe", general, admin, ADMIN)
        assert "as it happens" in reply.text, "instant by default"
        feeds.set_feed("/a.xml", rss([OFFER[0]]))
        (post,) = await emu.wait_for_posts(general, 1, timeout=15)
        description = post.embeds[0]["description"]
        assert "Istanbul" in description and description in post.content
        assert post.allowed_mentions == {"parse": []}
    finally:
        process.terminate()
        code = await asyncio.wait_for(process.wait(), 20)
    text = log_path.read_text()
    assert code == 0, text
    assert "WARNING talkwatch: cannot reach Discord" in text and "Traceback" not in text, text
    assert emu.token not in text


def assert_definitions(emu: DiscordEmulator) -> None:
    (guild,) = emu.core.world.guilds.values()
    assert emu.commands(guild) == [], "synced globally by default"
    subscribe = emu.command("subscribe")
    assert subscribe.default_member_permissions == perm.MANAGE_CHANNELS
    assert subscribe.option("channel")["type"] == 7
    assert not any(option.get("required") for option in subscribe.options)
    mode = subscribe.option("mode")
    assert {choice["value"] for choice in mode["choices"]} == {"instant", "daily"}
    for name in ("latest", "status"):
        assert not any(option.get("required") for option in emu.command(name).options)


async def test_a_long_check_cycle_never_holds_up_interactions(
    tmp_path: Path, emu: DiscordEmulator, feeds: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Judging keeps its worker thread busy (as 10,000 stories do for over a second) while a
    command comes in: the bot's loop answers it before the cycle goes on."""
    started, release, finished = threading.Event(), threading.Event(), threading.Event()
    original = Judge._place_all

    def busy_place_all(self: Judge, *args: Any, **kwargs: Any) -> Any:
        if not started.is_set():
            started.set()
            release.wait(10)  # blocks the thread that judges
            finished.set()
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Judge, "_place_all", busy_place_all)
    guild = emu.add_guild("Outside", channels=("general",))
    settings = bot_settings(tmp_path, emu, feeds, ["/a.xml"])
    feeds.set_feed("/a.xml", rss([OFFER[0]]))  # a new story, so the first cycle judges
    try:
        async with running_bot(emu, settings):
            await poll_until(started.is_set, 20, "a check cycle to start judging")
            result = await emu.invoke("status", guild.channel("general"))
            assert "talkwatch status" in result.text and not result.errors
            assert not finished.is_set(), "answered while the cycle was still busy"
            release.set()
            await poll_until(finished.is_set, 10, "the cycle to go on")
    finally:
        release.set()


HOSTILE_TAIL = (
    " @everyone @here <@123456789012345678> <@&223456789012345678> <#323456789012345678>"
    " [click](https://evil.example/x) **bold** `code` <b>html</b> zero\u200bwidth\u202e"
)
RAW_MARKUP = ("@everyone", "@here", "](https://evil", "**bold**", "`code`", "<b>")
UNESCAPED_MENTION = re.compile(r"(?<!\\)<[@#]")


def hostile(item: Item, title_suffix: str = "") -> Item:
    return Item(item.title + title_suffix, item.text + HOSTILE_TAIL, item.link)


async def test_three_outlets_in_three_cycles_give_one_post_then_edits_all_sanitised(
    tmp_path: Path, emu: DiscordEmulator, feeds: FeedServer
) -> None:
    guild = emu.add_guild("Outside", channels=("general",))
    general = guild.channel("general")
    paths = ["/kyiv.xml", "/wire.xml", "/europa.xml"]
    settings = bot_settings(tmp_path, emu, feeds, paths)
    async with running_bot(emu, settings):
        await minimal_invoke(emu, "subscribe", general, outsider("admin"), ADMIN)
        feeds.set_feed(paths[0], rss([hostile(OFFER[0], " <@&223456789012345678>")]))
        (post,) = await emu.wait_for_posts(general, 1)
        emu.inject_fault("PATCH", "/channels/*/messages/*", 200)  # an unreadable answer
        for number, path in enumerate(paths[1:], start=1):
            feeds.set_feed(path, rss([hostile(OFFER[number])]))
            outlet = f"Outlet {number}"

            def edited(outlet: str = outlet) -> bool:
                return outlet in str(emu.message(post.id).embeds)

            await emu.wait_for(edited, 20, f"an edit naming {outlet}")
        assert len(emu.posts(general)) == 1, "one event, one post"
        message = emu.message(post.id)
        assert len(message.edits) >= 1
    sent = emu.requests_to("POST", "/channels/{channel_id}/messages")
    edits = emu.requests_to("PATCH", "/channels/{channel_id}/messages/{message_id}")
    assert sent and edits
    for request in sent + edits:
        assert request.json["allowed_mentions"] == {"parse": []}, request.json
        shown = json.dumps([request.json["content"], request.json["embeds"]], ensure_ascii=False)
        assert not [raw for raw in RAW_MARKUP if raw in shown], shown
        assert not UNESCAPED_MENTION.search(shown), shown
        assert "\u200b" not in shown.replace("@\u200b", "") and "\u202e" not in shown
    assert emu.violations == [] and not message.mentions.any


async def test_refusals_pause_until_subscribed_again_and_server_errors_lose_nothing(
    tmp_path: Path, emu: DiscordEmulator, feeds: FeedServer, caplog: pytest.LogCaptureFixture
) -> None:
    """Discord's own refusals (the bot's cache saw no problem): 403 50001, 403 50013 and 404
    10003 pause with the reason in /status and nothing more goes there until /subscribe;
    429 with retry_after, 500, 502, 503 and an answer discord.py cannot read are retried
    (the last with backoff, logged) and each row is sent once."""
    names = ("access", "perms", "unknown", "limited", "e500", "e502", "e503", "e200")
    guild = emu.add_guild("Outside", channels=names)
    channel = {name: guild.channel(name) for name in names}
    settings = bot_settings(tmp_path, emu, feeds, ["/a.xml"])
    refusals = {"access": (403, 50001), "perms": (403, 50013), "unknown": (404, 10003)}
    admin = outsider("admin")
    async with running_bot(emu, settings):
        for name in names:
            await minimal_invoke(emu, "subscribe", channel[name], admin, ADMIN)
        for name, (status, code) in refusals.items():
            emu.inject_fault("POST", f"/channels/{channel[name].id}/messages", status, code=code)
        emu.inject_fault("POST", f"/channels/{channel['limited'].id}/messages", 429, retry_after=1)
        for status in (500, 502, 503, 200):  # 200 with an error body: not a message
            emu.inject_fault("POST", f"/channels/{channel[f'e{status}'].id}/messages", status)
        feeds.set_feed("/a.xml", rss([OFFER[0]]))
        for name in ("limited", "e500", "e502", "e503", "e200"):
            await emu.wait_for_posts(channel[name], 1, timeout=20)
        status_text = (await minimal_invoke(emu, "status", channel["e500"], admin, ADMIN)).text
        for name, (_, code) in refusals.items():
            assert f"<#{channel[name].id}>: instant, **paused**" in status_text, status_text
            assert f"(code {code})" in status_text
        feeds.set_feed("/a.xml", rss([OFFER[0], EVENTS[1]]))
        for name in ("limited", "e500", "e502", "e503", "e200"):
            await emu.wait_for_posts(channel[name], 2, timeout=20)
        for name in refusals:
            tries = [r for r in emu.requests if r.path == f"/channels/{channel[name].id}/messages"]
            assert len(tries) == 1, f"nothing more sent to #{name} while paused"
        await minimal_invoke(emu, "subscribe", channel["access"], admin, ADMIN)
        await emu.wait_for_posts(channel["access"], 1, timeout=20)
    for name in ("limited", "e500", "e502", "e503", "e200"):
        titles = [post.embeds[0]["title"] for post in emu.posts(channel[name])]
        assert len(titles) == len(set(titles)) == 2, (name, titles)
    assert emu.violations == []
    assert "unexpected error: KeyError; retry after" in caplog.text


def button(result: InteractionResult, label: str) -> str:
    for row in result.components:
        for component in row.get("components", []):
            if component.get("label") == label:
                return str(component["custom_id"])
    raise AssertionError(f"no {label} button in {result.components}")


async def test_latest_buttons_answer_after_a_restart(
    tmp_path: Path, emu: DiscordEmulator, feeds: FeedServer
) -> None:
    guild = emu.add_guild("Outside", channels=("general",))
    general = guild.channel("general")
    settings = bot_settings(tmp_path, emu, feeds, ["/a.xml"])
    reader = outsider("reader")
    async with running_bot(emu, settings) as bot:
        feeds.set_feed("/a.xml", rss(list(EVENTS[:3])))
        db = bot.services.db if bot.services else None
        await poll_until(lambda: db is not None and len(latest_developments(db, 5)) >= 3)
        full = await minimal_invoke(emu, "latest", general, reader, READER)
        assert len(full.embeds) == 3
        first = await emu.invoke("latest", general, options={"count": 1})
    assert first.message is not None
    async with running_bot(emu, settings):  # the same database, a new process' worth of state
        await emu.wait_for_identifies(2)
        paged = await emu.invoke("latest", general, options={"count": 1})
        assert paged.message is not None
        older = await emu.click(paged.message, button(paged, "Older"))
        assert not older.errors and older.text.startswith("Developments 2-2")
        newer = await emu.click(paged.message, button(older, "Newer"))
        assert newer.text.startswith("Developments 1-1")
        again = await emu.click(first.message, button(first, "Older"))  # sent before the restart
        assert not again.errors and again.text.startswith("Developments 2-2")


@pytest.mark.parametrize("seed", [7])
async def test_kill_and_sigterm_at_random_moments_of_a_burst_deliver_each_once(
    tmp_path: Path, emu: DiscordEmulator, feeds: FeedServer, seed: int
) -> None:
    """kill -9, then SIGTERM, each at a random point of a burst of 40 posts (paced at 8 a
    second, each answered 0.3 s late, so that some are in flight); after the restarts every
    channel has every development exactly once."""
    rng = random.Random(seed)
    names = [f"desk{number}" for number in range(8)]
    guild = emu.add_guild("Outside", channels=names)
    settings = bot_settings(tmp_path, emu, feeds, ["/a.xml", "/b.xml"], send_rate_per_second=8.0)
    env = settings_environment(settings)
    bot = BotProcess(emu, env=env, log_path=tmp_path / "bot.log")
    total = len(EVENTS) * len(names)
    async with bot:
        await emu.wait_for_commands_synced(timeout=20)
        admin = outsider("admin")
        for name in names:
            await minimal_invoke(emu, "subscribe", guild.channel(name), admin, ADMIN)
        emu.inject_fault("POST", "/channels/*/messages", None, delay=0.3, times=None)
        feeds.set_feed("/a.xml", rss(EVENTS[:3]))
        feeds.set_feed("/b.xml", rss(EVENTS[3:]))
        for number, stop in enumerate(("kill", "term"), start=1):
            target = len(emu.all_posts()) + rng.randint(1, 10)

            def reached(target: int = target) -> bool:
                return len(emu.all_posts()) >= target

            await emu.wait_for(reached, 30, f"{target} posts")
            await asyncio.sleep(rng.random() * 0.3)
            assert len(emu.all_posts()) < total, "the stop must land during the burst"
            code = await (bot.kill() if stop == "kill" else bot.stop())
            assert code == (-9 if stop == "kill" else 0), bot.log_text()
            await bot.start()
            await emu.wait_for_identifies(number + 1)
        await emu.wait_for(lambda: len(emu.all_posts()) >= total, 40, "every post")
        await emu.wait_for_commands_synced(timeout=20)
    for name in names:
        titles = Counter(post.embeds[0]["title"] for post in emu.posts(guild.channel(name)))
        assert len(titles) == len(EVENTS) and set(titles.values()) == {1}, (name, titles)
    text = bot.log_text()
    assert emu.token not in text and "Traceback" not in text


async def test_sigterm_while_discord_is_unreachable_exits_cleanly(
    tmp_path: Path, emu: DiscordEmulator, feeds: FeedServer
) -> None:
    settings = bot_settings(tmp_path, emu, feeds, ["/a.xml"])
    emu.inject_fault("GET", "/users/@me", 503, times=None)
    bot = BotProcess(emu, env=settings_environment(settings), log_path=tmp_path / "bot.log")
    await bot.start()
    try:
        await poll_until(lambda: "retrying in 2 s" in bot.log_text(), 20, "a second attempt")
    except AssertionError:
        raise AssertionError(bot.log_text()) from None
    assert await bot.stop() == 0
    text = bot.log_text()
    assert "cannot reach Discord (Discord answered 503); retrying in 1 s" in text
    assert "database closed" in text and "Traceback" not in text and emu.token not in text


def test_two_connections_read_then_write_without_busy_errors(tmp_path: Path) -> None:
    """The bot and its feed checks each have a connection. A transaction that reads, then
    writes, while the other connection writes, must wait for it, not fail at once with
    "database is locked" (what a deferred BEGIN does in WAL mode)."""
    path = tmp_path / "two.db"
    first = open_database(path)
    first.execute("CREATE TABLE tally (n INTEGER)")
    first.execute("INSERT INTO tally VALUES (0)")
    ready, go, written = threading.Event(), threading.Event(), threading.Event()

    def other_connection() -> None:
        second = open_database(path)
        ready.set()
        go.wait(10)
        second.execute("UPDATE tally SET n = n + 10")
        written.set()
        second.close()

    thread = threading.Thread(target=other_connection)
    thread.start()
    ready.wait(10)
    with first.atomic():
        (before,) = first.execute("SELECT n FROM tally").fetchone()
        go.set()
        written.wait(0.5)  # a deferred transaction lets the other write commit here
        first.execute("UPDATE tally SET n = ?", (before + 1,))
    thread.join(10)
    assert written.is_set()
    assert first.execute("SELECT n FROM tally").fetchone() == (11,)
    first.close()


async def test_gateway_unreachable_at_start_is_retried(
    tmp_path: Path, emu: DiscordEmulator, feeds: FeedServer
) -> None:
    """REST answers but the gateway refuses (HTTP 503) at first: the bot keeps trying (it
    used to crash with discord.py's AttributeError) and answers commands once connected."""
    guild = emu.add_guild("Outside", channels=("general",))
    settings = bot_settings(tmp_path, emu, feeds, ["/a.xml"])
    emu.set_gateway_available(False)
    bot = BotProcess(emu, env=settings_environment(settings), log_path=tmp_path / "bot.log")
    async with bot:
        try:
            await poll_until(lambda: "gateway yet" in bot.log_text(), 20, "a gateway retry")
        except AssertionError:
            raise AssertionError(bot.log_text()) from None
        emu.set_gateway_available(True)
        await emu.wait_until_connected(timeout=20)
        status = await minimal_invoke(emu, "status", guild.channel("general"), outsider("a"), 0)
        assert "talkwatch status" in status.text
        assert await bot.stop() == 0
    assert emu.token not in bot.log_text()
