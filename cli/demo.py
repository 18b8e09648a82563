"""`talkwatch demo`: the whole pipeline on the bundled sample feeds, offline, without a token.

It serves `seeds/samples/` on 127.0.0.1 (dates resolved relative to now, see the samples'
README), runs one cycle into a temporary database and prints the developments, then publishes
the second-cycle items, runs again and prints only what is new. Nothing is queued for Discord.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import hashlib
import re
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from types import TracebackType

from aiohttp import web

from cli.check import EXIT_CONFIG, EXIT_OK, print_report
from cli.checking import Checker
from news.cycle import CycleReport
from news.errors import NewsError
from settings import Settings
from storage.schema import StorageError

PROJECT_DIR = Path(__file__).resolve().parent.parent
SAMPLES_DIR = PROJECT_DIR / "seeds" / "samples"
FEED_SUFFIXES = {".xml": "application/rss+xml", ".atom": "application/atom+xml"}
JSON_FEED_TYPE = "application/feed+json"

_HOURS_AGO = re.compile(r"\{\{(rfc822|iso)_hours_ago:(-?\d+(?:\.\d+)?)\}\}")
_CYCLE2 = re.compile(
    r"^[ \t]*\{\{cycle2\}\}[ \t]*\n(.*?)^[ \t]*\{\{/cycle2\}\}[ \t]*\n", re.M | re.S
)


def render_sample(text: str, *, now: datetime, base: str, cycle: int) -> str:
    """Resolve a sample template: `{{base}}`, `{{rfc822_hours_ago:H}}`, `{{iso_hours_ago:H}}`,
    and `{{cycle2}}` ... `{{/cycle2}}` blocks (served from cycle 2 on)."""
    text = _CYCLE2.sub(lambda match: match.group(1) if cycle >= 2 else "", text)

    def date(match: re.Match[str]) -> str:
        moment = (now - timedelta(hours=float(match.group(2)))).replace(microsecond=0)
        if match.group(1) == "rfc822":
            return format_datetime(moment.astimezone(UTC))
        return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    return _HOURS_AGO.sub(date, text).replace("{{base}}", base)


class SampleServer:
    """Serves the sample feeds (`/feeds/<file>`, with ETag and 304) and article pages
    (`/articles/<outlet>/<slug>`) on a loopback port; `cycle` picks which items are published."""

    def __init__(self, samples_dir: Path = SAMPLES_DIR, *, now: datetime) -> None:
        self.samples_dir = samples_dir
        self.now = now
        self.cycle = 1
        self.base = ""
        self._runner: web.AppRunner | None = None

    async def __aenter__(self) -> SampleServer:
        app = web.Application()
        app.router.add_get("/feeds/{name}", self._feed)
        app.router.add_get("/articles/{outlet}/{slug}", self._article)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = int(self._runner.addresses[0][1])
        self.base = f"http://127.0.0.1:{port}"
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    def render(self, name: str) -> str:
        text = (self.samples_dir / name).read_text(encoding="utf-8")
        return render_sample(text, now=self.now, base=self.base, cycle=self.cycle)

    def feed_names(self) -> list[str]:
        suffixes = {*FEED_SUFFIXES, ".json"}
        return sorted(p.name for p in self.samples_dir.iterdir() if p.suffix in suffixes)

    async def _feed(self, request: web.Request) -> web.Response:
        name = request.match_info["name"]
        if name not in self.feed_names():
            return web.Response(status=404, text="no such feed")
        body = self.render(name).encode()
        etag = f'"{hashlib.sha256(body).hexdigest()[:16]}"'
        if request.headers.get("If-None-Match") == etag:
            return web.Response(status=304, headers={"ETag": etag})
        content_type = FEED_SUFFIXES.get(Path(name).suffix, JSON_FEED_TYPE)
        headers = {"ETag": etag, "Content-Type": f"{content_type}; charset=utf-8"}
        return web.Response(body=body, headers=headers)

    async def _article(self, request: web.Request) -> web.Response:
        outlet, slug = request.match_info["outlet"], request.match_info["slug"]
        if not re.fullmatch(r"[a-z0-9-]+", outlet) or not re.fullmatch(r"[a-z0-9-]+", slug):
            return web.Response(status=404, text="no such article")
        path = self.samples_dir / "articles" / outlet / f"{slug}.html"
        if not path.is_file():
            return web.Response(status=404, text="no such article")
        return web.Response(
            text=self.render(f"articles/{outlet}/{slug}.html"), content_type="text/html"
        )


def demo_settings(settings: Settings, workdir: Path, feeds_path: Path) -> Settings:
    """The operator's settings with a temporary database, the samples' feeds file, the bundled
    topic profile if the configured one is missing, and no pause between article pages."""
    topic = settings.topic_path
    if not topic.exists():
        topic = PROJECT_DIR / "seeds" / "topic.toml"
    return dataclasses.replace(
        settings,
        db_path=workdir / "demo.db",
        feeds_path=feeds_path,
        topic_path=topic,
        article_host_interval_seconds=0.0,
    )


def main(args: argparse.Namespace, settings: Settings) -> int:
    try:
        return asyncio.run(run_demo(settings))
    except KeyboardInterrupt:
        return EXIT_OK


async def run_demo(settings: Settings) -> int:
    """Serve the samples, run two cycles into a temporary database, print what is new."""
    now = datetime.now(UTC)
    with tempfile.TemporaryDirectory(prefix="talkwatch-demo-") as tmp:
        workdir = Path(tmp)
        async with SampleServer(now=now) as server:
            feeds_path = workdir / "feeds.toml"
            feeds_path.write_text(server.render("feeds.toml"), encoding="utf-8")
            try:
                checker = await Checker(demo_settings(settings, workdir, feeds_path)).__aenter__()
            except (NewsError, StorageError) as exc:
                print(f"talkwatch: {exc}", file=sys.stderr)
                return EXIT_CONFIG
            try:
                await _two_cycles(checker, server, settings)
            finally:
                await checker.close()
    return EXIT_OK


async def _two_cycles(checker: Checker, server: SampleServer, settings: Settings) -> None:
    count = len(server.feed_names())
    print(f"talkwatch demo: {count} sample feeds served on {server.base} (no internet, no token)")
    print("A temporary database is used; nothing is queued for Discord.\n")
    _banner("Cycle 1: the first check of every feed")
    print(
        f"A feed's first check is its baseline: items older than {settings.baseline_hours:g}"
        " hours are recorded as seen, not announced.\n"
    )
    _show(await checker.run_once(force=True, dry_run=True))
    server.cycle = 2
    _banner("Cycle 2: the outlets have published a few more items")
    print("Only what is new is printed; a development that gains a source is only noted.\n")
    _show(await checker.run_once(force=True, dry_run=True))
    print(
        "In the Discord bot (`talkwatch run`), each new development is posted once to every"
        " subscribed channel,\nand a development that gains sources has its posts edited."
    )


def _banner(title: str) -> None:
    print(f"== {title} " + "=" * max(0, 78 - len(title)))


def _show(report: CycleReport) -> None:
    if not report.new_developments and not report.updated_developments:
        print("(nothing new about the talks)\n")
    print_report(report, sys.stdout, sys.stdout)
    print()
