"""Interactions after dispatch: the callback, follow-ups and @original, and what the test sees.

Discord's rules enforced: one callback per interaction (400 40060), within 3 s of dispatch
(404 10062 after; the interaction then counts as failed and finished), follow-ups only after
the callback and for 15 minutes. The first follow-up (or @original edit) after a deferred
"thinking" response fills the original message.
"""

from __future__ import annotations

from typing import Any

from tests.emulator.core import Core
from tests.emulator.models import (
    FLAG_EPHEMERAL,
    FLAG_LOADING,
    JSON,
    Mentions,
    new_snowflake,
)
from tests.emulator.pending import Pending
from tests.emulator.routes_channels import check_body, normalise_embeds
from tests.emulator.server import ApiError, Call, Router
from tests.emulator.state import StoredMessage

TOKEN_LIFETIME = 15 * 60.0
MESSAGE_TYPES = {4, 7}
_KEPT_FLAGS = (1 << 2) | (1 << 12)  # suppress embeds, suppress notifications


class Interactions:
    def __init__(self, core: Core) -> None:
        self.core = core
        self.pending: dict[int, Pending] = {}
        self.by_token: dict[str, Pending] = {}

    def add(self, pending: Pending) -> None:
        self.pending[pending.id] = pending
        self.by_token[pending.token] = pending

    def new_message(self, pending: Pending, data: JSON, source: str) -> StoredMessage:
        flags = int(data.get("flags") or 0) & (FLAG_EPHEMERAL | FLAG_LOADING | _KEPT_FLAGS)
        message = StoredMessage(
            id=new_snowflake(),
            channel_id=pending.channel_id,
            guild_id=pending.guild_id,
            author=self.core.world.bot,
            content=str(data.get("content") or ""),
            embeds=normalise_embeds(data),
            components=list(data.get("components") or []),
            flags=flags,
            nonce=None,
            allowed_mentions=data.get("allowed_mentions"),
            mentions=Mentions(),
            source="interaction" if source == "interaction" else "followup",
            interaction_id=pending.id,
            webhook_id=self.core.world.application_id,
        )
        self.core.world.messages[message.id] = message
        if not flags & FLAG_EPHEMERAL:
            self.core.world.channel_messages.setdefault(message.channel_id, []).append(message)
        return message

    def complete(self, pending: Pending) -> None:
        if pending.completed_at is None:
            pending.completed_at = self.core.now()


def _interaction(core: Core, call: Call) -> Pending:
    registry = core.registry()
    pending = registry.pending.get(call.id("interaction_id"))
    if pending is None or pending.token != call.params["token"]:
        raise ApiError(404, 10062, "Unknown interaction")
    return pending


async def callback(core: Core, call: Call) -> tuple[int, Any]:
    pending = _interaction(core, call)
    registry = core.registry()
    now = core.now()
    if pending.callback_type is not None:
        pending.errors.append("second callback (400 40060)")
        raise ApiError(400, 40060, "Interaction has already been acknowledged.")
    deadline = core.callback_deadline_seconds
    if deadline is not None and now - pending.dispatched_at > deadline:
        pending.errors.append(f"callback after {deadline:g} s (404 10062)")
        registry.complete(pending)
        raise ApiError(404, 10062, "Unknown interaction")
    body: JSON = call.body or {}
    kind = int(body.get("type", 0))
    data: JSON = body.get("data") or {}
    if kind in MESSAGE_TYPES:
        check_body(data, creating=kind == 4)
    pending.callback_type, pending.callback_at, pending.callback_data = kind, now, data
    resource = _apply_callback(registry, pending, kind, data)
    message = resource.get("message")
    return 200, {
        "interaction": {
            "id": str(pending.id),
            "type": pending.type,
            "response_message_id": None if message is None else message["id"],
            "response_message_loading": kind == 5,
            "response_message_ephemeral": bool(int(data.get("flags") or 0) & FLAG_EPHEMERAL),
        },
        "resource": resource,
    }


def _apply_callback(registry: Interactions, pending: Pending, kind: int, data: JSON) -> JSON:
    if kind == 4:
        pending.original = registry.new_message(pending, data, "interaction")
        registry.complete(pending)
    elif kind == 5:
        loading = {"flags": (int(data.get("flags") or 0) & FLAG_EPHEMERAL) | FLAG_LOADING}
        pending.original = registry.new_message(pending, loading, "interaction")
    elif kind == 7 and pending.source is not None:
        pending.source.edit(
            {**data, "embeds": normalise_embeds(data)} if "embeds" in data else data
        )
        pending.original = pending.source
        registry.complete(pending)
    elif kind == 6:
        pending.original = pending.source
    elif kind in (8, 9):
        registry.complete(pending)
    else:
        raise ApiError(400, 50035, "Invalid Form Body", (f"unsupported callback type {kind}",))
    resource: JSON = {"type": kind}
    if pending.original is not None:
        resource["message"] = pending.original.to_payload()
    return resource


def _by_token(core: Core, call: Call) -> Pending:
    registry = core.registry()
    pending = registry.by_token.get(call.params["webhook_token"])
    fresh = pending is not None and core.now() - pending.dispatched_at < TOKEN_LIFETIME
    if pending is None or not fresh or call.params["webhook_id"] != str(core.world.application_id):
        raise ApiError(404, 10015, "Unknown Webhook")
    if pending.callback_type is None:
        raise ApiError(404, 10015, "Unknown Webhook")
    return pending


def _fill_loading(pending: Pending, data: JSON) -> bool:
    original = pending.original
    if original is None or not original.flags & FLAG_LOADING:
        return False
    original.edit({**data, "embeds": normalise_embeds(data)} if "embeds" in data else data)
    original.flags &= ~FLAG_LOADING
    original.edits.clear()
    return True


async def followup(core: Core, call: Call) -> tuple[int, Any]:
    pending = _by_token(core, call)
    registry = core.registry()
    data: JSON = call.body or {}
    check_body(data, creating=True)
    if _fill_loading(pending, data) and pending.original is not None:
        message = pending.original
    else:
        message = registry.new_message(pending, data, "followup")
    pending.followups.append(message)
    registry.complete(pending)
    return (200, message.to_payload()) if call.query.get("wait") in ("1", "true") else (204, None)


def _webhook_message(pending: Pending, call: Call, core: Core) -> StoredMessage:
    message_id = call.params["message_id"]
    if message_id == "@original":
        found = pending.original
    else:
        found = core.world.messages.get(int(message_id)) if message_id.isdigit() else None
        found = found if found is not None and found.interaction_id == pending.id else None
    if found is None or found.deleted:
        raise ApiError(404, 10008, "Unknown Message")
    return found


async def get_webhook_message(core: Core, call: Call) -> tuple[int, Any]:
    pending = _by_token(core, call)
    return 200, _webhook_message(pending, call, core).to_payload()


async def edit_webhook_message(core: Core, call: Call) -> tuple[int, Any]:
    pending = _by_token(core, call)
    registry = core.registry()
    message = _webhook_message(pending, call, core)
    data: JSON = call.body or {}
    check_body(data, creating=False)
    if not _fill_loading(pending, data):
        message.edit({**data, "embeds": normalise_embeds(data)} if "embeds" in data else data)
    registry.complete(pending)
    return 200, message.to_payload()


async def delete_webhook_message(core: Core, call: Call) -> tuple[int, Any]:
    pending = _by_token(core, call)
    _webhook_message(pending, call, core).deleted = True
    return 204, None


def add_interaction_routes(router: Router) -> None:
    router.add(
        "POST", "/interactions/{interaction_id}/{token}/callback", callback, auth=False, exempt=True
    )
    hook = "/webhooks/{webhook_id}/{webhook_token}"
    router.add("POST", hook, followup, auth=False, exempt=True)
    for method, handler in (
        ("GET", get_webhook_message),
        ("PATCH", edit_webhook_message),
        ("DELETE", delete_webhook_message),
    ):
        router.add(method, f"{hook}/messages/{{message_id}}", handler, auth=False, exempt=True)
