"""The feeds table: syncing it with the feeds file, due feeds and each check's bookkeeping.

Every function takes the sqlite-utils `Database` first and returns `FeedState` records.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlite_utils import Database

from news.records import FeedSource, FeedState, FetchedBody, FetchFailure
from storage.schema import format_time, parse_time

MAX_ERROR_CHARS = 500
"""A stored error message is cut to this length (it comes partly from remote servers)."""

_FEED_COLUMNS = (
    "id, name, url, label, active, etag, last_modified, last_checked_at, next_check_at,"
    " last_status, last_error, consecutive_failures, has_baseline, retry_after_at"
)


def feed_from_row(row: dict[str, Any]) -> FeedState:
    return FeedState(
        id=int(row["id"]),
        name=str(row["name"]),
        url=str(row["url"]),
        label=row["label"],
        etag=row["etag"],
        last_modified=row["last_modified"],
        last_checked_at=parse_time(row["last_checked_at"]),
        next_check_at=parse_time(row["next_check_at"]),
        last_status=row["last_status"],
        last_error=row["last_error"],
        consecutive_failures=int(row["consecutive_failures"]),
        has_baseline=bool(row["has_baseline"]),
        stories_count=int(row.get("stories_count") or 0),
        retry_after_at=parse_time(row["retry_after_at"]),
        active=bool(row["active"]),
    )


def sync_feeds(db: Database, sources: Sequence[FeedSource], now: datetime) -> list[FeedState]:
    """Make the stored feeds match the feeds file; return the active feeds.

    New URLs are added; known URLs get the file's name and label and are (re)activated; feeds
    whose URL left the file are retired (`active = 0`), keeping their stories and history. A
    retired feed that comes back takes a new baseline, so what it published meanwhile is
    recorded as seen rather than announced (its stories already stored are never new again).
    """
    wanted = {source.url: source for source in sources}
    with db.atomic():
        rows = db.query("SELECT id, url, active FROM feeds")
        known = {row["url"]: (int(row["id"]), bool(row["active"])) for row in rows}
        for url, source in wanted.items():
            if url in known:
                feed_id, was_active = known[url]
                # a feed back after a pause takes a new baseline: no flood of what it missed
                db.execute(
                    "UPDATE feeds SET name = ?, label = ?, active = 1,"
                    " has_baseline = CASE WHEN ? THEN has_baseline ELSE 0 END WHERE id = ?",
                    (source.name, source.label, was_active, feed_id),
                )
            else:
                db.execute(
                    "INSERT INTO feeds (name, url, label, active, added_at) VALUES (?, ?, ?, 1, ?)",
                    (source.name, url, source.label, format_time(now)),
                )
        retired = [feed_id for url, (feed_id, _) in known.items() if url not in wanted]
        for feed_id in retired:
            db.execute("UPDATE feeds SET active = 0 WHERE id = ?", (feed_id,))
    return list_feeds(db, with_counts=False)


def list_feeds(
    db: Database, *, with_counts: bool = True, include_retired: bool = False
) -> list[FeedState]:
    """The feeds in file order (by id), active ones only unless `include_retired`.

    With `with_counts`, each record carries how many stories the feed has stored.
    """
    counts = (
        ", (SELECT count(*) FROM stories s WHERE s.feed_id = feeds.id) AS stories_count"
        if with_counts
        else ""
    )
    where = "" if include_retired else " WHERE active = 1"
    sql = f"SELECT {_FEED_COLUMNS}{counts} FROM feeds{where} ORDER BY id"
    return [feed_from_row(row) for row in db.query(sql)]


def get_feed(db: Database, feed_id: int) -> FeedState | None:
    rows = list(db.query(f"SELECT {_FEED_COLUMNS} FROM feeds WHERE id = ?", (feed_id,)))
    return feed_from_row(rows[0]) if rows else None


def due_feeds(db: Database, now: datetime, slack_seconds: float = 0.0) -> list[FeedState]:
    """Active feeds whose next check is at or before `now + slack_seconds` (or never checked),
    and whose server's Retry-After (if any) has passed at `now`."""
    horizon = format_time(now + timedelta(seconds=slack_seconds))
    sql = (
        f"SELECT {_FEED_COLUMNS} FROM feeds WHERE active = 1"
        " AND (next_check_at IS NULL OR next_check_at <= ?)"
        " AND (retry_after_at IS NULL OR retry_after_at <= ?) ORDER BY id"
    )
    return [feed_from_row(row) for row in db.query(sql, (horizon, format_time(now)))]


def record_not_modified(db: Database, feed_id: int, now: datetime, next_check_at: datetime) -> None:
    """A 304: the check time and next check change, and the feed counts as healthy again."""
    db.execute(
        "UPDATE feeds SET last_checked_at = ?, next_check_at = ?, last_status = 304,"
        " last_error = NULL, consecutive_failures = 0, retry_after_at = NULL WHERE id = ?",
        (format_time(now), format_time(next_check_at), feed_id),
    )


def record_failure(
    db: Database, feed_id: int, failure: FetchFailure, now: datetime, next_check_at: datetime
) -> None:
    """A failed check: last status and error, one more consecutive failure, next check later.

    A server's Retry-After is kept as `retry_after_at`, which even a forced check respects.
    """
    retry_after_at = (
        format_time(now + timedelta(seconds=failure.retry_after_seconds))
        if failure.retry_after_seconds
        else None
    )
    db.execute(
        "UPDATE feeds SET last_checked_at = ?, next_check_at = ?, last_status = ?,"
        " last_error = ?, consecutive_failures = consecutive_failures + 1, retry_after_at = ?"
        " WHERE id = ?",
        (
            format_time(now),
            format_time(next_check_at),
            failure.status,
            failure.error[:MAX_ERROR_CHARS],
            retry_after_at,
            feed_id,
        ),
    )


def record_success(
    db: Database, feed_id: int, fetched: FetchedBody, now: datetime, next_check_at: datetime
) -> None:
    """A 200 whose body parsed: validators kept for the next conditional GET, failures reset,
    baseline taken."""
    db.execute(
        "UPDATE feeds SET last_checked_at = ?, next_check_at = ?, last_status = ?,"
        " last_error = NULL, consecutive_failures = 0, retry_after_at = NULL,"
        " etag = ?, last_modified = ?, has_baseline = 1 WHERE id = ?",
        (
            format_time(now),
            format_time(next_check_at),
            fetched.status,
            fetched.etag,
            fetched.last_modified,
            feed_id,
        ),
    )
