"""The pipeline's only network code: fetching feeds and article pages with aiohttp.

Every request has a total timeout (covering servers that trickle bytes or never answer), a body
cap enforced while streaming after decompression (so compression bombs stop at the cap), at most
`MAX_REDIRECTS` redirects, and a place in a bounded semaphore. Nothing here raises for network
reasons: every problem becomes a `FetchFailure` with a short message.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from importlib import metadata
from urllib.parse import urlsplit

import aiohttp

from news.records import FetchedBody, FetchFailure, FetchOutcome, NotModified

log = logging.getLogger(__name__)

PROJECT_URL = "https://github.com/talkwatch/talkwatch"
MAX_REDIRECTS = 5
CHUNK_BYTES = 64 * 1024
FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9,"
    " application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
)
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"
PAGE_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "application/xml", "text/xml")


def user_agent() -> str:
    try:
        version = metadata.version("talkwatch")
    except metadata.PackageNotFoundError:
        version = "0"
    return f"talkwatch/{version} (+{PROJECT_URL})"


def create_session(*, concurrency: int = 10, agent: str | None = None) -> aiohttp.ClientSession:
    """The one HTTP session for feeds and pages: our User-Agent, gzip/deflate, no cookies.

    Must be called with an event loop running; the caller closes it.
    """
    connector = aiohttp.TCPConnector(limit=max(concurrency, 1) * 2, ttl_dns_cache=300)
    return aiohttp.ClientSession(
        connector=connector,
        headers={"User-Agent": agent or user_agent()},
        cookie_jar=aiohttp.DummyCookieJar(),
        auto_decompress=True,
        raise_for_status=False,
    )


class Fetcher:
    """Fetches feeds (conditional GET) and pages (paced per host) through one session."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        *,
        timeout_seconds: float,
        max_body_bytes: int,
        concurrency: int,
        host_interval_seconds: float = 0.0,
    ) -> None:
        self._session = session
        self._timeout_seconds = timeout_seconds
        self._max_body_bytes = max_body_bytes
        self._semaphore = asyncio.Semaphore(max(concurrency, 1))
        self._host_interval_seconds = host_interval_seconds
        self._host_next_at: dict[str, float] = {}

    async def fetch_feed(
        self, url: str, etag: str | None = None, last_modified: str | None = None
    ) -> FetchOutcome:
        """GET a feed, sending If-None-Match / If-Modified-Since when we have them."""
        headers = {"Accept": FEED_ACCEPT}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        async with self._semaphore:
            return await self._get(url, headers, accepted_types=None)

    async def fetch_page(self, url: str) -> FetchOutcome:
        """GET an article page (HTML), waiting so that one host gets at most one request per
        `host_interval_seconds`."""
        await self._wait_for_host(url)
        async with self._semaphore:
            return await self._get(url, {"Accept": PAGE_ACCEPT}, accepted_types=PAGE_TYPES)

    async def _wait_for_host(self, url: str) -> None:
        if self._host_interval_seconds <= 0:
            return
        host = (urlsplit(url).hostname or "").lower()
        loop_now = asyncio.get_running_loop().time()
        slot = max(loop_now, self._host_next_at.get(host, loop_now))
        self._host_next_at[host] = slot + self._host_interval_seconds
        if slot > loop_now:
            await asyncio.sleep(slot - loop_now)

    async def _get(
        self, url: str, headers: dict[str, str], accepted_types: tuple[str, ...] | None
    ) -> FetchOutcome:
        try:
            async with asyncio.timeout(self._timeout_seconds):
                return await self._request(url, headers, accepted_types)
        except TimeoutError:
            return FetchFailure(f"timed out after {self._timeout_seconds:g} s")
        except aiohttp.TooManyRedirects:
            return FetchFailure(f"too many redirects (more than {MAX_REDIRECTS})")
        except aiohttp.NonHttpUrlRedirectClientError as exc:
            return FetchFailure(f"redirected to a non-HTTP URL{_url_hint(exc)}")
        except aiohttp.InvalidUrlRedirectClientError:
            return FetchFailure("redirected to an invalid URL")
        except aiohttp.NonHttpUrlClientError as exc:
            return FetchFailure(f"not an HTTP URL{_url_hint(exc)}")
        except aiohttp.InvalidURL as exc:
            return FetchFailure(f"invalid URL{_url_hint(exc)}")
        except aiohttp.ClientConnectorDNSError:
            return FetchFailure(f"DNS lookup failed for {urlsplit(url).hostname or url}")
        except aiohttp.ClientConnectorCertificateError as exc:
            return FetchFailure(
                f"TLS certificate refused for {exc.host}: {_reason(exc.certificate_error)}"
            )
        except aiohttp.ClientSSLError as exc:
            return FetchFailure(f"TLS error with {exc.host}: {_reason(exc.os_error)}")
        except aiohttp.ClientConnectorError as exc:
            detail = exc.os_error.strerror or _reason(exc.os_error)
            return FetchFailure(f"cannot connect to {exc.host}:{exc.port} ({detail})")
        except aiohttp.ClientPayloadError:
            return FetchFailure("the body could not be read (broken compression or transfer)")
        except aiohttp.ClientResponseError as exc:
            return FetchFailure(f"bad response: {_reason(exc.message)}", status=exc.status or None)
        except (aiohttp.ClientError, OSError, ValueError, UnicodeError) as exc:
            return FetchFailure(f"{type(exc).__name__}: {_reason(exc)}")

    async def _request(
        self, url: str, headers: dict[str, str], accepted_types: tuple[str, ...] | None
    ) -> FetchOutcome:
        async with self._session.get(
            # aiohttp counts the redirect responses it has seen, including the one that fails:
            # max_redirects=6 allows five redirects and refuses the sixth.
            url,
            headers=headers,
            max_redirects=MAX_REDIRECTS + 1,
            allow_redirects=True,
        ) as response:
            status = response.status
            if status == 304:
                return NotModified()
            if status >= 300:
                return _http_failure(response)
            content_type = response.headers.get("Content-Type", "").lower()
            if accepted_types and content_type and not content_type.startswith(accepted_types):
                return FetchFailure(f"not a web page ({content_type.split(';')[0]})", status)
            declared = response.content_length
            if declared is not None and declared > self._max_body_bytes:
                return self._too_big(status)
            body = await self._read_capped(response)
            if body is None:
                return self._too_big(status)
            response_headers = lower_headers(response.headers)
            return FetchedBody(
                status=status,
                body=body,
                headers=response_headers,
                final_url=str(response.url),
                etag=response_headers.get("etag"),
                last_modified=response_headers.get("last-modified"),
            )

    async def _read_capped(self, response: aiohttp.ClientResponse) -> bytes | None:
        """The decompressed body, or None as soon as it grows past the cap."""
        chunks: list[bytes] = []
        size = 0
        async for chunk in response.content.iter_chunked(CHUNK_BYTES):
            size += len(chunk)
            if size > self._max_body_bytes:
                return None
            chunks.append(chunk)
        return b"".join(chunks)

    def _too_big(self, status: int) -> FetchFailure:
        return FetchFailure(f"body larger than {self._max_body_bytes:,} bytes", status)


def _http_failure(response: aiohttp.ClientResponse) -> FetchFailure:
    retry_after = None
    if response.status in (429, 503):
        retry_after = parse_retry_after(response.headers.get("Retry-After"), datetime.now(UTC))
    reason = f"HTTP {response.status}"
    if response.reason:
        reason = f"{reason} {response.reason[:60]}"
    return FetchFailure(reason, status=response.status, retry_after_seconds=retry_after)


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    """Seconds to wait from a Retry-After header (delta seconds or an HTTP date), else None."""
    if not value:
        return None
    text = value.strip()
    if text.isdigit():
        return float(min(int(text[:12]), 10**9))
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max((when - now).total_seconds(), 0.0)


def _url_hint(exc: aiohttp.ClientError) -> str:
    """ " (the URL)" from an aiohttp URL error, cut short; "" when it holds none."""
    url = str(exc.args[0]) if exc.args else ""
    return f" ({url[:80]})" if url.strip() else ""


def _reason(problem: BaseException | str) -> str:
    """A short line about the problem, without any bytes the server sent (e.g. a header)."""
    text = str(problem).strip()
    if not text:
        return type(problem).__name__
    return text.splitlines()[0].split(": b'", 1)[0].split(': b"', 1)[0][:160]


def lower_headers(headers: Mapping[str, str]) -> dict[str, str]:
    return {key.lower(): value for key, value in headers.items()}
