"""Developments as Discord embeds: sanitised, within every Discord limit. Pure, no I/O.

Feed text is untrusted. Every piece of it that reaches Discord goes through `clean_text`:
invisible and control characters are dropped (zero-width joiners, bidi overrides), whitespace
is folded, every markdown character is backslash-escaped (so `**bold**`, code fences, masked
links `[x](http://evil)`, headings and quotes render as plain text), `://` is escaped so that
no bare link is formed, and mentions (`@everyone`, `<@123>`, `<@&1>`, `<#1>`) are broken with
a zero-width space. Links come only from URLs that pass `safe_url` (http or https, a host, no
whitespace), placed by us. Messages are sent with `AllowedMentions.none()` unless a
subscription's role is pinged, and then only that role may be mentioned.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote, urlsplit

import discord

from news.records import Development, Kind

TITLE_LIMIT = 256
DESCRIPTION_LIMIT = 4096
FIELD_LIMIT = 1024
EMBED_TOTAL_LIMIT = 6000
CONTENT_LIMIT = 2000
MAX_SOURCE_LINKS = 5
URL_LIMIT = 2000
ELLIPSIS = "…"

KIND_LABELS: dict[Kind, str] = {
    "proposal": "Proposal",
    "meeting": "Meeting or round of talks",
    "agreement": "Agreement",
    "exchange": "Prisoner exchange",
    "statement": "Statement",
    "rejection": "Rejection",
    "other": "Other",
}
KIND_COLOURS: dict[Kind, int] = {
    "proposal": 0x3498DB,
    "meeting": 0x9B59B6,
    "agreement": 0x2ECC71,
    "exchange": 0x1ABC9C,
    "statement": 0x95A5A6,
    "rejection": 0xE74C3C,
    "other": 0x7F8C8D,
}

_MARKDOWN_CHARS = set("\\*_~`|[]<")
"""Escaped wherever they stand: emphasis, code, spoilers, masked links, and `<` that opens
mentions, channels, commands, emoji and timestamps."""
_LINE_START = re.compile(r"^(#|>|-|\+|\d+\.)")
"""Headings, quotes, subtext and lists form only at the start of a line (text is one line)."""
_BARE_LINK = re.compile(r"(?<=[A-Za-z0-9]):(?=//)")
_EVERYONE = re.compile(r"@(everyone|here)", re.IGNORECASE)
_SPACE = re.compile(r"\s+")


def strip_invisible(text: str) -> str:
    """Drop control and format characters (zero-width, bidi overrides) and fold whitespace."""
    kept = "".join(
        " " if ch.isspace() else ch
        for ch in text
        if ch.isspace() or unicodedata.category(ch) not in {"Cc", "Cf", "Co", "Cs", "Cn"}
    )
    return _SPACE.sub(" ", kept).strip()


def escape_text(text: str) -> str:
    """Backslash-escape what could format, link or mention; the text renders as written.

    Only what can act is escaped, so ordinary prose (periods, quotes, parentheses) stays as
    it is: `http://x` becomes `http\\://x` (no bare link), `@everyone` gets a zero-width space.
    """
    escaped = "".join("\\" + ch if ch in _MARKDOWN_CHARS else ch for ch in text)
    escaped = _LINE_START.sub(_escape_line_start, escaped)
    escaped = _BARE_LINK.sub("\\\\:", escaped)
    return _EVERYONE.sub("@\u200b\\1", escaped)


def _escape_line_start(match: re.Match[str]) -> str:
    mark = match.group(0)
    return mark[:-1] + "\\." if mark.endswith(".") else "\\" + mark


def clip(text: str, limit: int) -> str:
    """Cut `text` to at most `limit` characters at a word boundary, ending with an ellipsis."""
    if len(text) <= limit:
        return text
    if limit <= len(ELLIPSIS):
        return ELLIPSIS[:limit]
    room = text[: limit - len(ELLIPSIS)]
    cut = room.rfind(" ")
    if cut >= limit // 2:
        room = room[:cut]
    room = room.rstrip()
    # never end on an escaping backslash or a half-broken mention
    while room.endswith(("\\", "\u200b")):
        room = room[:-1]
    return room + ELLIPSIS


def clean_text(text: str, limit: int) -> str:
    """Untrusted feed text made safe for Discord markdown and cut to `limit`."""
    return clip(escape_text(strip_invisible(text)), limit)


def safe_url(url: str | None) -> str | None:
    """The URL if it is an absolute http(s) URL we may link to, percent-encoding markdown
    delimiters; None otherwise."""
    if not url:
        return None
    url = url.strip()
    if len(url) > URL_LIMIT or any(ch.isspace() or ord(ch) < 32 for ch in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in {"http", "https"} or not parts.hostname:
        return None
    return quote(url, safe=":/?#@!$&'*+,;=%~-._[]")


@dataclass(frozen=True, slots=True)
class Post:
    """What one channel receives for one development."""

    content: str
    embed: discord.Embed
    allowed_mentions: discord.AllowedMentions


def is_major(development: Development, threshold: float) -> bool:
    return development.importance >= threshold


def timestamp_markup(moment: datetime, style: str = "f") -> str:
    return f"<t:{int(moment.timestamp())}:{style}>"


def source_links(development: Development, limit: int = FIELD_LIMIT) -> str:
    """Up to five "[outlet](url)" links, then "+N more", within `limit` characters."""
    parts: list[str] = []
    seen: set[str] = set()
    candidates = [s for s in development.sources if safe_url(s.url)]
    for source in candidates:
        url = safe_url(source.url)
        if url is None or url in seen:
            continue
        if len(parts) == MAX_SOURCE_LINKS:
            break
        outlet = clean_text(source.outlet or urlsplit(url).hostname or "source", 80)
        link = f"[{outlet}]({url})"
        if len(" · ".join([*parts, link])) + 12 > limit:
            break
        parts.append(link)
        seen.add(url)
    rest = len({s.url for s in candidates}) - len(parts)
    text = " · ".join(parts) if parts else "(no linkable source)"
    if rest > 0:
        text += f" +{rest} more"
    return text


def render_development(
    development: Development, bot_name: str, budget: int = EMBED_TOTAL_LIMIT
) -> discord.Embed:
    """One embed: escaped headline linked to the primary source, summary, kind, sources, time.

    `budget` caps the embed's total characters (several embeds in one message share 6,000).
    """
    link = safe_url(development.url) or next(
        (u for u in (safe_url(s.url) for s in development.sources) if u), None
    )
    title_limit = min(TITLE_LIMIT, max(40, budget // 5))
    embed = discord.Embed(
        title=clean_text(development.headline, title_limit) or "Untitled development",
        url=link,
        description=clean_text(development.summary, DESCRIPTION_LIMIT) or None,
        colour=KIND_COLOURS.get(development.kind, KIND_COLOURS["other"]),
        timestamp=development.first_seen_at,
    )
    embed.add_field(name="Kind", value=KIND_LABELS.get(development.kind, "Other"), inline=True)
    embed.add_field(
        name="First reported", value=timestamp_markup(development.first_seen_at), inline=True
    )
    sources_limit = min(FIELD_LIMIT, max(120, budget // 3))
    embed.add_field(name="Sources", value=source_links(development, sources_limit), inline=False)
    embed.set_footer(text=clean_text(bot_name, 100) or "talkwatch")
    fit_embed(embed, budget)
    return embed


def fit_embed(embed: discord.Embed, budget: int = EMBED_TOTAL_LIMIT) -> None:
    """Shorten the description until the whole embed is within `budget` characters."""
    excess = len(embed) - budget
    if excess > 0 and embed.description:
        embed.description = clip(embed.description, max(0, len(embed.description) - excess))


def render_page(developments: Sequence[Development], bot_name: str) -> list[discord.Embed]:
    """Up to ten embeds for one message, sharing the 6,000 characters a message allows."""
    shown = list(developments)[:10]
    budget = EMBED_TOTAL_LIMIT // max(1, len(shown))
    return [render_development(development, bot_name, budget) for development in shown]


def post_content(development: Development) -> str:
    """The message text: the summary (or headline) as escaped plain text, mention-free."""
    return clean_text(development.summary or development.headline, CONTENT_LIMIT)


def render_post(
    development: Development, bot_name: str, role_id: int | None, major_importance: float
) -> Post:
    """The full message for one development; the role is pinged only for major developments."""
    content = post_content(development)
    mentions = discord.AllowedMentions.none()
    if role_id is not None and is_major(development, major_importance):
        ping = f"<@&{role_id}> "
        content = ping + clip(content, CONTENT_LIMIT - len(ping))
        mentions = discord.AllowedMentions(
            everyone=False, users=False, roles=[discord.Object(id=role_id)], replied_user=False
        )
    return Post(
        content=content, embed=render_development(development, bot_name), allowed_mentions=mentions
    )


def render_digest(
    developments: Sequence[Development], title: str, bot_name: str, now: datetime
) -> discord.Embed:
    """One embed listing developments (oldest first): kind, linked headline, time; "+N more"."""
    lines: list[str] = []
    budget = DESCRIPTION_LIMIT - 40
    ordered = sorted(developments, key=lambda d: d.first_seen_at)
    for index, development in enumerate(ordered):
        headline = clean_text(development.headline, 200) or "Untitled development"
        url = safe_url(development.url)
        shown = f"[{headline}]({url})" if url else headline
        kind = KIND_LABELS.get(development.kind, "Other")
        line = f"• **{kind}**: {shown} ({timestamp_markup(development.first_seen_at, 'R')})"
        if sum(len(x) + 1 for x in lines) + len(line) > budget:
            lines.append(f"+{len(ordered) - index} more")
            break
        lines.append(line)
    embed = discord.Embed(
        title=clip(title, TITLE_LIMIT),
        description="\n".join(lines) or None,
        colour=0x34495E,
        timestamp=now,
    )
    embed.set_footer(text=clean_text(bot_name, 100) or "talkwatch")
    fit_embed(embed)
    return embed


def digest_content(count: int, title: str) -> str:
    return clip(f"{title}: {count} development{'s' if count != 1 else ''}.", CONTENT_LIMIT)
