"""The Discord bot: who opens and closes what.

`setup_hook` (on the bot's loop, after login) opens the `Checker` (feeds file, topic profile,
the one database connection and the feeds' HTTP session) unless it was opened before login,
loads the extensions, starts APScheduler's `AsyncIOScheduler` on this loop with the check job,
and syncs the slash commands. A cycle keeps the loop free: parsing and judging run on worker
threads with plain data in and out, the database stays on this loop. `close` undoes it in
reverse: scheduler stopped, extensions unloaded (the drainer lets in-flight sends finish or
leaves their rows pending), the gateway and Discord's HTTP session closed, a running cycle given
a few seconds to finish, then the checker and its database closed. Kept out of `bot.py` only so
that `check` and `triage` never import discord.py.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import UTC, datetime

import aiohttp
import discord
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from discord.ext import commands

from cli.checking import Checker, schedule_checks
from handlers import errors
from handlers.context import Services, invite_url, utc_now
from news.cycle import CycleReport
from settings import Settings

log = logging.getLogger(__name__)

CHECK_DRAIN_SECONDS = 5.0
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
        checker: Checker | None = None,
    ) -> None:
        """`checker`: an opened `Checker` (so that a bad feeds file, topic profile or database
        is reported before logging in); else `setup_hook` opens one. Either way the bot closes
        it."""
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
        self.checker: Checker | None = checker
        self.scheduler: AsyncIOScheduler | None = None
        self._sync_task: asyncio.Task[None] | None = None

    async def setup_hook(self) -> None:
        if self.checker is None:
            self.checker = Checker(self.settings)
            await self.checker.__aenter__()
        self.services = Services(
            db=self.checker.db,
            settings=self.settings,
            now_fn=self.now_fn,
            started_at=self.now_fn(),
        )
        errors.install(self.tree)
        for extension in EXTENSIONS:
            await self.load_extension(extension)
        self.scheduler = AsyncIOScheduler(timezone=UTC)
        self.scheduler.start()
        schedule_checks(
            self.scheduler, self.checker, self.settings.poll_seconds, on_report=self._checked
        )
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
        scheduler, self.scheduler = self.scheduler, None
        if scheduler is not None and scheduler.running:
            scheduler.shutdown(wait=False)
        await super().close()
        checker, self.checker = self.checker, None
        if checker is not None:
            try:
                await asyncio.wait_for(checker.wait_idle(), CHECK_DRAIN_SECONDS)
            except TimeoutError:
                log.warning("a check cycle was still running at shutdown; it is stopped")
            await checker.close()
            log.info("stopped; database closed")


def _log_task_failure(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("%s failed", task.get_name(), exc_info=task.exception())
