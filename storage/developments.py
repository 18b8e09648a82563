"""Developments, their sources, and the outbox rows that hand new ones to Discord.

`save_judgements` is the hand-off: verdicts, developments, sources and one pending delivery per
active subscription for each new development, all in one transaction.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from news.records import KINDS, Development, Kind, Source, Story
from news.store import Judgement
from storage.schema import format_time, parse_time
from storage.stories import get_stories, record_verdict

_DEV_COLUMNS = "id, headline, summary, url, kind, importance, first_seen_at, updated_at, signature"


def delivery_nonce(development_id: str, channel_id: int) -> str:
    """The nonce of one development's post in one channel: stable, distinct across channels and
    developments, 22 characters (Discord allows 25)."""
    digest = hashlib.sha256(f"{development_id}:{channel_id}".encode()).hexdigest()
    return f"tw{digest[:20]}"


def save_judgements(
    db: Database, judgements: Sequence[Judgement], now: datetime, *, queue_deliveries: bool = True
) -> None:
    """Write verdicts, developments and their sources; queue deliveries for new developments.

    A development id seen as new in this batch gets its delivery rows once, whatever else joined
    it in the same batch; `queue_deliveries=False` (a dry run) writes everything but the outbox.
    """
    stories = get_stories(db, [judgement.story_id for judgement in judgements])
    with db.atomic():
        for judgement in judgements:
            development = judgement.development
            if development is not None:
                _write_development(db, development)
            record_verdict(
                db, judgement.story_id, judgement.verdict, development.id if development else None
            )
            if development is None:
                continue
            story = stories.get(judgement.story_id)
            if story is not None:
                _write_source(db, development.id, story)
            if judgement.is_new_development and queue_deliveries:
                queue_development(db, development.id, now)


def _write_development(db: Database, development: Development) -> None:
    db.conn.execute(
        f"INSERT INTO developments ({_DEV_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT(id) DO UPDATE SET headline = excluded.headline,"
        " summary = excluded.summary, url = excluded.url, kind = excluded.kind,"
        " importance = excluded.importance, updated_at = excluded.updated_at,"
        " signature = excluded.signature",
        (
            development.id,
            development.headline,
            development.summary,
            development.url,
            development.kind,
            development.importance,
            format_time(development.first_seen_at),
            format_time(development.updated_at),
            development.signature,
        ),
    )


def _write_source(db: Database, development_id: str, story: Story) -> None:
    db.conn.execute(
        "INSERT OR IGNORE INTO development_sources"
        " (development_id, story_id, outlet, url, title, reported_at) VALUES (?, ?, ?, ?, ?, ?)",
        (
            development_id,
            story.id,
            story.outlet,
            story.url,
            story.title,
            format_time(story.reported_at),
        ),
    )


def queue_development(db: Database, development_id: str, now: datetime) -> int:
    """One pending delivery per active subscription (idempotent); returns how many were added."""
    subscriptions = list(
        db.query("SELECT id, channel_id FROM subscriptions WHERE state = 'active' ORDER BY id")
    )
    added = 0
    for sub in subscriptions:
        cursor = db.execute(
            "INSERT OR IGNORE INTO deliveries"
            " (development_id, subscription_id, channel_id, nonce, state, created_at)"
            " VALUES (?, ?, ?, ?, 'pending', ?)",
            (
                development_id,
                sub["id"],
                sub["channel_id"],
                delivery_nonce(development_id, int(sub["channel_id"])),
                format_time(now),
            ),
        )
        added += cursor.rowcount
    return added


def development_from_row(row: dict[str, Any], sources: Sequence[Source]) -> Development:
    kind: Kind = row["kind"] if row["kind"] in KINDS else "other"
    first_seen_at = parse_time(row["first_seen_at"])
    updated_at = parse_time(row["updated_at"])
    assert first_seen_at is not None and updated_at is not None  # NOT NULL columns
    return Development(
        id=str(row["id"]),
        headline=str(row["headline"]),
        summary=str(row["summary"]),
        url=str(row["url"]),
        kind=kind,
        importance=float(row["importance"]),
        first_seen_at=first_seen_at,
        updated_at=updated_at,
        sources=tuple(sources),
        signature=str(row["signature"]),
    )


def _sources_of(db: Database, development_ids: Sequence[str]) -> dict[str, list[Source]]:
    found: dict[str, list[Source]] = {dev_id: [] for dev_id in development_ids}
    ids = list(development_ids)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ", ".join("?" for _ in chunk)
        rows = db.query(
            "SELECT development_id, outlet, url, title, reported_at FROM development_sources"
            f" WHERE development_id IN ({marks}) ORDER BY reported_at, story_id",
            chunk,
        )
        for row in rows:
            reported_at = parse_time(row["reported_at"])
            assert reported_at is not None
            source = Source(row["outlet"], row["url"], row["title"], reported_at)
            found[row["development_id"]].append(source)
    return found


def _developments(db: Database, sql: str, params: Sequence[Any]) -> list[Development]:
    rows = list(db.query(sql, params))
    sources = _sources_of(db, [str(row["id"]) for row in rows])
    return [development_from_row(row, sources[str(row["id"])]) for row in rows]


def get_development(db: Database, development_id: str) -> Development | None:
    found = _developments(
        db, f"SELECT {_DEV_COLUMNS} FROM developments WHERE id = ?", (development_id,)
    )
    return found[0] if found else None


def recent_developments(db: Database, since: datetime) -> list[Development]:
    """Developments updated at or after `since`, oldest first (for grouping new stories)."""
    return _developments(
        db,
        f"SELECT {_DEV_COLUMNS} FROM developments WHERE updated_at >= ? ORDER BY updated_at, id",
        (format_time(since),),
    )


def latest_developments(
    db: Database, limit: int, before: str | None = None, offset: int = 0
) -> list[Development]:
    """The newest developments first (by first-seen time, then id), `limit` of them.

    `before` is a development id: only developments older than it are listed (a stable cursor
    for paging); `offset` skips that many. Developments come only from judged stories, never
    from stories recorded at a feed's baseline.
    """
    params: list[Any] = []
    where = ""
    if before is not None:
        where = (
            " WHERE (first_seen_at, id) < (SELECT first_seen_at, id FROM developments WHERE id = ?)"
        )
        params.append(before)
    params += [max(limit, 0), max(offset, 0)]
    sql = (
        f"SELECT {_DEV_COLUMNS} FROM developments{where}"
        " ORDER BY first_seen_at DESC, id DESC LIMIT ? OFFSET ?"
    )
    return _developments(db, sql, params)
