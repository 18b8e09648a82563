"""The Judge's memory of pure results: a wire text seen again is judged exactly as when new."""

from __future__ import annotations

from pathlib import Path

from news.judging import Judge
from news.store import Judgement
from news.topic import load_profile
from storage.schema import open_database
from storage.store import SqliteStore
from tests.test_judging import ANSWER, NOW, OFFER, SPORT, add_stories

TOPIC = Path(__file__).resolve().parents[1] / "seeds" / "topic.toml"
WIRE = [OFFER, SPORT, ("AP", OFFER[1], OFFER[2]), ANSWER, ("AFP", OFFER[1], OFFER[2]), SPORT]


async def _judge_all(tmp_path: Path, name: str, remember: bool) -> list[Judgement]:
    db = open_database(tmp_path / f"{name}.db")
    store = SqliteStore(db, now_fn=lambda: NOW)
    shared = Judge(load_profile(TOPIC))
    judgements: list[Judgement] = []
    for story in add_stories(store, WIRE):  # one story per batch: the store carries the rest
        judge = shared if remember else Judge(load_profile(TOPIC))
        found = await judge.judge_new_stories([story], store, None, NOW)
        store.save_judgements(found, NOW, queue_deliveries=False)
        judgements += found
    db.close()
    return judgements


async def test_remembered_results_equal_fresh_ones(tmp_path: Path) -> None:
    remembered = await _judge_all(tmp_path, "remembered", remember=True)
    fresh = await _judge_all(tmp_path, "fresh", remember=False)
    assert remembered == fresh
    assert [j.verdict.relevant for j in fresh] == [True, False, True, True, True, False]
    assert len({j.development.id for j in fresh if j.development}) == 2
