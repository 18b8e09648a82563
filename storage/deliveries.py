"""The outbox: delivery rows, claimed by the drainer, marked sent only on Discord's answer.

Rows are created by `storage.developments.queue_development` in the transaction that creates
the development. A row is `pending` until Discord answers a send (`sent`, with the message id)
or the send fails for good (`failed`, with the error; a bug, logged). A digest groups rows under
one `batch` (the digest's nonce), assigned in one transaction before the digest is sent, so
that after a crash the same digest is sent again with the same nonce.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from sqlite_utils import Database

from storage.schema import format_time, parse_time

DeliveryState = Literal["pending", "sent", "failed"]
MAX_ERROR_CHARS = 300

_COLUMNS = (
    "d.id, d.development_id, d.subscription_id, d.channel_id, d.nonce, d.state, d.message_id,"
    " d.attempts, d.next_attempt_at, d.last_error, d.created_at, d.sent_at, d.edited_at,"
    " d.batch, d.sources_shown"
)
_FROM_ACTIVE = " FROM deliveries d JOIN subscriptions s ON s.id = d.subscription_id"


@dataclass(frozen=True, slots=True)
class Delivery:
    id: int
    development_id: str
    subscription_id: int
    channel_id: int
    nonce: str
    state: DeliveryState
    message_id: int | None
    attempts: int
    next_attempt_at: datetime | None
    last_error: str | None
    created_at: datetime
    sent_at: datetime | None
    edited_at: datetime | None
    batch: str | None
    sources_shown: int


def delivery_from_row(row: dict[str, Any]) -> Delivery:
    created_at = parse_time(row["created_at"])
    assert created_at is not None  # NOT NULL column
    state: DeliveryState = row["state"] if row["state"] in ("pending", "sent") else "failed"
    return Delivery(
        id=int(row["id"]),
        development_id=str(row["development_id"]),
        subscription_id=int(row["subscription_id"]),
        channel_id=int(row["channel_id"]),
        nonce=str(row["nonce"]),
        state=state,
        message_id=row["message_id"],
        attempts=int(row["attempts"]),
        next_attempt_at=parse_time(row["next_attempt_at"]),
        last_error=row["last_error"],
        created_at=created_at,
        sent_at=parse_time(row["sent_at"]),
        edited_at=parse_time(row["edited_at"]),
        batch=row["batch"],
        sources_shown=int(row["sources_shown"]),
    )


def _select(db: Database, where: str, params: Sequence[Any]) -> list[Delivery]:
    sql = f"SELECT {_COLUMNS}{_FROM_ACTIVE} WHERE {where} ORDER BY d.id"
    return [delivery_from_row(row) for row in db.query(sql, list(params))]


_DUE = (
    "d.state = 'pending' AND s.state = 'active'"
    " AND (d.next_attempt_at IS NULL OR d.next_attempt_at <= ?)"
)


def due_posts(db: Database, now: datetime, limit: int = 500) -> list[Delivery]:
    """Pending, unbatched rows of active instant subscriptions that may be sent now, oldest
    first."""
    sql = (
        f"SELECT {_COLUMNS}{_FROM_ACTIVE} WHERE {_DUE} AND d.batch IS NULL"
        " AND s.mode = 'instant' ORDER BY d.id LIMIT ?"
    )
    return [delivery_from_row(row) for row in db.query(sql, [format_time(now), limit])]


def stale_backlogs(db: Database, older_than: datetime, threshold: int) -> list[int]:
    """Active instant subscriptions with more than `threshold` unbatched pending rows created
    before `older_than`: the bot was away, so they get one catch-up digest."""
    rows = db.query(
        f"SELECT d.subscription_id AS sub, count(*) AS n{_FROM_ACTIVE}"
        " WHERE d.state = 'pending' AND d.batch IS NULL AND s.state = 'active'"
        " AND s.mode = 'instant' AND d.created_at < ?"
        " GROUP BY d.subscription_id HAVING count(*) > ?",
        (format_time(older_than), threshold),
    )
    return [int(row["sub"]) for row in rows]


def unbatched_pending(db: Database, subscription_id: int) -> list[Delivery]:
    return _select(
        db,
        "d.subscription_id = ? AND d.state = 'pending' AND d.batch IS NULL",
        (subscription_id,),
    )


def batch_nonce(prefix: str, channel_id: int, delivery_ids: Sequence[int]) -> str:
    """A digest's nonce: `prefix` (2 letters) and a hash of its channel and rows; 24 chars."""
    text = f"{channel_id}:" + ",".join(str(i) for i in sorted(delivery_ids))
    return prefix[:2] + hashlib.sha256(text.encode()).hexdigest()[:22]


def assign_batch(db: Database, delivery_ids: Sequence[int], batch: str) -> None:
    """Put pending rows into one digest (call inside the caller's transaction)."""
    for start in range(0, len(delivery_ids), 500):
        chunk = list(delivery_ids[start : start + 500])
        marks = ", ".join("?" for _ in chunk)
        db.execute(
            f"UPDATE deliveries SET batch = ? WHERE state = 'pending' AND id IN ({marks})",
            [batch, *chunk],
        )


def due_batches(db: Database, now: datetime) -> dict[str, list[Delivery]]:
    """Digests assigned but not yet answered by Discord (to send, or send again), by nonce."""
    found: dict[str, list[Delivery]] = {}
    for delivery in _select(db, f"{_DUE} AND d.batch IS NOT NULL", (format_time(now),)):
        assert delivery.batch is not None
        found.setdefault(delivery.batch, []).append(delivery)
    return found


def mark_attempt(db: Database, delivery_ids: Sequence[int]) -> None:
    """Count a send about to start (so a restart knows the row may be in flight)."""
    for delivery_id in delivery_ids:
        db.execute("UPDATE deliveries SET attempts = attempts + 1 WHERE id = ?", (delivery_id,))


def mark_sent(
    db: Database, delivery_ids: Sequence[int], message_id: int, now: datetime, sources: int = 0
) -> None:
    """Discord answered: the rows are delivered by `message_id`."""
    with db.atomic():
        for delivery_id in delivery_ids:
            db.execute(
                "UPDATE deliveries SET state = 'sent', message_id = ?, sent_at = ?,"
                " sources_shown = ?, last_error = NULL, next_attempt_at = NULL WHERE id = ?",
                (message_id, format_time(now), sources, delivery_id),
            )


def mark_retry(
    db: Database, delivery_ids: Sequence[int], error: str, next_attempt_at: datetime
) -> None:
    """A transient failure: the rows stay pending until `next_attempt_at`."""
    with db.atomic():
        for delivery_id in delivery_ids:
            db.execute(
                "UPDATE deliveries SET last_error = ?, next_attempt_at = ? WHERE id = ?",
                (error[:MAX_ERROR_CHARS], format_time(next_attempt_at), delivery_id),
            )


def mark_failed(db: Database, delivery_ids: Sequence[int], error: str) -> None:
    """Discord refused the message itself (not the channel): never retried, kept for /status."""
    with db.atomic():
        for delivery_id in delivery_ids:
            db.execute(
                "UPDATE deliveries SET state = 'failed', last_error = ? WHERE id = ?",
                (error[:MAX_ERROR_CHARS], delivery_id),
            )


def edits_due(
    db: Database, now: datetime, interval_seconds: float, updated_since: datetime
) -> list[Delivery]:
    """Posted (unbatched) rows whose development, updated at or after `updated_since`, has
    gained sources since it was rendered, and that were not edited in the last
    `interval_seconds`."""
    cutoff = format_time(now - timedelta(seconds=interval_seconds))
    sql = (
        f"SELECT {_COLUMNS}{_FROM_ACTIVE} JOIN developments dv ON dv.id = d.development_id"
        " WHERE dv.updated_at >= ? AND d.state = 'sent' AND d.batch IS NULL"
        " AND d.message_id IS NOT NULL AND s.state = 'active'"
        " AND (d.edited_at IS NULL OR d.edited_at <= ?)"
        " AND d.sources_shown < (SELECT count(*) FROM development_sources ds"
        " WHERE ds.development_id = d.development_id) ORDER BY d.id LIMIT 200"
    )
    return [delivery_from_row(row) for row in db.query(sql, [format_time(updated_since), cutoff])]


def mark_edited(db: Database, delivery_id: int, now: datetime, sources: int) -> None:
    db.execute(
        "UPDATE deliveries SET edited_at = ?, sources_shown = ? WHERE id = ?",
        (format_time(now), sources, delivery_id),
    )


def recent_sends(db: Database, since: datetime) -> list[tuple[int, datetime]]:
    """(channel id, sent time) of messages sent at or after `since` (to resume pacing)."""
    rows = db.query(
        "SELECT DISTINCT channel_id, message_id, sent_at FROM deliveries"
        " WHERE sent_at >= ? ORDER BY sent_at",
        (format_time(since),),
    )
    found = []
    for row in rows:
        sent_at = parse_time(row["sent_at"])
        if sent_at is not None:
            found.append((int(row["channel_id"]), sent_at))
    return found


def unanswered_channels(db: Database) -> list[int]:
    """Channels of pending rows already tried: Discord may have taken those sends."""
    rows = db.query(
        "SELECT channel_id FROM deliveries WHERE state = 'pending' AND attempts > 0 ORDER BY id"
    )
    return [int(row["channel_id"]) for row in rows]


def count_deliveries(db: Database) -> dict[str, int]:
    counts = {"pending": 0, "sent": 0, "failed": 0}
    for row in db.query("SELECT state, count(*) AS n FROM deliveries GROUP BY state"):
        counts[str(row["state"])] = int(row["n"])
    return counts
