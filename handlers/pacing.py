"""Pacing requests under Discord's limits, so that the bot never meets a 429.

Discord allows 50 requests per second per bot over any sliding second, and 5 messages per 5 s
per channel. A token bucket would allow a burst on top of its rate and break the first rule, so
both limits are sliding windows: a request waits until fewer than `limit` requests started in
the last `window_seconds`. The global pace also spaces requests evenly (1/rate apart): bursts
would reach Discord bunched by network jitter, and a sliding second there could then count more
than we did here.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Callable

GLOBAL_WINDOW_SECONDS = 1.0
CHANNEL_LIMIT = 5
CHANNEL_WINDOW_SECONDS = 5.1


class SlidingWindow:
    """At most `limit` acquisitions in any `window_seconds`; waiters are served in order."""

    def __init__(
        self,
        limit: int,
        window_seconds: float,
        clock: Callable[[], float] = time.monotonic,
        min_gap_seconds: float = 0.0,
    ) -> None:
        if limit < 1:
            raise ValueError("limit must be at least 1")
        self.limit = limit
        self.window_seconds = window_seconds
        self.min_gap_seconds = min_gap_seconds
        self._clock = clock
        self._starts: deque[float] = deque()
        self._next_at = 0.0
        """When the next start may come by the even spacing: on schedule, so that a late
        wake-up does not slow the pace, but never sooner than half a gap after the last."""
        self._lock = asyncio.Lock()

    def delay(self) -> float:
        """Seconds until one more acquisition is allowed (0 if now)."""
        now = self._clock()
        while self._starts and self._starts[0] <= now - self.window_seconds:
            self._starts.popleft()
        gap = self._next_at - now
        if len(self._starts) < self.limit:
            return max(0.0, gap)
        return max(gap, self._starts[0] + self.window_seconds - now)

    def record(self, seconds_ago: float) -> None:
        """Count a request that started `seconds_ago` (made before a restart, say)."""
        self._starts.append(self._clock() - seconds_ago)
        self._starts = deque(sorted(self._starts))

    def try_start(self) -> float:
        """Record a start now if allowed and return 0; else return the seconds to wait."""
        wait = self.delay()
        if wait > 0:
            return wait
        now = self._clock()
        self._starts.append(now)
        gap = self.min_gap_seconds
        self._next_at = max(self._next_at + gap, now + gap / 2)
        return 0.0

    async def acquire(self) -> None:
        async with self._lock:
            while (wait := self.try_start()) > 0:
                await asyncio.sleep(wait)


class Pacer:
    """The bot's global pace plus one window per channel for new messages."""

    def __init__(self, rate_per_second: float) -> None:
        self.global_window = SlidingWindow(
            max(1, int(rate_per_second)),
            GLOBAL_WINDOW_SECONDS,
            min_gap_seconds=1.0 / rate_per_second,
        )
        self._channels: dict[int, SlidingWindow] = {}

    def _window(self, channel_id: int) -> SlidingWindow:
        window = self._channels.get(channel_id)
        if window is None:
            window = self._channels[channel_id] = SlidingWindow(
                CHANNEL_LIMIT, CHANNEL_WINDOW_SECONDS
            )
        return window

    def record_message(self, channel_id: int, seconds_ago: float) -> None:
        """A message sent to the channel `seconds_ago` still counts against its window."""
        if seconds_ago < CHANNEL_WINDOW_SECONDS:
            self._window(channel_id).record(max(0.0, seconds_ago))

    async def before_request(self) -> None:
        await self.global_window.acquire()

    async def before_message(self, channel_id: int) -> None:
        """Wait for the channel's window, then for the global one."""
        await self._window(channel_id).acquire()
        await self.global_window.acquire()
        if len(self._channels) > 10_000:
            self._forget_idle()

    def _forget_idle(self) -> None:
        for channel_id in [c for c, w in self._channels.items() if w.delay() == 0]:
            del self._channels[channel_id]
