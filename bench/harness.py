"""Shared by bench/ingest.py and bench/hostile.py: a loopback feed server on its own thread,
and a runner that times a command as a whole process while sampling its memory.

Memory is sampled every 20 ms over the process and all its children: PSS (proportional set
size, shared pages split between processes) and RSS (resident set) sums, peak of each.
"""

from __future__ import annotations

import asyncio
import os
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.feedserver import FeedServer  # noqa: E402

SAMPLE_SECONDS = 0.02


def talkwatch_command(*args: str) -> list[str]:
    """`talkwatch ...` from the same environment as this Python (the console script)."""
    script = Path(sys.executable).parent / "talkwatch"
    if script.exists():
        return [str(script), *args]
    return [sys.executable, str(ROOT / "bot.py"), *args]


@dataclass(frozen=True, slots=True)
class Measured:
    command: list[str]
    returncode: int
    wall_s: float
    peak_pss_mb: float
    peak_rss_mb: float
    stdout: str
    stderr: str

    def check(self) -> None:
        if self.returncode != 0:
            tail = "\n".join(self.stderr.splitlines()[-15:])
            raise SystemExit(f"{' '.join(self.command)} exited {self.returncode}:\n{tail}")


def _tree_memory(root: psutil.Process) -> tuple[int, int]:
    pss = rss = 0
    try:
        processes = [root, *root.children(recursive=True)]
    except psutil.Error:
        return 0, 0
    for process in processes:
        try:
            info = process.memory_full_info()
        except psutil.Error:
            continue
        pss += getattr(info, "pss", info.rss)
        rss += info.rss
    return pss, rss


def run_measured(
    command: list[str], env: dict[str, str], cwd: Path, timeout_s: float = 600.0
) -> Measured:
    """Run `command` with `env` added to ours; wall time from start to exit, memory peaks."""
    out_path, err_path = cwd / "run.stdout", cwd / "run.stderr"
    with out_path.open("wb") as out, err_path.open("wb") as err:
        started = time.perf_counter()
        process = psutil.Popen(command, cwd=cwd, env={**os.environ, **env}, stdout=out, stderr=err)
        peak_pss = peak_rss = 0
        while True:
            pss, rss = _tree_memory(process)
            peak_pss, peak_rss = max(peak_pss, pss), max(peak_rss, rss)
            try:
                process.wait(timeout=SAMPLE_SECONDS)
                break
            except psutil.TimeoutExpired:
                if time.perf_counter() - started > timeout_s:
                    process.kill()
        wall = time.perf_counter() - started
    return Measured(
        command=command,
        returncode=process.returncode if process.returncode is not None else -1,
        wall_s=wall,
        peak_pss_mb=peak_pss / 1e6,
        peak_rss_mb=peak_rss / 1e6,
        stdout=out_path.read_text(errors="replace"),
        stderr=err_path.read_text(errors="replace"),
    )


class ServedFeeds:
    """A FeedServer running on a background thread's event loop (ETag/Last-Modified on)."""

    def __init__(
        self,
        feeds: dict[str, tuple[bytes, str]],
        install: Callable[[FeedServer], object] | None = None,
    ) -> None:
        self._feeds = feeds
        self._install = install
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="feed-server", daemon=True)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._error: BaseException | None = None
        self.server: FeedServer | None = None
        self.installed: object = None

    def __enter__(self) -> ServedFeeds:
        self._thread.start()
        self._ready.wait(60)
        if self._error is not None or self.server is None:
            raise RuntimeError(f"feed server did not start: {self._error!r}")
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._loop is not None and self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(30)

    def _run(self) -> None:
        try:
            asyncio.run(self._serve())
        except BaseException as exc:  # reported to the main thread by __enter__
            self._error = exc
            self._ready.set()

    async def _serve(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        async with FeedServer() as server:
            for path, (body, content_type) in self._feeds.items():
                server.set_feed(path, body, content_type)
            if self._install is not None:
                self.installed = self._install(server)
            self.server = server
            self._ready.set()
            await self._stop.wait()

    def url(self, path: str) -> str:
        assert self.server is not None
        return self.server.url(path)

    def count(self, status: int) -> int:
        assert self.server is not None
        return self.server.total_count(status)
