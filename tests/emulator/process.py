"""The real bot as a subprocess against the emulator (for kill -9 and restart tests)::

    env = {"TALKWATCH_DB": str(db), ...}
    async with BotProcess(emu, env=env, log_path=tmp_path / "bot.log") as bot:
        await emu.wait_for_commands_synced()
        ...
        await bot.kill()              # SIGKILL, like kill -9
        await bot.start()             # the same command again
    # leaving the block: SIGTERM, then SIGKILL after `stop_timeout`

The child runs `python -m tests.emulator.launch run` from the repository root with the current
environment, the emulator's URLs, DISCORD_TOKEN set to the emulator's token, and `env` on top.
Its stdout and stderr go to `log_path` (appended across restarts; never a pipe that can fill).
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import Protocol

from tests.emulator.redirect import Endpoint, bot_environment

REPO_ROOT = Path(__file__).resolve().parents[2]


class Target(Endpoint, Protocol):
    @property
    def token(self) -> str: ...


class BotProcess:
    def __init__(
        self,
        emulator: Target,
        *,
        env: Mapping[str, str] | None = None,
        args: Sequence[str] = ("run",),
        log_path: Path | None = None,
        stop_timeout: float = 15.0,
    ) -> None:
        self.env = {
            **os.environ,
            **bot_environment(emulator),
            "DISCORD_TOKEN": emulator.token,
            **(env or {}),
        }
        self.args = list(args)
        self.log_path = log_path
        self.stop_timeout = stop_timeout
        self.process: asyncio.subprocess.Process | None = None
        self.starts = 0

    @property
    def returncode(self) -> int | None:
        return None if self.process is None else self.process.returncode

    async def start(self) -> None:
        if self.process is not None and self.process.returncode is None:
            raise RuntimeError("the bot process is already running")
        log = open(self.log_path, "ab") if self.log_path else None  # noqa: SIM115
        try:
            self.process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "tests.emulator.launch",
                *self.args,
                cwd=REPO_ROOT,
                env=self.env,
                stdout=log or asyncio.subprocess.DEVNULL,
                stderr=log or asyncio.subprocess.DEVNULL,
            )
        finally:
            if log is not None:
                log.close()
        self.starts += 1

    async def kill(self) -> int:
        """SIGKILL and reap; returns the exit status (-9)."""
        process = self._running()
        process.kill()
        return await process.wait()

    async def stop(self) -> int:
        """SIGTERM, wait up to `stop_timeout`, then SIGKILL; returns the exit status."""
        process = self._running()
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
            try:
                return await asyncio.wait_for(process.wait(), self.stop_timeout)
            except TimeoutError:
                process.kill()
        return await process.wait()

    async def wait(self, timeout: float) -> int:
        return await asyncio.wait_for(self._running().wait(), timeout)

    def log_text(self) -> str:
        if self.log_path is None or not self.log_path.exists():
            return ""
        return self.log_path.read_text(errors="replace")

    def _running(self) -> asyncio.subprocess.Process:
        if self.process is None:
            raise RuntimeError("the bot process was never started")
        return self.process

    async def __aenter__(self) -> BotProcess:
        await self.start()
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self.process is not None and self.process.returncode is None:
            await self.stop()
