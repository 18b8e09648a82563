"""Grouping probe: B-cubed F1 of the Judge's grouping on the labelled set, as dated and replayed
on a crowded calendar (each development shifted to start `--gap-hours` after the previous one).

    .venv/bin/python bench/grouping_probe.py [--gap-hours 3] [--all-items] [param=value ...]

Only items labelled relevant are grouped (relevance is measured elsewhere), unless --all-items,
which runs the whole Judge (relevance too) and scores predicted-irrelevant items as singletons.
Never imported by the app.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import glob
import json
import sys
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, cast

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from news.grouping import GroupingParams
from news.judging import Judge, JudgeConfig
from news.records import Development, Story
from news.store import Judgement, Store
from news.topic import load_profile

Item = dict[str, Any]


class MemoryStore:
    """Just what grouping needs from a store."""

    def __init__(self) -> None:
        self.developments: dict[str, Development] = {}

    def recent_developments(self, since: datetime) -> list[Development]:
        return [d for d in self.developments.values() if d.updated_at >= since]

    def save_judgements(self, judgements: list[Judgement], now: datetime) -> None:
        for j in judgements:
            if j.development is not None:
                self.developments[j.development.id] = j.development


def load_items(pattern: str) -> list[Item]:
    items = []
    for path in sorted(glob.glob(pattern)):
        with open(path, encoding="utf-8") as handle:
            items += [json.loads(line) for line in handle if line.strip()]
    return items


def parse_time(value: str) -> datetime:
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def crowd(items: list[Item], gap_hours: float, spread_hours: float = 12.0) -> list[Item]:
    """Developments replayed `gap_hours` apart, keeping each one's inner offsets."""
    firsts: dict[str, datetime] = {}
    for item in items:
        dev = item["label"]["development"]
        at = parse_time(item["published"])
        firsts[dev] = min(firsts.get(dev, at), at)
    order = sorted(firsts, key=lambda d: firsts[d])
    base = datetime(2030, 1, 1, tzinfo=UTC)
    start = {dev: base + timedelta(hours=gap_hours * i) for i, dev in enumerate(order)}
    spreads: dict[str, float] = defaultdict(float)
    for item in items:
        dev = item["label"]["development"]
        offset = (parse_time(item["published"]) - firsts[dev]).total_seconds()
        spreads[dev] = max(spreads[dev], offset)
    moved = []
    for item in items:
        dev = item["label"]["development"]
        scale = min(1.0, spread_hours * 3600 / spreads[dev]) if spreads[dev] else 1.0
        at = start[dev] + (parse_time(item["published"]) - firsts[dev]) * scale
        moved.append({**item, "published": at.isoformat()})
    return sorted(moved, key=lambda it: it["published"])


def bcubed(gold: dict[str, str], pred: dict[str, str]) -> tuple[float, float, float]:
    gold_sets: dict[str, set[str]] = defaultdict(set)
    pred_sets: dict[str, set[str]] = defaultdict(set)
    for item, cluster in gold.items():
        gold_sets[cluster].add(item)
    for item, cluster in pred.items():
        pred_sets[cluster].add(item)
    precision = recall = 0.0
    for item in gold:
        g, p = gold_sets[gold[item]], pred_sets[pred[item]]
        overlap = len(g & p)
        precision += overlap / len(p)
        recall += overlap / len(g)
    n = len(gold)
    precision, recall = precision / n, recall / n
    return precision, recall, 2 * precision * recall / (precision + recall)


def run(judge: Judge, items: list[Item], all_items: bool) -> dict[str, str]:
    memory = MemoryStore()
    store = cast(Store, memory)
    stories = []
    for n, item in enumerate(items):
        at = (
            parse_time(item["published"])
            if item.get("published")
            else datetime(2030, 1, 1, tzinfo=UTC)
        )
        stories.append(
            Story(
                n + 1,
                1,
                item.get("outlet", ""),
                item["id"],
                item.get("url", ""),
                item.get("title", ""),
                item.get("text", ""),
                at,
                at,
            )
        )
    pred: dict[str, str] = {}
    for story, item in zip(stories, items, strict=True):
        if all_items:
            judgements = asyncio.run(judge.judge_new_stories([story], store, None, story.seen_at))
        else:
            from news.records import Verdict

            judgements = judge.group([story], [Verdict(True, 1.0)], {}, store, story.seen_at)
        memory.save_judgements(judgements, story.seen_at)
        dev = judgements[0].development
        pred[item["id"]] = dev.id if dev else f"single:{item['id']}"
    return pred


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", default="tests/data/dev_part*.jsonl")
    parser.add_argument("--gap-hours", type=float, default=3.0)
    parser.add_argument("--all-items", action="store_true")
    parser.add_argument("--show", action="store_true", help="print the mistakes")
    parser.add_argument("params", nargs="*")
    args = parser.parse_args()
    overrides: dict[str, Any] = {}
    for pair in args.params:
        key, value = pair.split("=")
        overrides[key] = float(value) if "." in value else int(value)
    params = dataclasses.replace(GroupingParams(), **overrides)
    judge = Judge(load_profile("seeds/topic.toml"), JudgeConfig(grouping=params))
    items = [it for it in load_items(args.data) if it["label"].get("relevant")]
    for split in ("tune", "holdout", "all"):
        chosen = [it for it in items if split == "all" or it["label"].get("split") == split]
        if not chosen:
            continue
        gold = {it["id"]: it["label"]["development"] for it in chosen}
        for name, replay in (
            ("as dated", sorted(chosen, key=lambda i: i["published"])),
            (f"crowded {args.gap_hours:g}h", crowd(chosen, args.gap_hours)),
        ):
            pred = run(judge, replay, args.all_items)
            p, r, f = bcubed(gold, pred)
            print(
                f"{split:8} {name:12} n={len(chosen):4} devs={len(set(gold.values())):3} "
                f"P={p:.3f} R={r:.3f} F1={f:.3f}"
            )
            if args.show and split == "tune":  # never read holdout texts
                show(replay, gold, pred)


def show(items: list[Item], gold: dict[str, str], pred: dict[str, str]) -> None:
    first_pred: dict[str, str] = {}
    for item in items:
        g, p = gold[item["id"]], pred[item["id"]]
        mark = ""
        if p in first_pred and first_pred[p] != g:
            mark = f"WRONG-MERGE with {first_pred[p]}"
        elif p not in first_pred and any(
            gold[i] == g
            for i, pp in pred.items()
            if pp != p
            and i != item["id"]
            and items.index(next(x for x in items if x["id"] == i)) < items.index(item)
        ):
            mark = "MISSED-MERGE"
        first_pred.setdefault(p, g)
        if mark:
            print(f"   {mark:28} {g} {item['published'][:16]} {item['title'][:90]}")


if __name__ == "__main__":
    main()
