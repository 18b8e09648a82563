"""`/status` and `/sources`: feed health, counts and this server's subscriptions.

The rendering functions are pure (records in, embed out); feed names, labels and errors are
escaped like any feed text, since errors quote remote servers.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import discord
from discord import app_commands
from discord.ext import commands

from handlers.context import Services, services_of
from handlers.render import EMBED_TOTAL_LIMIT, FIELD_LIMIT, clean_text, clip, timestamp_markup
from news.records import FeedState
from storage import deliveries, subscriptions
from storage.feeds import list_feeds
from storage.stories import Counts, count_records
from storage.subscriptions import Subscription

MAX_LIST_FIELDS = 4


def when(moment: datetime | None) -> str:
    return timestamp_markup(moment, "R") if moment else "never"


def feed_line(feed: FeedState, with_label: bool = False) -> str:
    name = clean_text(feed.name, 80)
    label = f" ({clean_text(feed.label, 60)})" if with_label and feed.label else ""
    if feed.consecutive_failures > 0:
        error = clean_text(feed.last_error or "error", 120)
        health = f"failing ×{feed.consecutive_failures}: {error}"
        mark = "⚠️"
    elif feed.last_checked_at is None:
        health, mark = "not checked yet", "⏳"
    else:
        health, mark = "ok", "✅"
    return (
        f"{mark} **{name}**{label}: {health}; checked {when(feed.last_checked_at)},"
        f" next {when(feed.next_check_at)}"
    )


def subscription_line(sub: Subscription) -> str:
    mode = f"daily at {sub.digest_time}" if sub.mode == "daily" else "instant"
    if sub.is_active:
        state = "active"
    else:
        reason = clean_text(sub.paused_reason or "unknown reason", 200)
        state = f"**paused**: {reason}. Fix it, then run /subscribe there to resume"
    line = f"<#{sub.channel_id}>: {mode}, {state}"
    if sub.role_id is not None:
        line += f", pings <@&{sub.role_id}> for major developments"
    if sub.notice:
        line += f" (note: {clean_text(sub.notice, 200)})"
    return line


def add_list(embed: discord.Embed, name: str, lines: Sequence[str]) -> None:
    """Add `lines` as up to `MAX_LIST_FIELDS` fields of at most 1,024 characters, "+N more"."""
    room = FIELD_LIMIT - 20  # leaves space for the "+N more" line
    chunks: list[list[str]] = [[]]
    for index, line in enumerate(lines):
        line = clip(line, room)
        if chunks[-1] and len("\n".join([*chunks[-1], line])) > room:
            if len(chunks) == MAX_LIST_FIELDS:
                chunks[-1].append(f"+{len(lines) - index} more")
                break
            chunks.append([])
        chunks[-1].append(line)
    for number, chunk in enumerate(chunk for chunk in chunks if chunk):
        embed.add_field(
            name=name if number == 0 else "\u200b", value="\n".join(chunk), inline=False
        )


def render_status(
    feeds: Sequence[FeedState],
    counts: Counts,
    outbox: dict[str, int],
    subs: Sequence[Subscription],
    in_guild: bool,
) -> discord.Embed:
    embed = discord.Embed(title="talkwatch status", colour=0x2C3E50)
    embed.description = (
        f"{counts.feeds} feeds ({counts.failing_feeds} failing), {counts.stories} stories,"
        f" {counts.relevant_stories} about the talks, {counts.developments} developments."
        f" Outbox: {outbox.get('pending', 0)} pending, {outbox.get('sent', 0)} sent,"
        f" {outbox.get('failed', 0)} failed."
    )
    add_list(embed, "Feeds", [feed_line(feed) for feed in feeds])
    if in_guild:
        lines = [subscription_line(sub) for sub in subs] or [
            "None. An admin can run /subscribe in a channel."
        ]
        add_list(embed, "This server's subscriptions", lines)
    return shrink(embed)


def render_sources(feeds: Sequence[FeedState]) -> discord.Embed:
    embed = discord.Embed(title="Sources", colour=0x2C3E50)
    embed.description = f"{len(feeds)} feeds, checked on a schedule."
    add_list(embed, "Feeds", [feed_line(feed, with_label=True) for feed in feeds])
    return shrink(embed)


def shrink(embed: discord.Embed) -> discord.Embed:
    while len(embed) > EMBED_TOTAL_LIMIT and len(embed.fields) > 1:
        embed.remove_field(len(embed.fields) - 1)
    return embed


class Status(commands.Cog):
    def __init__(self, services: Services) -> None:
        self.services = services

    @app_commands.command(description="Feed health, counts and this server's subscriptions")
    @app_commands.allowed_contexts(guilds=True, dms=True)
    async def status(self, interaction: discord.Interaction) -> None:
        db = self.services.db
        guild_id = interaction.guild_id
        subs = subscriptions.guild_subscriptions(db, guild_id) if guild_id else []
        embed = render_status(
            list_feeds(db, with_counts=False),
            count_records(db),
            deliveries.count_deliveries(db),
            subs,
            in_guild=guild_id is not None,
        )
        await interaction.response.send_message(
            embed=embed, ephemeral=True, allowed_mentions=discord.AllowedMentions.none()
        )

    @app_commands.command(description="The news feeds the bot follows, with their health")
    @app_commands.allowed_contexts(guilds=True, dms=True)
    async def sources(self, interaction: discord.Interaction) -> None:
        embed = render_sources(list_feeds(self.services.db, with_counts=False))
        await interaction.response.send_message(
            embed=embed, ephemeral=True, allowed_mentions=discord.AllowedMentions.none()
        )


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(Status(services_of(bot)))
