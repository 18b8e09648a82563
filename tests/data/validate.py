"""Check the labelled development set (tests/data/dev_*.jsonl) and print its counts.

Usage: python tests/data/validate.py [FILE ...]
With no FILE, every dev_*.jsonl beside this script is read. Exit status 0 when every line is
valid, 1 when any problem was found (each printed as `file:line: problem`), 2 when a file
cannot be read. Standard library only, so it runs without the project's venv.
"""

from __future__ import annotations

import html
import json
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

TEXT_FIELDS = ("id", "title", "text", "outlet", "url", "published")
KINDS = frozenset(
    {"proposal", "meeting", "agreement", "exchange", "statement", "rejection", "other"}
)
NEGATIVE_FAMILIES = frozenset(
    {
        "battlefield",
        "aid_weapons",
        "sanctions_assets",
        "other_peace_process",
        "us_russia_other",
        "domestic_politics",
        "energy_economy",
        "sports_culture",
        "unrelated",
    }
)
SPLITS = frozenset({"tune", "holdout"})
ITEM_ID = re.compile(r"^s\d{4}$")
DEVELOPMENT_ID = re.compile(r"^d\d{3}$")
TAG = re.compile(r"<[^>]+>")
SPACE = re.compile(r"\s+")
LONG_MIN_CHARS = 800
LONG_MAX_CHARS = 3000
REPORT_SPREAD = timedelta(hours=36)


@dataclass(frozen=True, slots=True)
class Item:
    """One valid line, reduced to what the set-wide checks and counts need."""

    item_id: str
    where: str
    relevant: bool
    development: str | None
    kind: str | None
    family: str
    split: str
    published_at: datetime | None
    text_chars: int
    has_html: bool
    key_facts: tuple[str, ...]


def plain_text(raw: str) -> str:
    """Text as a reader sees it: tags dropped, entities decoded, whitespace collapsed."""
    return SPACE.sub(" ", html.unescape(TAG.sub(" ", raw))).strip()


def parse_published(value: str) -> datetime | None:
    """An aware datetime from ISO 8601 text, or None when the text is empty or not ISO 8601."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


def check_label(label: dict[str, Any]) -> list[str]:
    """Problems with the `label` object of one line."""
    problems: list[str] = []
    relevant = label.get("relevant")
    if not isinstance(relevant, bool):
        return ["label.relevant must be true or false"]
    development, kind, family = label.get("development"), label.get("kind"), label.get("family")
    if relevant:
        if not (isinstance(development, str) and DEVELOPMENT_ID.match(development)):
            problems.append("relevant item needs label.development like 'd001'")
        if kind not in KINDS:
            problems.append(f"relevant item needs label.kind in {sorted(KINDS)}")
        if family != "talks":
            problems.append("relevant item needs label.family 'talks'")
    else:
        if development is not None or kind is not None:
            problems.append("irrelevant item needs label.development and label.kind null")
        if family not in NEGATIVE_FAMILIES:
            problems.append(f"irrelevant item needs label.family in {sorted(NEGATIVE_FAMILIES)}")
    if label.get("split") not in SPLITS:
        problems.append("label.split must be 'tune' or 'holdout'")
    facts = label.get("key_facts")
    if not (isinstance(facts, list) and all(isinstance(f, str) and f.strip() for f in facts)):
        problems.append("label.key_facts must be a list of non-empty strings")
    elif len(facts) > 3:
        problems.append("label.key_facts holds at most 3 strings")
    return problems


def check_line(obj: object, where: str) -> tuple[Item | None, list[str]]:
    """Validate one decoded line; return the reduced item (when valid) and the problems."""
    if not isinstance(obj, dict):
        return None, ["line is not a JSON object"]
    missing = [name for name in (*TEXT_FIELDS, "label") if name not in obj]
    if missing:
        return None, [f"missing fields: {', '.join(missing)}"]
    problems = [
        f"{name} must be a string" for name in TEXT_FIELDS if not isinstance(obj[name], str)
    ]
    label = obj["label"]
    if not isinstance(label, dict):
        problems.append("label must be an object")
    if problems:
        return None, problems
    problems = check_label(label)
    if not ITEM_ID.match(obj["id"]):
        problems.append("id must look like 's0001'")
    published_at = parse_published(obj["published"])
    if obj["published"] and published_at is None:
        problems.append("published must be ISO 8601 with a time zone")
    if problems:
        return None, problems
    text = plain_text(f"{obj['title']} {obj['text']}").lower()
    facts = tuple(label["key_facts"])
    problems = [
        f"key fact not in title+text: {fact!r}" for fact in facts if fact.lower() not in text
    ]
    body_chars = len(plain_text(obj["text"]))
    if body_chars >= LONG_MIN_CHARS and not facts:
        problems.append("long article needs key_facts")
    item = Item(
        item_id=obj["id"],
        where=where,
        relevant=label["relevant"],
        development=label["development"],
        kind=label["kind"],
        family=label["family"],
        split=label["split"],
        published_at=published_at,
        text_chars=body_chars,
        has_html=bool(TAG.search(obj["text"])),
        key_facts=facts,
    )
    return item, problems


def read_items(paths: list[Path]) -> tuple[list[Item], list[str]]:
    """Every valid item of every file, and the problems found line by line."""
    items: list[Item] = []
    problems: list[str] = []
    for path in paths:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            where = f"{path.name}:{number}"
            if not line.strip():
                problems.append(f"{where}: empty line")
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as error:
                problems.append(f"{where}: not JSON ({error.msg})")
                continue
            item, found = check_line(obj, where)
            problems.extend(f"{where}: {problem}" for problem in found)
            if item is not None:
                items.append(item)
    return items, problems


def check_set(items: list[Item]) -> list[str]:
    """Set-wide problems: duplicate ids, and one split and one kind per development."""
    problems: list[str] = []
    seen: dict[str, str] = {}
    for item in items:
        if item.item_id in seen:
            problems.append(f"{item.where}: id {item.item_id} already used at {seen[item.item_id]}")
        seen.setdefault(item.item_id, item.where)
    by_development: dict[str, list[Item]] = defaultdict(list)
    for item in items:
        if item.development is not None:
            by_development[item.development].append(item)
    for development, reports in sorted(by_development.items()):
        if len({report.split for report in reports}) > 1:
            problems.append(f"{development}: reports are in both splits")
        if len({report.kind for report in reports}) > 1:
            problems.append(f"{development}: reports carry different kinds")
    return problems


def spread_warnings(items: list[Item]) -> list[str]:
    """Developments whose reports lie further apart than REPORT_SPREAD (allowed, but rare)."""
    times: dict[str, list[datetime]] = defaultdict(list)
    for item in items:
        if item.development is not None and item.published_at is not None:
            times[item.development].append(item.published_at)
    return [
        f"{development}: reports span {max(stamps) - min(stamps)}"
        for development, stamps in sorted(times.items())
        if max(stamps) - min(stamps) > REPORT_SPREAD
    ]


def format_counter(title: str, counter: Counter[str]) -> str:
    """One line: the title, then `name=count` pairs sorted by name."""
    return f"{title}: " + ", ".join(f"{name}={count}" for name, count in sorted(counter.items()))


def summarise(items: list[Item]) -> list[str]:
    """Printable counts per family, kind and split, plus developments and long articles."""
    relevant = [item for item in items if item.relevant]
    developments: dict[str, Item] = {}
    for item in relevant:
        developments.setdefault(item.development or "", item)
    sizes = Counter(str(count) for count in Counter(item.development for item in relevant).values())
    long_items = [item for item in items if item.text_chars >= LONG_MIN_CHARS]
    return [
        f"items: {len(items)} (relevant {len(relevant)}, negative {len(items) - len(relevant)})",
        format_counter("families", Counter(item.family for item in items)),
        format_counter("kinds (reports)", Counter(item.kind or "" for item in relevant)),
        format_counter(
            "kinds (developments)", Counter(d.kind or "" for d in developments.values())
        ),
        format_counter("developments by report count", sizes),
        format_counter("splits (developments)", Counter(d.split for d in developments.values())),
        format_counter("splits (relevant items)", Counter(item.split for item in relevant)),
        format_counter(
            "splits (negatives)", Counter(item.split for item in items if not item.relevant)
        ),
        f"long articles (>= {LONG_MIN_CHARS} chars): {len(long_items)} "
        f"(relevant {sum(item.relevant for item in long_items)}, "
        f"over {LONG_MAX_CHARS}: {sum(item.text_chars > LONG_MAX_CHARS for item in long_items)})",
        f"html texts: {sum(item.has_html for item in items)}, "
        f"empty texts: {sum(item.text_chars == 0 for item in items)}",
    ]


def main(argv: list[str]) -> int:
    """Validate the given files (or every dev_*.jsonl here) and print problems and counts."""
    paths = [Path(arg) for arg in argv] or sorted(Path(__file__).parent.glob("dev_*.jsonl"))
    if not paths:
        print("no dev_*.jsonl files found", file=sys.stderr)
        return 2
    try:
        items, problems = read_items(paths)
    except (OSError, UnicodeDecodeError) as error:
        print(f"cannot read the data: {error}", file=sys.stderr)
        return 2
    problems.extend(check_set(items))
    for problem in problems:
        print(f"ERROR {problem}")
    for warning in spread_warnings(items):
        print(f"note {warning}")
    print(f"files: {', '.join(path.name for path in paths)}")
    for line in summarise(items):
        print(line)
    print("OK" if not problems else f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
