"""`talkwatch check [--once] [--dry-run]`: check the feeds and print what would be posted.

New developments go to stdout (headline first, then summary, kind and sources), exactly once
per database: a later check never prints them again. Progress, the cycle's summary and the
failed feeds go to stderr. Exit 0 when the cycle completed, even if feeds failed; 2 for a bad
feeds file, topic profile or database. Never imports discord (start-up time matters).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sys
from typing import TextIO

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from cli.checking import Checker, schedule_checks
from news.console import clean, render_development, render_update
from news.cycle import CycleReport, FeedProblem
from news.errors import NewsError
from settings import Settings
from storage.schema import StorageError

EXIT_OK = 0
EXIT_CONFIG = 2
EXIT_INTERRUPTED = 130
MAX_ERROR_CHARS = 200


class ProgressLine:
    """'fetched 37/200 feeds', rewritten in place on a terminal; a few plain lines otherwise."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.is_tty = stream.isatty()
        self._last_quarter = -1

    def __call__(self, done: int, total: int) -> None:
        if total == 0:
            return
        text = f"fetched {done}/{total} feeds"
        if self.is_tty:
            end = "\n" if done == total else ""
            self.stream.write(f"\r\x1b[K{text}{end}")
            self.stream.flush()
            return
        quarter = done * 4 // total
        if quarter != self._last_quarter:
            self._last_quarter = quarter
            self.stream.write(text + "\n")
            self.stream.flush()


def print_report(report: CycleReport, out: TextIO, err: TextIO) -> None:
    """The new developments (stdout), then the summary and failed feeds (stderr)."""
    for development in report.new_developments:
        out.write(render_development(development) + "\n\n")
    for update in report.updated_developments:
        out.write(render_update(update.development, update.added_outlets) + "\n")
    if report.updated_developments:
        out.write("\n")
    out.flush()
    err.write(summary_line(report) + "\n")
    for problem in report.failures:
        err.write(f"  failed: {_problem(problem)}\n")
    for problem in report.skipped:
        err.write(f"  skipped: {_problem(problem)}\n")
    if report.judge_error:
        err.write(f"  judging failed (will retry next cycle): {report.judge_error}\n")
    err.flush()


def _problem(problem: FeedProblem) -> str:
    """One line about a feed's problem; the error may quote a remote server, so it is cleaned
    of control characters and shortened."""
    error = clean(problem.error)
    if len(error) > MAX_ERROR_CHARS:
        error = error[: MAX_ERROR_CHARS - 3] + "..."
    return f"{clean(problem.name)} ({clean(problem.url)}): {error}"


def summary_line(report: CycleReport) -> str:
    fetched = report.feeds_checked - report.not_modified - len(report.failures)
    left_out = report.judged - report.relevant_stories
    return (
        f"checked {_count(report.feeds_checked, 'feed')} ({fetched} fetched,"
        f" {report.not_modified} not modified, {len(report.failures)} failed)"
        f" in {report.duration_seconds:.1f} s: {_count(len(report.new_stories), 'new story')}"
        f" ({left_out} not about the talks);"
        f" {_count(len(report.new_developments), 'new development')},"
        f" {len(report.updated_developments)} updated"
    )


def _count(number: int, noun: str) -> str:
    if number == 1:
        return f"1 {noun}"
    plural = noun[:-1] + "ies" if noun.endswith("y") else noun + "s"
    return f"{number} {plural}"


def main(args: argparse.Namespace, settings: Settings) -> int:
    try:
        return asyncio.run(_main(bool(args.once), bool(args.dry_run), settings))
    except KeyboardInterrupt:  # Ctrl-C during --once (the loop handles it itself)
        print("\ninterrupted", file=sys.stderr)
        return EXIT_INTERRUPTED


async def _main(once: bool, dry_run: bool, settings: Settings) -> int:
    if settings.log_level != "DEBUG":  # failed feeds are listed after the cycle instead
        logging.getLogger("news.cycle").setLevel(logging.ERROR)
    checker = Checker(settings, progress=ProgressLine(sys.stderr))
    try:
        await checker.__aenter__()
    except (NewsError, StorageError) as exc:
        print(f"talkwatch: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    try:
        if once:
            report = await checker.run_once(force=True, dry_run=dry_run)
            print_report(report, sys.stdout, sys.stderr)
        else:
            await _run_forever(checker, settings, dry_run)
    finally:
        await checker.close()
    return EXIT_OK


async def _run_forever(checker: Checker, settings: Settings, dry_run: bool) -> None:
    """Check on the scheduler until Ctrl-C or SIGTERM; a cycle in flight is cancelled."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(signum, stop.set)
    scheduler = AsyncIOScheduler(timezone="UTC")

    def on_report(report: CycleReport) -> None:
        if report.feeds_checked or report.judged or report.skipped:  # quiet when nothing was due
            print_report(report, sys.stdout, sys.stderr)

    schedule_checks(scheduler, checker, settings.poll_seconds, dry_run=dry_run, on_report=on_report)
    scheduler.start()
    print(f"checking every {settings.poll_seconds} s; press Ctrl-C to stop", file=sys.stderr)
    try:
        await stop.wait()
    finally:
        scheduler.shutdown(wait=False)
        await checker.wait_idle()
        print("stopped", file=sys.stderr)
