"""Measure talkwatch's news judgement on the labelled development set (tests/data/dev_*.jsonl).

Runs `talkwatch triage` as a subprocess (labels stripped from its input) and prints, beside their
targets with PASS/FAIL:
- relevance precision/recall/F1 (all, tune, holdout) and false positives per negative family;
- grouping B-cubed precision/recall/F1 over the gold-relevant items (all, tune, holdout); an item
  triage judged irrelevant counts as a singleton cluster;
- grouping B-cubed F1 on two "crowded calendar" replays, each beside a pure 48-hour window on
  it: developments are sorted by their first report and development k starts at T0 + k * gap;
  each report keeps its offset from its development's first report, scaled down when the
  development spans more than CROWD_SPREAD_HOURS so its spread fits; negatives are placed at
  the start of the slot of a development picked in turn. The harsh replay has gap =
  CROWD_GAP_HOURS (3 h); the calibrated one the gap (in half hours) at which the 48-hour
  window alone scores closest to CALIBRATED_WINDOW_F1 (0.6, the issue's crowded calendar);
- summary checks on relevant outputs: length <= 280, ending on whole-sentence punctuation, no
  boilerplate, key facts carried (every key fact, case-insensitive) by long-article summaries,
  beside the share of long articles where any whole-sentence summary could carry them all;
- speed: N stories (the set replicated with new ids, dates shifted by a week per copy and
  outlets rotated) through `talkwatch triage` as a whole process, in stories per second.

`--direct` measures relevance only, in-process through news.relevance (no triage needed).
`--json` prints one final JSON line with every figure. `--errors` lists misjudged tune items.
"""

from __future__ import annotations

import argparse
import glob
import html
import itertools
import json
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATA_GLOB = str(ROOT / "tests" / "data" / "dev_part*.jsonl")
INPUT_FIELDS = ("id", "title", "text", "outlet", "url", "published")
SPLITS = ("all", "tune", "holdout")
CROWD_GAP_HOURS = 3.0
CROWD_SPREAD_HOURS = 12.0
CALIBRATED_WINDOW_F1 = 0.6
CALIBRATION_STEP_HOURS = 0.5
WINDOW_HOURS = 48.0
SUMMARY_LIMIT = 280
LONG_ARTICLE_CHARS = 800
TARGETS = {
    "relevance.precision": 0.97,
    "relevance.recall": 0.93,
    "grouping.f1": 0.96,
    "crowded.f1": 0.90,
    "summary.key_facts": 0.80,
    "summary.within_limit": 1.0,
    "summary.whole_sentences": 1.0,
    "summary.no_boilerplate": 1.0,
    "speed.stories_per_second": 2000.0,
}
BOILERPLATE = (
    re.compile(
        r"appeared first on|read more|\bphoto:|photo credit|click here|subscribe to|"
        r"all rights reserved|getty images|\bfile photo\b|/tass/|\(reuters\)|\(ap\)|\(afp\)",
        re.IGNORECASE,
    ),
    re.compile(r"^By [A-Z][\w'.-]+(?: [A-Z][\w'.-]+)+"),  # byline
    re.compile(r"^[A-Z]{3,}[A-Z ]*, "),  # dateline such as "KYIV, March 3 -"
)
SENTENCE_END = re.compile(r"[.!?…][\"'”’»)\]]*$")
TAG = re.compile(r"<[^>]+>")
Item = dict[str, Any]
Output = dict[str, Any]


def load_items(pattern: str) -> list[Item]:
    items: list[Item] = []
    for path in sorted(glob.glob(pattern)):
        with open(path, encoding="utf-8") as handle:
            items += [json.loads(line) for line in handle if line.strip()]
    return items


def triage_command() -> list[str]:
    script = Path(sys.executable).with_name("talkwatch")
    return [str(script)] if script.exists() else [sys.executable, str(ROOT / "bot.py")]


def run_triage(items: Sequence[Item], command: Sequence[str]) -> tuple[dict[str, Output], float]:
    """Feed the stories (labels stripped) to triage; return its outputs by id and the wall time."""
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as handle:
        for item in items:
            handle.write(json.dumps({k: item.get(k, "") for k in INPUT_FIELDS}) + "\n")
        path = handle.name
    started = time.perf_counter()
    done = subprocess.run(
        [*command, "triage", path], capture_output=True, text=True, cwd=ROOT, check=False
    )
    elapsed = time.perf_counter() - started
    Path(path).unlink()
    if done.returncode != 0:
        raise SystemExit(f"triage failed ({done.returncode}): {done.stderr.strip()[-500:]}")
    outputs = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    return {str(o["id"]): o for o in outputs}, elapsed


def assess_direct(items: Sequence[Item]) -> dict[str, Output]:
    """Relevance only, in-process (for tuning the profile before triage exists)."""
    sys.path.insert(0, str(ROOT))
    from news.relevance import assess
    from news.topic import load_profile

    profile = load_profile(ROOT / "seeds" / "topic.toml")
    outputs: dict[str, Output] = {}
    for item in items:
        verdict = assess(item["title"], item["text"], profile)
        outputs[item["id"]] = {
            "relevant": verdict.relevant,
            "score": verdict.score,
            "why": list(verdict.reasons),
        }
    return outputs


def in_split(items: Iterable[Item], split: str) -> list[Item]:
    return [i for i in items if split == "all" or i["label"]["split"] == split]


def ratio(num: float, den: float) -> float:
    return num / den if den else 0.0


def f1(p: float, r: float) -> float:
    return ratio(2 * p * r, p + r)


def relevance_figures(items: Sequence[Item], outputs: dict[str, Output]) -> dict[str, Any]:
    figures: dict[str, Any] = {}
    for split in SPLITS:
        chosen = in_split(items, split)
        tp = sum(1 for i in chosen if i["label"]["relevant"] and outputs[i["id"]]["relevant"])
        fp = sum(1 for i in chosen if not i["label"]["relevant"] and outputs[i["id"]]["relevant"])
        fn = sum(1 for i in chosen if i["label"]["relevant"] and not outputs[i["id"]]["relevant"])
        p, r = ratio(tp, tp + fp), ratio(tp, tp + fn)
        figures[split] = {
            "precision": p,
            "recall": r,
            "f1": f1(p, r),
            "n": len(chosen),
            "fp": fp,
            "fn": fn,
        }
    leaks = Counter(
        i["label"]["family"]
        for i in items
        if not i["label"]["relevant"] and outputs[i["id"]]["relevant"]
    )
    figures["false_positives_by_family"] = dict(sorted(leaks.items()))
    return figures


def bcubed(pred: dict[str, str], gold: dict[str, str]) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 of clusterings `pred` and `gold` (item -> cluster)."""
    by_pred: dict[str, set[str]] = defaultdict(set)
    by_gold: dict[str, set[str]] = defaultdict(set)
    for item in gold:
        by_pred[pred[item]].add(item)
        by_gold[gold[item]].add(item)
    p = r = 0.0
    for item in gold:
        same = len(by_pred[pred[item]] & by_gold[gold[item]])
        p += same / len(by_pred[pred[item]])
        r += same / len(by_gold[gold[item]])
    n = len(gold) or 1
    return p / n, r / n, f1(p / n, r / n)


def predicted_clusters(items: Sequence[Item], outputs: dict[str, Output]) -> dict[str, str]:
    pred: dict[str, str] = {}
    for item in items:
        out = outputs[item["id"]]
        dev = out.get("development")
        pred[item["id"]] = f"d:{dev}" if out.get("relevant") and dev else f"single:{item['id']}"
    return pred


def grouping_figures(items: Sequence[Item], pred: dict[str, str]) -> dict[str, Any]:
    figures: dict[str, Any] = {}
    for split in SPLITS:
        chosen = [i for i in in_split(items, split) if i["label"]["relevant"]]
        gold = {i["id"]: i["label"]["development"] for i in chosen}
        p, r, f = bcubed(pred, gold)
        figures[split] = {"precision": p, "recall": r, "f1": f, "n": len(chosen)}
    return figures


def parse_time(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def crowded_calendar(items: Sequence[Item], gap_hours: float = CROWD_GAP_HOURS) -> list[Item]:
    """The same stories re-dated so that different developments start `gap_hours` apart."""
    by_dev: dict[str, list[Item]] = defaultdict(list)
    negatives: list[Item] = []
    for item in items:
        dev = item["label"]["development"]
        (by_dev[dev] if dev else negatives).append(item)
    order = sorted(by_dev, key=lambda d: min(parse_time(i["published"]) for i in by_dev[d]))
    start = datetime(2030, 1, 1, tzinfo=UTC)
    moved: list[Item] = []
    for k, dev in enumerate(order):
        first = min(parse_time(i["published"]) for i in by_dev[dev])
        spread = max((parse_time(i["published"]) - first).total_seconds() for i in by_dev[dev])
        scale = min(1.0, CROWD_SPREAD_HOURS * 3600 / spread) if spread else 1.0
        base = start + timedelta(hours=k * gap_hours)
        for item in by_dev[dev]:
            offset = (parse_time(item["published"]) - first) * scale
            moved.append({**item, "published": (base + offset).isoformat()})
    for n, item in enumerate(negatives):
        slot = (n * 7) % max(1, len(order))
        base = start + timedelta(hours=slot * gap_hours, minutes=30)
        moved.append({**item, "published": base.isoformat()})
    return sorted(moved, key=lambda i: parse_time(i["published"]))


def calibrated_gap(items: Sequence[Item], target: float = CALIBRATED_WINDOW_F1) -> float:
    """The spacing (a multiple of CALIBRATION_STEP_HOURS up to a window) at which a pure
    48-hour window scores closest to `target` over all gold-relevant items: the issue's crowded
    calendar, where "a 48-hour window by itself scores about 0.6"."""
    steps = range(1, int(WINDOW_HOURS / CALIBRATION_STEP_HOURS) + 1)
    gaps = [k * CALIBRATION_STEP_HOURS for k in steps]

    def distance(gap: float) -> float:
        crowded = crowded_calendar(items, gap)
        window = grouping_figures(crowded, window_clusters(crowded, WINDOW_HOURS))
        return abs(float(window["all"]["f1"]) - target)

    return min(gaps, key=distance)


def window_clusters(items: Sequence[Item], hours: float) -> dict[str, str]:
    """Baseline: gold-relevant items in time order, grouped while within `hours` of the first."""
    pred: dict[str, str] = {}
    opened: datetime | None = None
    cluster = 0
    for item in sorted(items, key=lambda i: parse_time(i["published"])):
        if not item["label"]["relevant"]:
            continue
        at = parse_time(item["published"])
        if opened is None or at - opened > timedelta(hours=hours):
            opened, cluster = at, cluster + 1
        pred[item["id"]] = f"w{cluster}"
    return pred


def plain_text(text: str) -> str:
    return " ".join(html.unescape(TAG.sub(" ", text)).split())


def has_boilerplate(summary: str) -> bool:
    return any(pattern.search(summary) for pattern in BOILERPLATE)


def summary_figures(items: Sequence[Item], outputs: dict[str, Output]) -> dict[str, Any]:
    summaries = [
        (i, str(outputs[i["id"]].get("summary") or ""))
        for i in items
        if outputs[i["id"]].get("relevant")
    ]
    written = [(i, s) for i, s in summaries if s]
    long_items = [
        (i, s)
        for i, s in summaries
        if i["label"]["relevant"]
        and i["label"]["key_facts"]
        and len(plain_text(i["text"])) >= LONG_ARTICLE_CHARS
    ]
    carried = [
        i["id"]
        for i, s in long_items
        if all(f.lower() in s.lower() for f in i["label"]["key_facts"])
    ]
    facts = [f.lower() in s.lower() for i, s in long_items for f in i["label"]["key_facts"]]
    reachable = sum(facts_reachable(i["text"], i["label"]["key_facts"]) for i, _ in long_items)
    return {
        "count": len(written),
        "empty": len(summaries) - len(written),
        "within_limit": ratio(sum(len(s) <= SUMMARY_LIMIT for _, s in written), len(written)),
        "whole_sentences": ratio(
            sum(bool(SENTENCE_END.search(s)) for _, s in written), len(written)
        ),
        "no_boilerplate": ratio(sum(not has_boilerplate(s) for _, s in written), len(written)),
        "key_facts": ratio(len(carried), len(long_items)),
        "key_fact_share": ratio(sum(facts), len(facts)),
        "key_facts_reachable": ratio(reachable, len(long_items)),
        "long_articles": len(long_items),
        "longest": max((len(s) for _, s in written), default=0),
    }


def facts_reachable(text: str, key_facts: Sequence[str], limit: int = SUMMARY_LIMIT) -> bool:
    """Could any summary of up to three of the text's first 16 whole sentences, within the
    limit, carry every key fact? (The ceiling for an extractive summary: key facts spread over
    sentences that do not fit together cannot all be carried.)"""
    sys.path.insert(0, str(ROOT))
    from news.sentences import clean_text, split_sentences

    sentences = [s for s in split_sentences(clean_text(text))[:16] if len(s) <= limit]
    wanted = [fact.lower() for fact in key_facts]
    for size in (1, 2, 3):
        for chosen in itertools.combinations(sentences, size):
            joined = " ".join(chosen)
            if len(joined) <= limit and all(fact in joined.lower() for fact in wanted):
                return True
    return False


def replicate(items: Sequence[Item], count: int) -> list[Item]:
    """`count` stories: copies of the set, new ids, dates a week later per copy, outlets rotated."""
    outlets = sorted({i["outlet"] for i in items}) or ["Outlet"]
    stories: list[Item] = []
    copy = 0
    while len(stories) < count:
        for n, item in enumerate(items):
            if len(stories) == count:
                break
            at = parse_time(item["published"]) + timedelta(days=7 * copy, minutes=n % 13)
            stories.append(
                {
                    **item,
                    "id": f"{item['id']}-{copy}",
                    "published": at.isoformat(),
                    "outlet": outlets[(n + copy) % len(outlets)],
                }
            )
        copy += 1
    return sorted(stories, key=lambda i: i["published"])


def verdict(name: str, value: float) -> str:
    target = TARGETS.get(name)
    if target is None:
        return ""
    return f"(target >= {target:g}: {'PASS' if value >= target else 'FAIL'})"


def print_prf(title: str, target_key: str, figures: dict[str, Any]) -> None:
    for split in SPLITS:
        f = figures[split]
        line = f"{title:<10} {split:<8} P {f['precision']:.3f}  R {f['recall']:.3f}  "
        line += f"F1 {f['f1']:.3f}  n={f['n']}"
        if target_key == "relevance":
            line += f"  {verdict('relevance.precision', f['precision'])}"
            line += f" {verdict('relevance.recall', f['recall'])}"
        else:
            line += f"  {verdict(target_key + '.f1', f['f1'])}"
        print(line)


def list_errors(items: Sequence[Item], outputs: dict[str, Output], holdout: bool) -> None:
    for item in items:
        if item["label"]["split"] == "holdout" and not holdout:
            continue
        out = outputs[item["id"]]
        if out["relevant"] != item["label"]["relevant"]:
            kind = "FP" if out["relevant"] else "FN"
            print(
                f"{kind} {item['id']} [{item['label']['family']}] score={out['score']}"
                f" {item['title'][:100]!r}\n    why: {'; '.join(out.get('why', []))}"
            )


def measure(args: argparse.Namespace, items: list[Item]) -> dict[str, Any]:
    figures: dict[str, Any] = {"items": len(items)}
    outputs = assess_direct(items) if args.direct else run_triage(items, args.command)[0]
    figures["relevance"] = relevance_figures(items, outputs)
    print_prf("relevance", "relevance", figures["relevance"])
    print(f"false positives by family: {figures['relevance']['false_positives_by_family']}")
    if args.errors:
        list_errors(items, outputs, args.holdout)
    if args.direct:
        return figures
    figures["grouping"] = grouping_figures(items, predicted_clusters(items, outputs))
    print_prf("grouping", "grouping", figures["grouping"])
    figures["crowded"] = measure_crowded(items, args.command)
    figures["crowded_calibrated"] = measure_crowded(items, args.command, calibrated_gap(items))
    figures["summary"] = summary_figures(items, outputs)
    print_summaries(figures["summary"])
    if args.speed:
        figures["speed"] = measure_speed(items, args.speed, args.command)
    return figures


def measure_crowded(
    items: Sequence[Item], command: Sequence[str], gap_hours: float = CROWD_GAP_HOURS
) -> dict[str, Any]:
    """Grouping F1 on the replay with developments `gap_hours` apart, beside the window's."""
    crowded = crowded_calendar(items, gap_hours)
    outputs, _ = run_triage(crowded, command)
    crowd = grouping_figures(crowded, predicted_clusters(crowded, outputs))
    window = grouping_figures(crowded, window_clusters(crowded, WINDOW_HOURS))
    for split in SPLITS:
        print(
            f"crowded {gap_hours:>4g}h {split:<8} F1 {crowd[split]['f1']:.3f} "
            f"{verdict('crowded.f1', crowd[split]['f1'])}  "
            f"(48h window alone: {window[split]['f1']:.3f})"
        )
    return {"gap_hours": gap_hours, "triage": crowd, "window_48h": window}


def print_summaries(s: dict[str, Any]) -> None:
    print(f"summaries  {s['count']} written, {s['empty']} empty, longest {s['longest']} chars")
    for key in ("within_limit", "whole_sentences", "no_boilerplate", "key_facts"):
        print(f"summaries  {key:<16} {s[key]:.3f} {verdict('summary.' + key, s[key])}")
    print(
        f"summaries  ({s['long_articles']} long articles; key_facts = share carrying every key "
        f"fact; single facts carried: {s['key_fact_share']:.3f}; every key fact reachable by "
        f"some whole-sentence summary within the limit: {s['key_facts_reachable']:.3f})"
    )


def measure_speed(items: Sequence[Item], count: int, command: Sequence[str]) -> dict[str, Any]:
    stories = replicate(items, count)
    _, elapsed = run_triage(stories, command)
    rate = len(stories) / elapsed
    print(
        f"speed      {len(stories)} stories in {elapsed:.2f} s: {rate:.0f} stories/s "
        f"{verdict('speed.stories_per_second', rate)}"
    )
    return {"stories": len(stories), "seconds": elapsed, "stories_per_second": rate}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=DATA_GLOB, help="glob of labelled JSON lines files")
    parser.add_argument("--direct", action="store_true", help="relevance only, in-process")
    parser.add_argument(
        "--speed", type=int, default=10_000, metavar="N", help="stories for the speed run (0: skip)"
    )
    parser.add_argument("--errors", action="store_true", help="list misjudged tune items")
    parser.add_argument("--holdout", action="store_true", help="with --errors: holdout too")
    parser.add_argument("--json", action="store_true", help="print a final JSON line")
    args = parser.parse_args(argv)
    args.command = triage_command()
    items = load_items(args.data)
    if not items:
        print(f"no labelled items match {args.data}", file=sys.stderr)
        return 2
    figures = measure(args, items)
    if args.json:
        print(json.dumps(figures, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
