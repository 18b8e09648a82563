"""The REST side: one aiohttp catch-all handler that routes like Discord's API v10.

For every request, in order: record it, check the bot token (interaction endpoints need none),
apply an injected fault, the global limit, the route bucket, then run the route handler. The
answer always carries `Content-Type: application/json` exactly (discord.py parses nothing else)
and, for bot routes, X-RateLimit-* headers.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from tests.emulator.core import Core, RecordedRequest, Violation
from tests.emulator.limits import DEFAULT_FAULT_CODES, DEFAULT_FAULT_MESSAGES, Fault

PREFIX = "/api/v10"


class ApiError(Exception):
    """An error answer: Discord's `{message, code, errors}` body."""

    def __init__(
        self, status: int, code: int, message: str, problems: tuple[str, ...] = ()
    ) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.problems = status, code, message, problems

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"message": self.message, "code": self.code}
        if self.problems:
            errors = {
                f"problem_{i}": {"_errors": [{"code": "BASE_TYPE_INVALID", "message": p}]}
                for i, p in enumerate(self.problems)
            }
            body["errors"] = errors
        return body


@dataclass(slots=True)
class Call:
    """One request as a route handler sees it."""

    method: str
    path: str
    params: dict[str, str]
    query: dict[str, str]
    body: Any
    headers: dict[str, str]

    def id(self, name: str) -> int:
        try:
            return int(self.params[name])
        except ValueError:
            raise ApiError(404, 10003, f"Unknown {name}") from None


Handler = Callable[[Core, Call], Awaitable[tuple[int, Any]]]


@dataclass(frozen=True, slots=True)
class Route:
    method: str
    template: str
    pattern: re.Pattern[str]
    handler: Handler
    auth: bool
    exempt: bool


class Router:
    def __init__(self) -> None:
        self.routes: list[Route] = []

    def add(
        self,
        method: str,
        template: str,
        handler: Handler,
        *,
        auth: bool = True,
        exempt: bool = False,
    ) -> None:
        regex = re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", template)
        self.routes.append(Route(method, template, re.compile(f"^{regex}$"), handler, auth, exempt))

    def match(self, method: str, path: str) -> tuple[Route, dict[str, str]] | None:
        for route in self.routes:
            if route.method == method:
                found = route.pattern.match(path)
                if found:
                    return route, found.groupdict()
        return None


def json_response(status: int, body: Any, headers: dict[str, str] | None = None) -> web.Response:
    """Discord's JSON answer: exactly `application/json` (discord.py parses nothing else);
    a 204 has no body and no content type."""
    if status == 204:
        return web.Response(status=204, headers=headers)
    merged = {"Content-Type": "application/json", **(headers or {})}
    return web.Response(status=status, body=json.dumps(body).encode(), headers=merged)


async def read_body(request: web.Request) -> Any:
    if not request.can_read_body:
        return None
    if request.content_type.startswith("multipart/"):
        body: dict[str, Any] = {}
        async for part in await request.multipart():
            if getattr(part, "name", None) == "payload_json":
                body = json.loads(await part.text())  # type: ignore[union-attr]
        return body
    raw = await request.read()
    return json.loads(raw) if raw else None


def _major(params: dict[str, str]) -> str:
    keys = ("channel_id", "guild_id", "webhook_id", "webhook_token")
    return "+".join(params[k] for k in keys if k in params)


class RestServer:
    """Dispatches requests to route handlers and records everything."""

    def __init__(self, core: Core, router: Router) -> None:
        self.core, self.router = core, router

    async def handle(self, request: web.Request) -> web.StreamResponse:
        arrived = self.core.now()  # one clock for the record and the rate limits
        received = arrived - self.core.started_at
        path = request.path[len(PREFIX) :] if request.path.startswith(PREFIX) else request.path
        matched = self.router.match(request.method, path)
        status, code, fault_hit, body = 500, None, False, None
        try:
            body = await read_body(request)
            response, status, code, fault_hit = await self._answer(
                request, request.method, path, body, matched, arrived
            )
            return response
        except json.JSONDecodeError:
            status, code = 400, 50109
            invalid = {"message": "The request body contains invalid JSON.", "code": 50109}
            return json_response(400, invalid)
        finally:
            headers = {k.lower(): v for k, v in request.headers.items()}
            headers.pop("authorization", None)  # the token is never recorded
            self.core.requests.append(
                RecordedRequest(
                    request.method,
                    path,
                    None if matched is None else matched[0].template,
                    dict(request.query),
                    body,
                    headers,
                    received,
                    self.core.elapsed(),
                    status,
                    code,
                    fault_hit,
                )
            )
            self.core.notify()

    async def _answer(
        self,
        request: web.Request,
        method: str,
        path: str,
        body: Any,
        matched: tuple[Route, dict[str, str]] | None,
        arrived: float,
    ) -> tuple[web.StreamResponse, int, int | None, bool]:
        core = self.core
        auth = request.headers.get("Authorization", "")
        needs_auth = matched is None or matched[0].auth
        if needs_auth and auth != f"Bot {core.token}":
            return json_response(401, {"message": "401: Unauthorized", "code": 0}), 401, 0, False
        fault = core.faults.take(method, path)
        if fault is not None and fault.delay:
            await asyncio.sleep(fault.delay)
        if fault is not None and fault.status is not None and not fault.after:
            response, status, code = await _fault_response(request, fault)
            return response, status, code, True
        headers: dict[str, str] = {}
        if matched is not None and not matched[0].exempt:
            limited = self._rate_limit(method, matched, headers, arrived)
            if limited is not None:
                return limited, 429, 0, False
        if matched is None:
            return json_response(404, {"message": "404: Not Found", "code": 0}), 404, 0, False
        call = Call(method, path, matched[1], dict(request.query), body, dict(request.headers))
        try:
            status, payload = await matched[0].handler(core, call)
        except ApiError as error:
            if error.problems:
                core.violations.append(Violation(method, path, error.problems))
            response = json_response(error.status, error.body(), headers)
            return response, error.status, error.code, False
        if fault is not None and fault.status is not None:  # after=True: applied, then failed
            response, status, code = await _fault_response(request, fault)
            return response, status, code, True
        return json_response(status, payload, headers), status, None, False

    def _rate_limit(
        self,
        method: str,
        matched: tuple[Route, dict[str, str]],
        headers: dict[str, str],
        now: float,
    ) -> web.Response | None:
        core = self.core
        retry = core.limits.take_global(now)
        if retry is not None:
            return _too_many(retry, is_global=True)
        route, params = matched
        state = core.limits.take_route(method, route.template, _major(params), now)
        if not state.allowed:
            return _too_many(state.reset_after, is_global=False)
        headers.update(
            {
                "X-RateLimit-Limit": str(state.limit),
                "X-RateLimit-Remaining": str(state.remaining),
                "X-RateLimit-Reset": f"{time.time() + state.reset_after:.3f}",
                "X-RateLimit-Reset-After": f"{state.reset_after:.3f}",
                "X-RateLimit-Bucket": state.bucket,
            }
        )
        return None


def _too_many(retry_after: float, *, is_global: bool) -> web.Response:
    body = {
        "message": "You are being rate limited.",
        "retry_after": retry_after,
        "global": is_global,
        "code": 0,
    }
    headers = {
        "Via": "1.1 google",
        "Retry-After": str(max(1, round(retry_after + 0.5))),
        "X-RateLimit-Scope": "global" if is_global else "user",
    }
    if is_global:
        headers["X-RateLimit-Global"] = "true"
    return json_response(429, body, headers)


async def _fault_response(
    request: web.Request, fault: Fault
) -> tuple[web.StreamResponse, int, int | None]:
    status = 500 if fault.status is None else fault.status
    if status == 0:
        transport = request.transport
        if transport is not None:
            transport.abort()
        return web.Response(status=500), 0, None
    if status == 429:
        response = _too_many(fault.retry_after, is_global=fault.is_global)
        return response, 429, 0
    code = fault.code if fault.code is not None else DEFAULT_FAULT_CODES.get(status, 0)
    message = fault.message or DEFAULT_FAULT_MESSAGES.get(status, f"{status}: Error")
    return json_response(status, {"message": message, "code": code}), status, code
