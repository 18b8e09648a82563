"""What the drainer does about a failed send: pause the channel, retry later, or give up.

403 (missing access or permissions) and 404 (unknown channel) pause the subscription: sending
there again would only collect more refusals, and many 401/403/429s get a bot banned. 5xx,
429 that discord.py did not absorb, and network errors are retried with backoff. Any other
refusal is about the message itself (a bug): the row is failed and logged, never retried.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Literal

import discord

MAX_BACKOFF_SECONDS = 600.0
Action = Literal["pause", "retry", "fail"]
PAUSE_CODES = {10003: "unknown channel", 50001: "missing access", 50013: "missing permissions"}


class Failure(Exception):
    """A send failed: `pause` the subscription, `retry` later, or `fail` the row for good."""

    def __init__(self, action: Action, reason: str) -> None:
        super().__init__(reason)
        self.action = action
        self.reason = reason


def classify(exc: Exception) -> Failure:
    """Map a discord.py or network error to what the drainer does about it."""
    if isinstance(exc, discord.Forbidden | discord.NotFound):
        what = PAUSE_CODES.get(exc.code, f"HTTP {exc.status}")
        return Failure("pause", f"Discord refused: {what} (code {exc.code})")
    if isinstance(exc, discord.DiscordServerError):
        return Failure("retry", f"Discord error {exc.status}")
    if isinstance(exc, discord.HTTPException):
        if exc.status == 429:
            return Failure("retry", "rate limited")
        if exc.status == 401:  # the token was reset: not the message's fault
            return Failure("retry", "Discord rejected the token (401)")
        return Failure("fail", f"Discord rejected the message: {exc.status} {exc.code} {exc.text}")
    return Failure("retry", f"network error: {type(exc).__name__}")


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(MAX_BACKOFF_SECONDS, 2.0 * 2 ** max(0, attempts - 1)))
