"""storage/schema.py: migrations from an empty file and from each earlier version, pragmas."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlite_utils

from storage.schema import (
    MIGRATIONS,
    SCHEMA_VERSION,
    StorageError,
    format_time,
    open_database,
    parse_time,
    schema_version,
)
from storage.store import SqliteStore

FIXTURES = Path(__file__).parent / "fixtures" / "db"
STEP_NAMES = [migration.name for migration in MIGRATIONS._migrations]


def _pragma(db: sqlite_utils.Database, name: str) -> object:
    return db.execute(f"PRAGMA {name}").fetchone()[0]


def test_a_new_file_gets_every_step_wal_and_foreign_keys(tmp_path: Path) -> None:
    db = open_database(tmp_path / "new.db")
    assert schema_version(db) == SCHEMA_VERSION == len(STEP_NAMES)
    expected = {"feeds", "stories", "developments", "development_sources", "subscriptions"}
    assert expected | {"deliveries"} <= set(db.table_names())
    assert _pragma(db, "journal_mode") == "wal"
    assert _pragma(db, "foreign_keys") == 1
    assert _pragma(db, "busy_timeout") == 5000
    with pytest.raises(sqlite3.IntegrityError):
        db.execute(
            "INSERT INTO stories (feed_id, entry_id, seen_at) VALUES (999, 'x', '2026-01-01')"
        )
    db.close()


def test_reopening_applies_nothing_twice(tmp_path: Path) -> None:
    open_database(tmp_path / "x.db").close()
    db = open_database(tmp_path / "x.db")
    rows = list(db.query("SELECT name FROM _sqlite_migrations"))
    assert [row["name"] for row in rows] == STEP_NAMES
    db.close()


def test_a_version_1_database_is_migrated_with_its_data(tmp_path: Path) -> None:
    path = tmp_path / "v1.db"
    conn = sqlite3.connect(path)
    conn.executescript((FIXTURES / "v1.sql").read_text(encoding="utf-8"))
    conn.close()
    db = open_database(path)
    assert schema_version(db) == SCHEMA_VERSION
    store = SqliteStore(db)
    feeds = {feed.name: feed for feed in store.feed_health()}
    assert feeds["Kyiv Ledger"].etag == '"abc"' and feeds["Kyiv Ledger"].stories_count == 2
    assert feeds["Down Daily"].consecutive_failures == 3
    assert feeds["Down Daily"].retry_after_at is None
    # the baseline story stays out; the new one, never judged, is judged now
    assert [story.title for story in store.unjudged_stories()] == ["Ukraine offers talks"]
    db.close()


@pytest.mark.parametrize("stop_before", STEP_NAMES[1:])
def test_each_earlier_version_is_migrated_keeping_feeds(tmp_path: Path, stop_before: str) -> None:
    path = tmp_path / "old.db"
    old = sqlite_utils.Database(sqlite3.connect(path, isolation_level=None))
    MIGRATIONS.apply(old, stop_before=stop_before)
    old.execute(
        "INSERT INTO feeds (name, url, added_at) VALUES ('A', 'https://a.example/', ?)",
        (format_time(datetime(2026, 1, 1, tzinfo=UTC)),),
    )
    old.close()
    db = open_database(path)
    assert schema_version(db) == SCHEMA_VERSION
    assert [feed.name for feed in SqliteStore(db).list_feeds()] == ["A"]
    db.close()


def test_an_unopenable_database_is_one_clear_error(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StorageError, match="cannot open the database") as caught:
        open_database(garbage)
    assert "\n" not in str(caught.value)
    with pytest.raises(StorageError):
        open_database(tmp_path / "missing-dir" / "x.db")


def test_times_are_stored_as_sortable_utc_text() -> None:
    moment = datetime(2026, 3, 1, 12, 30, tzinfo=UTC)
    text = format_time(moment)
    assert text == "2026-03-01T12:30:00.000000+00:00"
    assert parse_time(text) == moment
    assert parse_time("2026-03-01T12:30:00") == moment
    assert parse_time(None) is None
    with pytest.raises(ValueError):
        format_time(datetime(2026, 3, 1))
