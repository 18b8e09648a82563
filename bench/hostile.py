"""Hostile-feed benchmark: one `talkwatch check --once --dry-run` over the hostile corpus.

    .venv/bin/python bench/hostile.py [--good 5] [--timeout SECONDS] [--json]

Serves every case of tests/hostile.py (entity bombs, external entities, oversize bodies, gzip
bombs, servers that stall or trickle, redirect loops, broken encodings, 30,000 items...) plus a
few good feeds on loopback, runs the check as a separate process with the default settings
(or --timeout for the fetch timeout), and reports wall time, peak resident memory summed over
the process tree, each feed's recorded status, and whether every good feed's stories came
through. Targets: under 120 s and under 300 MB.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.harness import ServedFeeds, run_measured, talkwatch_command  # noqa: E402
from settings import Settings  # noqa: E402
from tests.feedserver import FeedServer  # noqa: E402
from tests.hostile import HostileCase, install_corpus  # noqa: E402

GOOD_ITEMS = 10


def good_feed(number: int, now: datetime) -> bytes:
    items = "".join(
        f"<item><title>Good feed {number} story {n}: envoys discuss talks schedule</title>"
        f"<link>https://good{number}.example/story/{n}</link><guid>good{number}-{n}</guid>"
        f"<pubDate>{(now - timedelta(minutes=5 * n + 1)).strftime('%a, %d %b %Y %H:%M:%S +0000')}"
        f"</pubDate><description>Story {n} of a good feed, served beside hostile ones."
        "</description></item>"
        for n in range(GOOD_ITEMS)
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Good {number}'
        f"</title><link>https://good{number}.example/</link>{items}</channel></rss>"
    ).encode()


def feed_rows(db_path: Path) -> dict[str, tuple[int | None, str | None, int]]:
    """url -> (last status, last error, stories stored)."""
    with sqlite3.connect(db_path) as connection:
        rows = connection.execute(
            "SELECT f.url, f.last_status, f.last_error, count(s.id) FROM feeds f "
            "LEFT JOIN stories s ON s.feed_id = f.id GROUP BY f.id"
        ).fetchall()
    return {url: (status, error, count) for url, status, error, count in rows}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--good", type=int, default=5, help="good feeds served beside the corpus")
    parser.add_argument("--timeout", type=float, help="fetch timeout (default: talkwatch's)")
    parser.add_argument("--json", action="store_true", help="print one JSON object last")
    args = parser.parse_args(argv)
    cap = Settings().max_body_bytes
    now = datetime.now(UTC)
    good = {f"/good/{n}.xml": (good_feed(n, now), "application/rss+xml") for n in range(args.good)}

    def install(server: FeedServer) -> list[HostileCase]:
        return install_corpus(server, cap)

    with tempfile.TemporaryDirectory() as tmp, ServedFeeds(good, install) as served:
        work = Path(tmp)
        cases: list[HostileCase] = served.installed  # type: ignore[assignment]
        urls = {case.name: served.url(case.path) for case in cases}
        urls.update({path: served.url(path) for path in good})
        (work / "feeds.toml").write_text(
            "".join(f'[[feeds]]\nname = "{name}"\nurl = "{url}"\n\n' for name, url in urls.items())
        )
        env = {
            "TALKWATCH_DB": str(work / "hostile.db"),
            "TALKWATCH_FEEDS": str(work / "feeds.toml"),
            "TALKWATCH_TOPIC": str(ROOT / "seeds" / "topic.toml"),
            "TALKWATCH_FETCH_ARTICLES": "false",
            "TALKWATCH_LOG_LEVEL": "ERROR",
        }
        if args.timeout:
            env["TALKWATCH_FETCH_TIMEOUT_SECONDS"] = str(args.timeout)
        run = run_measured(talkwatch_command("check", "--once", "--dry-run"), env, work)
        run.check()
        rows = feed_rows(work / "hostile.db")
        dtd_hits = served.server.hits("/hostile-evil.dtd") if served.server else -1

    for case in cases:
        status, error, stories = rows[urls[case.name]]
        outcome = error or f"{stories} stories"
        print(f"{case.name:44} {case.expect:11} {status!s:>4}  {outcome[:90]}")
    good_counts = [rows[urls[path]][2] for path in good]
    good_ok = all(count == GOOD_ITEMS for count in good_counts)
    verdict = "ok" if good_ok else "MISSING"
    print(f"good feeds: {good_counts} stories (each should be {GOOD_ITEMS}): {verdict}")
    print(f"DTD fetched from the network: {dtd_hits} times (must be 0)")
    print(
        f"{len(cases)} hostile + {len(good)} good feeds: {run.wall_s:.1f} s (target < 120 s), "
        f"peak RSS {run.peak_rss_mb:.0f} MB summed over the tree (target < 300 MB), "
        f"peak PSS {run.peak_pss_mb:.0f} MB"
    )
    if args.json:
        result = {
            "hostile_feeds": len(cases),
            "good_feeds": len(good),
            "wall_s": round(run.wall_s, 2),
            "peak_rss_mb": round(run.peak_rss_mb, 1),
            "peak_pss_mb": round(run.peak_pss_mb, 1),
            "good_stories_ok": good_ok,
            "dtd_fetches": dtd_hits,
        }
        print(json.dumps(result))
    return 0 if good_ok and dtd_hits == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
