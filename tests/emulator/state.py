"""The emulated Discord world: users, guilds, channels, messages and synced commands."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from tests.emulator import permissions as perm
from tests.emulator.models import (
    CHANNEL_TYPES,
    DM,
    JSON,
    TEXT,
    Channel,
    ChannelKind,
    Command,
    Guild,
    Member,
    Mentions,
    Message,
    MessageSource,
    MessageVersion,
    Role,
    User,
    iso,
    new_snowflake,
)

MAX_CHANNELS_PER_GUILD = 500


@dataclass(frozen=True, slots=True)
class ChannelSpec:
    """A channel for `add_guild`; bot_* overwrites target the bot member, everyone_* @everyone."""

    name: str
    kind: ChannelKind = "text"
    bot_allow: int = 0
    bot_deny: int = 0
    everyone_allow: int = 0
    everyone_deny: int = 0
    overwrites: tuple[perm.Overwrite, ...] = ()


@dataclass(slots=True)
class StoredMessage:
    id: int
    channel_id: int
    guild_id: int | None
    author: User
    content: str
    embeds: list[JSON]
    components: list[JSON]
    flags: int
    nonce: str | int | None
    allowed_mentions: JSON | None
    mentions: Mentions
    source: MessageSource
    interaction_id: int | None = None
    webhook_id: int | None = None
    created_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    edited_at: datetime | None = None
    edits: list[MessageVersion] = field(default_factory=list)
    deleted: bool = False

    def snapshot(self) -> Message:
        return Message(
            id=self.id,
            channel_id=self.channel_id,
            guild_id=self.guild_id,
            author_id=self.author.id,
            content=self.content,
            embeds=tuple(self.embeds),
            components=tuple(self.components),
            flags=self.flags,
            nonce=self.nonce,
            allowed_mentions=self.allowed_mentions,
            mentions=self.mentions,
            source=self.source,
            interaction_id=self.interaction_id,
            created_at=self.created_at,
            edited_at=self.edited_at,
            edits=tuple(self.edits),
            deleted=self.deleted,
        )

    def to_payload(self) -> JSON:
        payload: JSON = {
            "id": str(self.id),
            "channel_id": str(self.channel_id),
            "type": 0 if self.source == "channel" else 20,
            "content": self.content,
            "author": self.author.to_payload(),
            "embeds": self.embeds,
            "components": self.components,
            "attachments": [],
            "mentions": [],
            "mention_roles": [str(r) for r in self.mentions.roles],
            "mention_everyone": self.mentions.everyone,
            "pinned": False,
            "tts": False,
            "timestamp": iso(self.created_at),
            "edited_timestamp": None if self.edited_at is None else iso(self.edited_at),
            "flags": self.flags,
        }
        if self.guild_id is not None:
            payload["guild_id"] = str(self.guild_id)
        if self.nonce is not None:
            payload["nonce"] = self.nonce
        if self.webhook_id is not None:
            payload["webhook_id"] = str(self.webhook_id)
            payload["application_id"] = str(self.webhook_id)
        return payload

    def edit(self, data: JSON) -> None:
        now = datetime.now(UTC)
        self.edits.append(
            MessageVersion(self.content, tuple(self.embeds), tuple(self.components), now)
        )
        self.content = str(data.get("content", self.content) or "")
        if "embeds" in data:
            self.embeds = list(data["embeds"] or [])
        if "components" in data:
            self.components = list(data["components"] or [])
        if "allowed_mentions" in data:
            self.allowed_mentions = data["allowed_mentions"]
        self.edited_at = now


class World:
    """Everything the emulator knows, plus Discord's permission computation over it."""

    def __init__(self, *, bot_name: str = "talkwatch") -> None:
        self.bot = User(new_snowflake(), bot_name, bot=True)
        self.application_id = self.bot.id
        self.owner = User(new_snowflake(), "owner")
        self.guilds: dict[int, Guild] = {}
        self.channels: dict[int, Channel] = {}
        self.messages: dict[int, StoredMessage] = {}
        self.channel_messages: dict[int, list[StoredMessage]] = {}
        self.global_commands: dict[str, JSON] = {}
        self.guild_commands: dict[int, dict[str, JSON]] = {}
        self.dm_channels: dict[int, Channel] = {}
        self.sync_counts: dict[int | None, int] = {}
        self.dm_users: dict[int, User] = {}

    # -- guilds ------------------------------------------------------------------------------
    def add_guild(
        self,
        name: str,
        channels: Iterable[str | ChannelSpec],
        *,
        bot_permissions: int,
        everyone_permissions: int,
    ) -> Guild:
        guild = Guild(id=new_snowflake(), name=name, owner_id=self.owner.id)
        guild.roles[guild.id] = Role(guild.id, "@everyone", everyone_permissions)
        bot_role = Role(
            new_snowflake(), self.bot.username, bot_permissions, 1, True, False, self.bot.id
        )
        guild.roles[bot_role.id] = bot_role
        guild.bot_role_id = bot_role.id
        guild.members[self.bot.id] = Member(self.bot, [bot_role.id])
        guild.members[self.owner.id] = Member(self.owner, [])
        tester = User(new_snowflake(), f"tester-{len(self.guilds) + 1}")
        guild.members[tester.id] = Member(tester, [])
        guild.default_member_id = tester.id
        self.guilds[guild.id] = guild
        for spec in channels:
            self.add_channel(guild, spec if isinstance(spec, ChannelSpec) else ChannelSpec(spec))
        return guild

    def add_channel(self, guild: Guild, spec: ChannelSpec) -> Channel:
        if len(guild.channels) >= MAX_CHANNELS_PER_GUILD:
            raise ValueError(f"Discord allows at most {MAX_CHANNELS_PER_GUILD} channels per guild")
        overwrites = list(spec.overwrites)
        if spec.everyone_allow or spec.everyone_deny:
            overwrites.append(
                perm.Overwrite(guild.id, "role", spec.everyone_allow, spec.everyone_deny)
            )
        if spec.bot_allow or spec.bot_deny:
            overwrites.append(perm.Overwrite(self.bot.id, "member", spec.bot_allow, spec.bot_deny))
        channel = Channel(
            new_snowflake(),
            spec.name,
            CHANNEL_TYPES[spec.kind],
            guild.id,
            position=len(guild.channels),
            overwrites=overwrites,
        )
        guild.channels[channel.id] = channel
        self.channels[channel.id] = channel
        return channel

    def add_member(self, guild: Guild, username: str, role_ids: list[int]) -> Member:
        member = Member(User(new_snowflake(), username), list(role_ids))
        guild.members[member.user.id] = member
        return member

    def dm_channel(self, user: User) -> Channel:
        channel = self.dm_channels.get(user.id)
        self.dm_users[user.id] = user
        if channel is None:
            channel = Channel(new_snowflake(), "", DM, None, recipient=user)
            self.dm_channels[user.id] = channel
            self.channels[channel.id] = channel
        return channel

    def find_user(self, user_id: int) -> User | None:
        for guild in self.guilds.values():
            if user_id in guild.members:
                return guild.members[user_id].user
        return self.dm_users.get(user_id)

    # -- permissions -------------------------------------------------------------------------
    def guild_permissions(self, guild: Guild, user_id: int) -> int:
        member = guild.members.get(user_id)
        role_ids = [] if member is None else member.role_ids
        return perm.base_permissions(
            everyone=guild.roles[guild.id].permissions,
            role_permissions=(guild.roles[r].permissions for r in role_ids if r in guild.roles),
            is_owner=user_id == guild.owner_id,
        )

    def permissions_in(self, channel: Channel, user_id: int) -> int:
        """What `user_id` may do in `channel` (DMs: the usual DM permissions)."""
        if channel.guild_id is None:
            return perm.VIEW_CHANNEL | perm.SEND_MESSAGES | perm.EMBED_LINKS | perm.ATTACH_FILES
        guild = self.guilds[channel.guild_id]
        member = guild.members.get(user_id)
        return perm.channel_permissions(
            self.guild_permissions(guild, user_id),
            guild_id=guild.id,
            member_id=user_id,
            member_role_ids=[] if member is None else member.role_ids,
            overwrites=channel.overwrites,
            is_text=channel.type in (TEXT, 5),
        )

    # -- messages ----------------------------------------------------------------------------
    def store_message(self, message: StoredMessage) -> None:
        self.messages[message.id] = message
        self.channel_messages.setdefault(message.channel_id, []).append(message)

    def find_by_nonce(
        self, channel_id: int, nonce: object, since: datetime
    ) -> StoredMessage | None:
        for message in reversed(self.channel_messages.get(channel_id, [])):
            if message.created_at < since:
                return None
            if message.nonce == nonce and message.source == "channel":
                return message
        return None

    # -- commands ----------------------------------------------------------------------------
    def command_table(self, guild_id: int | None) -> dict[str, JSON]:
        if guild_id is None:
            return self.global_commands
        return self.guild_commands.setdefault(guild_id, {})

    def commands(self, guild_id: int | None = None) -> list[Command]:
        return [to_command(c) for c in self.command_table(guild_id).values()]


def command_key(data: JSON) -> str:
    return f"{data.get('type', 1)}:{data['name']}"


def to_command(data: JSON) -> Command:
    raw_perms: Any = data.get("default_member_permissions")
    contexts = data.get("contexts")
    return Command(
        id=int(data["id"]),
        name=str(data["name"]),
        type=int(data.get("type", 1)),
        description=str(data.get("description", "")),
        guild_id=None if data.get("guild_id") is None else int(data["guild_id"]),
        options=tuple(data.get("options") or ()),
        default_member_permissions=None if raw_perms is None else int(raw_perms),
        contexts=None if contexts is None else tuple(int(c) for c in contexts),
        dm_permission=bool(data.get("dm_permission", True)),
        raw=data,
    )
