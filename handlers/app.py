"""The Discord bot: who opens and closes what.

`setup_hook` (on the bot's loop, after login) opens the bot's database connection and the
feed checks' thread (`handlers/checkthread.py`: feeds file, topic profile, its own connection
and HTTP session, so that a big cycle never stalls the bot's loop), loads the extensions,
starts the periodic checks, and syncs the slash commands. `close` undoes it in reverse:
extensions unloaded (the drainer lets in-flight sends finish or leaves their rows pending), the
gateway and Discord's HTTP session closed, then the check thread and the database. Kept out of
`bot.py` only so that `check` and `triage` never import discord.py.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime

import aiohttp
import discord
from discord.ext import commands
from sqlite_utils import Database

from handlers import errors
from handlers.checkthread import CheckThread
from handlers.context import Services, invite_url, utc_now
from news.cycle import CycleReport
from settings import Settings
from storage.schema import open_database

log = logging.getLogger(__name__)

SYNC_RETRY_FIRST_SECONDS = 2.0
SYNC_RETRY_MAX_SECONDS = 60.0
EXTENSIONS = (
    "handlers.delivery",
    "handlers.subscriptions",
    "handlers.latest",
    "handlers.status",
)


def bot_intents() -> discord.Intents:
    """Guilds only: channels, roles and overwrites for permission checks. Nothing privileged."""
    intents = discord.Intents.none()
    intents.guilds = True
    return intents


class TalkwatchBot(commands.Bot):
    def __init__(
        self,
        settings: Settings,
        *,
        guild_ready_timeout: float = 2.0,
        now_fn: Callable[[], datetime] = utc_now,
        db: Database | None = None,
        checks: CheckThread | None = None,
    ) -> None:
        """`db` and `checks`: the bot's database connection and an opened `CheckThread` (so
        that a bad feeds file, topic profile or database is reported before logging in); else
        `setup_hook` opens them. Either way the bot closes them."""
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=bot_intents(),
            help_command=None,
            allowed_mentions=discord.AllowedMentions.none(),
            max_messages=None,
            guild_ready_timeout=guild_ready_timeout,
        )
        self.settings = settings
        self.now_fn = now_fn
        """The clock of commands and deliveries (tests move it; feed checks use real time)."""
        self.services: Services | None = None
        self.db: Database | None = db
        self.checks: CheckThread | None = checks
        self._sync_task: asyncio.Task[None] | None = None

    async def setup_hook(self) -> None:
        if self.db is None:
            self.db = open_database(self.settings.db_path)
        if self.checks is None:
            self.checks = CheckThread(self.settings)
            await self.checks.open()
        self.services = Services(
            db=self.db, settings=self.settings, now_fn=self.now_fn, started_at=self.now_fn()
        )
        errors.install(self.tree)
        for extension in EXTENSIONS:
            await self.load_extension(extension)
        self.checks.start_schedule(self._checked)
        if not await self.sync_commands():
            self._sync_task = asyncio.create_task(self._sync_until_done(), name="sync-commands")
            self._sync_task.add_done_callback(_log_task_failure)
        if self.application_id is not None:
            log.info("invite URL: %s", invite_url(self.application_id))

    async def sync_commands(self) -> bool:
        """Sync the slash commands; False if Discord could not be reached (worth retrying).
        A refusal (a bad definition, a sync guild the bot is not in) is logged, not retried."""
        guild_id = self.settings.sync_guild_id
        try:
            if guild_id is not None:
                guild = discord.Object(id=guild_id)
                self.tree.copy_global_to(guild=guild)
                synced = await self.tree.sync(guild=guild)
            else:
                synced = await self.tree.sync()
        except discord.DiscordServerError as exc:
            log.warning("could not sync the slash commands yet (Discord answered %s)", exc.status)
            return False
        except discord.HTTPException as exc:
            log.error("could not sync the slash commands (%s %s)", exc.status, exc.text)
            return True
        except (aiohttp.ClientError, OSError, TimeoutError) as exc:
            log.warning("could not sync the slash commands yet (%s)", type(exc).__name__)
            return False
        log.info(
            "synced %d slash commands %s",
            len(synced),
            f"to guild {guild_id}" if guild_id else "globally",
        )
        return True

    async def _sync_until_done(self) -> None:
        delay = SYNC_RETRY_FIRST_SECONDS
        while True:
            await asyncio.sleep(delay)
            if await self.sync_commands():
                return
            delay = min(delay * 2, SYNC_RETRY_MAX_SECONDS)

    def _checked(self, report: CycleReport) -> None:
        if self.services is not None:
            self.services.wake_drainer()

    async def on_ready(self) -> None:
        user = self.user
        log.info(
            "connected as %s (%s) to %d servers", user, user.id if user else "?", len(self.guilds)
        )

    async def close(self) -> None:
        if self._sync_task is not None:
            self._sync_task.cancel()
        await super().close()
        checks, self.checks = self.checks, None
        if checks is not None:
            await checks.close()
        db, self.db = self.db, None
        if db is not None:
            db.close()
        if checks is not None or db is not None:
            log.info("stopped; database closed")


def _log_task_failure(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("%s failed", task.get_name(), exc_info=task.exception())
