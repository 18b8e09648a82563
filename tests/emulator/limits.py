"""Discord's rate limits and injected faults.

Global: at most `global_per_second` requests in any sliding second per bot (interaction
endpoints exempt). Per route and major parameter (channel, guild, webhook): a fixed window
that opens with its first request, reported in X-RateLimit-* headers exactly as enforced, so
a client that follows the headers never gets a 429 from it.
"""

from __future__ import annotations

import bisect
import fnmatch
import hashlib
import math
from dataclasses import dataclass, field

#: (limit, window seconds) per (method, route template); anything else gets DEFAULT_BUCKET.
ROUTE_BUCKETS: dict[tuple[str, str], tuple[int, float]] = {
    ("POST", "/channels/{channel_id}/messages"): (5, 5.0),
    ("PATCH", "/channels/{channel_id}/messages/{message_id}"): (5, 5.0),
    ("DELETE", "/channels/{channel_id}/messages/{message_id}"): (5, 5.0),
    ("POST", "/channels/{channel_id}/messages/{message_id}/crosspost"): (10, 3600.0),
}
DEFAULT_BUCKET = (50, 1.0)


def ceil_ms(seconds: float) -> float:
    """Round up to the millisecond, as Discord's headers do (never tells a client to come early)."""
    return math.ceil(max(seconds, 0.0) * 1000) / 1000


def bucket_hash(method: str, template: str) -> str:
    return hashlib.sha1(f"{method} {template}".encode()).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class BucketState:
    """What one request did to its bucket: allowed or not, and the header values."""

    allowed: bool
    limit: int
    remaining: int
    reset_after: float
    bucket: str


@dataclass(slots=True)
class _Window:
    count: int
    reset_at: float


@dataclass(slots=True)
class RateLimits:
    """Switchable rate limit enforcement; `counts` tallies 429s by kind ("global", "route")."""

    enabled: bool = True
    global_per_second: int = 50
    route_buckets: dict[tuple[str, str], tuple[int, float]] = field(
        default_factory=lambda: dict(ROUTE_BUCKETS)
    )
    counts: dict[str, int] = field(default_factory=lambda: {"global": 0, "route": 0})
    _recent: list[float] = field(default_factory=list)
    _windows: dict[str, _Window] = field(default_factory=dict)

    def take_global(self, now: float) -> float | None:
        """Count one request; None when allowed, else the seconds until one is allowed."""
        while self._recent and self._recent[0] <= now - 1.0:
            self._recent.pop(0)
        if self.enabled and len(self._recent) >= self.global_per_second:
            self.counts["global"] += 1
            return ceil_ms(self._recent[0] + 1.0 - now)
        bisect.insort(self._recent, now)  # concurrent requests may be counted out of order
        return None

    def take_route(self, method: str, template: str, major: str, now: float) -> BucketState:
        limit, window = self.route_buckets.get((method, template), DEFAULT_BUCKET)
        name = bucket_hash(method, template)
        key = f"{name}:{major}"
        state = self._windows.get(key)
        if state is None or state.reset_at <= now:
            state = self._windows[key] = _Window(0, now + window)
        allowed = not self.enabled or state.count < limit
        if allowed:
            state.count += 1
        else:
            self.counts["route"] += 1
        remaining = max(limit - state.count, 0)
        return BucketState(allowed, limit, remaining, ceil_ms(state.reset_at - now), name)

    def reset(self) -> None:
        self._recent.clear()
        self._windows.clear()

    @property
    def total_429s(self) -> int:
        return sum(self.counts.values())


@dataclass(slots=True)
class Fault:
    """An injected failure; `hits` counts how often it fired."""

    method: str
    path_pattern: str
    status: int | None
    code: int | None
    message: str | None
    retry_after: float
    is_global: bool
    times: int | None
    delay: float
    after: bool
    hits: int = 0

    def matches(self, method: str, path: str) -> bool:
        if self.times is not None and self.hits >= self.times:
            return False
        if self.method != "*" and self.method.upper() != method:
            return False
        return fnmatch.fnmatchcase(path, self.path_pattern)

    @property
    def exhausted(self) -> bool:
        return self.times is not None and self.hits >= self.times


@dataclass(slots=True)
class Faults:
    items: list[Fault] = field(default_factory=list)

    def add(self, fault: Fault) -> Fault:
        self.items.append(fault)
        return fault

    def take(self, method: str, path: str) -> Fault | None:
        for fault in self.items:
            if fault.matches(method, path):
                fault.hits += 1
                return fault
        return None

    def remove(self, fault: Fault) -> None:
        if fault in self.items:
            self.items.remove(fault)

    def clear(self) -> None:
        self.items.clear()


DEFAULT_FAULT_CODES = {403: 50013, 404: 10003, 400: 50035, 401: 0, 429: 0}
DEFAULT_FAULT_MESSAGES = {
    400: "Invalid Form Body",
    401: "401: Unauthorized",
    403: "Missing Permissions",
    404: "Unknown Channel",
    429: "You are being rate limited.",
    500: "500: Internal Server Error",
    502: "502: Bad Gateway",
    503: "503: Service Unavailable",
    504: "504: Gateway Timeout",
}
