"""Reading one story for the judge: relevance, cleaned title, sentences, kind, grouping
features, summary and importance, each a pure step whose result is remembered by its inputs,
so a text seen before (a wire story in several feeds) is not read again.

    reader = Reader(profile, summary_chars=280, grouping=GroupingParams())
    verdict = reader.assess(story.title, story.text)
    read = reader.read(story, article_text=None)       # for a relevant story
    summary = reader.summarise(read)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from news.grouping import Features, GroupingParams, story_features
from news.importance import score_importance
from news.kinds import classify_kind
from news.records import Kind, Story, Verdict
from news.relevance import assess
from news.sentences import clean_text, split_sentences
from news.summary import summarise_sentences, topic_tokens
from news.text import fold_whitespace, html_to_text
from news.topic import TopicProfile

READ_CHARS = 6_000
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
class Read:
    """What was read of one relevant story: cleaned title, best text, lead, features."""

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


def clean_title(title: str, outlet: str) -> str:
    """One line of plain text; a trailing " - Outlet" or " | Outlet" suffix removed."""
    line = fold_whitespace(html_to_text(title)) if "<" in title or "&" in title else title
    line = fold_whitespace(line)
    for separator in (" - ", " | ", " — ", " – "):
        head, found, tail = line.rpartition(separator)
        if found and head and outlet and tail.strip().lower() == outlet.strip().lower():
            return head.strip()
    return line


class Reader:
    """The judge's pure reading steps, each remembered by its inputs (see the module)."""

    def __init__(self, profile: TopicProfile, summary_chars: int, grouping: GroupingParams) -> None:
        self.profile = profile
        self.summary_chars = summary_chars
        self.grouping = grouping
        self.topic = topic_terms(profile)
        self._verdicts: _Memo[tuple[str, str], Verdict] = _Memo()
        self._sentences: _Memo[str, tuple[str, ...]] = _Memo()
        self._kinds: _Memo[tuple[str, str], Kind] = _Memo()
        self._summaries: _Memo[tuple[str, str], str] = _Memo()
        self._importance: _Memo[tuple[Kind, str, str, int], float] = _Memo()

    def assess(self, title: str, text: str) -> Verdict:
        """Relevance of a story (`news.relevance.assess`)."""
        found = self._verdicts.get((title, text))
        if found is None:
            found = self._verdicts.put((title, text), assess(title, text, self.profile))
        return found

    def read(self, story: Story, article_text: str | None) -> Read:
        """Title, sentences, lead, kind and grouping features of a relevant story, from the
        article page's text when one was fetched, else the feed's."""
        title = clean_title(story.title, story.outlet)
        text = article_text or story.text
        sentences = self._split(text) if text else []
        params = self.grouping
        lead = " ".join(sentences[: params.lead_sentences])
        kind = self._kind(title, lead)
        body = text[: params.body_chars] if params.body_weight else ""
        features = story_features(title, lead, kind, params, body, story.reported_at, story.outlet)
        return Read(title, text, sentences, lead, features)

    def summarise(self, read: Read) -> str:
        """The story's summary (`news.summary`)."""
        key = (read.title, read.text[:READ_CHARS])
        found = self._summaries.get(key)
        if found is None:
            summary = summarise_sentences(
                read.title, read.sentences, limit=self.summary_chars, topic=self.topic
            )
            found = self._summaries.put(key, summary)
        return found

    def importance(self, kind: Kind, title: str, lead: str, outlets: int) -> float:
        """A development's importance (`news.importance.score_importance`)."""
        key = (kind, title, lead, outlets)
        found = self._importance.get(key)
        if found is None:
            found = self._importance.put(key, score_importance(kind, title, lead, outlets))
        return found

    def _split(self, text: str) -> list[str]:
        """The sentences of the text's first `READ_CHARS` (see `split_sentences`)."""
        head = text[:READ_CHARS]
        found = self._sentences.get(head)
        if found is None:
            found = self._sentences.put(head, tuple(split_sentences(clean_text(head))))
        return list(found)

    def _kind(self, title: str, lead: str) -> Kind:
        found = self._kinds.get((title, lead))
        if found is None:
            found = self._kinds.put((title, lead), classify_kind(title, lead))
        return found
