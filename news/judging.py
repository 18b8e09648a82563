"""The judgement stage the live cycle (and `talkwatch triage`) calls: relevance, article pages
for thin items, grouping into developments, kinds, importance and summaries.

    judge = Judge.from_settings(settings)          # TopicError if the profile is bad
    judgements = await judge.judge_new_stories(stories, store, pages, now)

Stories are judged in the order given, as if they arrived one by one: a story can join a
development started earlier in the same batch. Time windows are measured on the stories'
`reported_at` (published, else first seen), never on the wall clock, so old or future-dated
input groups the same way. The Judge keeps no state between batches: what it knows of earlier
developments comes from `store.recent_developments` (their signatures), so a restart changes
nothing. It only remembers the results of pure steps (verdicts, sentences, kinds, summaries,
importance) by their inputs, so a text seen before (a wire story in several feeds) is not read
again.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Generic, TypeVar

from news.article import PageSource, fetch_article_texts
from news.grouping import (
    DevelopmentIndex,
    Features,
    GroupingParams,
    Profile,
    add_member,
    decode_signature,
    encode_signature,
    new_profile,
    story_features,
)
from news.kinds import classify_kind, score_importance
from news.records import Development, Kind, Source, Story, Verdict
from news.relevance import assess
from news.sentences import clean_text, split_sentences
from news.store import Judgement, Store
from news.summary import summarise_sentences, topic_tokens
from news.text import fold_whitespace, html_to_text
from news.topic import TopicProfile, load_profile
from settings import Settings

log = logging.getLogger(__name__)

_READ_CHARS = 6_000
"""Only this much of an article is read (summaries choose among its first sentences)."""
_MEMO_SIZE = 4_096
"""Results of pure steps remembered per kind (forgotten all at once when full)."""

K = TypeVar("K")
V = TypeVar("V")


class _Memo(Generic[K, V]):
    """A bounded memory of a pure function's results by their inputs."""

    def __init__(self) -> None:
        self.found: dict[K, V] = {}

    def get(self, key: K) -> V | None:
        return self.found.get(key)

    def put(self, key: K, value: V) -> V:
        if len(self.found) >= _MEMO_SIZE:
            self.found.clear()
        self.found[key] = value
        return value


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


@dataclass(frozen=True, slots=True)
class _Read:
    """What the judge read of one relevant story: cleaned title, best text, lead, kind."""

    title: str
    text: str
    sentences: list[str]
    lead: str
    features: Features


def topic_terms(profile: TopicProfile) -> frozenset[str]:
    """Single words of the profile's talks and party terms, to weight summary sentences."""
    words: set[str] = set()
    for key, term in profile.exact.items():
        if term.category in ("talks", "party"):
            words.update(word for word in key.split() if len(word) > 2)
    for prefix, term in profile.prefixes:
        if term.category == "talks" and " " not in prefix and len(prefix) > 3:
            words.add(prefix)
    return topic_tokens(words)


def development_id(story: Story) -> str:
    """A short id, stable for the development's first story."""
    seed = f"{story.feed_id}\x00{story.entry_id}\x00{story.url}\x00{story.title}"
    return "d-" + hashlib.sha1(seed.encode("utf-8")).hexdigest()[:10]


def clean_title(title: str, outlet: str) -> str:
    """One line of plain text; a trailing " - Outlet" or " | Outlet" suffix removed."""
    line = fold_whitespace(html_to_text(title)) if "<" in title or "&" in title else title
    line = fold_whitespace(line)
    for separator in (" - ", " | ", " — ", " – "):
        head, found, tail = line.rpartition(separator)
        if found and head and outlet and tail.strip().lower() == outlet.strip().lower():
            return head.strip()
    return line


class Judge:
    """Judges batches of new stories; see the module docstring."""

    def __init__(self, profile: TopicProfile, config: JudgeConfig = JudgeConfig()) -> None:
        self.profile = profile
        self.config = config
        self.topic = topic_terms(profile)
        self._verdicts: _Memo[tuple[str, str], Verdict] = _Memo()
        self._sentences: _Memo[str, tuple[str, ...]] = _Memo()
        self._kinds: _Memo[tuple[str, str], Kind] = _Memo()
        self._summaries: _Memo[tuple[str, str], str] = _Memo()
        self._importance: _Memo[tuple[Kind, str, str, int], float] = _Memo()

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
        return [self._assess(story.title, story.text) for story in stories]

    def _assess(self, title: str, text: str) -> Verdict:
        found = self._verdicts.get((title, text))
        if found is None:
            found = self._verdicts.put((title, text), assess(title, text, self.profile))
        return found

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
                read = self._read(story, texts.get(story.id))
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
        read: _Read,
        known: dict[str, Development],
        index: DevelopmentIndex,
    ) -> Judgement:
        """Join the story to its development or start one; `known` and `index` are updated."""
        match, score = index.best_match(read.features, story.reported_at, story.outlet)
        joined = index.profile(match) if match is not None else None
        if match is not None and joined is not None:
            profile = add_member(joined, read.features)
            dev = self._join(known[match], profile, story, read)
            summary = self._summarise(read)
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

    def _summarise(self, read: _Read) -> str:
        key = (read.title, read.text[:_READ_CHARS])
        found = self._summaries.get(key)
        if found is None:
            summary = summarise_sentences(
                read.title, read.sentences, limit=self.config.summary_chars, topic=self.topic
            )
            found = self._summaries.put(key, summary)
        return found

    def _split(self, text: str) -> list[str]:
        """The sentences of the text's first `_READ_CHARS` (see `split_sentences`)."""
        head = text[:_READ_CHARS]
        found = self._sentences.get(head)
        if found is None:
            found = self._sentences.put(head, tuple(split_sentences(clean_text(head))))
        return list(found)

    def _kind(self, title: str, lead: str) -> Kind:
        found = self._kinds.get((title, lead))
        if found is None:
            found = self._kinds.put((title, lead), classify_kind(title, lead))
        return found

    def _importance_of(self, kind: Kind, title: str, lead: str, outlets: int) -> float:
        key = (kind, title, lead, outlets)
        found = self._importance.get(key)
        if found is None:
            found = self._importance.put(key, score_importance(kind, title, lead, outlets))
        return found

    def _read(self, story: Story, article_text: str | None) -> _Read:
        title = clean_title(story.title, story.outlet)
        text = article_text or story.text
        sentences = self._split(text) if text else []
        lead = " ".join(sentences[: self.config.grouping.lead_sentences])
        kind = self._kind(title, lead)
        params = self.config.grouping
        body = text[: params.body_chars] if params.body_weight else ""
        features = story_features(title, lead, kind, params, body, story.reported_at, story.outlet)
        return _Read(title, text, sentences, lead, features)

    def _start(self, story: Story, read: _Read, profile: Profile) -> Development:
        summary = self._summarise(read)
        return Development(
            id=development_id(story),
            headline=read.title,
            summary=summary,
            url=story.url,
            kind=read.features.kind,
            importance=self._importance_of(read.features.kind, read.title, read.lead, 1),
            first_seen_at=story.reported_at,
            updated_at=story.reported_at,
            sources=(Source(story.outlet, story.url, read.title, story.reported_at),),
            signature=encode_signature(profile),
        )

    def _join(self, dev: Development, profile: Profile, story: Story, read: _Read) -> Development:
        sources = (*dev.sources, Source(story.outlet, story.url, read.title, story.reported_at))
        outlets = len({source.outlet for source in sources})
        importance = max(
            dev.importance, self._importance_of(dev.kind, dev.headline, read.lead, outlets)
        )
        summary = dev.summary
        if summary.rstrip(".") == dev.headline.rstrip(".") and read.sentences:
            summary = self._summarise(read)
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
