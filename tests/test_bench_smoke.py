"""A tiny run of bench/ingest.py and bench/hostile.py: they work end to end (no timings)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_bench(script: str, *args: str) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / script), *args, "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_ingest_bench_runs_cold_warm_and_reader() -> None:
    result = run_bench("ingest.py", "--feeds", "2", "--items", "3")
    assert result["stories"] == 6
    assert result["warm_304s"] == 2
    for key in ("cold_s", "warm_s", "reader_cold_s", "speedup_vs_reader", "peak_pss_mb"):
        value = result[key]
        assert isinstance(value, float | int) and value > 0, key


def test_hostile_bench_keeps_the_good_feeds() -> None:
    result = run_bench("hostile.py", "--good", "1", "--timeout", "1")
    assert result["good_stories_ok"] is True
    assert result["dtd_fetches"] == 0
    assert isinstance(result["hostile_feeds"], int) and result["hostile_feeds"] >= 30
