"""`talkwatch triage` as a subprocess: JSON lines in, one verdict line out per valid input."""

from __future__ import annotations

import asyncio
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import cli.triage as triage_module
from news.judging import Judge
from settings import Settings
from storage.schema import open_database
from storage.store import SqliteStore

ROOT = Path(__file__).resolve().parents[1]

OFFER = {
    "id": "a1",
    "title": "Ukraine proposes new round of peace talks with Russia in Istanbul next week",
    "text": "Ukraine proposed on Monday to hold a new round of peace talks with Russia in Istanbul "
    "next week, President Volodymyr Zelenskyy said. Kyiv is ready for a ceasefire, he added.",
    "outlet": "Reuters",
    "url": "https://news.test/reuters/offer",
    "published": "2025-05-12T09:00:00Z",
}
OFFER_AGAIN = {
    "id": "a2",
    "title": "Zelenskyy offers Moscow fresh negotiations in Turkey",
    "text": "<p>Kyiv wants another round of <b>negotiations</b> with the Kremlin in Istanbul next "
    "week, Zelenskyy said on Monday.</p><p>He called on Russia to agree to a ceasefire.</p>",
    "outlet": "Kyiv Post",
    "url": "https://news.test/kyivpost/offer",
    "published": "2025-05-12T11:30:00+02:00",
}
SPORT = {
    "id": 7,
    "title": "Ukraine beat Georgia 2-0 in Kyiv friendly",
    "text": "",
    "outlet": "",
    "url": "",
    "published": "",
}


def triage(
    lines: list[str], *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("TALKWATCH_")}
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, str(ROOT / "bot.py"), "triage", "-", *args],
        input="".join(line + "\n" for line in lines),
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=environment,
        timeout=60,
        check=False,
    )


def outputs(result: subprocess.CompletedProcess[str]) -> list[dict[str, Any]]:
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_every_line_gets_a_verdict_and_one_event_one_development_id() -> None:
    result = triage([json.dumps(OFFER), json.dumps(OFFER_AGAIN), json.dumps(SPORT)])
    assert result.returncode == 0, result.stderr
    first, second, sport = outputs(result)
    assert [first["id"], second["id"], sport["id"]] == ["a1", "a2", 7]
    assert set(first) == {"id", "relevant", "score", "development", "kind", "summary", "why"}
    assert first["relevant"] and second["relevant"] and not sport["relevant"]
    assert first["development"] == second["development"] is not None
    assert sport["development"] is None
    assert first["kind"] == "proposal"
    assert 0 < len(first["summary"]) <= 280 and "<" not in second["summary"]
    assert isinstance(first["score"], float) and first["why"]


def test_malformed_lines_are_reported_with_their_number_and_skipped() -> None:
    lines = [
        json.dumps(OFFER),
        "{not json",
        "[1, 2, 3]",
        json.dumps({"title": "no id"}),
        json.dumps({**OFFER, "id": "x", "title": ["a list"]}),
        json.dumps({**OFFER, "id": "y", "published": "last Tuesday"}),
        "",
        json.dumps({**OFFER_AGAIN}),
    ]
    result = triage(lines)
    assert result.returncode == 0
    assert [line["id"] for line in outputs(result)] == ["a1", "a2"]
    errors = result.stderr.strip().splitlines()
    assert [error.split(":")[1].strip() for error in errors] == [
        "line 2",
        "line 3",
        "line 4",
        "line 5",
        "line 6",
    ]
    assert all("Traceback" not in error for error in errors)


def test_duplicate_urls_and_ids_still_get_their_own_line() -> None:
    again = {**OFFER, "title": "Ukraine proposes peace talks in Istanbul next week"}
    result = triage([json.dumps(OFFER), json.dumps(OFFER), json.dumps(again)])
    assert result.returncode == 0, result.stderr
    found = outputs(result)
    assert [line["id"] for line in found] == ["a1", "a1", "a1"]
    assert len({line["development"] for line in found}) == 1


def test_dates_far_apart_are_different_developments_whatever_the_clock() -> None:
    later = {**OFFER_AGAIN, "id": "a3", "published": "2031-01-01T00:00:00"}
    result = triage([json.dumps(OFFER), json.dumps(later)])
    first, second = outputs(result)
    assert first["development"] != second["development"]


def test_an_unreadable_file_exits_2_with_one_line(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "bot.py"), "triage", str(tmp_path / "missing.jsonl")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    assert "missing.jsonl" in result.stderr


def test_a_bad_topic_profile_exits_2_with_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "topic.toml"
    bad.write_text("this is [not toml", encoding="utf-8")
    result = triage([json.dumps(OFFER)], env={"TALKWATCH_TOPIC": str(bad)})
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "topic.toml" in result.stderr


def test_db_records_the_judgements_when_asked(tmp_path: Path) -> None:
    path = tmp_path / "triage.db"
    result = triage([json.dumps(OFFER), json.dumps(OFFER_AGAIN)], "--db", str(path))
    assert result.returncode == 0, result.stderr
    db = open_database(path)
    try:
        assert db["developments"].count == 1
        assert db["development_sources"].count == 2
        assert db["deliveries"].count == 0
    finally:
        db.close()


def test_bad_bytes_and_lone_surrogates_are_judged_not_fatal() -> None:
    lines = [
        b'{"id": "b1", "title": "\xff\xfe Ukraine and Russia hold talks in Istanbul"}',
        b'{"id": "\\ud800", "title": "lone \\udc00 surrogate in Ukraine Russia talks"}',
    ]
    result = subprocess.run(
        [sys.executable, str(ROOT / "bot.py"), "triage", "-"],
        input=b"\n".join(lines) + b"\n",
        capture_output=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    found = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert [line["id"] for line in found] == ["b1", "\ud800"]


def test_batches_of_any_size_give_the_same_developments_as_one_line_at_a_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    items: list[dict[str, Any]] = []
    for path in sorted((ROOT / "tests" / "data").glob("dev_part*.jsonl"))[:2]:
        with path.open(encoding="utf-8") as handle:
            items += [json.loads(line) for line in handle if line.strip()]
    items.sort(key=lambda item: str(item["published"]))
    fields = ("id", "title", "text", "outlet", "url", "published")
    text = "".join(json.dumps({k: item[k] for k in fields}) + "\n" for item in items)
    judge = Judge.from_settings(Settings(topic_path=ROOT / "seeds" / "topic.toml"))
    found: list[list[str | None]] = []
    for size in (1, 5, 500):
        monkeypatch.setattr(triage_module, "BATCH_LINES", size)
        out = io.StringIO()
        db = open_database(":memory:")
        asyncio.run(triage_module.run(io.StringIO(text), judge, SqliteStore(db), out))
        db.close()
        found.append([json.loads(line)["development"] for line in out.getvalue().splitlines()])
    assert len(found[0]) == len(items)
    assert found[0] == found[1] == found[2]
    assert len({dev for dev in found[0] if dev}) > 5


def test_a_byte_order_mark_and_windows_line_ends_are_read(tmp_path: Path) -> None:
    path = tmp_path / "stories.jsonl"
    path.write_bytes(("\ufeff" + json.dumps(OFFER) + "\r\n" + json.dumps(SPORT) + "\r\n").encode())
    result = subprocess.run(
        [sys.executable, str(ROOT / "bot.py"), "triage", str(path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0 and result.stderr == ""
    assert [line["id"] for line in outputs(result)] == ["a1", 7]
