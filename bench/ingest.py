"""Ingestion benchmark: talkwatch's check cycle against the `reader` library, as whole processes.

    .venv/bin/python bench/ingest.py [--feeds 200] [--items 50] [--json]

Serves N feeds of M realistic items (half RSS 2.0, half Atom) on a loopback aiohttp server, then
times, each as a separate process with start-up included:
  cold:  `talkwatch check --once --dry-run` on a fresh database (every item new, judged)
  warm:  the same command again (every feed answers 304)
  reader cold / warm: a script running reader's `update_feeds(scheduled=False)` on the same feeds.
Peak memory is the proportional set size (PSS) summed over the process and its children,
sampled every 20 ms. Article-page fetching is off (reader does not fetch pages either).
With --json the last line is one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sqlite3
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from statistics import median

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.harness import Measured, ServedFeeds, run_measured, talkwatch_command  # noqa: E402
from news.parse import parse_feed  # noqa: E402

TALKS = [
    "Ukraine offers Russia new round of peace talks next week",
    "Kremlin says it is studying Kyiv's proposal for talks in Istanbul",
    "Zelensky: delegation ready to meet Russian negotiators",
    "Russia and Ukraine agree prisoner exchange after Istanbul meeting",
    "Security council secretary passes on talks offer to Moscow",
    "US envoy to join Ukraine-Russia ceasefire negotiations",
]
OTHER = [
    "Central bank holds interest rates steady amid inflation worries",
    "Storm brings heavy snow to northern regions, flights cancelled",
    "Tech company unveils new smartphone with longer battery life",
    "Football club signs striker in record transfer deal",
    "Parliament debates new budget as opposition walks out",
    "Researchers find new species of frog in mountain forest",
    "City council approves plan for riverside housing project",
    "Oil prices edge higher as supply concerns grow",
    "Film festival opens with premiere of historical drama",
    "Health ministry reports rise in seasonal flu cases",
]
SENTENCE = (
    "the minister said on tuesday that officials would meet again next week to discuss the "
    "proposal according to a statement published by the office which added that talks had "
    "been constructive while critics warned the plan lacked detail and funding from partners"
)
WORDS = SENTENCE.split(" ")


def paragraph(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def item_fields(rng: random.Random, feed: int, item: int, now: datetime) -> dict[str, str]:
    pool = TALKS if rng.random() < 0.1 else OTHER
    title = f"{rng.choice(pool)} ({feed}-{item})"
    published = now - timedelta(minutes=rng.randint(1, 600))
    paragraphs = [paragraph(rng, rng.randint(30, 70)) for _ in range(rng.randint(2, 5))]
    return {
        "title": title,
        "link": f"https://news{feed}.example/world/{feed}-{item}?utm_source=rss",
        "id": f"news{feed}-{item}",
        "summary": paragraphs[0],
        "lead": "".join(f"<p>{text}</p>" for text in paragraphs[:2]),
        "html": "".join(f"<p>{text}</p>" for text in paragraphs),
        "published": published.isoformat(),
        "rfc822": published.strftime("%a, %d %b %Y %H:%M:%S +0000"),
    }


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def rss_feed(rng: random.Random, feed: int, items: int, now: datetime) -> bytes:
    parts = []
    for n in range(items):
        f = item_fields(rng, feed, n, now)
        parts.append(
            f"<item><title>{escape(f['title'])}</title><link>{escape(f['link'])}</link>"
            f'<guid isPermaLink="false">{f["id"]}</guid><pubDate>{f["rfc822"]}</pubDate>'
            f"<dc:creator>Reporter {n % 7}</dc:creator>"
            f"<description>{escape(f['lead'])}</description>"
            f'<media:thumbnail url="https://news{feed}.example/img/{n}.jpg"/></item>'
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:media="http://search.yahoo.com/mrss/">'
        f"<channel><title>News {feed}</title><link>https://news{feed}.example/</link>"
        f"<description>World news</description>{''.join(parts)}</channel></rss>\n"
    ).encode()


def atom_feed(rng: random.Random, feed: int, items: int, now: datetime) -> bytes:
    parts = []
    for n in range(items):
        f = item_fields(rng, feed, n, now)
        parts.append(
            f"<entry><id>tag:news{feed}.example,2026:{f['id']}</id>"
            f"<title>{escape(f['title'])}</title>"
            f'<link rel="alternate" type="text/html" href="{escape(f["link"])}"/>'
            f"<published>{f['published']}</published><updated>{f['published']}</updated>"
            f"<author><name>Writer {n % 5}</name></author>"
            f"<summary>{escape(f['summary'])}</summary>"
            f'<content type="html">{escape(f["html"])}</content></entry>'
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>Wire {feed}</title><id>tag:news{feed}.example,2026:feed</id>"
        f"<updated>{now.isoformat()}</updated>{''.join(parts)}</feed>\n"
    ).encode()


def build_feeds(count: int, items: int, now: datetime) -> dict[str, tuple[bytes, str]]:
    rng = random.Random(20261125)
    feeds: dict[str, tuple[bytes, str]] = {}
    for feed in range(count):
        if feed % 2 == 0:
            feeds[f"/feeds/{feed}.rss"] = (rss_feed(rng, feed, items, now), "application/rss+xml")
        else:
            feeds[f"/feeds/{feed}.atom"] = (
                atom_feed(rng, feed, items, now),
                "application/atom+xml",
            )
    return feeds


READER_SCRIPT = textwrap.dedent(
    """
    import sys
    from reader import make_reader
    db, urls_file = sys.argv[1], sys.argv[2]
    reader = make_reader(db)
    for url in open(urls_file).read().split():
        reader.add_feed(url, exist_ok=True)
    reader.update_feeds(scheduled=False, workers=10)
    print(reader.get_entry_counts().total)
    reader.close()
    """
)


def count_stories(db_path: Path) -> int:
    with sqlite3.connect(db_path) as connection:
        row = connection.execute("SELECT count(*) FROM stories").fetchone()
    return int(row[0])


def run_talkwatch(work: Path, feeds_file: Path, db: Path) -> Measured:
    env = {
        "TALKWATCH_DB": str(db),
        "TALKWATCH_FEEDS": str(feeds_file),
        "TALKWATCH_TOPIC": str(ROOT / "seeds" / "topic.toml"),
        "TALKWATCH_FETCH_ARTICLES": "false",
        "TALKWATCH_LOG_LEVEL": "WARNING",
    }
    return run_measured(talkwatch_command("check", "--once", "--dry-run"), env, work)


def run_reader(work: Path, urls_file: Path, db: Path) -> Measured:
    script = work / "reader_update.py"
    script.write_text(READER_SCRIPT)
    return run_measured([sys.executable, str(script), str(db), str(urls_file)], {}, work)


@dataclass(frozen=True, slots=True)
class Round:
    cold: Measured
    warm: Measured
    reader_cold: Measured
    reader_warm: Measured
    stories: int
    reader_stories: int
    cold_200s: int
    warm_304s: int


def run_round(work: Path, served: ServedFeeds, number: int) -> Round:
    """Cold then warm talkwatch on a fresh database, then reader's cold and warm update."""
    db = work / f"talkwatch-{number}.db"
    before_200 = served.count(200)
    cold = run_talkwatch(work, work / "feeds.toml", db)
    cold.check()
    cold_200s = served.count(200) - before_200
    before_304 = served.count(304)
    warm = run_talkwatch(work, work / "feeds.toml", db)
    warm.check()
    warm_304s = served.count(304) - before_304
    reader_db = work / f"reader-{number}.sqlite"
    reader_cold = run_reader(work, work / "urls.txt", reader_db)
    reader_cold.check()
    reader_warm = run_reader(work, work / "urls.txt", reader_db)
    reader_warm.check()
    reader_stories = int(reader_cold.stdout.strip() or 0)
    return Round(
        cold,
        warm,
        reader_cold,
        reader_warm,
        count_stories(db),
        reader_stories,
        cold_200s,
        warm_304s,
    )


def report_line(label: str, runs: list[Measured], stories: int | None = None) -> str:
    wall = median(run.wall_s for run in runs)
    pss = max(run.peak_pss_mb for run in runs)
    rate = f"{stories / wall:8.0f} stories/s" if stories else " " * 18
    count = f"{stories:6d} stories" if stories is not None else " " * 14
    return f"{label:12} {wall:7.2f} s  {count}  {rate}  peak PSS {pss:6.1f} MB"


def parse_in_pool(executor: Executor, feeds: dict[str, tuple[bytes, str]], now: datetime) -> None:
    async def gather() -> None:
        loop = asyncio.get_running_loop()
        jobs = [
            loop.run_in_executor(executor, parse_feed, body, {"content-type": kind}, path, now)
            for path, (body, kind) in feeds.items()
        ]
        await asyncio.gather(*jobs)

    asyncio.run(gather())


def compare_parse_modes(feeds: dict[str, tuple[bytes, str]], now: datetime, rounds: int) -> None:
    """Time parse_feed over every feed: inline, one thread, the default thread pool, 2 processes
    (pool start-up and pickling included); medians of `rounds`."""
    modes: dict[str, Callable[[], None]] = {
        "inline": lambda: _inline(feeds, now),
        "1 thread": lambda: _with_pool(ThreadPoolExecutor(1), feeds, now),
        "thread pool": lambda: _with_pool(ThreadPoolExecutor(), feeds, now),
        "2 processes": lambda: _with_pool(ProcessPoolExecutor(2), feeds, now),
    }
    timings: dict[str, list[float]] = {name: [] for name in modes}
    for _ in range(rounds):
        for name, run in modes.items():
            started = time.perf_counter()
            run()
            timings[name].append(time.perf_counter() - started)
    for name, values in timings.items():
        print(f"parse {len(feeds)} feeds, {name:12} {median(values):6.3f} s")


def _inline(feeds: dict[str, tuple[bytes, str]], now: datetime) -> None:
    for path, (body, kind) in feeds.items():
        parse_feed(body, {"content-type": kind}, path, now)


def _with_pool(executor: Executor, feeds: dict[str, tuple[bytes, str]], now: datetime) -> None:
    with executor:
        parse_in_pool(executor, feeds, now)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--items", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=1, help="runs of each; medians reported")
    parser.add_argument("--json", action="store_true", help="print one JSON object last")
    parser.add_argument(
        "--parse-modes", action="store_true", help="only compare where parse_feed runs"
    )
    args = parser.parse_args(argv)
    now = datetime.now(UTC)
    feeds = build_feeds(args.feeds, args.items, now)
    if args.parse_modes:
        compare_parse_modes(feeds, now, max(args.repeat, 3))
        return 0
    size_mb = sum(len(body) for body, _ in feeds.values()) / 1e6
    print(f"serving {args.feeds} feeds x {args.items} items ({size_mb:.1f} MB) on loopback")
    with tempfile.TemporaryDirectory() as tmp, ServedFeeds(feeds) as served:
        work = Path(tmp)
        urls = [served.url(path) for path in feeds]
        (work / "feeds.toml").write_text(
            "".join(
                f'[[feeds]]\nname = "Feed {n}"\nurl = "{url}"\n\n' for n, url in enumerate(urls)
            )
        )
        (work / "urls.txt").write_text("\n".join(urls))
        rounds = [run_round(work, served, number) for number in range(max(args.repeat, 1))]
    stories, reader_stories = rounds[0].stories, rounds[0].reader_stories
    cold = [r.cold for r in rounds]
    warm = [r.warm for r in rounds]
    reader_cold = [r.reader_cold for r in rounds]
    reader_warm = [r.reader_warm for r in rounds]
    print(report_line("cold", cold, stories) + f"  ({rounds[0].cold_200s} x 200)")
    print(report_line("warm", warm) + f"  ({rounds[0].warm_304s} x 304)")
    print(report_line("reader cold", reader_cold, reader_stories))
    print(report_line("reader warm", reader_warm))
    cold_s = median(run.wall_s for run in cold)
    reader_cold_s = median(run.wall_s for run in reader_cold)
    speedup = reader_cold_s / cold_s
    print(f"cold cycle is {speedup:.2f}x reader's update (target >= 1.5x); median of {len(rounds)}")
    if args.json:
        result = {
            "feeds": args.feeds,
            "items": args.items,
            "rounds": len(rounds),
            "stories": stories,
            "cold_s": round(cold_s, 3),
            "warm_s": round(median(run.wall_s for run in warm), 3),
            "reader_cold_s": round(reader_cold_s, 3),
            "reader_warm_s": round(median(run.wall_s for run in reader_warm), 3),
            "speedup_vs_reader": round(speedup, 2),
            "stories_per_s": round(stories / cold_s, 1),
            "peak_pss_mb": round(max(run.peak_pss_mb for run in cold + warm), 1),
            "reader_peak_pss_mb": round(
                max(run.peak_pss_mb for run in reader_cold + reader_warm), 1
            ),
            "warm_304s": rounds[0].warm_304s,
        }
        print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
