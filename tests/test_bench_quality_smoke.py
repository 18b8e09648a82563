"""bench/quality.py runs end to end on a small slice of the labelled set (figures not asserted)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "bench" / "quality.py"
SLICE = ROOT / "tests" / "data" / "dev_part1.jsonl"


def run_bench(*args: str) -> tuple[list[str], dict[str, Any]]:
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--data", str(SLICE), "--json", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    return lines[:-1], json.loads(lines[-1])


def test_full_run_prints_every_figure_with_targets() -> None:
    lines, figures = run_bench("--speed", "200")
    assert set(figures) >= {"relevance", "grouping", "crowded", "summary", "speed"}
    for split in ("all", "tune", "holdout"):
        assert 0.0 <= figures["relevance"][split]["precision"] <= 1.0
    assert figures["speed"]["stories"] == 200
    text = "\n".join(lines)
    assert "48h window alone" in text
    assert "PASS" in text or "FAIL" in text


def test_direct_mode_measures_relevance_in_process() -> None:
    lines, figures = run_bench("--direct", "--errors")
    assert set(figures) == {"items", "relevance"}
    assert lines[0].startswith("relevance  all")


def test_no_data_is_a_one_line_error(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--data", str(tmp_path / "none*.jsonl")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr.strip().startswith("no labelled items match")
