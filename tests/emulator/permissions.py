"""Discord permission bits and the permission computation Discord performs for a member.

The algorithm follows Discord's documentation: base permissions from @everyone plus the
member's roles (owner and Administrator get everything), then the channel's overwrites in
order @everyone, the member's roles (combined), the member itself; a member who cannot view
the channel has no permissions in it, and without Send Messages the send-dependent
permissions are dropped.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

CREATE_INSTANT_INVITE = 1 << 0
KICK_MEMBERS = 1 << 1
BAN_MEMBERS = 1 << 2
ADMINISTRATOR = 1 << 3
MANAGE_CHANNELS = 1 << 4
MANAGE_GUILD = 1 << 5
ADD_REACTIONS = 1 << 6
VIEW_AUDIT_LOG = 1 << 7
VIEW_CHANNEL = 1 << 10
SEND_MESSAGES = 1 << 11
SEND_TTS_MESSAGES = 1 << 12
MANAGE_MESSAGES = 1 << 13
EMBED_LINKS = 1 << 14
ATTACH_FILES = 1 << 15
READ_MESSAGE_HISTORY = 1 << 16
MENTION_EVERYONE = 1 << 17
USE_EXTERNAL_EMOJIS = 1 << 18
MANAGE_ROLES = 1 << 28
MANAGE_WEBHOOKS = 1 << 29
USE_APPLICATION_COMMANDS = 1 << 31
SEND_MESSAGES_IN_THREADS = 1 << 38

ALL = (1 << 53) - 1

#: What a freshly created guild's @everyone role may do (a useful default for tests).
EVERYONE_DEFAULT = (
    CREATE_INSTANT_INVITE
    | ADD_REACTIONS
    | VIEW_CHANNEL
    | SEND_MESSAGES
    | EMBED_LINKS
    | ATTACH_FILES
    | READ_MESSAGE_HISTORY
    | USE_EXTERNAL_EMOJIS
    | USE_APPLICATION_COMMANDS
)

#: What a typical bot invite grants: enough to post embeds and publish.
BOT_DEFAULT = VIEW_CHANNEL | SEND_MESSAGES | EMBED_LINKS | READ_MESSAGE_HISTORY

_SEND_DEPENDENT = EMBED_LINKS | ATTACH_FILES | MENTION_EVERYONE | SEND_TTS_MESSAGES

OverwriteType = Literal["role", "member"]


@dataclass(frozen=True, slots=True)
class Overwrite:
    """A channel permission overwrite for a role (or @everyone: the guild id) or a member."""

    id: int
    type: OverwriteType
    allow: int = 0
    deny: int = 0

    def to_payload(self) -> dict[str, object]:
        return {
            "id": str(self.id),
            "type": 0 if self.type == "role" else 1,
            "allow": str(self.allow),
            "deny": str(self.deny),
        }


def base_permissions(
    *,
    everyone: int,
    role_permissions: Iterable[int],
    is_owner: bool = False,
) -> int:
    """Guild-level permissions: @everyone plus every role the member has."""
    if is_owner:
        return ALL
    value = everyone
    for permissions in role_permissions:
        value |= permissions
    return ALL if value & ADMINISTRATOR else value


def channel_permissions(
    base: int,
    *,
    guild_id: int,
    member_id: int,
    member_role_ids: Iterable[int],
    overwrites: Iterable[Overwrite],
    is_text: bool = True,
) -> int:
    """Apply a channel's overwrites to `base` the way Discord does."""
    if base & ADMINISTRATOR:
        return ALL
    by_key = {(o.type, o.id): o for o in overwrites}
    value = base
    everyone = by_key.get(("role", guild_id))
    if everyone is not None:
        value = (value & ~everyone.deny) | everyone.allow
    allow = deny = 0
    for role_id in member_role_ids:
        role_overwrite = by_key.get(("role", role_id))
        if role_overwrite is not None and role_id != guild_id:
            allow |= role_overwrite.allow
            deny |= role_overwrite.deny
    value = (value & ~deny) | allow
    own = by_key.get(("member", member_id))
    if own is not None:
        value = (value & ~own.deny) | own.allow
    if not value & VIEW_CHANNEL:
        return 0
    if is_text and not value & SEND_MESSAGES:
        value &= ~_SEND_DEPENDENT
    return value


def has_all(value: int, required: int) -> bool:
    """True when `value` grants every bit of `required` (Administrator grants all)."""
    return bool(value & ADMINISTRATOR) or value & required == required


def as_int(value: object) -> int:
    """Accept an int or anything with an int `.value` (e.g. `discord.Permissions`)."""
    if isinstance(value, int):
        return value
    inner = getattr(value, "value", None)
    if isinstance(inner, int):
        return inner
    raise TypeError(f"expected permission bits as int, got {type(value).__name__}")
