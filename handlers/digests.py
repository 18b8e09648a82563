"""When digests are due: the daily digest at a subscription's time, and catch-up after downtime.

Deciding is pure (`digest_day_due`, `catchup_cutoff`); `plan_digests` then groups the pending
rows of each due subscription into one batch (the digest's nonce) in one transaction, so that a
restart sends the same digest again with the same nonce. Sending is the drainer's job.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlite_utils import Database

from storage import deliveries, subscriptions
from storage.feeds import list_feeds

log = logging.getLogger(__name__)

DAILY_PREFIX = "dd"
CATCHUP_PREFIX = "cu"
DAILY_TITLE = "Daily digest of the peace talks"
CATCHUP_TITLE = "While the bot was away"
MIN_STALE_SECONDS = 60.0


def parse_digest_time(text: str) -> time:
    """`HH:MM` (24-hour) to a time; ValueError with a user-facing message otherwise."""
    parts = text.strip().split(":")
    if len(parts) != 2 or not all(p.isdigit() and 1 <= len(p) <= 2 for p in parts):
        raise ValueError(f"{text!r} is not a time like 08:00 (24-hour HH:MM)")
    hour, minute = int(parts[0]), int(parts[1])
    if hour > 23 or minute > 59:
        raise ValueError(f"{text!r} is not a time of day (00:00 to 23:59)")
    return time(hour, minute)


def digest_day_due(
    digest_time: str, last_digest_on: date | None, now: datetime, zone: ZoneInfo
) -> date | None:
    """The local day whose digest is due now, or None (already done today, or not yet time)."""
    local = now.astimezone(zone)
    at = parse_digest_time(digest_time)
    if (local.hour, local.minute) < (at.hour, at.minute):
        return None
    if last_digest_on is not None and last_digest_on >= local.date():
        return None
    return local.date()


def local_today_if_passed(digest_time: str, now: datetime, zone: ZoneInfo) -> date | None:
    """For a new daily subscription: today (local) if today's digest time has passed, so the
    first digest is the next one; else None."""
    local = now.astimezone(zone)
    at = parse_digest_time(digest_time)
    return local.date() if (local.hour, local.minute) >= (at.hour, at.minute) else None


def stale_seconds(poll_seconds: int) -> float:
    """Rows older than this were held up by downtime (two poll intervals, at least a minute)."""
    return max(MIN_STALE_SECONDS, 2.0 * poll_seconds)


def was_away(last_checked_at: datetime | None, started_at: datetime, poll_seconds: int) -> bool:
    """True if the feeds were last checked long enough before this start: the bot was off."""
    if last_checked_at is None:
        return False
    return started_at - last_checked_at > timedelta(seconds=stale_seconds(poll_seconds))


def last_check_before(db: Database) -> datetime | None:
    """The latest feed check time stored (read at start-up, before the first check)."""
    times = [f.last_checked_at for f in list_feeds(db) if f.last_checked_at is not None]
    return max(times) if times else None


def catchup_cutoff(now: datetime, poll_seconds: int, away_until: datetime | None) -> datetime:
    """Pending rows created before this count as held up. Right after a start that followed
    downtime, every pending row does (the first checks find what was missed)."""
    if away_until is not None and now < away_until:
        return now + timedelta(seconds=1)
    return now - timedelta(seconds=stale_seconds(poll_seconds))


def plan_catchups(db: Database, cutoff: datetime, threshold: int) -> int:
    """Batch each channel's backlog (more than `threshold` held-up rows) into one catch-up
    digest; returns how many digests were planned."""
    planned = 0
    for subscription_id in deliveries.stale_backlogs(db, cutoff, threshold):
        with db.atomic():
            rows = deliveries.unbatched_pending(db, subscription_id)
            if len(rows) <= threshold:
                continue
            ids = [row.id for row in rows]
            nonce = deliveries.batch_nonce(CATCHUP_PREFIX, rows[0].channel_id, ids)
            deliveries.assign_batch(db, ids, nonce)
        log.info("catch-up digest of %d developments for channel %s", len(ids), rows[0].channel_id)
        planned += 1
    return planned


def plan_daily(db: Database, now: datetime, zone: ZoneInfo) -> int:
    """Batch the day's pending rows of each daily subscription whose time has come; a day
    without developments is marked done with no message. Returns how many digests were planned."""
    planned = 0
    for sub in subscriptions.daily_subscriptions(db):
        day = digest_day_due(sub.digest_time, sub.last_digest_on, now, zone)
        if day is None:
            continue
        with db.atomic():
            rows = deliveries.unbatched_pending(db, sub.id)
            if rows:
                ids = [row.id for row in rows]
                nonce = deliveries.batch_nonce(DAILY_PREFIX, sub.channel_id, ids)
                deliveries.assign_batch(db, ids, nonce)
                planned += 1
            subscriptions.mark_digest_done(db, sub.id, day)
    return planned


def batch_title(nonce: str) -> str:
    return DAILY_TITLE if nonce.startswith(DAILY_PREFIX) else CATCHUP_TITLE
