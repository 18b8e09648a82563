"""Pointing discord.py at the emulator: its REST base URL and its default gateway URL.

In process: `with pointed_at(emu): ...` patches `discord.http.Route.BASE` and
`discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY`, and restores both afterwards.
For a subprocess: `bot_environment(emu)` gives the variables `tests.emulator.launch` reads.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Protocol

API_ENV = "TALKWATCH_TEST_DISCORD_API"
GATEWAY_ENV = "TALKWATCH_TEST_DISCORD_GATEWAY"


class Endpoint(Protocol):
    @property
    def api_base(self) -> str: ...

    @property
    def gateway_url(self) -> str: ...


def point_discord_at(api_base: str, gateway_url: str) -> tuple[str, object]:
    """Redirect discord.py; returns the previous (Route.BASE, DEFAULT_GATEWAY)."""
    import discord.gateway
    import discord.http
    import yarl

    previous = (discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY)
    discord.http.Route.BASE = api_base
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway_url)
    return previous


@contextlib.contextmanager
def pointed_at(emulator: Endpoint) -> Iterator[None]:
    """discord.py talks to `emulator` inside the block."""
    import discord.gateway
    import discord.http

    base, gateway = point_discord_at(emulator.api_base, emulator.gateway_url)
    try:
        yield
    finally:
        discord.http.Route.BASE = base
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = gateway  # type: ignore[assignment]


def bot_environment(emulator: Endpoint) -> dict[str, str]:
    """Environment variables that make `python -m tests.emulator.launch` use `emulator`."""
    return {API_ENV: emulator.api_base, GATEWAY_ENV: emulator.gateway_url}
