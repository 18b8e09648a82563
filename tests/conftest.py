"""Shared fixtures: a migrated temporary database, settings pointing at temporary files, the
loopback feed server (`feed_server`, also `feeds`, from tests/feedserver.py) and the Discord
emulator (`emu`, from tests/emulator/)."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from sqlite_utils import Database

from settings import Settings
from storage.schema import open_database
from tests.emulator.emulator import DiscordEmulator
from tests.feedserver import FeedServer, feed_server

__all__ = ["db", "emu", "feed_server", "feeds", "settings"]


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


@pytest.fixture
async def emu() -> AsyncIterator[DiscordEmulator]:
    """A started Discord emulator (rate limits on, no guilds yet)."""
    async with DiscordEmulator() as emulator:
        yield emulator


@pytest.fixture
def feeds(feed_server: FeedServer) -> FeedServer:
    """The loopback feed server, under the short name the bot tests use."""
    return feed_server
