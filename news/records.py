"""Plain, frozen records that travel between the pipeline's steps, storage and the handlers.

Times are aware UTC datetimes. Nothing here does I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

Kind = Literal["proposal", "meeting", "agreement", "exchange", "statement", "rejection", "other"]
KINDS: tuple[Kind, ...] = (
    "proposal",
    "meeting",
    "agreement",
    "exchange",
    "statement",
    "rejection",
    "other",
)


@dataclass(frozen=True, slots=True)
class FeedSource:
    """One feed as the operator lists it in the feeds file."""

    name: str
    url: str
    label: str | None = None


@dataclass(frozen=True, slots=True)
class FeedState:
    """A stored feed with its fetch bookkeeping."""

    id: int
    name: str
    url: str
    label: str | None
    etag: str | None
    last_modified: str | None
    last_checked_at: datetime | None
    next_check_at: datetime | None
    last_status: int | None
    last_error: str | None
    consecutive_failures: int
    has_baseline: bool
    stories_count: int = 0
    retry_after_at: datetime | None = None
    """Until when the server asked us (Retry-After on 429/503) not to come back."""
    active: bool = True
    """False once the feed was removed from the feeds file (its stories are kept)."""


@dataclass(frozen=True, slots=True)
class FetchedBody:
    """A 200 answer: the raw body and the (lower-cased) response headers."""

    status: int
    body: bytes
    headers: dict[str, str]
    final_url: str
    etag: str | None
    last_modified: str | None


@dataclass(frozen=True, slots=True)
class NotModified:
    """A 304 answer to a conditional GET."""


@dataclass(frozen=True, slots=True)
class FetchFailure:
    """Any failure: network, timeout, HTTP error status, oversize or unparseable body."""

    error: str
    status: int | None = None
    retry_after_seconds: float | None = None


FetchOutcome = FetchedBody | NotModified | FetchFailure


@dataclass(frozen=True, slots=True)
class Entry:
    """One feed entry, normalised by the parser, not yet stored."""

    entry_id: str
    url: str
    title: str
    text: str
    published_at: datetime | None
    author: str | None = None
    image_url: str | None = None


@dataclass(frozen=True, slots=True)
class Story:
    """A stored entry: what the judgement steps see."""

    id: int
    feed_id: int
    outlet: str
    entry_id: str
    url: str
    title: str
    text: str
    published_at: datetime | None
    seen_at: datetime
    author: str | None = None
    image_url: str | None = None
    is_baseline: bool = False

    @property
    def reported_at(self) -> datetime:
        """When the story was reported: its published time, else when we first saw it."""
        return self.published_at or self.seen_at


@dataclass(frozen=True, slots=True)
class Verdict:
    """Relevance of one story, with the reasons (term and where it was found)."""

    relevant: bool
    score: float
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Source:
    """One outlet's report of a development."""

    outlet: str
    url: str
    title: str
    reported_at: datetime


@dataclass(frozen=True, slots=True)
class Development:
    """One new fact in the talks, reported by one or more sources."""

    id: str
    headline: str
    summary: str
    url: str
    kind: Kind
    importance: float
    first_seen_at: datetime
    updated_at: datetime
    sources: tuple[Source, ...] = field(default_factory=tuple)
    signature: str = ""
    """Opaque text the grouping step stores to compare later stories with this development."""
