"""news.article: main text of article pages, checked against the fixture pages and their
expected results (tests/fixtures/articles/NAME.html beside NAME.expected.json)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from news.article import decode_page, extract_main_text

ARTICLES = Path(__file__).parent / "fixtures" / "articles"
PAGES = sorted(path.stem for path in ARTICLES.glob("*.html"))


@pytest.mark.parametrize("name", PAGES)
def test_extracts_the_article_and_drops_the_page_furniture(name: str) -> None:
    html = (ARTICLES / f"{name}.html").read_text(encoding="utf-8")
    expected = json.loads((ARTICLES / f"{name}.expected.json").read_text(encoding="utf-8"))

    text = extract_main_text(html, f"https://news.example/{name}")

    if expected.get("none"):
        assert text is None
        return
    assert text is not None
    for phrase in expected["contains"]:
        assert phrase in text
    for phrase in expected["absent"]:
        assert phrase not in text


@pytest.mark.parametrize("html", ["", "   ", "<html></html>", "<p>Too short.</p>", "\x00\x01<<<>>"])
def test_empty_or_tiny_pages_give_none(html: str) -> None:
    assert extract_main_text(html, "https://news.example/x") is None


def test_decode_page_uses_the_declared_charset_and_survives_bad_ones() -> None:
    body = "Zelenskyy met Erdoğan in Ankara".encode("cp1254")
    assert decode_page(body, "text/html; charset=cp1254") == "Zelenskyy met Erdoğan in Ankara"
    assert "Zelenskyy met Erdo" in decode_page(body, "text/html; charset=no-such-charset")
    assert decode_page("Київ".encode(), None) == "Київ"
