"""`talkwatch triage FILE`: judge JSON lines of stories exactly as the live pipeline would.

Each input line is {"id", "title", "text", "outlet", "url", "published"} (only `id` required;
`published` ISO 8601, naive meaning UTC). Lines are taken in order, as if they arrived in that
order: each is stored as a story of a pseudo-feed named after its outlet in an SqliteStore (an
in-memory database, or `--db`), then judged by the live `Judge` with no page fetching. One JSON
line per input goes to stdout: {"id", "relevant", "score", "development", "kind", "summary",
"why"}. A malformed line is reported on stderr with its number and skipped. Exit 0, or 2 when the
input, the topic profile or the database cannot be opened.

Lines are judged in batches for speed; a batch gives the same result as one line at a time,
since the Judge groups each story with the developments created before it in the batch. A line
without a date is taken as reported at the previous dated line's time (it arrived right after).
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import sys
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import IO, Any
from uuid import uuid4

from news.entries import RawEntry, normalise_entry
from news.errors import TopicError
from news.judging import Judge
from news.records import Entry, FeedSource, FetchedBody, Story
from news.store import Judgement
from settings import Settings
from storage.schema import StorageError, open_database
from storage.store import SqliteStore

EXIT_ERROR = 2
BATCH_LINES = 2500
FEED_PREFIX = "triage:"
_FIELDS = ("title", "text", "outlet", "url", "published")
_FAR_FUTURE = datetime(9999, 1, 1, tzinfo=UTC)
_NO_BASELINE = datetime(1, 1, 1, tzinfo=UTC)
_FETCHED = FetchedBody(200, b"", {}, "", None, None)


class LineError(ValueError):
    """A malformed input line; the message says what is wrong."""


@dataclass(frozen=True, slots=True)
class Line:
    """One valid input line."""

    number: int
    id: str | int
    title: str
    text: str
    outlet: str
    url: str
    published_at: datetime | None


def parse_line(raw: str, number: int) -> Line:
    """A valid line, or `LineError` naming the problem."""
    try:
        data: Any = json.loads(raw)
    except ValueError as exc:
        raise LineError(f"not valid JSON ({exc.args[0] if exc.args else exc})") from None
    if not isinstance(data, dict):
        raise LineError("not a JSON object")
    story_id = data.get("id")
    if isinstance(story_id, bool) or not isinstance(story_id, (str, int)) or story_id == "":
        raise LineError('"id" is missing or not a string or number')
    values: dict[str, str] = {}
    for name in _FIELDS:
        value = data.get(name)
        if value is not None and not isinstance(value, str):
            raise LineError(f'"{name}" must be a string')
        values[name] = _valid_text(value or "")
    return Line(
        number,
        story_id,
        values["title"],
        values["text"],
        values["outlet"].strip(),
        values["url"].strip(),
        parse_published(values["published"]),
    )


def _valid_text(value: str) -> str:
    """The text with lone surrogates (from "\\ud800" escapes) replaced, so it can be stored."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return value.encode("utf-8", "replace").decode("utf-8")
    return value


def parse_published(value: str) -> datetime | None:
    """An aware UTC time from ISO 8601 (naive means UTC), None when empty; else LineError."""
    text = value.strip()
    if not text:
        return None
    if text[-1:] in "zZ":
        text = text[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise LineError(f'"published" is not an ISO 8601 date: {value[:40]!r}') from None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def to_entry(line: Line, now: datetime) -> Entry | None:
    """The entry the feed parser would have made of this line (None when it has nothing)."""
    entry_id = _valid_text(f"{line.number}:{line.id}")
    raw = RawEntry(id=entry_id, link=line.url, title=line.title, texts=(line.text,))
    entry = normalise_entry(raw, "", now)
    return replace(entry, published_at=line.published_at) if entry else None


class TriageRun:
    """Stores and judges batches of lines, keeping the pseudo-feeds and the clock of arrival."""

    def __init__(self, judge: Judge, store: SqliteStore, out: IO[str]) -> None:
        self.judge = judge
        self.store = store
        self.out = out
        self.feeds: dict[str, int] = {}
        self.last_reported_at: datetime | None = None
        self.duplicates = 0
        self._dup_prefix = uuid4().hex[:6]

    async def judge_batch(self, lines: list[Line]) -> None:
        now = datetime.now(UTC)
        stories = self._store(lines, now)
        present = [story for story in stories if story is not None]
        judgements = await self.judge.judge_new_stories(present, self.store, None, now)
        self.store.save_judgements(judgements, now, queue_deliveries=False)
        by_story = {judgement.story_id: judgement for judgement in judgements}
        rendered = []
        for line, story in zip(lines, stories, strict=True):
            found = by_story.get(story.id) if story is not None else None
            rendered.append(_json_line(render(line, found)))
        self.out.write("".join(rendered))
        self.out.flush()

    def _store(self, lines: list[Line], now: datetime) -> list[Story | None]:
        """Store the lines as stories (grouped by outlet, then the duplicates in line order, one
        transaction each), returned in the lines' order."""
        pairs = [(line, self._feed_id(line.outlet), to_entry(line, now)) for line in lines]
        by_feed: dict[int, list[Entry]] = {}
        for _, feed_id, entry in pairs:
            if entry is not None:
                by_feed.setdefault(feed_id, []).append(entry)
        grouped = [(feed_id, entry) for feed_id, entries in by_feed.items() for entry in entries]
        recorded = self._record(grouped, now)
        again = [
            (feed_id, entry)
            for _, feed_id, entry in pairs
            if entry is not None and (feed_id, entry.entry_id) not in recorded
        ]
        duplicates = self._record_again(again, now)
        stories: list[Story | None] = []
        for _, feed_id, entry in pairs:
            if entry is None:
                stories.append(None)
                continue
            key = (feed_id, entry.entry_id)
            story = recorded.get(key) or duplicates[key]
            if story.published_at is not None:
                self.last_reported_at = story.published_at
            elif self.last_reported_at is not None:
                story = replace(story, seen_at=self.last_reported_at)
            stories.append(story)
        return stories

    def _record(
        self, items: list[tuple[int, Entry]], now: datetime
    ) -> dict[tuple[int, str], Story]:
        new = self.store.record_entries_of_feeds(items, _FETCHED, now, _FAR_FUTURE, _NO_BASELINE)
        return {(story.feed_id, story.entry_id): story for story in new}

    def _record_again(
        self, items: list[tuple[int, Entry]], now: datetime
    ) -> dict[tuple[int, str], Story]:
        """Store duplicates (their URL or id is already stored) under new ids, without their
        URLs, so that they are judged like any other line; keyed by their original ids."""
        if not items:
            return {}
        first = self.duplicates
        self.duplicates += len(items)
        prefix = self._dup_prefix  # random per run, so a reused --db never sees the id again
        renamed = [
            (feed_id, replace(entry, entry_id=f"{entry.entry_id}#dup-{prefix}{n:06x}", url=""))
            for n, (feed_id, entry) in enumerate(items, start=first)
        ]
        new = self.store.record_entries_of_feeds(renamed, _FETCHED, now, _FAR_FUTURE, _NO_BASELINE)
        return {
            (feed_id, entry.entry_id): replace(story, url=entry.url)
            for (feed_id, entry), story in zip(items, new, strict=True)
        }

    def _feed_id(self, outlet: str) -> int:
        name = outlet or "(no outlet)"
        if name in self.feeds:
            return self.feeds[name]
        kept = [FeedSource(f.name, f.url, f.label) for f in self.store.list_feeds()]
        url = FEED_PREFIX + name
        states = self.store.sync_feeds([*kept, FeedSource(name, url, "triage")])
        feed_id = next(state.id for state in states if state.url == url)
        now = datetime.now(UTC)
        self.store.record_entries(feed_id, _FETCHED, [], now, _FAR_FUTURE, _NO_BASELINE)
        self.feeds[name] = feed_id
        return feed_id


_READABLE = json.JSONEncoder(ensure_ascii=False)
_ASCII = json.JSONEncoder()


def _json_line(data: dict[str, Any]) -> str:
    """One JSON line; non-ASCII kept readable unless an id holds a lone surrogate."""
    text = _READABLE.encode(data)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = _ASCII.encode(data)
    return text + "\n"


def render(line: Line, judgement: Judgement | None) -> dict[str, Any]:
    """The output line for one input line."""
    if judgement is None:
        return {
            "id": line.id,
            "relevant": False,
            "score": 0.0,
            "development": None,
            "kind": "other",
            "summary": "",
            "why": ["nothing to judge: no title, text or link"],
        }
    dev = judgement.development
    return {
        "id": line.id,
        "relevant": judgement.verdict.relevant,
        "score": judgement.verdict.score,
        "development": dev.id if dev else None,
        "kind": dev.kind if dev else "other",
        "summary": judgement.summary or (dev.summary if dev else ""),
        "why": [*judgement.verdict.reasons, *judgement.notes],
    }


def read_lines(stream: IO[str], errors: IO[str]) -> Iterator[Line]:
    """Valid lines in order; malformed ones reported on `errors` with their number."""
    for number, raw in enumerate(stream, start=1):
        if not raw.strip():
            continue
        try:
            yield parse_line(raw, number)
        except LineError as exc:
            errors.write(f"talkwatch triage: line {number}: {exc}; skipped\n")


async def run(stream: IO[str], judge: Judge, store: SqliteStore, out: IO[str]) -> None:
    triage = TriageRun(judge, store, out)
    batch_size = 1 if stream.isatty() else BATCH_LINES
    batch: list[Line] = []
    for line in read_lines(stream, sys.stderr):
        batch.append(line)
        if len(batch) >= batch_size:
            await triage.judge_batch(batch)
            batch = []
    if batch:
        await triage.judge_batch(batch)


def main(args: argparse.Namespace, settings: Settings) -> int:
    try:
        judge = Judge.from_settings(settings)
    except TopicError as exc:
        print(f"talkwatch triage: {exc}", file=sys.stderr)
        return EXIT_ERROR
    with ExitStack() as stack:
        try:
            stream: IO[str] = (
                io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8-sig", errors="replace")
                if args.file == "-"
                else stack.enter_context(open(args.file, encoding="utf-8-sig", errors="replace"))
            )
            db = open_database(args.db or ":memory:")
        except OSError as exc:
            print(f"talkwatch triage: cannot read {args.file}: {exc.strerror}", file=sys.stderr)
            return EXIT_ERROR
        except StorageError as exc:
            print(f"talkwatch triage: {exc}", file=sys.stderr)
            return EXIT_ERROR
        stack.callback(db.close)
        try:
            asyncio.run(run(stream, judge, SqliteStore(db), sys.stdout))
        except BrokenPipeError:  # the reader of our output went away (e.g. `| head`)
            return 0
        except OSError as exc:
            print(f"talkwatch triage: cannot read {args.file}: {exc.strerror}", file=sys.stderr)
            return EXIT_ERROR
    return 0
