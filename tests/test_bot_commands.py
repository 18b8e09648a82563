"""End to end, in process: the real bot against the Discord emulator and a loopback feed server.

Subscribe, then a new story on a feed arrives as one embed; three outlets' reports give one
post and an edit; a permission removed pauses the subscription, shown in /status; /latest pages
with its buttons; members without Manage Channels can't subscribe; no message ever mentions.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from handlers.app import TalkwatchBot
from storage import subscriptions
from storage.developments import latest_developments
from tests.botharness import (
    EXCHANGE,
    HOSTILE,
    OFFER,
    Item,
    bot_settings,
    poll_until,
    rss,
    running_bot,
)
from tests.emulator import permissions as perm
from tests.emulator.emulator import DiscordEmulator
from tests.emulator.invoke import CommandNotVisible
from tests.emulator.models import Guild
from tests.feedserver import FeedServer

FEEDS = ["/kyiv.xml", "/wire.xml", "/europa.xml"]


def assert_no_mentions(emu: DiscordEmulator) -> None:
    for message in emu.all_posts():
        assert not message.mentions.any, message
    assert emu.violations == []
    assert sum(emu.rate_limits.counts.values()) == 0


async def subscribe(
    emu: DiscordEmulator, guild: Guild, name: str = "general", **options: object
) -> str:
    channel = guild.channel(name)
    owner = guild.members[guild.owner_id]
    result = await emu.invoke("subscribe", channel, member=owner, options=options)
    assert result.flags & 64, "answers are ephemeral"
    return result.content


async def test_subscribe_then_new_story_arrives_and_sources_edit(
    tmp_path: Path, emu: DiscordEmulator, feeds: FeedServer
) -> None:
    guild = emu.add_guild("Peace desk", channels=("general", "other"))
    settings = bot_settings(tmp_path, emu, feeds, FEEDS)
    async with running_bot(emu, settings) as bot:
        text = await subscribe(emu, guild)
        assert "Subscribed" in text and "No development" in text
        channel = guild.channel("general")
        feeds.set_feed("/kyiv.xml", rss([OFFER[0]]))
        (post,) = await emu.wait_for_posts(channel, 1)
        assert post.embeds and "Istanbul" in post.embeds[0]["title"]
        summary = post.embeds[0]["description"]
        assert "National Security and Defence Council" in summary
        assert summary in post.content, "the text carries the summary"
        assert post.nonce is not None and len(str(post.nonce)) <= 25
        feeds.set_feed("/wire.xml", rss([OFFER[1]]))
        feeds.set_feed("/europa.xml", rss([OFFER[2]]))
        edited = await emu.wait_for(
            lambda: "Outlet 2" in str(emu.message(post.id).embeds), timeout=20
        )
        assert edited
        assert "Outlet 1" in str(emu.message(post.id).embeds)
        assert len(emu.posts(channel)) == 1, "reports of one event give one post"
        assert emu.posts(guild.channel("other")) == []
        assert_no_mentions(emu)
        await _check_bot_state(bot)


async def _check_bot_state(bot: TalkwatchBot) -> None:
    assert bot.services is not None
    (sub,) = subscriptions.guild_subscriptions(bot.services.db, next(iter(bot.guilds)).id)
    assert sub.is_active


async def test_permission_removed_pauses_and_status_shows_it(
    tmp_path: Path, emu: DiscordEmulator, feeds: FeedServer
) -> None:
    guild = emu.add_guild("Peace desk", channels=("general",))
    settings = bot_settings(tmp_path, emu, feeds, FEEDS)
    async with running_bot(emu, settings):
        await subscribe(emu, guild)
        channel = guild.channel("general")
        emu.set_channel_permissions(channel, "bot", deny=perm.SEND_MESSAGES)
        await emu.settle()
        feeds.set_feed("/kyiv.xml", rss([EXCHANGE]))
        result = None
        for _ in range(40):
            result = await emu.invoke("status", channel, member=guild.members[guild.owner_id])
            if result.message is not None and "paused" in result.message.text:
                break
            await asyncio.sleep(0.5)
        assert result is not None and result.message is not None
        assert "paused" in result.message.text and "Send Messages" in result.message.text
        assert emu.posts(channel) == []
        emu.set_channel_permissions(channel, "bot")
        await emu.settle()
        text = await subscribe(emu, guild)
        assert "Updated" in text
        await emu.wait_for_posts(channel, 1)
        assert_no_mentions(emu)


async def test_subscribe_refusals(tmp_path: Path, emu: DiscordEmulator, feeds: FeedServer) -> None:
    guild = emu.add_guild("Peace desk", channels=("general", "locked"))
    locked = guild.channel("locked")
    emu.set_channel_permissions(locked, "bot", deny=perm.EMBED_LINKS)
    settings = bot_settings(tmp_path, emu, feeds, FEEDS)
    async with running_bot(emu, settings) as bot:
        member = guild.members[guild.default_member_id]
        with pytest.raises(CommandNotVisible):
            await emu.invoke("subscribe", guild.channel("general"), member=member)
        forced = await emu.invoke("subscribe", guild.channel("general"), member=member, force=True)
        assert "Manage Channels" in forced.content and forced.flags & 64
        refused = await emu.invoke(
            "subscribe", guild.channel("general"), member=guild.members[guild.owner_id],
            options={"channel": locked},
        )  # fmt: skip
        assert "Embed Links" in refused.content
        bad_time = await emu.invoke(
            "subscribe", guild.channel("general"), member=guild.members[guild.owner_id],
            options={"mode": "daily", "time": "25:00"},
        )  # fmt: skip
        assert "time" in bad_time.content
        assert bot.services is not None
        assert subscriptions.guild_subscriptions(bot.services.db, guild.id) == []
        sources = await emu.invoke("sources", guild.channel("general"), member=member)
        assert sources.message is not None
        assert all(f"Outlet {n}" in sources.message.text for n in range(len(FEEDS)))


async def test_latest_pages_with_buttons(
    tmp_path: Path, emu: DiscordEmulator, feeds: FeedServer
) -> None:
    guild = emu.add_guild("Peace desk", channels=("general",))
    settings = bot_settings(tmp_path, emu, feeds, FEEDS)
    now = datetime.now(UTC)
    async with running_bot(emu, settings) as bot:
        items = [
            Item(HOSTILE.title, HOSTILE.text, HOSTILE.link, now - timedelta(minutes=1)),
            Item(EXCHANGE.title, EXCHANGE.text, EXCHANGE.link, now - timedelta(minutes=20)),
            Item(OFFER[0].title, OFFER[0].text, OFFER[0].link, now - timedelta(minutes=40)),
        ]
        feeds.set_feed("/kyiv.xml", rss(items))
        assert bot.services is not None
        db = bot.services.db
        await poll_until(lambda: len(latest_developments(db, 5)) >= 3)
        first = await emu.invoke("latest", guild.channel("general"), options={"count": 2})
        assert len(first.embeds) == 2 and "rejects" in first.embeds[0]["title"]
        assert "@everyone" not in first.message.text if first.message else True
        older_id = _button(first.components, "Older")
        second = await emu.click(first.message.id if first.message else 0, older_id)
        assert len(second.embeds) == 1 and "Istanbul" in second.embeds[0]["title"]
        newer_id = _button(second.components, "Newer")
        back = await emu.click(second.message.id if second.message else 0, newer_id)
        assert [e["title"] for e in back.embeds] == [e["title"] for e in first.embeds]
        dm = await emu.invoke("latest", dm=True)
        assert len(dm.embeds) == 3


def _button(components: tuple[dict[str, Any], ...], label: str) -> str:
    for row in components:
        for component in row.get("components", []):
            if component.get("label") == label:
                return str(component["custom_id"])
    raise AssertionError(f"no {label} button in {components}")


async def test_unexpected_error_gets_a_reference(
    tmp_path: Path, emu: DiscordEmulator, feeds: FeedServer, caplog: pytest.LogCaptureFixture
) -> None:
    guild = emu.add_guild("Peace desk", channels=("general",))
    settings = bot_settings(tmp_path, emu, feeds, FEEDS)
    async with running_bot(emu, settings) as bot:
        assert bot.services is not None
        bot.services.db.conn.close()  # the database goes away under the bot
        result = await emu.invoke("latest", guild.channel("general"))
        assert "Something went wrong" in result.content and result.flags & 64
        reference = result.content.split("reference ")[1].split(")")[0]
        assert any(reference in record.getMessage() for record in caplog.records)
