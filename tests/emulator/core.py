"""Shared emulator state that the REST routes, the gateway and the test API all use."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from tests.emulator.limits import Faults, RateLimits
from tests.emulator.state import World

if TYPE_CHECKING:
    from tests.emulator.gateway import GatewayHub
    from tests.emulator.interactions import Interactions

T = TypeVar("T")


class EmulatorTimeout(AssertionError):
    """Something a test waited for did not happen in time."""


@dataclass(frozen=True, slots=True)
class RecordedRequest:
    """One REST request and the emulator's answer (times are seconds since the emulator started)."""

    method: str
    path: str
    route: str | None
    query: dict[str, str]
    json: Any
    headers: dict[str, str]
    received_at: float
    answered_at: float
    status: int
    code: int | None
    fault: bool


@dataclass(frozen=True, slots=True)
class Violation:
    """A request Discord would reject as malformed (400 50035 and friends)."""

    method: str
    path: str
    problems: tuple[str, ...]


@dataclass(slots=True)
class Stats:
    nonce_dedupes: int = 0
    messages_created: int = 0
    edits: int = 0
    crossposts: int = 0


@dataclass(slots=True)
class Core:
    world: World
    token: str = field(default_factory=lambda: "emu." + secrets.token_urlsafe(24))
    limits: RateLimits = field(default_factory=RateLimits)
    faults: Faults = field(default_factory=Faults)
    requests: list[RecordedRequest] = field(default_factory=list)
    violations: list[Violation] = field(default_factory=list)
    stats: Stats = field(default_factory=Stats)
    base_url: str = ""
    started_at: float = 0.0
    callback_deadline_seconds: float | None = 3.0
    interactions: Interactions | None = None
    hub: GatewayHub | None = None
    _changed: asyncio.Event = field(default_factory=asyncio.Event)

    def registry(self) -> Interactions:
        assert self.interactions is not None, "emulator not started"
        return self.interactions

    @property
    def api_base(self) -> str:
        return f"{self.base_url}/api/v10"

    @property
    def gateway_url(self) -> str:
        return self.base_url.replace("http://", "ws://", 1) + "/gateway"

    def now(self) -> float:
        return asyncio.get_running_loop().time()

    def elapsed(self) -> float:
        return self.now() - self.started_at

    def notify(self) -> None:
        """Wake everything waiting in `wait_for` to re-check its condition."""
        self._changed.set()
        self._changed = asyncio.Event()

    async def wait_for(self, check: Callable[[], T | None], timeout: float, what: str) -> T:
        """Wait until `check()` returns something other than None/False; raise EmulatorTimeout."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            result = check()
            if result is not None and result is not False:
                return result
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise EmulatorTimeout(f"timed out after {timeout:g}s waiting for {what}")
            event = self._changed
            try:
                await asyncio.wait_for(event.wait(), remaining)
            except TimeoutError:
                continue
