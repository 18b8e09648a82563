"""The stories table: storing unseen entries once, verdicts, and counts for `/status`.

A story is unseen when neither its (feed, entry id) nor its canonical URL is stored: both are
unique indexes, so `INSERT OR IGNORE` decides, and `RETURNING id` tells which rows were new.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from news.records import Entry, FeedState, FetchedBody, Story, Verdict
from storage.feeds import record_success
from storage.schema import format_time, parse_time

_INSERT = (
    "INSERT OR IGNORE INTO stories (feed_id, entry_id, url, title, text, published_at, seen_at,"
    " author, image_url, is_baseline) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"
)

_REASONS = json.JSONEncoder(ensure_ascii=False)

_STORY_SELECT = (
    "SELECT s.id, s.feed_id, f.name AS outlet, s.entry_id, s.url, s.title, s.text,"
    " s.published_at, s.seen_at, s.author, s.image_url, s.is_baseline"
    " FROM stories s JOIN feeds f ON f.id = s.feed_id"
)


@dataclass(frozen=True, slots=True)
class Counts:
    """What `/status` shows about the database."""

    feeds: int
    failing_feeds: int
    stories: int
    relevant_stories: int
    developments: int


def story_from_row(row: dict[str, Any]) -> Story:
    seen_at = parse_time(row["seen_at"])
    assert seen_at is not None  # NOT NULL column
    return Story(
        id=int(row["id"]),
        feed_id=int(row["feed_id"]),
        outlet=str(row["outlet"]),
        entry_id=str(row["entry_id"]),
        url=str(row["url"]),
        title=str(row["title"]),
        text=str(row["text"]),
        published_at=parse_time(row["published_at"]),
        seen_at=seen_at,
        author=row["author"],
        image_url=row["image_url"],
        is_baseline=bool(row["is_baseline"]),
    )


def record_entries(
    db: Database,
    feed: FeedState,
    fetched: FetchedBody,
    entries: Sequence[Entry],
    now: datetime,
    next_check_at: datetime,
    baseline_since: datetime,
) -> list[Story]:
    """Store the unseen entries and the feed's success in one transaction; return new stories.

    At the feed's baseline (its first successful check) every entry is stored, but only those
    published at or after `baseline_since` are new; the others (and undated ones) are stored
    with `is_baseline` and never judged or announced.
    """
    return record_entries_of_feeds(
        db,
        [(feed, entry) for entry in entries],
        fetched,
        now,
        next_check_at,
        baseline_since,
        [feed],
    )


def record_entries_of_feeds(
    db: Database,
    items: Sequence[tuple[FeedState, Entry]],
    fetched: FetchedBody,
    now: datetime,
    next_check_at: datetime,
    baseline_since: datetime,
    checked: Sequence[FeedState] = (),
) -> list[Story]:
    """`record_entries` for entries of several feeds, stored in the given order in one
    transaction (so story ids follow that order); each feed of `items` and of `checked` gets
    its success recorded once. A feed's baseline is taken as it was before the call."""
    seen_at = format_time(now)
    execute = db.conn.execute
    new: list[Story] = []
    feeds = {feed.id: feed for feed in checked}
    with db.atomic():
        for feed, entry in items:
            feeds.setdefault(feed.id, feed)
            is_new = feed.has_baseline or (
                entry.published_at is not None and entry.published_at >= baseline_since
            )
            row = execute(_INSERT, _entry_params(feed.id, entry, seen_at, is_new)).fetchone()
            if row is not None and is_new:
                new.append(_story(int(row[0]), feed, entry, now))
        for feed_id in feeds:
            record_success(db, feed_id, fetched, now, next_check_at)
    return new


def _entry_params(
    feed_id: int, entry: Entry, seen_at: str, is_new: bool
) -> tuple[int, str, str, str, str, str | None, str, str | None, str | None, int]:
    published = format_time(entry.published_at) if entry.published_at else None
    return (
        feed_id,
        entry.entry_id,
        entry.url,
        entry.title,
        entry.text,
        published,
        seen_at,
        entry.author,
        entry.image_url,
        0 if is_new else 1,
    )


def _story(story_id: int, feed: FeedState, entry: Entry, now: datetime) -> Story:
    return Story(
        id=story_id,
        feed_id=feed.id,
        outlet=feed.name,
        entry_id=entry.entry_id,
        url=entry.url,
        title=entry.title,
        text=entry.text,
        published_at=entry.published_at,
        seen_at=now,
        author=entry.author,
        image_url=entry.image_url,
    )


def unjudged_stories(db: Database, limit: int = 20_000) -> list[Story]:
    """New (non-baseline) stories that have no verdict yet, in the order they were reported
    (published time, else first-seen time, then id), so judging does not depend on which feed
    answered first.

    Normally these are the stories the current cycle just stored; after a crash between storing
    and judging they are the ones left behind, so nothing is lost.
    """
    sql = (
        f"{_STORY_SELECT} WHERE s.relevant IS NULL AND s.is_baseline = 0"
        " ORDER BY coalesce(s.published_at, s.seen_at), s.id LIMIT ?"
    )
    return [story_from_row(row) for row in db.query(sql, (limit,))]


def get_stories(db: Database, story_ids: Sequence[int]) -> dict[int, Story]:
    """The stories with these ids (missing ids are left out)."""
    found: dict[int, Story] = {}
    ids = list(story_ids)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ", ".join("?" for _ in chunk)
        for row in db.query(f"{_STORY_SELECT} WHERE s.id IN ({marks})", chunk):
            story = story_from_row(row)
            found[story.id] = story
    return found


def record_verdict(
    db: Database, story_id: int, verdict: Verdict, development_id: str | None
) -> None:
    db.execute(
        "UPDATE stories SET relevant = ?, score = ?, reasons = ?, development_id = ? WHERE id = ?",
        (
            1 if verdict.relevant else 0,
            verdict.score,
            _REASONS.encode(list(verdict.reasons)),
            development_id,
            story_id,
        ),
    )


def save_article_text(db: Database, story_id: int, text: str) -> None:
    db.execute("UPDATE stories SET article_text = ? WHERE id = ?", (text, story_id))


def get_article_text(db: Database, story_id: int) -> str | None:
    rows = list(db.query("SELECT article_text FROM stories WHERE id = ?", (story_id,)))
    return rows[0]["article_text"] if rows else None


def count_records(db: Database) -> Counts:
    row = next(
        db.query(
            "SELECT"
            " (SELECT count(*) FROM feeds WHERE active = 1) AS feeds,"
            " (SELECT count(*) FROM feeds WHERE active = 1 AND consecutive_failures > 0)"
            " AS failing_feeds,"
            " (SELECT count(*) FROM stories) AS stories,"
            " (SELECT count(*) FROM stories WHERE relevant = 1) AS relevant_stories,"
            " (SELECT count(*) FROM developments) AS developments"
        )
    )
    return Counts(**{key: int(value) for key, value in row.items()})
