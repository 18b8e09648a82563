"""When to check a feed next: the poll interval, backing off exponentially after failures.

Pure: the caller passes `now`.
"""

from __future__ import annotations

from datetime import datetime, timedelta

MAX_BACKOFF_SECONDS = 6 * 3600.0
"""No failing feed waits longer than this between checks (unless its poll interval is longer)."""

MAX_BACKOFF_FACTOR = 24
"""Nor longer than this many poll intervals."""

MAX_RETRY_AFTER_SECONDS = 24 * 3600.0
"""A server's Retry-After is honoured up to a day; longer values are cut to a day."""


def backoff_seconds(
    poll_seconds: float, consecutive_failures: int, retry_after_seconds: float | None = None
) -> float:
    """Seconds until the next check; see `next_check_at`."""
    poll = max(float(poll_seconds), 1.0)
    failures = max(consecutive_failures, 0)
    cap = max(poll, min(poll * MAX_BACKOFF_FACTOR, MAX_BACKOFF_SECONDS))
    # 2 ** failures overflows floats long before 2000 failures; the cap is reached far sooner.
    delay = poll if failures == 0 else min(poll * 2.0 ** min(failures, 64), cap)
    if retry_after_seconds is not None and retry_after_seconds > 0:
        delay = max(delay, min(retry_after_seconds, MAX_RETRY_AFTER_SECONDS))
    return delay


def next_check_at(
    now: datetime,
    poll_seconds: float,
    consecutive_failures: int,
    retry_after_seconds: float | None = None,
) -> datetime:
    """The time of a feed's next check, after the check that just finished at `now`.

    `consecutive_failures` counts the failures in a row *including* this check's outcome: 0
    after a success or a 304, 1 after a first failure, and so on.

    - 0 failures: `now + poll_seconds`.
    - n failures: `now + poll_seconds * 2**n`, capped at 24 poll intervals and at 6 hours (but
      never below one poll interval), so 300 s polling backs off 10 min, 20 min, 40 min, 80 min,
      then stays at 2 h.
    - `retry_after_seconds` (a 429/503 `Retry-After`, already in seconds) is a floor on the
      delay, itself capped at 24 hours.
    """
    return now + timedelta(
        seconds=backoff_seconds(poll_seconds, consecutive_failures, retry_after_seconds)
    )
