"""The subscriptions table: which channel gets what, and whether delivery there is paused.

One subscription per channel. Subscribing again (any mode) re-activates a paused one; pausing
keeps its pending deliveries so that nothing is dropped silently.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from sqlite_utils import Database

from storage.schema import format_time, parse_time

Mode = Literal["instant", "daily"]
State = Literal["active", "paused"]
MODES: tuple[Mode, ...] = ("instant", "daily")
MAX_REASON_CHARS = 300

_COLUMNS = (
    "id, guild_id, channel_id, mode, digest_time, role_id, state, paused_reason, created_by,"
    " created_at, updated_at, last_digest_on, notice"
)


@dataclass(frozen=True, slots=True)
class Subscription:
    id: int
    guild_id: int | None
    channel_id: int
    mode: Mode
    digest_time: str
    """HH:MM in the configured time zone (daily mode)."""
    role_id: int | None
    state: State
    paused_reason: str | None
    created_by: int | None
    created_at: datetime
    updated_at: datetime
    last_digest_on: date | None = None
    notice: str | None = None
    """A non-fatal problem worth showing in /status (e.g. cannot publish)."""

    @property
    def is_active(self) -> bool:
        return self.state == "active"


def subscription_from_row(row: dict[str, Any]) -> Subscription:
    created_at = parse_time(row["created_at"])
    updated_at = parse_time(row["updated_at"])
    assert created_at is not None and updated_at is not None  # NOT NULL columns
    mode: Mode = "daily" if row["mode"] == "daily" else "instant"
    state: State = "paused" if row["state"] == "paused" else "active"
    digest_on = row["last_digest_on"]
    return Subscription(
        id=int(row["id"]),
        guild_id=row["guild_id"],
        channel_id=int(row["channel_id"]),
        mode=mode,
        digest_time=str(row["digest_time"]),
        role_id=row["role_id"],
        state=state,
        paused_reason=row["paused_reason"],
        created_by=row["created_by"],
        created_at=created_at,
        updated_at=updated_at,
        last_digest_on=date.fromisoformat(digest_on) if digest_on else None,
        notice=row["notice"],
    )


def _one(db: Database, where: str, params: tuple[Any, ...]) -> Subscription | None:
    rows = list(db.query(f"SELECT {_COLUMNS} FROM subscriptions WHERE {where}", params))
    return subscription_from_row(rows[0]) if rows else None


def get_subscription(db: Database, channel_id: int) -> Subscription | None:
    return _one(db, "channel_id = ?", (channel_id,))


def get_subscription_by_id(db: Database, subscription_id: int) -> Subscription | None:
    return _one(db, "id = ?", (subscription_id,))


def subscribe(
    db: Database,
    *,
    guild_id: int | None,
    channel_id: int,
    mode: Mode,
    digest_time: str,
    role_id: int | None,
    user_id: int | None,
    now: datetime,
    today: date | None = None,
) -> tuple[Subscription, bool]:
    """Create or update the channel's subscription and make it active; True if it was new.

    `today` (the local date) marks today's digest as done when the digest time has already
    passed, so a new daily subscription starts with the next digest rather than at once.
    """
    stamp = format_time(now)
    digest_on = today.isoformat() if today else None
    with db.atomic():
        existing = get_subscription(db, channel_id)
        if existing is None:
            db.execute(
                "INSERT INTO subscriptions (guild_id, channel_id, mode, digest_time, role_id,"
                " state, created_by, created_at, updated_at, last_digest_on)"
                " VALUES (?, ?, ?, ?, ?, 'active', ?, ?, ?, ?)",
                (
                    guild_id,
                    channel_id,
                    mode,
                    digest_time,
                    role_id,
                    user_id,
                    stamp,
                    stamp,
                    digest_on,
                ),
            )
        else:
            keep_digest = existing.mode == "daily" and existing.digest_time == digest_time
            db.execute(
                "UPDATE subscriptions SET guild_id = ?, mode = ?, digest_time = ?, role_id = ?,"
                " state = 'active', paused_reason = NULL, notice = NULL, updated_at = ?,"
                " last_digest_on = CASE WHEN ? THEN last_digest_on ELSE ? END"
                " WHERE channel_id = ?",
                (guild_id, mode, digest_time, role_id, stamp, keep_digest, digest_on, channel_id),
            )
        saved = get_subscription(db, channel_id)
    assert saved is not None
    return saved, existing is None


def unsubscribe(db: Database, channel_id: int) -> bool:
    """Remove the channel's subscription (and its outbox rows); True if there was one."""
    with db.atomic():
        cursor = db.execute("DELETE FROM subscriptions WHERE channel_id = ?", (channel_id,))
    return cursor.rowcount > 0


def pause_subscription(db: Database, subscription_id: int, reason: str, now: datetime) -> None:
    """Stop sending to this channel until an admin subscribes again; keep the reason."""
    db.execute(
        "UPDATE subscriptions SET state = 'paused', paused_reason = ?, updated_at = ? WHERE id = ?",
        (reason[:MAX_REASON_CHARS], format_time(now), subscription_id),
    )


def set_notice(db: Database, subscription_id: int, notice: str | None) -> None:
    db.execute(
        "UPDATE subscriptions SET notice = ? WHERE id = ? AND notice IS NOT ?",
        (notice[:MAX_REASON_CHARS] if notice else None, subscription_id, notice),
    )


def guild_subscriptions(db: Database, guild_id: int) -> list[Subscription]:
    rows = db.query(
        f"SELECT {_COLUMNS} FROM subscriptions WHERE guild_id = ? ORDER BY channel_id",
        (guild_id,),
    )
    return [subscription_from_row(row) for row in rows]


def daily_subscriptions(db: Database) -> list[Subscription]:
    """Active subscriptions in daily mode."""
    rows = db.query(
        f"SELECT {_COLUMNS} FROM subscriptions WHERE state = 'active' AND mode = 'daily'"
        " ORDER BY id"
    )
    return [subscription_from_row(row) for row in rows]


def mark_digest_done(db: Database, subscription_id: int, local_day: date) -> None:
    db.execute(
        "UPDATE subscriptions SET last_digest_on = ? WHERE id = ?",
        (local_day.isoformat(), subscription_id),
    )


def count_subscriptions(db: Database) -> dict[str, int]:
    """How many subscriptions are active and paused, over every server."""
    counts = {"active": 0, "paused": 0}
    for row in db.query("SELECT state, count(*) AS n FROM subscriptions GROUP BY state"):
        counts[str(row["state"])] = int(row["n"])
    return counts
