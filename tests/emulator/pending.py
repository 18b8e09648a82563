"""What a test gets back about one interaction, and the record the emulator keeps while it runs."""

from __future__ import annotations

from dataclasses import dataclass, field

from tests.emulator.models import FLAG_EPHEMERAL, FLAG_LOADING, JSON, Message, User
from tests.emulator.state import StoredMessage

RESPONSE_NAMES = {
    4: "message",
    5: "deferred",
    6: "deferred_update",
    7: "update",
    8: "autocomplete",
    9: "modal",
}


@dataclass(slots=True)
class Pending:
    """One dispatched interaction and everything the bot did in answer."""

    id: int
    token: str
    type: int
    name: str
    guild_id: int | None
    channel_id: int
    user: User
    dispatched_at: float
    payload: JSON
    source: StoredMessage | None = None
    callback_type: int | None = None
    callback_at: float | None = None
    callback_data: JSON | None = None
    original: StoredMessage | None = None
    followups: list[StoredMessage] = field(default_factory=list)
    completed_at: float | None = None
    errors: list[str] = field(default_factory=list)

    def result(self) -> InteractionResult:
        answer = self.original
        if answer is None or answer.flags & FLAG_LOADING:
            answer = self.followups[0] if self.followups else answer
        snapshot = None if answer is None else answer.snapshot()
        return InteractionResult(
            id=self.id,
            kind="command" if self.type == 2 else "component",
            name=self.name,
            response_type=self.callback_type,
            content="" if snapshot is None else snapshot.content,
            embeds=() if snapshot is None else snapshot.embeds,
            components=() if snapshot is None else snapshot.components,
            flags=0 if snapshot is None else snapshot.flags,
            message=snapshot,
            followups=tuple(m.snapshot() for m in self.followups),
            callback_seconds=None
            if self.callback_at is None
            else self.callback_at - self.dispatched_at,
            completed_seconds=(
                None if self.completed_at is None else self.completed_at - self.dispatched_at
            ),
            errors=tuple(self.errors),
        )


@dataclass(frozen=True, slots=True)
class InteractionResult:
    """What the bot answered to one interaction (a snapshot; re-read it for later edits)."""

    id: int
    kind: str
    name: str
    response_type: int | None
    content: str
    embeds: tuple[JSON, ...]
    components: tuple[JSON, ...]
    flags: int
    message: Message | None
    followups: tuple[Message, ...]
    callback_seconds: float | None
    completed_seconds: float | None
    errors: tuple[str, ...]

    @property
    def ephemeral(self) -> bool:
        return bool(self.flags & FLAG_EPHEMERAL)

    @property
    def deferred(self) -> bool:
        return self.response_type in (5, 6)

    @property
    def response_name(self) -> str:
        return RESPONSE_NAMES.get(self.response_type or 0, "none")

    @property
    def text(self) -> str:
        """Content and embed text of the answer and every follow-up."""
        parts = [] if self.message is None else [self.message.text]
        parts.extend(
            m.text for m in self.followups if self.message is None or m.id != self.message.id
        )
        return "\n".join(p for p in parts if p)
