"""The check machinery shared by `talkwatch check` and the Discord bot (no Discord here).

    async with Checker(settings) as checker:
        report = await checker.run_once(force=True, dry_run=True)

    schedule_checks(scheduler, checker, settings.poll_seconds, on_report=...)   # in setup_hook

`Checker` opens, in order, the feeds file and topic profile (checked first: no side effects),
the database, one aiohttp session and its `Fetcher`; it closes them in reverse. Opening raises
`NewsError` (bad feeds file or topic profile) or `StorageError` (unopenable database), each
with a one-line message for the operator.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from types import TracebackType
from typing import Any

import aiohttp
from apscheduler.job import Job
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger
from sqlite_utils import Database

from news.cycle import CycleReport, Progress, run_cycle
from news.errors import NewsError
from news.feeds_file import load_feeds
from news.fetch import Fetcher, create_session
from news.judging import Judge
from settings import Settings
from storage.schema import open_database
from storage.store import SqliteStore

log = logging.getLogger(__name__)

CHECK_JOB_ID = "talkwatch-check"
FIRST_RUN_DELAY_SECONDS = 1.0

ReportHandler = Callable[[CycleReport], Awaitable[None] | None]


def _utc_now() -> datetime:
    return datetime.now(UTC)


class Checker:
    """Everything a check cycle needs, opened once; `run_once` runs one cycle at a time."""

    def __init__(
        self,
        settings: Settings,
        *,
        progress: Progress | None = None,
        now_fn: Callable[[], datetime] = _utc_now,
    ) -> None:
        self.settings = settings
        self.progress = progress
        self.now_fn = now_fn
        self._lock = asyncio.Lock()
        self._db: Database | None = None
        self._session: aiohttp.ClientSession | None = None
        self._store: SqliteStore | None = None
        self._fetcher: Fetcher | None = None
        self._judge: Judge | None = None
        self._parser: ThreadPoolExecutor | None = None

    @property
    def store(self) -> SqliteStore:
        if self._store is None:
            raise RuntimeError("Checker is not open")
        return self._store

    @property
    def db(self) -> Database:
        if self._db is None:
            raise RuntimeError("Checker is not open")
        return self._db

    async def __aenter__(self) -> Checker:
        settings = self.settings
        sources = load_feeds(settings.feeds_path)
        self._judge = Judge.from_settings(settings)
        self._db = open_database(settings.db_path)
        try:
            self._store = SqliteStore(self._db, now_fn=self.now_fn)
            self._store.sync_feeds(sources)
            self._session = create_session(concurrency=settings.fetch_concurrency)
            # One dedicated thread: parsing is GIL-bound, so more threads only contend
            # (bench/ingest.py --parse-modes), while the loop stays free.
            self._parser = ThreadPoolExecutor(max_workers=1, thread_name_prefix="parse")
            self._fetcher = Fetcher(
                self._session,
                timeout_seconds=settings.fetch_timeout_seconds,
                max_body_bytes=settings.max_body_bytes,
                concurrency=settings.fetch_concurrency,
                host_interval_seconds=settings.article_host_interval_seconds,
            )
        except BaseException:
            await self.close()
            raise
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    async def close(self) -> None:
        """Close the session, then the database (reverse of opening). Safe to call twice."""
        session, self._session = self._session, None
        if session is not None:
            await session.close()
        parser, self._parser = self._parser, None
        if parser is not None:
            parser.shutdown(wait=True, cancel_futures=True)
        db, self._db = self._db, None
        if db is not None:
            db.close()
        self._store = self._fetcher = None

    async def wait_idle(self) -> None:
        """Return once no cycle is running (after the scheduler cancelled one, say)."""
        async with self._lock:
            pass

    def _resync_feeds(self) -> None:
        """Pick up edits to the feeds file; a file broken meanwhile keeps the current feeds."""
        try:
            self.store.sync_feeds(load_feeds(self.settings.feeds_path))
        except NewsError as exc:
            log.warning("keeping the current feeds: %s", exc)

    async def run_once(self, *, force: bool = False, dry_run: bool = False) -> CycleReport:
        """One cycle: every active feed if `force` (`check --once`), else the due ones."""
        async with self._lock:
            if self._fetcher is None or self._judge is None:
                raise RuntimeError("Checker is not open")
            self._resync_feeds()
            pages = self._fetcher if self.settings.fetch_articles else None
            return await run_cycle(
                self.store,
                self._fetcher,
                self._judge,
                poll_seconds=self.settings.poll_seconds,
                baseline_hours=self.settings.baseline_hours,
                now_fn=self.now_fn,
                force=force,
                dry_run=dry_run,
                pages=pages,
                progress=self.progress,
                executor=self._parser,
            )


def schedule_checks(
    scheduler: AsyncIOScheduler,
    checker: Checker,
    poll_seconds: float,
    *,
    dry_run: bool = False,
    on_report: ReportHandler | None = None,
    first_run_delay_seconds: float = FIRST_RUN_DELAY_SECONDS,
) -> Job:
    """Add (or replace) the periodic check job: one cycle every `poll_seconds`, never two at
    once, missed runs coalesced, a jitter of at most a tenth of the interval, the first run
    soon after the scheduler starts. `on_report` (sync or async) gets each cycle's report."""

    async def check_job() -> None:
        await run_scheduled_check(checker, dry_run=dry_run, on_report=on_report)

    jitter = poll_seconds / 10
    first = datetime.now(UTC) + timedelta(seconds=first_run_delay_seconds)
    job: Job = scheduler.add_job(
        check_job,
        trigger=IntervalTrigger(seconds=poll_seconds, jitter=jitter or None, timezone=UTC),
        id=CHECK_JOB_ID,
        name="check feeds",
        replace_existing=True,
        max_instances=1,
        coalesce=True,
        misfire_grace_time=max(int(poll_seconds), 30),
        next_run_time=first,
    )
    return job


async def run_scheduled_check(
    checker: Checker, *, dry_run: bool = False, on_report: ReportHandler | None = None
) -> CycleReport | None:
    """The job's body: one cycle over the due feeds; any error is logged, never raised."""
    try:
        report = await checker.run_once(force=False, dry_run=dry_run)
        if on_report is not None:
            result: Any = on_report(report)
            if asyncio.iscoroutine(result):
                await result
        return report
    except asyncio.CancelledError:
        raise
    except Exception:
        log.exception("check cycle failed")
        return None
