"""`/subscribe` and `/unsubscribe`: which channels get developments, instantly or daily.

Both need Manage Channels (hidden from others by default member permissions, and checked again
at run time, also for the target channel). No REST call besides the interaction reply: every
check reads the gateway cache, so a thousand subscriptions cost no requests under the global
limit.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Literal

import discord
from discord import app_commands
from discord.ext import commands

from handlers.context import POST_PERMISSIONS, Services, missing_permissions, services_of
from handlers.digests import local_today_if_passed, parse_digest_time
from handlers.errors import UserError
from handlers.render import clean_text, render_development
from storage import subscriptions
from storage.developments import latest_developments

log = logging.getLogger(__name__)

DEFAULT_DIGEST_TIME = "08:00"


@dataclass(frozen=True, slots=True)
class ChosenChannel:
    """The `channel` option: the cached channel, and the invoker's permissions there as
    Discord computed them (`resolved.channels[id].permissions`)."""

    channel: discord.abc.GuildChannel | None
    member_permissions: discord.Permissions


class PostChannelTransformer(app_commands.Transformer):
    """A text or announcement channel option that keeps Discord's permission figures.

    Discord computes the invoker's permissions in the named channel and sends them with the
    interaction; deciding from them (not from the member's cached roles) is what Discord
    itself would allow, whatever the bot's cache holds."""

    @property
    def type(self) -> discord.AppCommandOptionType:
        return discord.AppCommandOptionType.channel

    @property
    def channel_types(self) -> list[discord.ChannelType]:
        return [discord.ChannelType.text, discord.ChannelType.news]

    async def transform(self, interaction: discord.Interaction, value: Any, /) -> ChosenChannel:
        if not isinstance(value, app_commands.AppCommandChannel):
            raise UserError("Pick a text or announcement channel (threads and voice chats can't).")
        return ChosenChannel(value.resolve(), value.permissions)


PostChannel = app_commands.Transform[ChosenChannel, PostChannelTransformer]


def may_manage_channels(granted: discord.Permissions) -> bool:
    """Manage Channels, or Administrator (which Discord counts as every permission)."""
    return granted.manage_channels or granted.administrator


def manage_channels_check(interaction: discord.Interaction) -> bool:
    """The run-time check behind `default_member_permissions` (which only hides commands)."""
    if not may_manage_channels(interaction.permissions):
        raise app_commands.MissingPermissions(["manage_channels"])
    return True


def target_channel(
    interaction: discord.Interaction, chosen: ChosenChannel | None
) -> discord.TextChannel:
    """The channel named, else the current one; it must be a text or announcement channel of
    this server in which the member may manage channels (by Discord's own figures: the
    interaction's member permissions for the current channel, the resolved channel's for a
    named one)."""
    if chosen is None:
        target: object = interaction.channel
        granted = interaction.permissions
    else:
        target, granted = chosen.channel, chosen.member_permissions
    if not isinstance(target, discord.TextChannel):
        raise UserError("Pick a text or announcement channel (threads and voice chats can't).")
    if interaction.guild_id is None or target.guild.id != interaction.guild_id:
        raise UserError("Pick a channel of this server.")
    if not may_manage_channels(granted):
        raise UserError(f"You need Manage Channels in #{target.name} to change its subscription.")
    return target


def bot_missing(interaction: discord.Interaction, target: discord.TextChannel) -> list[str]:
    """What the bot lacks to post in `target`: Discord's `app_permissions` for the current
    channel, the cached roles and overwrites for another one."""
    if interaction.channel_id == target.id and interaction.app_permissions.value:
        granted = interaction.app_permissions
        return [label for attr, label in POST_PERMISSIONS if not getattr(granted, attr)]
    return missing_permissions(target)


def check_role(role: discord.Role | None, channel: discord.TextChannel) -> None:
    if role is None:
        return
    if role.is_default():
        raise UserError("Pick a role other than @everyone: the bot never pings everyone.")
    me = channel.guild.me
    if not role.mentionable and (me is None or not channel.permissions_for(me).mention_everyone):
        raise UserError(
            f"I can't ping @{role.name}: make the role mentionable (Server Settings > Roles), "
            "or give me Mention All Roles, then subscribe again."
        )


def next_steps(sub: subscriptions.Subscription, channel: str, services: Services) -> str:
    settings = services.settings
    seconds = settings.poll_seconds
    every = f"{seconds} s" if seconds < 90 else f"{round(seconds / 60)} min"
    if sub.mode == "daily":
        what = (
            f"I'll post one digest in {channel} every day at {sub.digest_time} "
            f"({settings.timezone}) listing that day's developments; no message on a quiet day."
        )
    else:
        what = (
            f"I check the feeds about every {every} and post each new development in "
            f"{channel} as it happens."
        )
    if sub.role_id is not None:
        what += f" I'll ping <@&{sub.role_id}> for major developments only."
    return what


class Subscriptions(commands.Cog):
    def __init__(self, services: Services, bot_name: str) -> None:
        self.services = services
        self.bot_name = bot_name

    @app_commands.command(description="Post new peace-talks developments in a channel")
    @app_commands.describe(
        channel="Where to post (default: this channel)",
        mode="instant: each development as it happens; daily: one digest a day",
        time="Daily digest time, HH:MM (24-hour)",
        role="A role to ping for major developments only",
    )
    @app_commands.default_permissions(manage_channels=True)
    @app_commands.check(manage_channels_check)
    @app_commands.guild_only()
    async def subscribe(
        self,
        interaction: discord.Interaction,
        channel: PostChannel | None = None,
        mode: Literal["instant", "daily"] = "instant",
        time: str | None = None,
        role: discord.Role | None = None,
    ) -> None:
        target = target_channel(interaction, channel)
        missing = bot_missing(interaction, target)
        if missing:
            raise UserError(
                f"I can't post in #{target.name}: I'm missing {', '.join(missing)} there. "
                "Grant it in the channel's permissions, then run /subscribe again."
            )
        if role is not None:  # the cached role, with every field, if the payload was thin
            role = target.guild.get_role(role.id) or role
        check_role(role, target)
        try:
            digest_time = parse_digest_time(time or DEFAULT_DIGEST_TIME).strftime("%H:%M")
        except ValueError as exc:
            raise UserError(f"{exc}.") from None
        now = self.services.now_fn()
        sub, created = subscriptions.subscribe(
            self.services.db,
            guild_id=target.guild.id,
            channel_id=target.id,
            mode=mode,
            digest_time=digest_time,
            role_id=role.id if role else None,
            user_id=interaction.user.id,
            now=now,
            today=local_today_if_passed(digest_time, now, self.services.timezone),
        )
        log.info("channel %s subscribed (%s) by %s", target.id, mode, interaction.user.id)
        verb = "Subscribed" if created else "Updated the subscription of"
        text = f"{verb} {target.mention}. " + next_steps(sub, target.mention, self.services)
        if time and mode == "instant":
            text += " (The time applies to daily mode only.)"
        latest = latest_developments(self.services.db, 1)
        if latest:
            text += "\nPosts look like this, the latest development:"
            embed = render_development(latest[0], self.bot_name)
            await interaction.response.send_message(
                text, embed=embed, ephemeral=True, allowed_mentions=discord.AllowedMentions.none()
            )
        else:
            text += "\nNo development has been recorded yet; the first one will be posted there."
            await interaction.response.send_message(
                text, ephemeral=True, allowed_mentions=discord.AllowedMentions.none()
            )

    @app_commands.command(description="Stop posting peace-talks developments in a channel")
    @app_commands.describe(channel="Which channel (default: this channel)")
    @app_commands.default_permissions(manage_channels=True)
    @app_commands.check(manage_channels_check)
    @app_commands.guild_only()
    async def unsubscribe(
        self, interaction: discord.Interaction, channel: PostChannel | None = None
    ) -> None:
        target = target_channel(interaction, channel)
        if not subscriptions.unsubscribe(self.services.db, target.id):
            raise UserError(f"#{clean_text(target.name, 100)} is not subscribed.")
        log.info("channel %s unsubscribed by %s", target.id, interaction.user.id)
        await interaction.response.send_message(
            f"Unsubscribed {target.mention}: nothing more will be posted there.",
            ephemeral=True,
            allowed_mentions=discord.AllowedMentions.none(),
        )


async def setup(bot: commands.Bot) -> None:
    name = bot.user.name if bot.user else "talkwatch"
    await bot.add_cog(Subscriptions(services_of(bot), name))
