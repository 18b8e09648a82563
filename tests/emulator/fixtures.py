"""pytest fixtures: `from tests.emulator.fixtures import discord_emulator` in a test module."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest_asyncio

from tests.emulator.emulator import DiscordEmulator


@pytest_asyncio.fixture
async def discord_emulator() -> AsyncIterator[DiscordEmulator]:
    """A started emulator with rate limits on and no guilds yet."""
    async with DiscordEmulator() as emulator:
        yield emulator
