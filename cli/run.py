"""`talkwatch run`: the Discord bot, until SIGINT or SIGTERM (exit 0).

A missing or rejected token, a bad feeds file or topic profile, or an unopenable database is
one line on stderr and exit code 2, never a traceback. The token is never printed or logged: a
logging filter masks it should any library ever put it in a message.

Discord unreachable at start (connection refused, network down, Discord's 5xx) is what an
operator expects to pass: the bot logs one warning per attempt and keeps trying, waiting 1 s,
2 s, 4 s... up to `LOGIN_RETRY_MAX_SECONDS`, until it logs in or is stopped. Once connected,
discord.py itself reconnects the gateway.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sys
from typing import TYPE_CHECKING

from settings import Settings

if TYPE_CHECKING:
    import discord

EXIT_OK = 0
EXIT_CONFIG = 2
LOGIN_RETRY_FIRST_SECONDS = 1.0
LOGIN_RETRY_MAX_SECONDS = 15.0

log = logging.getLogger("talkwatch")


class TokenFilter(logging.Filter):
    """Replaces the token in any log message (belt and braces: nothing should log it)."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if self.token in message:
            record.msg, record.args = message.replace(self.token, "[token]"), None
        return True


def prepare_logging(token: str) -> None:
    """Timestamps on every line (the bot runs for days), and the token filter."""
    token_filter = TokenFilter(token)
    formatter = logging.Formatter("%(asctime)s %(levelname)-7s %(name)s: %(message)s")
    for handler in logging.getLogger().handlers:
        handler.addFilter(token_filter)
        handler.setFormatter(formatter)
    logging.getLogger("discord.client").addFilter(_not_voice)
    # APScheduler logs two INFO lines per check ("Running job", "executed successfully")
    logging.getLogger("apscheduler").setLevel(max(logging.WARNING, logging.root.level))


def _not_voice(record: logging.LogRecord) -> bool:
    """discord.py warns at every start that voice support is not installed; we need none."""
    return "voice will NOT be supported" not in record.getMessage()


def fail(message: str) -> int:
    print(f"talkwatch: {message}", file=sys.stderr)
    return EXIT_CONFIG


def main(args: argparse.Namespace, settings: Settings) -> int:
    if not settings.discord_token:
        return fail(
            "DISCORD_TOKEN is not set: create a bot at https://discord.com/developers/applications"
            " and put its token in DISCORD_TOKEN (or discord_token in talkwatch.toml)"
        )
    prepare_logging(settings.discord_token)
    try:
        return asyncio.run(run_bot(settings, settings.discord_token))
    except KeyboardInterrupt:
        return EXIT_OK


class Shutdown:
    """SIGINT and SIGTERM at any moment of the run, start-up included: the bot is closed as
    soon as it exists, and nothing new starts (a login waiting to retry gives up)."""

    def __init__(self) -> None:
        self.requested = asyncio.Event()
        self._bot: discord.Client | None = None
        self._closing: list[asyncio.Task[None]] = []

    def install(self) -> None:
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, self.request, sig.name)

    def request(self, signame: str) -> None:
        if not self.requested.is_set():
            log.info("%s received: shutting down", signame)
            self.requested.set()
            self._close()

    def attach(self, bot: discord.Client) -> None:
        self._bot = bot
        if self.requested.is_set():
            self._close()

    def _close(self) -> None:
        if self._bot is not None and not self._closing:
            self._closing.append(asyncio.get_running_loop().create_task(self._bot.close()))

    async def finish(self) -> None:
        for task in self._closing:
            await task


async def run_bot(settings: Settings, token: str) -> int:
    shutdown = Shutdown()
    shutdown.install()
    import discord

    from cli.checking import Checker
    from handlers.app import TalkwatchBot
    from news.errors import NewsError
    from storage.schema import StorageError

    checker = Checker(settings)
    try:
        await checker.__aenter__()  # before login: a bad file or database is one line, exit 2
    except (NewsError, StorageError) as exc:
        return fail(str(exc))
    bot = TalkwatchBot(settings, checker=checker)
    shutdown.attach(bot)
    try:
        async with bot:
            if await login_until_reachable(bot, token, shutdown.requested):
                await connect_until_stopped(bot, shutdown.requested)
    except discord.LoginFailure:
        return fail("Discord rejected the token in DISCORD_TOKEN (401): check or reset it")
    except discord.PrivilegedIntentsRequired:
        return fail("Discord refused the gateway intents; this bot needs no privileged intents")
    except (NewsError, StorageError) as exc:
        return fail(str(exc))
    except (discord.HTTPException, discord.GatewayNotFound, OSError) as exc:
        return fail(f"cannot reach Discord: {type(exc).__name__}: {str(exc)[:200]}")
    finally:
        await shutdown.finish()
    return EXIT_OK


async def connect_until_stopped(bot: discord.Client, stopped: asyncio.Event) -> None:
    """The gateway connection; discord.py reconnects it once it was up. While the very first
    connection fails, discord.py 2.7.1 crashes reading `self.ws.sequence` before any
    websocket exists (client.py:787, AttributeError): then connect again here, with backoff."""
    delay = LOGIN_RETRY_FIRST_SECONDS
    while True:
        try:
            await bot.connect(reconnect=True)
            return
        except AttributeError:
            if bot.ws is not None or stopped.is_set():
                raise
        log.warning("cannot reach Discord's gateway yet; retrying in %.0f s", delay)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stopped.wait(), delay)
        if stopped.is_set():
            return
        delay = min(delay * 2, LOGIN_RETRY_MAX_SECONDS)


def unreachable_reason(exc: BaseException) -> str | None:
    """Why Discord could not be reached, if `exc` means that (not a refusal of ours)."""
    import aiohttp
    import discord

    if isinstance(exc, discord.DiscordServerError):
        return f"Discord answered {exc.status}"
    if isinstance(exc, discord.HTTPException):
        return None
    if isinstance(exc, aiohttp.ClientError | OSError | TimeoutError):
        return type(exc).__name__
    return None


async def login_until_reachable(bot: discord.Client, token: str, stopped: asyncio.Event) -> bool:
    """Log in, retrying with backoff while Discord cannot be reached; False if `stopped` was
    set meanwhile. A rejected token and other refusals are raised at once."""
    import discord

    delay = LOGIN_RETRY_FIRST_SECONDS
    while not stopped.is_set():
        try:
            await bot.login(token)
            return True
        except Exception as exc:
            reason = unreachable_reason(exc)
            if reason is None:
                raise
            log.warning("cannot reach Discord (%s); retrying in %.0f s", reason, delay)
        # a fresh HTTP session (and connector) for the next attempt
        await bot.http.close()
        bot.http.connector = discord.utils.MISSING
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stopped.wait(), delay)
        delay = min(delay * 2, LOGIN_RETRY_MAX_SECONDS)
    return False
