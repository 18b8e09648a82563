"""Test API for shaping the world (guilds, channels, roles, permissions) and acting as users.

Changes apply at once and are announced to a connected bot over the gateway (GUILD_CREATE,
CHANNEL_CREATE/UPDATE/DELETE, GUILD_ROLE_CREATE/UPDATE, GUILD_DELETE) in call order;
`await emu.settle()` waits until those are sent.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import Any, Literal

from tests.emulator import permissions as perm
from tests.emulator.core import Core
from tests.emulator.gateway import GatewayHub
from tests.emulator.interactions import Interactions
from tests.emulator.invoke import (
    CommandNotVisible,
    InvocationError,
    Invoker,
    base_payload,
    can_see,
    command_payload,
    find_command,
    find_component,
)
from tests.emulator.models import Channel, Guild, Member, Message, Role, User, new_snowflake
from tests.emulator.pending import InteractionResult, Pending
from tests.emulator.state import ChannelSpec

Target = Literal["bot", "everyone"] | Role | Member | User


class WorldApi:
    def __init__(self, core: Core, hub: GatewayHub, interactions: Interactions) -> None:
        self.core, self.hub, self.interactions = core, hub, interactions
        self._dispatches: set[asyncio.Task[None]] = set()
        self.dm_user = User(new_snowflake(), "dm-tester")
        self._members_by_permissions: dict[tuple[int, int], Member] = {}

    # -- dispatching -------------------------------------------------------------------------
    def _announce(self, name: str, payload: Any) -> None:
        if self.hub.current is None:
            return
        task = asyncio.get_running_loop().create_task(self.hub.dispatch(name, payload))
        self._dispatches.add(task)
        task.add_done_callback(self._dispatches.discard)

    async def settle(self) -> None:
        """Wait until every announced change has been sent (or logged for replay)."""
        while self._dispatches:
            await asyncio.gather(*list(self._dispatches))

    # -- guilds ------------------------------------------------------------------------------
    def add_guild(
        self,
        name: str = "Test guild",
        channels: Iterable[str | ChannelSpec] = ("general",),
        *,
        bot_permissions: int = perm.BOT_DEFAULT,
        everyone_permissions: int = perm.EVERYONE_DEFAULT,
    ) -> Guild:
        """A guild the bot is in: @everyone, the bot's managed role (bot_permissions), the owner
        and a default member (`guild.members[guild.default_member_id]`) with no roles."""
        guild = self.core.world.add_guild(
            name,
            channels,
            bot_permissions=bot_permissions,
            everyone_permissions=everyone_permissions,
        )
        self._announce("GUILD_CREATE", guild.to_payload())
        return guild

    def remove_guild(self, guild: Guild) -> None:
        """The bot is removed from the guild: its channels answer 403 50001 from now on."""
        self.core.world.guilds.pop(guild.id, None)
        self._announce("GUILD_DELETE", {"id": str(guild.id)})

    def add_channel(self, guild: Guild, spec: str | ChannelSpec) -> Channel:
        channel = self.core.world.add_channel(
            guild, ChannelSpec(spec) if isinstance(spec, str) else spec
        )
        self._announce("CHANNEL_CREATE", channel.to_payload())
        return channel

    def channel(self, channel: Channel | int) -> Channel:
        """The live channel object for an id (or the object itself)."""
        return self.core.world.channels[channel] if isinstance(channel, int) else channel

    def delete_channel(self, channel: Channel | int) -> None:
        channel = self.channel(channel)
        world = self.core.world
        world.channels.pop(channel.id, None)
        if channel.guild_id is not None and channel.guild_id in world.guilds:
            world.guilds[channel.guild_id].channels.pop(channel.id, None)
        self._announce("CHANNEL_DELETE", channel.to_payload())

    def add_role(
        self, guild: Guild, name: str, permissions: int = 0, *, mentionable: bool = True
    ) -> Role:
        role = Role(new_snowflake(), name, permissions, len(guild.roles), mentionable=mentionable)
        guild.roles[role.id] = role
        self._announce("GUILD_ROLE_CREATE", {"guild_id": str(guild.id), "role": role.to_payload()})
        return role

    def add_member(
        self, guild: Guild, username: str, *, permissions: Any = None, roles: Iterable[Role] = ()
    ) -> Member:
        """A member with `roles`; with `permissions`, also a new role granting them."""
        role_ids = [r.id for r in roles]
        if permissions is not None:
            role_ids.append(self.add_role(guild, f"{username}-role", perm.as_int(permissions)).id)
        return self.core.world.add_member(guild, username, role_ids)

    def member_with(self, guild: Guild, permissions: Any) -> Member:
        """A member whose one role grants exactly `permissions` (reused per value)."""
        value = perm.as_int(permissions)
        key = (guild.id, value)
        member = self._members_by_permissions.get(key)
        if member is None or member.user.id not in guild.members:
            member = self.add_member(guild, f"member-{value:x}", permissions=value)
            self._members_by_permissions[key] = member
        return member

    def set_bot_permissions(self, guild: Guild, permissions: int) -> None:
        """Change the bot's managed role (GUILD_ROLE_UPDATE)."""
        role = guild.roles[guild.bot_role_id]
        role.permissions = permissions
        self._announce("GUILD_ROLE_UPDATE", {"guild_id": str(guild.id), "role": role.to_payload()})

    def set_channel_permissions(
        self, channel: Channel | int, target: Target, *, allow: int = 0, deny: int = 0
    ) -> None:
        """Set (replace) one overwrite on the channel; allow=deny=0 removes it."""
        channel = self.channel(channel)
        overwrite_id, kind = self._target(channel, target)
        kept = [o for o in channel.overwrites if (o.id, o.type) != (overwrite_id, kind)]
        if allow or deny:
            kept.append(perm.Overwrite(overwrite_id, kind, allow, deny))
        channel.overwrites = kept
        self._announce("CHANNEL_UPDATE", channel.to_payload())

    def _target(self, channel: Channel, target: Target) -> tuple[int, perm.OverwriteType]:
        if target == "bot":
            return self.core.world.bot.id, "member"
        if target == "everyone":
            assert channel.guild_id is not None
            return channel.guild_id, "role"
        if isinstance(target, Role):
            return target.id, "role"
        user = target.user if isinstance(target, Member) else target
        assert isinstance(user, User)
        return user.id, "member"

    def bot_permissions_in(self, channel: Channel) -> int:
        return self.core.world.permissions_in(channel, self.core.world.bot.id)

    # -- acting as a user --------------------------------------------------------------------
    def _invoker(
        self, channel: Channel | None, member: Member | None, member_permissions: Any, dm: bool
    ) -> Invoker:
        world = self.core.world
        if dm:
            user = self.dm_user if member is None else member.user
            return Invoker(
                user, None, world.dm_channel(user), perm.VIEW_CHANNEL | perm.SEND_MESSAGES
            )
        if channel is None:
            guild = next(iter(world.guilds.values()), None)
            if guild is None or not guild.channels:
                raise InvocationError("no guild channel to invoke in: add_guild first")
            channel = next(iter(guild.channels.values()))
        assert channel.guild_id is not None
        guild = world.guilds[channel.guild_id]
        if member is not None and member_permissions is not None:
            raise InvocationError("give either member or member_permissions, not both")
        if member_permissions is not None:
            member = self.member_with(guild, member_permissions)
        member = member or guild.members[guild.default_member_id]
        value = world.permissions_in(channel, member.user.id)
        return Invoker(member.user, member, channel, value)

    async def invoke(
        self,
        name: str,
        channel: Channel | int | None = None,
        *,
        options: dict[str, Any] | None = None,
        member: Member | None = None,
        member_permissions: Any = None,
        subcommand: str | None = None,
        dm: bool = False,
        locale: str = "en-US",
        force: bool = False,
        timeout: float = 10.0,
    ) -> InteractionResult:
        """Run a slash command as a member and wait for the bot's answer.

        The invoker is `member`, or with `member_permissions` (int or discord.Permissions) a
        member whose role grants them, else the guild's default member (no roles). Its
        channel permissions come from roles and overwrites, as on Discord. Raises CommandNotVisible
        when the member's client would not offer the command (unless force=True), and
        EmulatorTimeout when the bot does not finish answering within `timeout`."""
        world = self.core.world
        where = None if channel is None else self.channel(channel)
        invoker = self._invoker(where, member, member_permissions, dm)
        command = find_command(world, name, invoker.channel.guild_id)
        in_guild = invoker.channel.guild_id is not None
        if not force and not can_see(command, in_guild=in_guild, permissions=invoker.permissions):
            raise CommandNotVisible(f"/{name} is not offered to this member")
        payload = command_payload(
            world, command, options or {}, invoker, subcommand=subcommand, locale=locale
        )
        return await self._dispatch_interaction(payload, name, invoker, None, timeout)

    async def click(
        self,
        message: Message | int,
        custom_id: str,
        *,
        member: Member | None = None,
        member_permissions: Any = None,
        values: list[str] | None = None,
        timeout: float = 10.0,
    ) -> InteractionResult:
        """Press a button (or choose `values` in a select) on a message the bot sent."""
        world = self.core.world
        stored = world.messages[message if isinstance(message, int) else message.id]
        component = find_component(tuple(stored.components), custom_id)
        channel = world.channels[stored.channel_id]
        invoker = self._invoker(
            None if channel.guild_id is None else channel,
            member,
            member_permissions,
            channel.guild_id is None,
        )
        payload = base_payload(world, 3, invoker, "en-US")
        data: dict[str, Any] = {"custom_id": custom_id, "component_type": component["type"]}
        if values is not None:
            data["values"] = values
        payload["data"] = data
        payload["message"] = stored.to_payload()
        return await self._dispatch_interaction(payload, custom_id, invoker, stored, timeout)

    async def _dispatch_interaction(
        self, payload: dict[str, Any], name: str, invoker: Invoker, source: Any, timeout: float
    ) -> InteractionResult:
        await self.core.wait_for(self.hub.is_connected, timeout, "a connected bot")
        await self.settle()
        pending = Pending(
            id=int(payload["id"]),
            token=payload["token"],
            type=payload["type"],
            name=name,
            guild_id=invoker.channel.guild_id,
            channel_id=invoker.channel.id,
            user=invoker.user,
            dispatched_at=self.core.now(),
            payload=payload,
            source=source,
        )
        self.interactions.add(pending)
        await self.hub.dispatch("INTERACTION_CREATE", payload)
        await self.core.wait_for(
            lambda: pending.completed_at is not None,
            timeout,
            f"the bot to answer {name!r} (callback: {pending.callback_type})",
        )
        return pending.result()

    def interaction_result(self, interaction_id: int) -> InteractionResult:
        """The latest state of an interaction's answer (after later edits and follow-ups)."""
        return self.interactions.pending[interaction_id].result()


__all__ = ["CommandNotVisible", "InvocationError", "WorldApi"]
