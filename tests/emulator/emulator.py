"""`DiscordEmulator`: the server plus the test-facing API (see the package docstring)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from types import TracebackType
from typing import Any, TypeVar

from aiohttp import web

from tests.emulator.core import Core, RecordedRequest, Stats, Violation
from tests.emulator.gateway import GatewayHub, Identify
from tests.emulator.interactions import Interactions, add_interaction_routes
from tests.emulator.limits import Fault, RateLimits
from tests.emulator.models import Channel, Command, Guild, Message
from tests.emulator.pending import InteractionResult
from tests.emulator.routes_app import add_app_routes
from tests.emulator.routes_channels import add_channel_routes
from tests.emulator.server import RestServer, Router
from tests.emulator.state import World
from tests.emulator.world_api import WorldApi

T = TypeVar("T")
_EXEMPT = ("/interactions/", "/webhooks/")


class DiscordEmulator(WorldApi):
    """Discord's HTTP API v10 and gateway on 127.0.0.1 (port 0) for the real discord.py client."""

    def __init__(
        self,
        *,
        bot_name: str = "talkwatch",
        rate_limits: bool = True,
        heartbeat_interval_ms: int = 41_250,
        allow_privileged_intents: bool = False,
        callback_deadline_seconds: float | None = 3.0,
    ) -> None:
        core = Core(World(bot_name=bot_name), callback_deadline_seconds=callback_deadline_seconds)
        core.limits.enabled = rate_limits
        core.interactions = Interactions(core)
        core.hub = GatewayHub(core)
        core.hub.heartbeat_interval_ms = heartbeat_interval_ms
        core.hub.allow_privileged_intents = allow_privileged_intents
        super().__init__(core, core.hub, core.interactions)
        router = Router()
        add_app_routes(router)
        add_channel_routes(router)
        add_interaction_routes(router)
        self._rest = RestServer(core, router)
        self._runner: web.AppRunner | None = None

    # -- lifecycle ---------------------------------------------------------------------------
    async def start(self) -> DiscordEmulator:
        app = web.Application(client_max_size=32 * 1024 * 1024)
        app.router.add_get("/gateway", self.hub.handle)
        app.router.add_get("/gateway/resume", self.hub.handle)
        app.router.add_route("*", "/{tail:.*}", self._rest.handle)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server = site._server
        assert isinstance(server, asyncio.Server)
        port = int(server.sockets[0].getsockname()[1])
        self.core.base_url = f"http://127.0.0.1:{port}"
        self.core.started_at = self.core.now()
        return self

    async def close(self) -> None:
        await self.settle()
        await self.hub.close_all()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> DiscordEmulator:
        return await self.start()

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    # -- where the client connects -----------------------------------------------------------
    @property
    def api_base(self) -> str:
        return self.core.api_base

    @property
    def gateway_url(self) -> str:
        return self.core.gateway_url

    @property
    def token(self) -> str:
        return self.core.token

    @property
    def application_id(self) -> int:
        return self.core.world.application_id

    @property
    def bot_user_id(self) -> int:
        return self.core.world.bot.id

    # -- records -----------------------------------------------------------------------------
    @property
    def requests(self) -> list[RecordedRequest]:
        return list(self.core.requests)

    def requests_to(self, method: str, route: str) -> list[RecordedRequest]:
        """Requests for one route template, e.g. ("POST", "/channels/{channel_id}/messages")."""
        return [r for r in self.core.requests if r.method == method and r.route == route]

    @property
    def callback_deadline_seconds(self) -> float | None:
        """Discord's 3 s for the first interaction answer (None: no deadline)."""
        return self.core.callback_deadline_seconds

    @callback_deadline_seconds.setter
    def callback_deadline_seconds(self, seconds: float | None) -> None:
        self.core.callback_deadline_seconds = seconds

    def elapsed(self) -> float:
        """Seconds since the emulator started (the clock of `RecordedRequest` times)."""
        return self.core.elapsed()

    def peak_requests_per_second(self, since: float = 0.0) -> int:
        """Most requests counted by the global limit in any sliding second (for benches)."""
        counted = sorted(
            r.received_at
            for r in self.core.requests
            if r.status not in (401, 429)
            and r.route
            and not r.route.startswith(_EXEMPT)
            and r.received_at >= since
        )
        peak, start = 0, 0
        for end, moment in enumerate(counted):
            while counted[start] <= moment - 1.0:
                start += 1
            peak = max(peak, end - start + 1)
        return peak

    @property
    def invalid_requests(self) -> int:
        """401, 403 and 429 answers so far (Discord bans an IP after 10,000 in 10 minutes)."""
        return sum(1 for r in self.core.requests if r.status in (401, 403, 429))

    @property
    def violations(self) -> list[Violation]:
        return list(self.core.violations)

    @property
    def rate_limits(self) -> RateLimits:
        return self.core.limits

    @property
    def stats(self) -> Stats:
        return self.core.stats

    @property
    def identifies(self) -> list[Identify]:
        return list(self.hub.identifies)

    @property
    def resumes(self) -> int:
        return self.hub.resumes

    # -- faults ------------------------------------------------------------------------------
    def inject_fault(
        self,
        method: str,
        path_pattern: str,
        status: int | None = None,
        *,
        code: int | None = None,
        message: str | None = None,
        retry_after: float = 1.0,
        is_global: bool = False,
        times: int | None = 1,
        delay: float = 0.0,
        after: bool = False,
    ) -> Fault:
        """Make matching requests fail (`path_pattern` is an fnmatch glob on the path after
        /api/v10). status None with a delay: a slow but normal answer. status 0: the connection
        is dropped without an answer. after=True: the request takes effect, then the fault is
        answered (Discord created the message but the client saw an error)."""
        return self.core.faults.add(
            Fault(
                method,
                path_pattern,
                status,
                code,
                message,
                retry_after,
                is_global,
                times,
                delay,
                after,
            )
        )

    def clear_faults(self) -> None:
        self.core.faults.clear()

    # -- gateway control ---------------------------------------------------------------------
    async def wait_until_connected(self, timeout: float = 20.0) -> None:
        """Until a client has identified (or resumed) and is connected."""
        await self.core.wait_for(self.hub.is_connected, timeout, "a gateway connection")

    async def drop_gateway(self, code: int | None = 4000) -> None:
        """Close the connection (None: abort TCP); the client should RESUME."""
        await self.hub.drop(code)

    def set_gateway_available(self, available: bool) -> None:
        """False: new gateway connections are refused with HTTP 503 (Discord unreachable);
        combine with drop_gateway() and a 503 fault on "*" for a full outage."""
        self.hub.available = available

    async def request_reconnect(self) -> None:
        """op 7: the client closes and resumes."""
        await self.hub.send_op(7, None)

    async def invalidate_session(self, resumable: bool = False) -> None:
        """op 9: `resumable` False makes the client identify afresh."""
        await self.hub.send_op(9, resumable)

    async def wait_for_identifies(self, count: int, timeout: float = 20.0) -> None:
        """Until `count` IDENTIFYs happened in all and a client is connected (restarts)."""
        await self.core.wait_for(
            lambda: len(self.hub.identifies) >= count and self.hub.is_connected(),
            timeout,
            f"{count} gateway identify(s)",
        )

    async def wait_for_resume(self, count: int = 1, timeout: float = 20.0) -> None:
        await self.core.wait_for(
            lambda: self.hub.resumes >= count and self.hub.is_connected(),
            timeout,
            f"{count} gateway resume(s)",
        )

    # -- commands ----------------------------------------------------------------------------
    def commands(self, guild: Guild | int | None = None) -> list[Command]:
        return self.core.world.commands(None if guild is None else _id(guild))

    def command(self, name: str, guild: Guild | int | None = None) -> Command:
        for command in self.commands(guild):
            if command.name == name:
                return command
        raise KeyError(f"no synced command /{name}")

    async def wait_for_commands_synced(
        self, timeout: float = 20.0, guild: Guild | int | None = None
    ) -> list[Command]:
        key = None if guild is None else _id(guild)
        await self.core.wait_for(
            lambda: self.core.world.sync_counts.get(key, 0) > 0,
            timeout,
            "the bot to sync its commands",
        )
        return self.commands(guild)

    # -- messages ----------------------------------------------------------------------------
    def messages(self, channel: Channel | int, *, include_deleted: bool = False) -> list[Message]:
        """Every message the channel shows: bot posts and public interaction answers."""
        stored = self.core.world.channel_messages.get(_id(channel), [])
        return [m.snapshot() for m in stored if include_deleted or not m.deleted]

    def posts(self, channel: Channel | int) -> list[Message]:
        """Only messages created with POST /channels/{id}/messages (not interaction answers)."""
        return [m for m in self.messages(channel) if m.source == "channel"]

    def all_posts(self) -> list[Message]:
        return [
            m.snapshot()
            for m in self.core.world.messages.values()
            if m.source == "channel" and not m.deleted
        ]

    def message(self, message_id: int) -> Message:
        return self.core.world.messages[message_id].snapshot()

    async def wait_for_posts(
        self, channel: Channel | int, count: int = 1, timeout: float = 20.0
    ) -> list[Message]:
        """Wait until the channel has at least `count` posts; returns them."""

        def check() -> list[Message] | None:
            found = self.posts(channel)
            return found if len(found) >= count else None

        return await self.core.wait_for(
            check, timeout, f"{count} post(s) in channel {_id(channel)}"
        )

    async def wait_for(
        self, check: Callable[[], T | None], timeout: float = 20.0, what: str = "a condition"
    ) -> T:
        """Wait until `check()` is truthy (re-checked after every request and gateway change)."""
        return await self.core.wait_for(check, timeout, what)

    def interaction_results(self) -> list[InteractionResult]:
        return [p.result() for p in self.interactions.pending.values()]


def _id(value: Any) -> int:
    return int(getattr(value, "id", value))
