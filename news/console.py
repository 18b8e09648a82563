"""Plain-text rendering of developments and stories for the terminal (`check`, `demo`).

Feed text is untrusted: control characters (terminal escape sequences among them) are removed
before anything is shown. Pure: returns strings, prints nothing.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Sequence
from datetime import datetime

from news.records import Development, Source

WIDTH = 88
MAX_SOURCES_SHOWN = 5

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")

KIND_LABELS = {
    "proposal": "Proposal",
    "meeting": "Meeting / round of talks",
    "agreement": "Agreement",
    "exchange": "Prisoner exchange",
    "statement": "Statement",
    "rejection": "Rejection",
    "other": "Other",
}


def clean(text: str) -> str:
    """One line of untrusted text made safe to print: controls removed, whitespace folded."""
    return " ".join(_CONTROL.sub(" ", text).split())


def format_time(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def render_development(development: Development) -> str:
    """A development as it would be posted: headline first, then summary, kind, sources."""
    headline = clean(development.headline) or "(untitled)"
    lines = [f"* {headline}"]
    summary = clean(development.summary)
    if summary:
        lines += textwrap.wrap(summary, WIDTH, initial_indent="  ", subsequent_indent="  ")
    kind = KIND_LABELS.get(development.kind, development.kind)
    lines.append(f"  {kind} · first reported {format_time(development.first_seen_at)}")
    lines += _render_sources(development.sources, development.url)
    return "\n".join(lines)


def _render_sources(sources: tuple[Source, ...], primary_url: str) -> list[str]:
    if not sources:
        return [f"  source: {clean(primary_url)}"] if primary_url else []
    noun = "source" if len(sources) == 1 else "sources"
    lines = [f"  {len(sources)} {noun}:"]
    for source in sources[:MAX_SOURCES_SHOWN]:
        lines.append(f"    - {clean(source.outlet)}: {clean(source.url)}")
    if len(sources) > MAX_SOURCES_SHOWN:
        lines.append(f"    + {len(sources) - MAX_SOURCES_SHOWN} more")
    return lines


def render_update(development: Development, added_outlets: Sequence[str]) -> str:
    """One line for a development that gained sources: never announced again, only noted."""
    count = len(added_outlets)
    noun = "source" if count == 1 else "sources"
    outlets = ", ".join(clean(outlet) for outlet in added_outlets)
    return (
        f"updated: {clean(development.headline)} (+{count} {noun}: {outlets};"
        f" {len(development.sources)} in all)"
    )
