"""Shared fixtures: a migrated temporary database, settings pointing at temporary files, and the
loopback feed server (`feed_server`, from tests/feedserver.py)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlite_utils import Database

from settings import Settings
from storage.schema import open_database
from tests.feedserver import feed_server

__all__ = ["db", "feed_server", "settings"]


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    """A fresh, fully migrated database file in tmp_path."""
    database = open_database(tmp_path / "talkwatch.db")
    yield database
    database.close()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Default settings, with the database and feeds file in tmp_path and no page fetching."""
    return dataclasses.replace(
        Settings(),
        db_path=tmp_path / "talkwatch.db",
        feeds_path=tmp_path / "feeds.toml",
        fetch_articles=False,
    )
