"""Building INTERACTION_CREATE payloads the way Discord does, from the synced commands."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from tests.emulator import permissions as perm
from tests.emulator.models import JSON, Channel, Command, Member, Role, User, new_snowflake
from tests.emulator.state import World, to_command

ATTACHMENT_LIMIT = 10 * 1024 * 1024


class InvocationError(ValueError):
    """The Discord client would not let a user send this interaction."""


class CommandNotVisible(InvocationError):
    """The member cannot see the command (default_member_permissions or contexts)."""


@dataclass(frozen=True, slots=True)
class Invoker:
    """Who invokes, where, and with which channel permissions."""

    user: User
    member: Member | None
    channel: Channel
    permissions: int


def find_command(world: World, name: str, guild_id: int | None) -> Command:
    tables = [world.command_table(guild_id)] if guild_id is not None else []
    tables.append(world.global_commands)
    for table in tables:
        for data in table.values():
            if data["name"] == name and data.get("type", 1) == 1:
                return to_command(data)
    raise InvocationError(
        f"no synced slash command /{name}" + (f" in guild {guild_id}" if guild_id else "")
    )


def can_see(command: Command, *, in_guild: bool, permissions: int) -> bool:
    """Discord's client-side visibility: contexts, DM permission, default_member_permissions."""
    contexts = command.contexts
    if in_guild:
        if contexts is not None and 0 not in contexts:
            return False
        required = command.default_member_permissions
        if required is None:
            return True
        if required == 0:
            return bool(permissions & perm.ADMINISTRATOR)
        return perm.has_all(permissions, required)
    if command.guild_id is not None:
        return False
    return (1 in contexts) if contexts is not None else command.dm_permission


def _snowflake_of(value: Any) -> int:
    return int(getattr(value, "id", value))


def _convert(world: World, option: JSON, value: Any, invoker: Invoker, resolved: JSON) -> Any:
    kind, name = option["type"], option["name"]
    if kind == 3:
        converted: Any = str(value)
    elif kind == 4:
        converted = int(value)
    elif kind == 10:
        converted = float(value)
    elif kind == 5:
        converted = bool(value)
    elif kind == 7:
        channel = world.channels.get(_snowflake_of(value))
        if channel is None:
            raise InvocationError(f"option {name}: unknown channel {value}")
        allowed_types = option.get("channel_types")
        if allowed_types and channel.type not in allowed_types:
            raise InvocationError(f"option {name}: channel type {channel.type} not allowed")
        payload = channel.to_payload()
        payload["permissions"] = str(world.permissions_in(channel, invoker.user.id))
        resolved.setdefault("channels", {})[str(channel.id)] = payload
        return str(channel.id)
    elif kind in (6, 8, 9):
        return _resolve_mentionable(world, kind, name, value, invoker, resolved)
    else:
        raise InvocationError(f"option {name}: type {kind} not supported by the emulator")
    choices = option.get("choices")
    if choices and converted not in [c["value"] for c in choices]:
        raise InvocationError(f"option {name}: {converted!r} is not one of the choices")
    _check_range(option, converted)
    return converted


def _check_range(option: JSON, value: Any) -> None:
    """min/max_value for numbers and min/max_length for strings, as the client enforces."""
    name = option["name"]
    measured = len(value) if isinstance(value, str) else value
    low_key, high_key = (
        ("min_length", "max_length") if isinstance(value, str) else ("min_value", "max_value")
    )
    low, high = option.get(low_key), option.get(high_key)
    if isinstance(value, bool) or (low is None and high is None):
        return
    if (low is not None and measured < low) or (high is not None and measured > high):
        raise InvocationError(f"option {name}: {value!r} outside {low}..{high}")


def _resolve_mentionable(
    world: World, kind: int, name: str, value: Any, invoker: Invoker, resolved: JSON
) -> str:
    target = _snowflake_of(value)
    guild = None if invoker.channel.guild_id is None else world.guilds[invoker.channel.guild_id]
    role: Role | None = None if guild is None else guild.roles.get(target)
    if role is not None and kind in (8, 9):
        resolved.setdefault("roles", {})[str(role.id)] = role.to_payload()
        return str(role.id)
    member = None if guild is None else guild.members.get(target)
    user = member.user if member is not None else world.find_user(target)
    if user is None or kind == 8:
        raise InvocationError(f"option {name}: unknown {'role' if kind == 8 else 'user'} {value}")
    resolved.setdefault("users", {})[str(user.id)] = user.to_payload()
    if member is not None:
        data = member.to_payload(permissions=world.permissions_in(invoker.channel, user.id))
        data.pop("user")
        resolved.setdefault("members", {})[str(user.id)] = data
    return str(user.id)


def build_options(
    world: World,
    command: Command,
    options: dict[str, Any],
    invoker: Invoker,
    subcommand: str | None,
) -> tuple[list[JSON], JSON]:
    """Discord's `data.options` (and `data.resolved`) for the given Python values."""
    definitions = list(command.options)
    wrapper: JSON | None = None
    if subcommand is not None:
        sub = next((o for o in definitions if o["name"] == subcommand and o["type"] == 1), None)
        if sub is None:
            raise InvocationError(f"/{command.name} has no subcommand {subcommand!r}")
        definitions = sub.get("options") or []
        wrapper = {"type": 1, "name": subcommand, "options": []}
    known = {o["name"]: o for o in definitions}
    unknown = set(options) - set(known)
    if unknown:
        raise InvocationError(f"/{command.name} has no option(s) {sorted(unknown)}")
    resolved: JSON = {}
    out: list[JSON] = []
    for definition in definitions:
        name = definition["name"]
        if name not in options or options[name] is None:
            if definition.get("required"):
                raise InvocationError(f"/{command.name}: required option {name!r} missing")
            continue
        value = _convert(world, definition, options[name], invoker, resolved)
        out.append({"type": definition["type"], "name": name, "value": value})
    if wrapper is not None:
        wrapper["options"] = out
        out = [wrapper]
    return out, resolved


def base_payload(world: World, kind: int, invoker: Invoker, locale: str) -> JSON:
    """The fields every interaction carries: ids, token, where, who, app permissions."""
    channel = invoker.channel
    channel_payload = channel.to_payload()
    channel_payload["permissions"] = str(invoker.permissions)
    payload: JSON = {
        "id": str(new_snowflake()),
        "application_id": str(world.application_id),
        "type": kind,
        "token": "itok." + secrets.token_urlsafe(32),
        "version": 1,
        "attachment_size_limit": ATTACHMENT_LIMIT,
        "channel_id": str(channel.id),
        "channel": channel_payload,
        "app_permissions": str(world.permissions_in(channel, world.bot.id)),
        "locale": locale,
        "entitlements": [],
    }
    if channel.guild_id is None:
        payload["user"] = invoker.user.to_payload()
        payload["context"] = 1
        payload["authorizing_integration_owners"] = {"0": str(world.owner.id)}
        return payload
    assert invoker.member is not None
    payload.update(
        {
            "guild_id": str(channel.guild_id),
            "guild": {"id": str(channel.guild_id), "locale": "en-US", "features": []},
            "guild_locale": "en-US",
            "member": invoker.member.to_payload(permissions=invoker.permissions),
            "context": 0,
            "authorizing_integration_owners": {"0": str(channel.guild_id)},
        }
    )
    return payload


def command_payload(
    world: World,
    command: Command,
    options: dict[str, Any],
    invoker: Invoker,
    *,
    subcommand: str | None,
    locale: str,
) -> JSON:
    payload = base_payload(world, 2, invoker, locale)
    data_options, resolved = build_options(world, command, options, invoker, subcommand)
    data: JSON = {
        "id": str(command.id),
        "name": command.name,
        "type": command.type,
        "options": data_options,
    }
    if resolved:
        data["resolved"] = resolved
    if command.guild_id is not None:
        data["guild_id"] = str(command.guild_id)
    payload["data"] = data
    return payload


def find_component(message_components: tuple[JSON, ...], custom_id: str) -> JSON:
    for row in message_components:
        for component in row.get("components", []):
            if component.get("custom_id") == custom_id:
                if component.get("disabled"):
                    raise InvocationError(f"component {custom_id!r} is disabled")
                found: JSON = component
                return found
    raise InvocationError(f"message has no component with custom_id {custom_id!r}")
