"""Run the real bot against the emulator.

As a subprocess (for kill -9 tests): `python -m tests.emulator.launch run` with
TALKWATCH_TEST_DISCORD_API (the emulator's `api_base`) and TALKWATCH_TEST_DISCORD_GATEWAY (its
`gateway_url`) in the environment; both attributes are set before `bot.main(sys.argv[1:])`.
`bot_environment(emu)` builds those variables (plus DISCORD_TOKEN-style settings are the
caller's business).

In process: `with pointed_at(emu): ...` patches `discord.http.Route.BASE` and
`discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY` and restores them afterwards.
"""

from __future__ import annotations

import contextlib
import os
import sys
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
    """Redirect discord.py; returns the previous values."""
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


def main(argv: list[str]) -> int:
    api, gateway = os.environ.get(API_ENV), os.environ.get(GATEWAY_ENV)
    if not api or not gateway:
        print(f"launch: set {API_ENV} and {GATEWAY_ENV} to the emulator's URLs", file=sys.stderr)
        return 2
    point_discord_at(api, gateway)
    import bot

    result = bot.main(argv)
    return result if isinstance(result, int) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
