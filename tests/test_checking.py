"""cli/checking.py: the Checker's opening and closing, feed-file re-sync, and the scheduler job."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path

import pytest
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from cli.checking import CHECK_JOB_ID, Checker, run_scheduled_check, schedule_checks
from news.cycle import CycleReport
from news.errors import FeedsFileError
from settings import Settings
from tests.feedserver import FeedServer

PROJECT = Path(__file__).resolve().parent.parent


def _settings(settings: Settings) -> Settings:
    import dataclasses

    return dataclasses.replace(settings, topic_path=PROJECT / "seeds" / "topic.toml")


def _rss(title: str) -> str:
    when = format_datetime(datetime.now(UTC))
    item = f"<item><title>{title}</title><link>https://x.example/{hash(title)}</link>"
    item += f"<pubDate>{when}</pubDate><description>Text. More text.</description></item>"
    return f"<rss version='2.0'><channel><title>t</title>{item}</channel></rss>"


def _feeds_file(path: Path, server: FeedServer, *names: str) -> None:
    path.write_text(
        "".join(f'[[feeds]]\nname = "{n}"\nurl = "{server.url("/" + n)}"\n' for n in names)
    )


async def test_a_bad_feeds_file_is_refused_before_the_database_is_created(
    settings: Settings,
) -> None:
    settings.feeds_path.write_text('[[feeds]]\nname = "A"\nurl = "gopher://a"\n')
    with pytest.raises(FeedsFileError, match="not an http"):
        await Checker(_settings(settings)).__aenter__()
    assert not settings.db_path.exists()


async def test_feeds_file_edits_are_picked_up_and_a_broken_edit_is_ignored(
    settings: Settings, feed_server: FeedServer, caplog: pytest.LogCaptureFixture
) -> None:
    feed_server.set_feed("/a", _rss("A story"))
    feed_server.set_feed("/b", _rss("B story"))
    _feeds_file(settings.feeds_path, feed_server, "a")
    async with Checker(_settings(settings)) as checker:
        assert (await checker.run_once(force=True, dry_run=True)).feeds_checked == 1
        _feeds_file(settings.feeds_path, feed_server, "a", "b")
        assert (await checker.run_once(force=True, dry_run=True)).feeds_checked == 2
        settings.feeds_path.write_text("[[feeds]]\nname = 'broken'\n")
        with caplog.at_level(logging.WARNING):
            report = await checker.run_once(force=True, dry_run=True)
        assert report.feeds_checked == 2
        assert "keeping the current feeds" in caplog.text
    assert feed_server.statuses("/b") == [200, 304]


async def test_the_job_is_configured_once_with_jitter_and_no_overlap(
    settings: Settings, feed_server: FeedServer
) -> None:
    feed_server.set_feed("/a", _rss("A story"))
    _feeds_file(settings.feeds_path, feed_server, "a")
    reports: list[CycleReport] = []
    done = asyncio.Event()

    async def on_report(report: CycleReport) -> None:
        reports.append(report)
        done.set()

    scheduler = AsyncIOScheduler(timezone="UTC")
    async with Checker(_settings(settings)) as checker:
        schedule_checks(scheduler, checker, 300)
        job = schedule_checks(
            scheduler, checker, 300, on_report=on_report, first_run_delay_seconds=0
        )
        scheduler.start()
        try:
            assert [j.id for j in scheduler.get_jobs()] == [CHECK_JOB_ID]
            assert (job.max_instances, job.coalesce) == (1, True)
            assert job.misfire_grace_time and job.misfire_grace_time >= 30
            assert 0 < job.trigger.jitter <= 30
            assert job.trigger.interval.total_seconds() == 300
            await asyncio.wait_for(done.wait(), 30)
        finally:
            scheduler.shutdown(wait=False)
            await checker.wait_idle()
    assert reports[0].feeds_checked == 1 and len(reports[0].new_stories) == 1


async def test_the_job_body_logs_errors_instead_of_raising(
    caplog: pytest.LogCaptureFixture, settings: Settings
) -> None:
    checker = Checker(_settings(settings))  # never opened: run_once raises
    with caplog.at_level(logging.ERROR):
        assert await run_scheduled_check(checker) is None
    assert "check cycle failed" in caplog.text
