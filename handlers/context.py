"""What every extension gets from the bot: the database, settings, clock, and permissions.

`bot.py` creates one `Services` in `setup_hook` and sets it as `bot.services`; extensions read it
with `services_of(bot)`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import discord
from sqlite_utils import Database

from settings import Settings

POST_PERMISSIONS: tuple[tuple[str, str], ...] = (
    ("view_channel", "View Channel"),
    ("send_messages", "Send Messages"),
    ("embed_links", "Embed Links"),
)
"""What the bot needs in a channel to post there (attribute, name shown to admins)."""

INVITE_PERMISSIONS = discord.Permissions(view_channel=True, send_messages=True, embed_links=True)
INVITE_SCOPES = ("bot", "applications.commands")


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(slots=True)
class Services:
    db: Database
    settings: Settings
    now_fn: Callable[[], datetime] = utc_now
    started_at: datetime = field(default_factory=utc_now)
    wake_drainer: Callable[[], None] = lambda: None
    """Set by the delivery extension: drain the outbox now (called after each check)."""

    @property
    def timezone(self) -> ZoneInfo:
        return ZoneInfo(self.settings.timezone)


def services_of(client: discord.Client) -> Services:
    found = getattr(client, "services", None)
    if not isinstance(found, Services):
        raise RuntimeError("the bot has no services (setup_hook did not run)")
    return found


def missing_permissions(channel: object, member: discord.Member | None = None) -> list[str]:
    """Names of the post permissions the bot (or `member`) lacks in `channel`; [] if none or if
    the channel is not a guild channel (DMs need no permissions)."""
    if not isinstance(channel, discord.abc.GuildChannel):
        return []
    me = member or channel.guild.me
    if me is None:  # the bot's own member is not cached: let Discord decide
        return []
    granted = channel.permissions_for(me)
    return [label for attr, label in POST_PERMISSIONS if not getattr(granted, attr)]


def invite_url(application_id: int) -> str:
    return discord.utils.oauth_url(
        application_id, permissions=INVITE_PERMISSIONS, scopes=INVITE_SCOPES
    )
