"""End to end, in process: digests, catch-up, role pings, crossposting, and Discord's refusals.

The bot's clock for commands and deliveries is a test clock (`Clock`); feed checks use real
time. Each test drives the real bot against the emulator and a loopback feed server.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlite_utils import Database

from storage import subscriptions
from storage.deliveries import count_deliveries
from storage.developments import latest_developments
from tests.botharness import EVENTS, bot_settings, poll_until, rss, running_bot
from tests.emulator.emulator import DiscordEmulator
from tests.emulator.models import Channel, Member
from tests.emulator.state import ChannelSpec
from tests.feedserver import FeedServer

FEEDS = ["/kyiv.xml", "/wire.xml"]


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def assert_clean(emu: DiscordEmulator) -> None:
    assert emu.violations == []
    assert sum(emu.rate_limits.counts.values()) == 0


async def test_daily_digest_at_its_time_only(
    tmp_path: Path, emu: DiscordEmulator, feeds: FeedServer
) -> None:
    guild = emu.add_guild("Peace desk", channels=("daily",))
    channel = guild.channel("daily")
    settings = bot_settings(tmp_path, emu, feeds, FEEDS, timezone="Europe/Kyiv")
    real = datetime.now(UTC)
    # 07:30 in Kyiv (UTC+2) on a fixed day
    clock = Clock(datetime(real.year, real.month, real.day, 5, 30, tzinfo=UTC))
    async with running_bot(emu, settings, now_fn=clock) as bot:
        owner = guild.members[guild.owner_id]
        answer = await emu.invoke(
            "subscribe", channel, member=owner, options={"mode": "daily", "time": "08:00"}
        )
        assert "every day at 08:00 (Europe/Kyiv)" in answer.content
        feeds.set_feed("/kyiv.xml", rss(EVENTS[:2]))
        assert bot.services is not None
        db = bot.services.db
        await poll_until(lambda: len(latest_developments(db, 5)) == 2)
        clock.now += timedelta(minutes=29)  # 07:59
        bot.services.wake_drainer()
        await asyncio.sleep(1.2)  # at least one outbox pass
        assert emu.posts(channel) == []
        assert count_deliveries(db)["pending"] == 2
        clock.now += timedelta(minutes=1)  # 08:00
        bot.services.wake_drainer()
        (digest,) = await emu.wait_for_posts(channel, 1)
        assert "2 developments" in digest.content
        for item in EVENTS[:2]:
            assert item.title.split()[0] in digest.embeds[0]["description"]
        clock.now += timedelta(days=1)  # a quiet day: no message
        bot.services.wake_drainer()
        await poll_until(lambda: _digest_day(db, channel.id) == clock.now.date(), 5)
        assert len(emu.posts(channel)) == 1
        assert not digest.mentions.any
    assert_clean(emu)


def _digest_day(db: Database, channel_id: int) -> date | None:
    sub = subscriptions.get_subscription(db, channel_id)
    return sub.last_digest_on if sub else None


async def test_catch_up_digest_after_downtime(
    tmp_path: Path, emu: DiscordEmulator, feeds: FeedServer
) -> None:
    guild = emu.add_guild("Peace desk", channels=("general",))
    channel = guild.channel("general")
    settings = bot_settings(tmp_path, emu, feeds, FEEDS)
    async with running_bot(emu, settings):
        await emu.invoke("subscribe", channel, member=guild.members[guild.owner_id])
    # The bot is off for an hour while five developments are reported.
    feeds.set_feed("/kyiv.xml", rss(EVENTS[:3]))
    feeds.set_feed("/wire.xml", rss(EVENTS[3:]))
    later = Clock(datetime.now(UTC) + timedelta(hours=1))
    async with running_bot(emu, settings, now_fn=later):
        (digest,) = await emu.wait_for_posts(channel, 1)
        await asyncio.sleep(1.2)
        assert len(emu.posts(channel)) == 1, "one catch-up digest, not a flood"
        assert "While the bot was away: 5 developments" in digest.content
        description = digest.embeds[0]["description"]
        assert description.count("•") == 5
        assert "@everyone" not in description and "](http://evil" not in description
    assert_clean(emu)


async def test_role_ping_for_major_only_that_role(
    tmp_path: Path, emu: DiscordEmulator, feeds: FeedServer
) -> None:
    guild = emu.add_guild("Peace desk", channels=("general",))
    role = emu.add_role(guild, "talks-watchers", mentionable=True)
    channel = guild.channel("general")
    settings = bot_settings(tmp_path, emu, feeds, FEEDS, major_importance=0.0)
    async with running_bot(emu, settings):
        owner = guild.members[guild.owner_id]
        answer = await emu.invoke("subscribe", channel, member=owner, options={"role": role})
        assert "major developments only" in answer.content
        feeds.set_feed("/kyiv.xml", rss([EVENTS[2]]))  # the hostile one: @everyone, <@...>
        (post,) = await emu.wait_for_posts(channel, 1)
        assert post.mentions.roles == (role.id,)
        assert not post.mentions.everyone and post.mentions.users == ()
        assert post.content.startswith(f"<@&{role.id}>")
    assert_clean(emu)


async def test_announcement_channel_posts_are_published(
    tmp_path: Path, emu: DiscordEmulator, feeds: FeedServer
) -> None:
    guild = emu.add_guild("Peace desk", channels=(ChannelSpec("news", kind="announcement"),))
    channel = guild.channel("news")
    settings = bot_settings(tmp_path, emu, feeds, FEEDS)
    async with running_bot(emu, settings):
        await emu.invoke("subscribe", channel, member=guild.members[guild.owner_id])
        feeds.set_feed("/kyiv.xml", rss([EVENTS[0]]))
        (post,) = await emu.wait_for_posts(channel, 1)
        await emu.wait_for(lambda: emu.message(post.id).crossposted, 10)
        emu.inject_fault("POST", "/channels/*/crosspost", 403, code=50013)
        feeds.set_feed("/wire.xml", rss([EVENTS[1]]))
        _, second = await emu.wait_for_posts(channel, 2)
        owner = guild.members[guild.owner_id]
        status = await poll_status(emu, channel, owner, "cannot publish")
        assert "active" in status, "a failed publish is reported, not fatal"
        assert not emu.message(second.id).crossposted
    assert emu.violations == []


async def test_deleted_channel_pauses_and_server_errors_retry(
    tmp_path: Path, emu: DiscordEmulator, feeds: FeedServer
) -> None:
    guild = emu.add_guild("Peace desk", channels=("gone", "flaky"))
    gone, flaky = guild.channel("gone"), guild.channel("flaky")
    settings = bot_settings(tmp_path, emu, feeds, FEEDS)
    async with running_bot(emu, settings) as bot:
        owner = guild.members[guild.owner_id]
        for channel in (gone, flaky):
            await emu.invoke("subscribe", channel, member=owner)
        emu.delete_channel(gone)
        await emu.settle()
        emu.inject_fault("POST", f"/channels/{flaky.id}/messages", 503, times=1)
        feeds.set_feed("/kyiv.xml", rss([EVENTS[1]]))
        assert bot.services is not None
        db = bot.services.db
        await poll_until(lambda: _paused_reason(db, gone.id))
        assert "unknown channel" in (_paused_reason(db, gone.id) or "")
        (post,) = await emu.wait_for_posts(flaky, 1, timeout=20)
        assert post.embeds
        status = await emu.invoke("status", flaky, member=owner)
        assert status.message is not None and "paused" in status.message.text
    assert emu.violations == []


def _paused_reason(db: Database, channel_id: int) -> str | None:
    sub = subscriptions.get_subscription(db, channel_id)
    return sub.paused_reason if sub and not sub.is_active else None


async def poll_status(emu: DiscordEmulator, channel: Channel, member: Member, text: str) -> str:
    """/status until its answer contains `text`."""
    shown = ""
    for _ in range(40):
        result = await emu.invoke("status", channel, member=member)
        shown = result.message.text if result.message else ""
        if text in shown:
            return shown
        await asyncio.sleep(0.25)
    raise AssertionError(f"/status never showed {text!r}: {shown}")


async def test_posts_continue_after_the_gateway_drops(
    tmp_path: Path, emu: DiscordEmulator, feeds: FeedServer
) -> None:
    guild = emu.add_guild("Peace desk", channels=("general",))
    channel = guild.channel("general")
    settings = bot_settings(tmp_path, emu, feeds, FEEDS)
    async with running_bot(emu, settings):
        await emu.invoke("subscribe", channel, member=guild.members[guild.owner_id])
        await emu.drop_gateway()
        feeds.set_feed("/kyiv.xml", rss([EVENTS[3]]))
        (post,) = await emu.wait_for_posts(channel, 1)
        await emu.wait_for_resume()
        answer = await emu.invoke("latest", channel)
        assert answer.embeds[0]["title"] == post.embeds[0]["title"]
    assert_clean(emu)
