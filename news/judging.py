"""The judgement stage the live cycle (and `talkwatch triage`) calls: relevance, article pages
for thin items, grouping into developments, kinds, importance and summaries.

    judge = Judge.from_settings(settings)          # TopicError if the profile is bad
    judgements = await judge.judge_new_stories(stories, store, pages, now)

Stories are judged in the order given, as if they arrived one by one: a story can join a
development started earlier in the same batch. Time windows are measured on the stories'
`reported_at` (published, else first seen), never on the wall clock, so old or future-dated
input groups the same way. The Judge keeps no state between batches: what it knows of earlier
developments comes from `store.recent_developments` (their signatures), so a restart changes
nothing. Its `news.reading.Reader` remembers the results of pure steps (verdicts, sentences, kinds,
summaries, importance) by their inputs, so a text seen before is not read again.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from news.article import PageSource, fetch_article_texts
from news.grouping import (
    DevelopmentIndex,
    GroupingParams,
    Profile,
    add_member,
    decode_signature,
    encode_signature,
    new_profile,
)
from news.reading import Read, Reader
from news.records import Development, Source, Story, Verdict
from news.store import Judgement, Store
from news.topic import TopicProfile, load_profile
from settings import Settings

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class JudgeConfig:
    """The settings the judgement stage reads."""

    window_hours: float = 48.0
    summary_chars: int = 280
    fetch_articles: bool = True
    article_fetches_per_cycle: int = 20
    fetch_timeout_seconds: float = 20.0
    grouping: GroupingParams = field(default_factory=GroupingParams)

    @classmethod
    def from_settings(cls, settings: Settings) -> JudgeConfig:
        return cls(
            window_hours=settings.group_window_hours,
            summary_chars=settings.summary_chars,
            fetch_articles=settings.fetch_articles,
            article_fetches_per_cycle=settings.article_fetches_per_cycle,
            fetch_timeout_seconds=settings.fetch_timeout_seconds,
        )


def development_id(story: Story) -> str:
    """A short id, stable for the development's first story."""
    seed = f"{story.feed_id}\x00{story.entry_id}\x00{story.url}\x00{story.title}"
    return "d-" + hashlib.sha1(seed.encode("utf-8")).hexdigest()[:10]


class Judge:
    """Judges batches of new stories; see the module docstring."""

    def __init__(self, profile: TopicProfile, config: JudgeConfig = JudgeConfig()) -> None:
        self.profile = profile
        self.config = config
        self.reader = Reader(profile, config.summary_chars, config.grouping)

    @classmethod
    def from_settings(cls, settings: Settings) -> Judge:
        """Load the topic profile named by the settings; `TopicError` propagates."""
        return cls(load_profile(settings.topic_path), JudgeConfig.from_settings(settings))

    async def judge_new_stories(
        self,
        stories: Sequence[Story],
        store: Store,
        pages: PageSource | None,
        now: datetime,
    ) -> list[Judgement]:
        """One judgement per story, in order (see the module docstring).

        The pure, CPU-heavy steps (relevance, reading, grouping) run on a worker thread with
        plain data in and out, so that a big cycle never holds up the caller's event loop (the
        bot answers interactions meanwhile); the store is used only on the caller's thread.
        Calls must not overlap (the check cycle runs one at a time).
        """
        verdicts = await asyncio.to_thread(self._assess_all, stories)
        texts: dict[int, str] = {}
        if pages is not None and self.config.fetch_articles:
            texts = await fetch_article_texts(
                stories,
                verdicts,
                store,
                pages,
                cap=self.config.article_fetches_per_cycle,
                timeout_seconds=self.config.fetch_timeout_seconds,
            )
        recent = self._recent(store, stories, verdicts, now)
        return await asyncio.to_thread(self._place_all, stories, verdicts, texts, recent)

    def _assess_all(self, stories: Sequence[Story]) -> list[Verdict]:
        return [self.reader.assess(story.title, story.text) for story in stories]

    # -- grouping ---------------------------------------------------------------------------

    def group(
        self,
        stories: Sequence[Story],
        verdicts: Sequence[Verdict],
        texts: dict[int, str],
        store: Store,
        now: datetime,
    ) -> list[Judgement]:
        """Group the relevant stories (in order) with recent developments and with each other
        (synchronously, on this thread: what `talkwatch triage` calls)."""
        recent = self._recent(store, stories, verdicts, now)
        return self._place_all(stories, verdicts, texts, recent)

    def _recent(
        self, store: Store, stories: Sequence[Story], verdicts: Sequence[Verdict], now: datetime
    ) -> list[Development]:
        """The stored developments that the relevant stories could join (none if none is)."""
        relevant = [s.reported_at for s, v in zip(stories, verdicts, strict=True) if v.relevant]
        if not relevant:
            return []
        window = timedelta(hours=self.config.window_hours)
        latest = max(relevant) + window
        return [
            dev
            for dev in store.recent_developments(min(now, *relevant) - window)
            if dev.first_seen_at <= latest
        ]

    def _place_all(
        self,
        stories: Sequence[Story],
        verdicts: Sequence[Verdict],
        texts: dict[int, str],
        recent: Sequence[Development],
    ) -> list[Judgement]:
        """Pure: read each relevant story and place it among `recent` and the batch's own."""
        if not any(verdict.relevant for verdict in verdicts):
            return [
                Judgement(story.id, verdict, None, False)
                for story, verdict in zip(stories, verdicts, strict=True)
            ]
        known, index = self._index(recent)
        judgements: list[Judgement] = []
        for story, verdict in zip(stories, verdicts, strict=True):
            if verdict.relevant:
                read = self.reader.read(story, texts.get(story.id))
                judgements.append(self._place(story, verdict, read, known, index))
            else:
                judgements.append(Judgement(story.id, verdict, None, False))
        return judgements

    def _index(
        self, recent: Sequence[Development]
    ) -> tuple[dict[str, Development], DevelopmentIndex]:
        known = {dev.id: dev for dev in recent}
        index = DevelopmentIndex(self.config.window_hours, self.config.grouping)
        for dev in known.values():
            profile = decode_signature(dev.signature)
            if profile is not None:
                outlets = (source.outlet for source in dev.sources)
                index.add(dev.id, profile, dev.first_seen_at, dev.updated_at, outlets)
        return known, index

    def _place(
        self,
        story: Story,
        verdict: Verdict,
        read: Read,
        known: dict[str, Development],
        index: DevelopmentIndex,
    ) -> Judgement:
        """Join the story to its development or start one; `known` and `index` are updated."""
        match, score = index.best_match(read.features, story.reported_at, story.outlet)
        joined = index.profile(match) if match is not None else None
        if match is not None and joined is not None:
            profile = add_member(joined, read.features)
            dev = self._join(known[match], profile, story, read)
            summary = self.reader.summarise(read)
            note = f"grouping: joined {dev.id} (similarity {score:.2f})"
        else:
            profile = new_profile(read.features)
            dev = self._start(story, read, profile)
            summary = dev.summary
            note = f"grouping: new development (best similarity {score:.2f})"
        known[dev.id] = dev
        outlets = (source.outlet for source in dev.sources)
        index.add(dev.id, profile, dev.first_seen_at, dev.updated_at, outlets)
        notes = (f"kind: {read.features.kind}", note)
        return Judgement(story.id, verdict, dev, joined is None, summary, notes)

    def _start(self, story: Story, read: Read, profile: Profile) -> Development:
        summary = self.reader.summarise(read)
        return Development(
            id=development_id(story),
            headline=read.title,
            summary=summary,
            url=story.url,
            kind=read.features.kind,
            importance=self.reader.importance(read.features.kind, read.title, read.lead, 1),
            first_seen_at=story.reported_at,
            updated_at=story.reported_at,
            sources=(Source(story.outlet, story.url, read.title, story.reported_at),),
            signature=encode_signature(profile),
        )

    def _join(self, dev: Development, profile: Profile, story: Story, read: Read) -> Development:
        sources = (*dev.sources, Source(story.outlet, story.url, read.title, story.reported_at))
        outlets = len({source.outlet for source in sources})
        importance = max(
            dev.importance, self.reader.importance(dev.kind, dev.headline, read.lead, outlets)
        )
        summary = dev.summary
        if summary.rstrip(".") == dev.headline.rstrip(".") and read.sentences:
            summary = self.reader.summarise(read)
        return replace(
            dev,
            summary=summary,
            importance=importance,
            first_seen_at=min(dev.first_seen_at, story.reported_at),
            updated_at=max(dev.updated_at, story.reported_at),
            sources=sources,
            signature=encode_signature(profile),
            url=dev.url or story.url,
        )
