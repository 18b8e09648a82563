"""Run the real bot against the emulator in a subprocess (for kill -9 tests)::

    env = {**os.environ, **bot_environment(emu), "DISCORD_TOKEN": emu.token, ...}
    python -m tests.emulator.launch run

reads TALKWATCH_TEST_DISCORD_API (the emulator's `api_base`) and TALKWATCH_TEST_DISCORD_GATEWAY
(its `gateway_url`), points discord.py at them, then calls `bot.main(sys.argv[1:])`.
"""

from __future__ import annotations

import os
import sys

from tests.emulator.redirect import API_ENV, GATEWAY_ENV, point_discord_at


def main(argv: list[str]) -> int:
    api, gateway = os.environ.get(API_ENV), os.environ.get(GATEWAY_ENV)
    if not api or not gateway:
        print(f"launch: set {API_ENV} and {GATEWAY_ENV} to the emulator's URLs", file=sys.stderr)
        return 2
    point_discord_at(api, gateway)
    import bot

    return bot.main(argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
