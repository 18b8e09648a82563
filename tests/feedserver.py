"""A loopback feed server for tests and benches: real HTTP on 127.0.0.1, port 0.

    async with FeedServer() as server:
        server.set_feed("/a.xml", b"<rss>...</rss>")          # 200, ETag + Last-Modified, 304s
        server.set_status("/busy", 429, {"Retry-After": "120"})
        server.stall("/never")                                  # accepts, never answers
        server.trickle("/slow", body, interval_seconds=0.2)    # a few bytes at a time
        server.redirect("/old", "/a.xml")                       # or a loop: /x -> /y -> /x
        url = server.url("/a.xml")
        ...
        assert server.statuses("/a.xml") == [200, 304]
        assert server.requests("/a.xml")[-1].headers["if-none-match"] == server.etag("/a.xml")

Each path answers as last configured; calling `set_feed` again changes the content (and so the
ETag and Last-Modified). Unknown paths answer 404. Every request is recorded on arrival, with its
headers (keys lower-cased), and every answer's status is counted per path.

Tests take the `feed_server` fixture: `from tests.feedserver import feed_server` in the test module
(or conftest), then `async def test_x(feed_server: FeedServer) -> None`.
"""

from __future__ import annotations

import asyncio
import contextlib
import gzip as gzip_module
import hashlib
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from types import TracebackType

import pytest_asyncio
from aiohttp import web

_FIRST_MODIFIED_AT = datetime(2026, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class RecordedRequest:
    """One request as the server received it."""

    method: str
    path: str
    query: str
    headers: dict[str, str]


@dataclass(slots=True)
class _Feed:
    body: bytes
    content_type: str
    etag: str | None
    last_modified: str | None
    gzip: bool
    headers: dict[str, str]


@dataclass(slots=True)
class _Status:
    status: int
    headers: dict[str, str]
    body: bytes


@dataclass(slots=True)
class _Raw:
    body: bytes
    headers: dict[str, str]


@dataclass(slots=True)
class _Trickle:
    body: bytes
    content_type: str
    chunk_bytes: int
    interval_seconds: float


@dataclass(slots=True)
class _Redirect:
    to: str
    status: int


@dataclass(slots=True)
class _Stall:
    pass


_Route = _Feed | _Status | _Raw | _Trickle | _Redirect | _Stall


@dataclass(slots=True)
class _Log:
    requests: list[RecordedRequest] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)


class FeedServer:
    """An aiohttp server on 127.0.0.1 whose answers a test sets per path."""

    def __init__(self) -> None:
        self._routes: dict[str, _Route] = {}
        self._logs: dict[str, _Log] = {}
        self._versions: dict[str, int] = {}
        self._closing = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self._port = 0

    # -- lifecycle ---------------------------------------------------------------------------

    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        host_port = self._runner.addresses[0]
        self._port = int(host_port[1])

    async def close(self) -> None:
        self._closing.set()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FeedServer:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    # -- configuring answers -----------------------------------------------------------------

    @property
    def port(self) -> int:
        return self._port

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self._port}{path}"

    def set_feed(
        self,
        path: str,
        body: bytes | str,
        content_type: str = "application/xml; charset=utf-8",
        *,
        etag: bool = True,
        last_modified: bool = True,
        gzip: bool = False,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        """Serve `body` with 200; with validators on, a matching conditional GET gets 304.

        Each call is a new version: a new ETag and a Last-Modified one minute later.
        """
        data = body.encode() if isinstance(body, str) else body
        version = self._versions.get(path, 0) + 1
        self._versions[path] = version
        digest = hashlib.sha1(data).hexdigest()[:16]
        modified_at = _FIRST_MODIFIED_AT + timedelta(minutes=version)
        self._routes[path] = _Feed(
            body=data,
            content_type=content_type,
            etag=f'"{digest}-{version}"' if etag else None,
            last_modified=format_datetime(modified_at, usegmt=True) if last_modified else None,
            gzip=gzip,
            headers=dict(headers or {}),
        )

    def set_status(
        self,
        path: str,
        status: int,
        headers: Mapping[str, str] | None = None,
        body: bytes | str = b"",
    ) -> None:
        """Answer with any status, e.g. 429 with {"Retry-After": "120"}, 500, 404, 410."""
        data = body.encode() if isinstance(body, str) else body
        self._routes[path] = _Status(status=status, headers=dict(headers or {}), body=data)

    def set_raw(self, path: str, body: bytes, headers: Mapping[str, str]) -> None:
        """Answer 200 with exactly these bytes and headers (e.g. a pre-compressed gzip bomb)."""
        self._routes[path] = _Raw(body=body, headers=dict(headers))

    def stall(self, path: str) -> None:
        """Accept the request and never answer (until the server closes)."""
        self._routes[path] = _Stall()

    def trickle(
        self,
        path: str,
        body: bytes | str,
        *,
        chunk_bytes: int = 16,
        interval_seconds: float = 0.1,
        content_type: str = "application/xml; charset=utf-8",
    ) -> None:
        """Answer 200 at once, then send the body `chunk_bytes` at a time."""
        data = body.encode() if isinstance(body, str) else body
        self._routes[path] = _Trickle(data, content_type, chunk_bytes, interval_seconds)

    def redirect(self, path: str, to: str, status: int = 302) -> None:
        """Redirect `path` to another path (or a full URL)."""
        self._routes[path] = _Redirect(to=to, status=status)

    def clear(self, path: str) -> None:
        """Forget the answer for `path` (it then answers 404)."""
        self._routes.pop(path, None)

    # -- what happened -----------------------------------------------------------------------

    def etag(self, path: str) -> str | None:
        route = self._routes.get(path)
        return route.etag if isinstance(route, _Feed) else None

    def last_modified(self, path: str) -> str | None:
        route = self._routes.get(path)
        return route.last_modified if isinstance(route, _Feed) else None

    def hits(self, path: str) -> int:
        """How many requests arrived for `path`."""
        return len(self._log(path).requests)

    def statuses(self, path: str) -> list[int]:
        """The statuses answered for `path`, in order (a stalled request has none)."""
        return list(self._log(path).statuses)

    def count(self, path: str, status: int) -> int:
        return self._log(path).statuses.count(status)

    def requests(self, path: str) -> list[RecordedRequest]:
        return list(self._log(path).requests)

    def total_hits(self) -> int:
        return sum(len(log.requests) for log in self._logs.values())

    def total_count(self, status: int) -> int:
        return sum(log.statuses.count(status) for log in self._logs.values())

    def reset_counts(self) -> None:
        self._logs.clear()

    def _log(self, path: str) -> _Log:
        return self._logs.setdefault(path, _Log())

    # -- answering ---------------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        path = request.path
        log = self._log(path)
        headers = {key.lower(): value for key, value in request.headers.items()}
        log.requests.append(RecordedRequest(request.method, path, request.query_string, headers))
        route = self._routes.get(path)
        response = await self._answer(request, route)
        log.statuses.append(response.status)
        return response

    async def _answer(self, request: web.Request, route: _Route | None) -> web.StreamResponse:
        if route is None:
            return web.Response(status=404, text="not found")
        if isinstance(route, _Feed):
            return _answer_feed(request, route)
        if isinstance(route, _Status):
            return web.Response(status=route.status, headers=route.headers, body=route.body)
        if isinstance(route, _Raw):
            return web.Response(status=200, headers=route.headers, body=route.body)
        if isinstance(route, _Redirect):
            target = route.to if "://" in route.to else self.url(route.to)
            return web.Response(status=route.status, headers={"Location": target})
        if isinstance(route, _Trickle):
            return await self._answer_trickle(request, route)
        await self._closing.wait()
        return web.Response(status=503, text="closing")

    async def _answer_trickle(self, request: web.Request, route: _Trickle) -> web.StreamResponse:
        response = web.StreamResponse(status=200, headers={"Content-Type": route.content_type})
        await response.prepare(request)
        with contextlib.suppress(ConnectionError, RuntimeError):
            for start in range(0, len(route.body), route.chunk_bytes):
                if self._closing.is_set():
                    break
                await response.write(route.body[start : start + route.chunk_bytes])
                await asyncio.sleep(route.interval_seconds)
            await response.write_eof()
        return response


def _answer_feed(request: web.Request, feed: _Feed) -> web.Response:
    headers = dict(feed.headers)
    if feed.etag:
        headers["ETag"] = feed.etag
    if feed.last_modified:
        headers["Last-Modified"] = feed.last_modified
    if _is_not_modified(request, feed):
        return web.Response(status=304, headers=headers)
    body = feed.body
    headers["Content-Type"] = feed.content_type
    if feed.gzip:
        body = gzip_module.compress(body)
        headers["Content-Encoding"] = "gzip"
    return web.Response(status=200, headers=headers, body=body)


def _is_not_modified(request: web.Request, feed: _Feed) -> bool:
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match is not None:
        tags = {tag.strip() for tag in if_none_match.split(",")}
        return feed.etag is not None and (feed.etag in tags or "*" in tags)
    if_modified_since = request.headers.get("If-Modified-Since")
    if if_modified_since is None or feed.last_modified is None:
        return False
    try:
        since = parsedate_to_datetime(if_modified_since)
    except (TypeError, ValueError):
        return False
    return parsedate_to_datetime(feed.last_modified) <= since


@pytest_asyncio.fixture
async def feed_server() -> AsyncIterator[FeedServer]:
    """A started FeedServer, closed after the test."""
    async with FeedServer() as server:
        yield server
