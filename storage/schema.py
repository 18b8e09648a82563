"""The database: opening it (WAL, busy timeout, foreign keys) and the schema migrations.

Each migration is a step in `MIGRATIONS`, applied in order at start-up and recorded by
sqlite-utils in `_sqlite_migrations`. Never edit a released step; add a new one.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import sqlite_utils
from sqlite_utils import Database, Migrations

BUSY_TIMEOUT_MS = 5000


class StorageError(Exception):
    """The database cannot be opened or migrated."""


MIGRATIONS = Migrations("talkwatch")


@MIGRATIONS(name="001_feeds_and_stories")
def _feeds_and_stories(db: Database) -> None:
    db.execute(
        """
        CREATE TABLE feeds (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            url TEXT NOT NULL UNIQUE,
            label TEXT,
            active INTEGER NOT NULL DEFAULT 1,
            etag TEXT,
            last_modified TEXT,
            last_checked_at TEXT,
            next_check_at TEXT,
            last_status INTEGER,
            last_error TEXT,
            consecutive_failures INTEGER NOT NULL DEFAULT 0,
            has_baseline INTEGER NOT NULL DEFAULT 0,
            added_at TEXT NOT NULL
        )
        """
    )
    db.execute(
        """
        CREATE TABLE stories (
            id INTEGER PRIMARY KEY,
            feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
            entry_id TEXT NOT NULL,
            url TEXT NOT NULL DEFAULT '',
            title TEXT NOT NULL DEFAULT '',
            text TEXT NOT NULL DEFAULT '',
            published_at TEXT,
            seen_at TEXT NOT NULL,
            author TEXT,
            image_url TEXT,
            is_baseline INTEGER NOT NULL DEFAULT 0,
            UNIQUE (feed_id, entry_id)
        )
        """
    )
    db.execute("CREATE UNIQUE INDEX stories_url ON stories(url) WHERE url != ''")
    db.execute("CREATE INDEX stories_seen_at ON stories(seen_at)")


@MIGRATIONS(name="002_developments_and_outbox")
def _developments_and_outbox(db: Database) -> None:
    db.execute(
        """
        CREATE TABLE developments (
            id TEXT PRIMARY KEY,
            headline TEXT NOT NULL,
            summary TEXT NOT NULL,
            url TEXT NOT NULL,
            kind TEXT NOT NULL,
            importance REAL NOT NULL,
            first_seen_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            signature TEXT NOT NULL DEFAULT ''
        )
        """
    )
    db.execute("CREATE INDEX developments_updated_at ON developments(updated_at)")
    db.execute("CREATE INDEX developments_first_seen_at ON developments(first_seen_at)")
    for column, kind in (
        ("relevant", "INTEGER"),
        ("score", "REAL"),
        ("reasons", "TEXT"),
        ("development_id", "TEXT REFERENCES developments(id)"),
        ("article_text", "TEXT"),
    ):
        db.execute(f"ALTER TABLE stories ADD COLUMN {column} {kind}")
    db.execute(
        """
        CREATE TABLE development_sources (
            development_id TEXT NOT NULL REFERENCES developments(id) ON DELETE CASCADE,
            story_id INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
            outlet TEXT NOT NULL,
            url TEXT NOT NULL,
            title TEXT NOT NULL,
            reported_at TEXT NOT NULL,
            PRIMARY KEY (development_id, story_id)
        )
        """
    )
    db.execute(
        """
        CREATE TABLE subscriptions (
            id INTEGER PRIMARY KEY,
            guild_id INTEGER,
            channel_id INTEGER NOT NULL UNIQUE,
            mode TEXT NOT NULL DEFAULT 'instant',
            digest_time TEXT NOT NULL DEFAULT '08:00',
            role_id INTEGER,
            state TEXT NOT NULL DEFAULT 'active',
            paused_reason TEXT,
            created_by INTEGER,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )
        """
    )
    db.execute(
        """
        CREATE TABLE deliveries (
            id INTEGER PRIMARY KEY,
            development_id TEXT NOT NULL REFERENCES developments(id) ON DELETE CASCADE,
            subscription_id INTEGER NOT NULL REFERENCES subscriptions(id) ON DELETE CASCADE,
            channel_id INTEGER NOT NULL,
            nonce TEXT NOT NULL,
            state TEXT NOT NULL DEFAULT 'pending',
            message_id INTEGER,
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at TEXT,
            last_error TEXT,
            created_at TEXT NOT NULL,
            sent_at TEXT,
            edited_at TEXT,
            UNIQUE (development_id, channel_id)
        )
        """
    )
    db.execute("CREATE INDEX deliveries_pending ON deliveries(state, next_attempt_at)")


@MIGRATIONS(name="003_retry_after_and_unjudged")
def _retry_after_and_unjudged(db: Database) -> None:
    db.execute("ALTER TABLE feeds ADD COLUMN retry_after_at TEXT")
    db.execute(
        "CREATE INDEX stories_unjudged ON stories(id) WHERE relevant IS NULL AND is_baseline = 0"
    )
    db.execute("CREATE INDEX stories_development ON stories(development_id)")


@MIGRATIONS(name="004_delivery_bookkeeping")
def _delivery_bookkeeping(db: Database) -> None:
    """Digest and edit bookkeeping for the Discord side (issue 5)."""
    db.execute("ALTER TABLE subscriptions ADD COLUMN last_digest_on TEXT")
    db.execute("ALTER TABLE subscriptions ADD COLUMN notice TEXT")
    db.execute("ALTER TABLE deliveries ADD COLUMN batch TEXT")
    db.execute("ALTER TABLE deliveries ADD COLUMN sources_shown INTEGER NOT NULL DEFAULT 0")
    db.execute("CREATE INDEX deliveries_batch ON deliveries(batch) WHERE batch IS NOT NULL")


SCHEMA_VERSION = len(MIGRATIONS._migrations)


def format_time(moment: datetime) -> str:
    """The one text form of a time in the database: ISO 8601, UTC, microseconds, so that text
    order is time order (`2026-11-25T14:30:00.000000+00:00`)."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime given to the database")
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def parse_time(text: str | None) -> datetime | None:
    """Read a time written by `format_time` (or any ISO 8601 text; naive is taken as UTC)."""
    if not text:
        return None
    moment = datetime.fromisoformat(text)
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


class ImmediateDatabase(sqlite_utils.Database):
    """sqlite-utils' `Database` whose outermost `atomic()` block starts with BEGIN IMMEDIATE.

    The bot and its feed-check thread each hold a connection. In WAL mode a deferred
    transaction that reads and then writes fails at once ("database is locked", no busy
    wait) if the other connection committed in between; taking the write lock at BEGIN makes
    it wait for the busy timeout instead. Nested blocks stay savepoints."""

    @contextlib.contextmanager
    def atomic(self) -> Iterator[ImmediateDatabase]:
        if self.conn.in_transaction:
            with super().atomic():
                yield self
            return
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self
        except BaseException:
            self.rollback()
            raise
        try:
            self.conn.execute("COMMIT")
        except BaseException:
            self.rollback()
            raise


def open_database(path: Path | str) -> Database:
    """Open (creating if needed) and migrate the database; raise `StorageError` on failure."""
    try:
        conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=True)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        db = ImmediateDatabase(conn)
        if str(path) != ":memory:":
            db.enable_wal()
        conn.execute("PRAGMA synchronous = NORMAL")
        MIGRATIONS.apply(db)
    except sqlite3.DatabaseError as exc:
        raise StorageError(f"{path}: cannot open the database ({exc})") from exc
    return db


def schema_version(db: Database) -> int:
    """How many migration steps this database has applied."""
    return len(MIGRATIONS.applied(db))
