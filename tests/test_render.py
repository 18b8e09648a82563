"""Embeds from developments: escaping of hostile feed text, links, mentions and every limit."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from handlers.render import (
    EMBED_TOTAL_LIMIT,
    clean_text,
    clip,
    render_development,
    render_digest,
    render_page,
    render_post,
    safe_url,
)
from news.records import Development, Source

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)

HOSTILE = [
    "@everyone talks collapse",
    "@here now",
    "<@123456789012345678> says",
    "<@&123456789012345678> role",
    "<#123456789012345678> channel",
    "[click here](http://evil.example/x) for peace",
    "**bold** __under__ ~~strike~~ ||spoiler||",
    "``` code block ```",
    "# Heading",
    "> quote",
    "- list item",
    "see https://evil.example/now",
    "zero\u200bwidth\u2060[x]\u200b(http://evil.example)",
    "bidi \u202eevil\u202c text",
    "<t:0:R> timestamp and </cmd:1> command",
]


def development(**changes: object) -> Development:
    values: dict[str, object] = {
        "id": "dev1",
        "headline": "Ukraine offers Russia new round of talks",
        "summary": "Kyiv proposed a new round of peace talks next week, the council said.",
        "url": "https://news.example/a",
        "kind": "proposal",
        "importance": 0.5,
        "first_seen_at": NOW,
        "updated_at": NOW,
        "sources": (Source("Outlet A", "https://news.example/a", "t", NOW),),
    }
    values.update(changes)
    return Development(**values)  # type: ignore[arg-type]


def rendered_text(text: str) -> str:
    """What Discord displays for escaped markdown: backslash-escapes removed."""
    return re.sub(r"\\(.)", r"\1", text)


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_text_cannot_mention_link_or_format(hostile: str) -> None:
    cleaned = clean_text(hostile, 4096)
    assert "@everyone" not in cleaned and "@here" not in cleaned
    assert not re.search(r"(?<!\\)<[@#/t:]", cleaned)
    assert not re.search(r"(?<!\\)\[", cleaned), "unescaped [ could start a masked link"
    assert not re.search(r"(?<!\\)[*_~`|<]", cleaned)
    assert not re.match(r"[#>\-+]|\d+\.", cleaned), "no heading, quote or list"
    assert not re.search(r"https?://", cleaned), "a bare link must not form"
    assert "\u200b[" not in cleaned and "\u202e" not in cleaned and "\u2060" not in cleaned


def test_ordinary_prose_is_left_as_written() -> None:
    text = 'Kyiv (Reuters) said: "talks resume on 3 Dec." Moscow\'s answer - not yet!'
    assert clean_text(text, 500) == text


def test_line_starts_cannot_format() -> None:
    assert clean_text("# Big", 50) == "\\# Big"
    assert clean_text("1. first", 50) == "1\\. first"
    assert clean_text("- item", 50) == "\\- item"


def test_escaping_keeps_the_visible_text() -> None:
    assert rendered_text(clean_text("U.S. envoy: **talks** [next] week", 100)) == (
        "U.S. envoy: **talks** [next] week"
    )


def test_hostile_development_renders_safely() -> None:
    dev = development(
        headline="@everyone [win](http://evil.example) **now**",
        summary="<@123456789012345678> ``` @here",
        url="javascript:alert(1)",
        sources=(
            Source("[Evil](http://evil.example)", "http://ok.example/a)b", "t", NOW),
            Source("Bad scheme", "ftp://files.example/x", "t", NOW),
        ),
    )
    post = render_post(dev, "talkwatch", None, 0.75)
    embed = post.embed
    assert embed.url == "http://ok.example/a%29b"
    sources = embed.fields[2].value or ""
    assert sources.startswith("[\\[Evil\\](http\\://evil.example)](http://ok.example/a%29b)")
    assert "ftp://" not in sources
    assert "@everyone" not in (embed.title or "")
    assert post.allowed_mentions.everyone is False
    assert post.allowed_mentions.roles is False and post.allowed_mentions.users is False
    assert "@here" not in post.content


def test_safe_url_only_http() -> None:
    assert safe_url("https://a.example/x y") is None
    assert safe_url("javascript:alert(1)") is None
    assert safe_url("//a.example/") is None
    assert safe_url("http://a.example/(x)") == "http://a.example/%28x%29"


def test_limits_on_huge_input() -> None:
    word = "negotiation "
    sources = tuple(
        Source("O" * 300, f"https://n{i}.example/" + "p" * 900, "t", NOW) for i in range(40)
    )
    dev = development(headline=word * 100, summary=word * 1000, sources=sources)
    embed = render_development(dev, "talkwatch")
    assert len(embed.title or "") <= 256
    assert len(embed.description or "") <= 4096
    assert all(len(f.value or "") <= 1024 for f in embed.fields)
    assert len(embed) <= EMBED_TOTAL_LIMIT
    assert (embed.title or "").endswith("…") and not (embed.title or "").endswith(" …")
    assert "more" in (embed.fields[2].value or "")


def test_page_of_ten_shares_the_message_limit() -> None:
    word = "ceasefire "
    devs = [development(id=str(i), headline=word * 60, summary=word * 500) for i in range(10)]
    embeds = render_page(devs, "talkwatch")
    assert len(embeds) == 10
    assert sum(len(e) for e in embeds) <= EMBED_TOTAL_LIMIT


def test_sources_five_links_then_more() -> None:
    sources = tuple(Source(f"Outlet {i}", f"https://o{i}.example/a", "t", NOW) for i in range(8))
    value = render_development(development(sources=sources), "bot").fields[2].value or ""
    assert value.count("](https://") == 5
    assert value.endswith("+3 more")


def test_role_ping_only_for_major() -> None:
    minor = render_post(development(importance=0.2), "bot", 42, 0.75)
    assert "<@&42>" not in minor.content and minor.allowed_mentions.roles is False
    major = render_post(development(importance=0.9), "bot", 42, 0.75)
    assert major.content.startswith("<@&42> ")
    roles = major.allowed_mentions.roles
    assert isinstance(roles, list) and [r.id for r in roles] == [42]
    assert major.allowed_mentions.everyone is False and major.allowed_mentions.users is False


def test_content_carries_the_summary() -> None:
    post = render_post(development(), "bot", None, 0.75)
    assert rendered_text(post.content) == development().summary
    assert rendered_text(post.embed.description or "") == development().summary


def test_clip_at_word_boundary() -> None:
    assert clip("alpha beta gamma", 12) == "alpha beta…"
    assert clip("short", 10) == "short"
    assert len(clip("x" * 50, 10)) == 10


def test_digest_lists_developments_and_fits() -> None:
    devs = [development(id=str(i), headline=f"Development {i} " + "word " * 40) for i in range(80)]
    embed = render_digest(devs, "Daily digest", "bot", NOW)
    assert len(embed.description or "") <= 4096
    assert "more" in (embed.description or "")
    assert len(embed) <= EMBED_TOTAL_LIMIT
