"""The emulator's Discord objects (users, roles, channels, members, guilds, messages, commands).

Guild objects are live and mutable (the emulator changes them and tells the bot over the
gateway); what tests get back about messages and commands are frozen snapshots.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

from tests.emulator.permissions import Overwrite

DISCORD_EPOCH_MS = 1_420_070_400_000
_counter = itertools.count(1)

TEXT = 0
DM = 1
ANNOUNCEMENT = 5
ChannelKind = Literal["text", "announcement"]
CHANNEL_TYPES: dict[ChannelKind, int] = {"text": TEXT, "announcement": ANNOUNCEMENT}

FLAG_CROSSPOSTED = 1 << 0
FLAG_EPHEMERAL = 1 << 6
FLAG_LOADING = 1 << 7

JSON = dict[str, Any]


def new_snowflake() -> int:
    """A unique snowflake whose timestamp part is now (discord.py derives created_at from it)."""
    ms = int(time.time() * 1000) - DISCORD_EPOCH_MS
    return (ms << 22) | (next(_counter) & 0x3FFFFF)


def iso(moment: datetime) -> str:
    return moment.isoformat()


@dataclass(slots=True)
class User:
    id: int
    username: str
    bot: bool = False

    def to_payload(self) -> JSON:
        return {
            "id": str(self.id),
            "username": self.username,
            "discriminator": "0",
            "global_name": None if self.bot else self.username,
            "avatar": None,
            "bot": self.bot,
            "public_flags": 0,
            "flags": 0,
        }


@dataclass(slots=True)
class Role:
    id: int
    name: str
    permissions: int
    position: int = 0
    managed: bool = False
    mentionable: bool = False
    bot_id: int | None = None

    def to_payload(self) -> JSON:
        payload: JSON = {
            "id": str(self.id),
            "name": self.name,
            "permissions": str(self.permissions),
            "position": self.position,
            "color": 0,
            "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None},
            "hoist": False,
            "managed": self.managed,
            "mentionable": self.mentionable,
            "flags": 0,
            "icon": None,
            "unicode_emoji": None,
        }
        if self.bot_id is not None:
            payload["tags"] = {"bot_id": str(self.bot_id)}
        return payload


@dataclass(slots=True)
class Channel:
    id: int
    name: str
    type: int
    guild_id: int | None
    position: int = 0
    overwrites: list[Overwrite] = field(default_factory=list)
    topic: str | None = None
    recipient: User | None = None

    def to_payload(self) -> JSON:
        if self.guild_id is None:
            recipients = [] if self.recipient is None else [self.recipient.to_payload()]
            return {"id": str(self.id), "type": self.type, "recipients": recipients, "flags": 0}
        return {
            "id": str(self.id),
            "type": self.type,
            "guild_id": str(self.guild_id),
            "name": self.name,
            "position": self.position,
            "permission_overwrites": [o.to_payload() for o in self.overwrites],
            "parent_id": None,
            "topic": self.topic,
            "nsfw": False,
            "rate_limit_per_user": 0,
            "last_message_id": None,
            "flags": 0,
        }


@dataclass(slots=True)
class Member:
    user: User
    role_ids: list[int]
    joined_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    def to_payload(self, *, permissions: int | None = None) -> JSON:
        payload: JSON = {
            "user": self.user.to_payload(),
            "roles": [str(r) for r in self.role_ids],
            "joined_at": iso(self.joined_at),
            "deaf": False,
            "mute": False,
            "flags": 0,
            "pending": False,
            "nick": None,
            "avatar": None,
            "communication_disabled_until": None,
        }
        if permissions is not None:
            payload["permissions"] = str(permissions)
        return payload


@dataclass(slots=True)
class Guild:
    id: int
    name: str
    owner_id: int
    roles: dict[int, Role] = field(default_factory=dict)
    channels: dict[int, Channel] = field(default_factory=dict)
    members: dict[int, Member] = field(default_factory=dict)
    bot_role_id: int = 0
    default_member_id: int = 0

    def channel(self, name: str) -> Channel:
        """The channel with this name (tests' shortcut)."""
        for channel in self.channels.values():
            if channel.name == name:
                return channel
        raise KeyError(f"guild {self.name!r} has no channel {name!r}")

    def role(self, name: str) -> Role:
        for role in self.roles.values():
            if role.name == name:
                return role
        raise KeyError(f"guild {self.name!r} has no role {name!r}")

    def to_payload(self) -> JSON:
        return {
            "id": str(self.id),
            "name": self.name,
            "owner_id": str(self.owner_id),
            "icon": None,
            "features": [],
            "unavailable": False,
            "large": False,
            "member_count": len(self.members),
            "preferred_locale": "en-US",
            "roles": [r.to_payload() for r in self.roles.values()],
            "channels": [c.to_payload() for c in self.channels.values()],
            "members": [m.to_payload() for m in self.members.values()],
            "threads": [],
            "emojis": [],
            "stickers": [],
            "voice_states": [],
            "presences": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "soundboard_sounds": [],
            "joined_at": iso(datetime.now(UTC)),
            "premium_tier": 0,
            "system_channel_id": None,
        }


@dataclass(frozen=True, slots=True)
class MessageVersion:
    """One earlier state of a message, kept when it is edited."""

    content: str
    embeds: tuple[JSON, ...]
    components: tuple[JSON, ...]
    at: datetime


@dataclass(frozen=True, slots=True)
class Mentions:
    """Who the message actually notifies, after `allowed_mentions` is applied."""

    everyone: bool = False
    users: tuple[int, ...] = ()
    roles: tuple[int, ...] = ()

    @property
    def any(self) -> bool:
        return self.everyone or bool(self.users) or bool(self.roles)


MessageSource = Literal["channel", "interaction", "followup"]


@dataclass(frozen=True, slots=True)
class Message:
    """A snapshot of a message the bot created (or an interaction answer)."""

    id: int
    channel_id: int
    guild_id: int | None
    author_id: int
    content: str
    embeds: tuple[JSON, ...]
    components: tuple[JSON, ...]
    flags: int
    nonce: str | int | None
    allowed_mentions: JSON | None
    mentions: Mentions
    source: MessageSource
    interaction_id: int | None
    created_at: datetime
    edited_at: datetime | None
    edits: tuple[MessageVersion, ...]
    deleted: bool

    @property
    def ephemeral(self) -> bool:
        return bool(self.flags & FLAG_EPHEMERAL)

    @property
    def crossposted(self) -> bool:
        return bool(self.flags & FLAG_CROSSPOSTED)

    @property
    def text(self) -> str:
        """Content plus every embed's visible text, for easy `in` assertions."""
        return "\n".join([self.content, *(embed_text(e) for e in self.embeds)]).strip()

    def custom_ids(self) -> list[str]:
        """Every component custom_id on the message, in order."""
        return [
            str(c["custom_id"])
            for row in self.components
            for c in row.get("components", [])
            if "custom_id" in c
        ]


def embed_text(embed: JSON) -> str:
    """An embed's visible text (title, description, fields, author, footer), newline-joined."""
    parts = [str(embed.get("author", {}).get("name", "")), str(embed.get("title", ""))]
    parts.append(str(embed.get("description", "")))
    for item in embed.get("fields", []):
        parts.extend([str(item.get("name", "")), str(item.get("value", ""))])
    parts.append(str(embed.get("footer", {}).get("text", "")))
    return "\n".join(p for p in parts if p)


@dataclass(frozen=True, slots=True)
class Command:
    """An application command as the bot synced it."""

    id: int
    name: str
    type: int
    description: str
    guild_id: int | None
    options: tuple[JSON, ...]
    default_member_permissions: int | None
    contexts: tuple[int, ...] | None
    dm_permission: bool
    raw: JSON

    def option(self, name: str) -> JSON:
        for option in self.options:
            if option["name"] == name:
                return option
        raise KeyError(f"/{self.name} has no option {name!r}")
