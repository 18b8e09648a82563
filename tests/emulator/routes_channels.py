"""REST routes for channels and their messages, with Discord's permission checks."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

from tests.emulator import permissions as perm
from tests.emulator.core import Core
from tests.emulator.models import (
    ANNOUNCEMENT,
    FLAG_CROSSPOSTED,
    JSON,
    Channel,
    Mentions,
    new_snowflake,
)
from tests.emulator.server import ApiError, Call, Router
from tests.emulator.state import StoredMessage, World
from tests.emulator.validation import is_empty_message, message_problems

Reply = tuple[int, Any]
NONCE_WINDOW = timedelta(minutes=5)
GUILD_MESSAGES = 1 << 9
DIRECT_MESSAGES = 1 << 12
_USER_MENTION = re.compile(r"<@!?(\d+)>")
_ROLE_MENTION = re.compile(r"<@&(\d+)>")


def channel_for(core: Core, call: Call) -> Channel:
    channel = core.world.channels.get(call.id("channel_id"))
    if channel is None:
        raise ApiError(404, 10003, "Unknown Channel")
    if channel.guild_id is not None and channel.guild_id not in core.world.guilds:
        raise ApiError(403, 50001, "Missing Access")
    return channel


def require(core: Core, channel: Channel, needed: int) -> int:
    """The bot's permissions in `channel`: 403 50001 without View, 50013 without `needed`."""
    value = core.world.permissions_in(channel, core.world.bot.id)
    if not value & perm.VIEW_CHANNEL:
        raise ApiError(403, 50001, "Missing Access")
    if not perm.has_all(value, needed):
        raise ApiError(403, 50013, "Missing Permissions")
    return value


def check_body(body: JSON, *, creating: bool) -> None:
    problems = message_problems(body)
    if problems:
        raise ApiError(400, 50035, "Invalid Form Body", tuple(problems))
    if creating and is_empty_message(body):
        raise ApiError(400, 50006, "Cannot send an empty message")


def resolve_mentions(world: World, channel: Channel, body: JSON) -> Mentions:
    """Who the content would notify once `allowed_mentions` (default: everything) is applied."""
    content = str(body.get("content") or "")
    allowed: JSON | None = body.get("allowed_mentions")
    parse = {"users", "roles", "everyone"} if allowed is None else set(allowed.get("parse") or [])
    listed_users = set() if allowed is None else {int(u) for u in allowed.get("users") or []}
    listed_roles = set() if allowed is None else {int(r) for r in allowed.get("roles") or []}
    bot_perms = world.permissions_in(channel, world.bot.id)
    can_everyone = bool(bot_perms & perm.MENTION_EVERYONE)
    users = [int(u) for u in _USER_MENTION.findall(content)]
    users = [u for u in users if "users" in parse or u in listed_users]
    guild = None if channel.guild_id is None else world.guilds[channel.guild_id]
    roles = []
    for role_id in (int(r) for r in _ROLE_MENTION.findall(content)):
        role = None if guild is None else guild.roles.get(role_id)
        pingable = role is not None and (role.mentionable or can_everyone)
        if pingable and ("roles" in parse or role_id in listed_roles):
            roles.append(role_id)
    everyone = (
        "everyone" in parse and can_everyone and ("@everyone" in content or "@here" in content)
    )
    return Mentions(everyone, tuple(dict.fromkeys(users)), tuple(dict.fromkeys(roles)))


def normalise_embeds(body: JSON) -> list[JSON]:
    return [{"type": "rich", **embed} for embed in body.get("embeds") or []]


async def get_channel(core: Core, call: Call) -> Reply:
    channel = channel_for(core, call)
    require(core, channel, perm.VIEW_CHANNEL)
    return 200, channel.to_payload()


async def create_message(core: Core, call: Call) -> Reply:
    channel = channel_for(core, call)
    body: JSON = call.body or {}
    require(core, channel, 0)
    check_body(body, creating=True)
    require(core, channel, perm.SEND_MESSAGES | (perm.EMBED_LINKS if body.get("embeds") else 0))
    nonce = body.get("nonce")
    if body.get("enforce_nonce") and nonce is not None:
        since = datetime.now(UTC) - NONCE_WINDOW
        existing = core.world.find_by_nonce(channel.id, nonce, since)
        if existing is not None:
            core.stats.nonce_dedupes += 1
            return 200, existing.to_payload()
    message = StoredMessage(
        id=new_snowflake(),
        channel_id=channel.id,
        guild_id=channel.guild_id,
        author=core.world.bot,
        content=str(body.get("content") or ""),
        embeds=normalise_embeds(body),
        components=list(body.get("components") or []),
        flags=int(body.get("flags") or 0),
        nonce=nonce,
        allowed_mentions=body.get("allowed_mentions"),
        mentions=resolve_mentions(core.world, channel, body),
        source="channel",
    )
    core.world.store_message(message)
    core.stats.messages_created += 1
    payload = message.to_payload()
    await announce_message(core, "MESSAGE_CREATE", channel, payload)
    return 200, payload


async def announce_message(core: Core, event: str, channel: Channel, payload: JSON) -> None:
    """MESSAGE_CREATE/UPDATE reach the bot only with the GUILD_MESSAGES (or DM) intent."""
    hub = core.hub
    session = None if hub is None else hub.current
    intent = GUILD_MESSAGES if channel.guild_id is not None else DIRECT_MESSAGES
    if hub is not None and session is not None and session.intents & intent:
        await hub.dispatch(event, payload)


def message_for(core: Core, call: Call, channel: Channel) -> StoredMessage:
    message = core.world.messages.get(call.id("message_id"))
    if message is None or message.channel_id != channel.id or message.deleted:
        raise ApiError(404, 10008, "Unknown Message")
    return message


async def get_message(core: Core, call: Call) -> Reply:
    channel = channel_for(core, call)
    require(core, channel, perm.VIEW_CHANNEL | perm.READ_MESSAGE_HISTORY)
    return 200, message_for(core, call, channel).to_payload()


async def list_messages(core: Core, call: Call) -> Reply:
    channel = channel_for(core, call)
    require(core, channel, perm.VIEW_CHANNEL | perm.READ_MESSAGE_HISTORY)
    limit = min(int(call.query.get("limit", "50")), 100)
    alive = [m for m in core.world.channel_messages.get(channel.id, []) if not m.deleted]
    return 200, [m.to_payload() for m in reversed(alive[-limit:])]


async def edit_message(core: Core, call: Call) -> Reply:
    channel = channel_for(core, call)
    require(core, channel, perm.VIEW_CHANNEL)
    message = message_for(core, call, channel)
    if message.author.id != core.world.bot.id:
        raise ApiError(403, 50005, "Cannot edit a message authored by another user")
    body: JSON = call.body or {}
    check_body(body, creating=False)
    if "embeds" in body:
        body = {**body, "embeds": normalise_embeds(body)}
    message.edit(body)
    message.mentions = resolve_mentions(core.world, channel, {**body, "content": message.content})
    core.stats.edits += 1
    payload = message.to_payload()
    await announce_message(core, "MESSAGE_UPDATE", channel, payload)
    return 200, payload


async def delete_message(core: Core, call: Call) -> Reply:
    channel = channel_for(core, call)
    value = require(core, channel, perm.VIEW_CHANNEL)
    message = message_for(core, call, channel)
    if message.author.id != core.world.bot.id and not value & perm.MANAGE_MESSAGES:
        raise ApiError(403, 50013, "Missing Permissions")
    message.deleted = True
    return 204, None


async def crosspost(core: Core, call: Call) -> Reply:
    channel = channel_for(core, call)
    value = require(core, channel, perm.VIEW_CHANNEL)
    if channel.type != ANNOUNCEMENT:
        raise ApiError(400, 50024, "Cannot execute action on this channel type")
    message = message_for(core, call, channel)
    own = message.author.id == core.world.bot.id
    if not perm.has_all(value, perm.SEND_MESSAGES if own else perm.MANAGE_MESSAGES):
        raise ApiError(403, 50013, "Missing Permissions")
    if message.flags & FLAG_CROSSPOSTED:
        raise ApiError(400, 40033, "This message has already been crossposted.")
    message.flags |= FLAG_CROSSPOSTED
    core.stats.crossposts += 1
    return 200, message.to_payload()


async def trigger_typing(core: Core, call: Call) -> Reply:
    require(core, channel_for(core, call), perm.SEND_MESSAGES)
    return 204, None


def add_channel_routes(router: Router) -> None:
    base = "/channels/{channel_id}"
    router.add("GET", base, get_channel)
    router.add("POST", f"{base}/messages", create_message)
    router.add("GET", f"{base}/messages", list_messages)
    router.add("GET", f"{base}/messages/{{message_id}}", get_message)
    router.add("PATCH", f"{base}/messages/{{message_id}}", edit_message)
    router.add("DELETE", f"{base}/messages/{{message_id}}", delete_message)
    router.add("POST", f"{base}/messages/{{message_id}}/crosspost", crosspost)
    router.add("POST", f"{base}/typing", trigger_typing)
