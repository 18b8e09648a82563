"""The Discord bot: who opens and closes what.

`setup_hook` (on the bot's loop, after login) opens the check machinery (feeds file, topic
profile, the one database, the feeds' HTTP session), loads the extensions, starts the
scheduler with the check job, and syncs the slash commands. `close` undoes it in reverse:
scheduler stopped, extensions unloaded (the drainer lets in-flight sends finish or leaves their
rows pending), the gateway and Discord's HTTP session closed, then the check machinery and the
database. Kept out of `bot.py` only so that `check` and `triage` never import discord.py.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import UTC, datetime

import discord
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from discord.ext import commands

from cli.checking import Checker, schedule_checks
from handlers import errors
from handlers.context import Services, invite_url, utc_now
from news.cycle import CycleReport
from settings import Settings

log = logging.getLogger(__name__)

EXTENSIONS = (
    "handlers.delivery",
    "handlers.subscriptions",
    "handlers.latest",
    "handlers.status",
)
CHECK_DRAIN_SECONDS = 5.0


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
        """`checker`: an already opened `Checker` (so that a bad feeds file, topic profile or
        database is reported before logging in); else `setup_hook` opens one. Either way the
        bot closes it."""
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

    async def setup_hook(self) -> None:
        if self.checker is None:
            self.checker = Checker(self.settings)
            await self.checker.__aenter__()
        self.services = Services(
            db=self.checker.db, settings=self.settings, now_fn=self.now_fn, started_at=self.now_fn()
        )
        errors.install(self.tree)
        for extension in EXTENSIONS:
            await self.load_extension(extension)
        self.scheduler = AsyncIOScheduler(timezone=UTC)
        self.services.scheduler = self.scheduler
        self.scheduler.start()
        schedule_checks(
            self.scheduler, self.checker, self.settings.poll_seconds, on_report=self._checked
        )
        await self.sync_commands()
        if self.application_id is not None:
            log.info("invite URL: %s", invite_url(self.application_id))

    async def sync_commands(self) -> None:
        guild_id = self.settings.sync_guild_id
        try:
            if guild_id is not None:
                guild = discord.Object(id=guild_id)
                self.tree.copy_global_to(guild=guild)
                synced = await self.tree.sync(guild=guild)
            else:
                synced = await self.tree.sync()
        except discord.HTTPException as exc:
            log.error("could not sync the slash commands (%s %s)", exc.status, exc.text)
            return
        log.info(
            "synced %d slash commands %s",
            len(synced),
            f"to guild {guild_id}" if guild_id else "globally",
        )

    async def _checked(self, report: CycleReport) -> None:
        if self.services is not None:
            self.services.wake_drainer()

    async def on_ready(self) -> None:
        user = self.user
        log.info(
            "connected as %s (%s) to %d servers", user, user.id if user else "?", len(self.guilds)
        )

    async def close(self) -> None:
        if self.scheduler is not None and self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        await super().close()
        checker, self.checker = self.checker, None
        if checker is not None:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(checker.wait_idle(), CHECK_DRAIN_SECONDS)
            await checker.close()
            log.info("stopped; database closed")
