"""Smoke test of bench/fanout.py on a few channels: it runs and prints its figures (no timing
is asserted; the bench itself reports against its target)."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.botharness import ROOT


def test_fanout_bench_runs_and_reports() -> None:
    done = subprocess.run(
        [sys.executable, "bench/fanout.py", "--channels", "12", "--json"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    assert figures["channels"] == 12
    assert figures["lost"] == 0 and figures["duplicates"] == 0
    assert figures["rate_limited_429s"] == 0
    assert {"delivery_span_seconds", "allowed_seconds", "subscribe_seconds"} <= set(figures)
