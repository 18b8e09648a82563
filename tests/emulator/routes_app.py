"""REST routes for the bot user, the application, its commands, guilds and users."""

from __future__ import annotations

from typing import Any

from tests.emulator.core import Core
from tests.emulator.models import JSON, new_snowflake
from tests.emulator.server import ApiError, Call, Router
from tests.emulator.state import command_key
from tests.emulator.validation import command_problems

Reply = tuple[int, Any]


async def get_me(core: Core, call: Call) -> Reply:
    payload = core.world.bot.to_payload()
    payload.update({"verified": True, "mfa_enabled": False, "email": None, "locale": "en-US"})
    return 200, payload


async def get_application(core: Core, call: Call) -> Reply:
    world = core.world
    return 200, {
        "id": str(world.application_id),
        "name": world.bot.username,
        "icon": None,
        "description": "",
        "rpc_origins": [],
        "bot_public": True,
        "bot_require_code_grant": False,
        "bot": world.bot.to_payload(),
        "owner": world.owner.to_payload(),
        "team": None,
        "verify_key": "0" * 64,
        "flags": 0,
        "summary": "",
        "interactions_endpoint_url": None,
        "approximate_guild_count": len(world.guilds),
    }


async def get_gateway(core: Core, call: Call) -> Reply:
    limit = {"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1}
    return 200, {"url": core.gateway_url, "shards": 1, "session_start_limit": limit}


def _check_application(core: Core, call: Call) -> int | None:
    if call.id("application_id") != core.world.application_id:
        raise ApiError(403, 50001, "Missing Access")
    if "guild_id" not in call.params:
        return None
    guild_id = call.id("guild_id")
    if guild_id not in core.world.guilds:
        raise ApiError(403, 50001, "Missing Access")
    return guild_id


def _normalise(core: Core, data: JSON, guild_id: int | None, existing: JSON | None) -> JSON:
    problems = command_problems(data)
    if problems:
        raise ApiError(400, 50035, "Invalid Form Body", tuple(problems))
    raw_perms = data.get("default_member_permissions")
    command: JSON = {
        "id": existing["id"] if existing else str(new_snowflake()),
        "application_id": str(core.world.application_id),
        "version": str(new_snowflake()),
        "type": data.get("type", 1),
        "name": data["name"],
        "description": data.get("description", ""),
        "options": data.get("options") or [],
        "default_member_permissions": None if raw_perms is None else str(raw_perms),
        "dm_permission": data.get("dm_permission", True),
        "contexts": data.get("contexts"),
        "integration_types": data.get("integration_types") or [0],
        "nsfw": data.get("nsfw", False),
    }
    if guild_id is not None:
        command["guild_id"] = str(guild_id)
        command.pop("dm_permission")
    return command


async def put_commands(core: Core, call: Call) -> Reply:
    guild_id = _check_application(core, call)
    body: list[JSON] = call.body or []
    if len(body) > 100:
        raise ApiError(400, 30032, "Maximum number of application commands reached (100)")
    table = core.world.command_table(guild_id)
    fresh = {command_key(c): _normalise(core, c, guild_id, table.get(command_key(c))) for c in body}
    table.clear()
    table.update(fresh)
    core.world.sync_counts[guild_id] = core.world.sync_counts.get(guild_id, 0) + 1
    return 200, list(fresh.values())


async def post_command(core: Core, call: Call) -> Reply:
    guild_id = _check_application(core, call)
    table = core.world.command_table(guild_id)
    data: JSON = call.body or {}
    existing = table.get(command_key(data))
    table[command_key(data)] = command = _normalise(core, data, guild_id, existing)
    return (200 if existing else 201), command


async def get_commands(core: Core, call: Call) -> Reply:
    return 200, list(core.world.command_table(_check_application(core, call)).values())


def _find_command(core: Core, call: Call) -> tuple[dict[str, JSON], str, JSON]:
    table = core.world.command_table(_check_application(core, call))
    for key, command in table.items():
        if command["id"] == call.params["command_id"]:
            return table, key, command
    raise ApiError(404, 10063, "Unknown application command")


async def get_command(core: Core, call: Call) -> Reply:
    return 200, _find_command(core, call)[2]


async def patch_command(core: Core, call: Call) -> Reply:
    table, key, command = _find_command(core, call)
    merged = {**command, **(call.body or {})}
    guild_id = None if "guild_id" not in call.params else call.id("guild_id")
    table[key] = updated = _normalise(core, merged, guild_id, command)
    return 200, updated


async def delete_command(core: Core, call: Call) -> Reply:
    table, key, _ = _find_command(core, call)
    del table[key]
    return 204, None


def _guild(core: Core, call: Call) -> Any:
    guild = core.world.guilds.get(call.id("guild_id"))
    if guild is None:
        raise ApiError(404, 10004, "Unknown Guild")
    return guild


async def get_guild(core: Core, call: Call) -> Reply:
    payload = _guild(core, call).to_payload()
    for key in ("channels", "members", "threads", "voice_states", "presences"):
        payload.pop(key, None)
    return 200, payload


async def get_guild_channels(core: Core, call: Call) -> Reply:
    return 200, [c.to_payload() for c in _guild(core, call).channels.values()]


async def get_guild_roles(core: Core, call: Call) -> Reply:
    return 200, [r.to_payload() for r in _guild(core, call).roles.values()]


async def get_guild_member(core: Core, call: Call) -> Reply:
    member = _guild(core, call).members.get(call.id("user_id"))
    if member is None:
        raise ApiError(404, 10007, "Unknown Member")
    return 200, member.to_payload()


async def get_user(core: Core, call: Call) -> Reply:
    user = core.world.find_user(call.id("user_id"))
    if user is None:
        raise ApiError(404, 10013, "Unknown User")
    return 200, user.to_payload()


async def create_dm(core: Core, call: Call) -> Reply:
    user = core.world.find_user(int((call.body or {}).get("recipient_id", 0)))
    if user is None:
        raise ApiError(400, 50007, "Cannot send messages to this user")
    return 200, core.world.dm_channel(user).to_payload()


def add_app_routes(router: Router) -> None:
    router.add("GET", "/users/@me", get_me)
    router.add("GET", "/oauth2/applications/@me", get_application)
    router.add("GET", "/applications/@me", get_application)
    router.add("GET", "/gateway", get_gateway, auth=False)
    router.add("GET", "/gateway/bot", get_gateway)
    for base in (
        "/applications/{application_id}",
        "/applications/{application_id}/guilds/{guild_id}",
    ):
        router.add("PUT", f"{base}/commands", put_commands)
        router.add("POST", f"{base}/commands", post_command)
        router.add("GET", f"{base}/commands", get_commands)
        router.add("GET", f"{base}/commands/{{command_id}}", get_command)
        router.add("PATCH", f"{base}/commands/{{command_id}}", patch_command)
        router.add("DELETE", f"{base}/commands/{{command_id}}", delete_command)
    router.add("GET", "/guilds/{guild_id}", get_guild)
    router.add("GET", "/guilds/{guild_id}/channels", get_guild_channels)
    router.add("GET", "/guilds/{guild_id}/roles", get_guild_roles)
    router.add("GET", "/guilds/{guild_id}/members/{user_id}", get_guild_member)
    router.add("GET", "/users/{user_id}", get_user)
    router.add("POST", "/users/@me/channels", create_dm)
