"""Feed checks on their own thread and event loop, so that a big cycle never delays Discord.

Parsing, judging and grouping a cold cycle of 200 feeds costs well over a second of pure-Python
CPU; on the bot's loop that held up interaction answers (Discord allows 3 s) and heartbeats for
as long. So the `Checker` (feeds file, topic profile, its own database connection and HTTP
session) and the APScheduler that runs it live on one dedicated thread with its own loop. Each
SQLite connection is used only on the thread that opened it; in WAL mode the bot reads while a
cycle writes, and writes wait for each other (busy timeout), each transaction being short.
The bot hears about each finished cycle on its own loop (`call_soon_threadsafe`).

    checks = CheckThread(settings)
    await checks.open()                 # NewsError / StorageError: the operator's mistake
    checks.start_schedule(on_report)    # on_report(report) runs on the caller's loop
    await checks.close()                # a running cycle gets `drain_seconds` to finish
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import logging
import threading
from collections.abc import Callable
from datetime import UTC

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from cli.checking import Checker, schedule_checks
from news.cycle import CycleReport
from settings import Settings

log = logging.getLogger(__name__)

ReportCallback = Callable[[CycleReport], None]


class CheckThread:
    def __init__(self, settings: Settings, *, drain_seconds: float = 5.0) -> None:
        self.settings = settings
        self.drain_seconds = drain_seconds
        self._thread = threading.Thread(target=self._run, name="feed-checks", daemon=True)
        self._opened: concurrent.futures.Future[None] = concurrent.futures.Future()
        self._closed: concurrent.futures.Future[None] = concurrent.futures.Future()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._scheduler: AsyncIOScheduler | None = None
        self._checker: Checker | None = None

    async def open(self) -> None:
        """Start the thread and open the checker there; its errors are raised here."""
        self._thread.start()
        await asyncio.wrap_future(self._opened)

    def start_schedule(self, on_report: ReportCallback) -> None:
        """Check every poll interval from now; `on_report` runs on the calling loop."""
        caller = asyncio.get_running_loop()

        def report(result: CycleReport) -> None:
            caller.call_soon_threadsafe(on_report, result)

        self._call(self._schedule, report)

    async def close(self) -> None:
        """Stop scheduling; let a running cycle finish (or cancel it after `drain_seconds`),
        close the checker and its database, end the thread. Safe to call twice."""
        if not self._thread.is_alive():
            return
        if self._loop is not None and self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        await asyncio.wrap_future(self._closed)

    def _call(self, function: Callable[[ReportCallback], None], argument: ReportCallback) -> None:
        if self._loop is None:
            raise RuntimeError("CheckThread is not open")
        self._loop.call_soon_threadsafe(function, argument)

    def _schedule(self, report: ReportCallback) -> None:
        if self._checker is None or self._scheduler is not None:
            return
        self._scheduler = AsyncIOScheduler(timezone=UTC, event_loop=self._loop)
        self._scheduler.start()
        schedule_checks(
            self._scheduler, self._checker, self.settings.poll_seconds, on_report=report
        )

    def _run(self) -> None:
        try:
            asyncio.run(self._main())
        except BaseException as exc:  # reported to whoever waits, never lost
            log.exception("the feed-check thread failed")
            if not self._opened.done():
                self._opened.set_exception(exc)
        finally:
            if not self._opened.done():
                self._opened.set_exception(RuntimeError("the feed-check thread ended"))
            self._closed.set_result(None)

    async def _main(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        checker = Checker(self.settings)
        try:
            await checker.__aenter__()
        except BaseException as exc:
            self._opened.set_exception(exc)
            return
        self._checker = checker
        self._opened.set_result(None)
        try:
            await self._stop.wait()
        finally:
            await self._shut_down(checker)

    async def _shut_down(self, checker: Checker) -> None:
        if self._scheduler is not None and self._scheduler.running:
            self._scheduler.shutdown(wait=False)
        try:
            await asyncio.wait_for(checker.wait_idle(), self.drain_seconds)
        except TimeoutError:
            log.warning(
                "a feed check was still running after %.0f s: cancelled", self.drain_seconds
            )
            current = asyncio.current_task()
            others = [task for task in asyncio.all_tasks() if task is not current]
            for task in others:
                task.cancel()
            with contextlib.suppress(Exception):
                await asyncio.gather(*others, return_exceptions=True)
        await checker.close()
