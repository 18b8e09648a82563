from __future__ import annotations

import pytest

from news.text import canonical_url, clip, fold_whitespace, html_to_text, plain_line


@pytest.mark.parametrize(
    ("markup", "text"),
    [
        ("", ""),
        ("plain words", "plain words"),
        ("Tom &amp; Jerry &#8220;quoted&#8221; &nbsp;end", "Tom & Jerry “quoted” end"),
        ("<p>One</p><p>Two</p>", "One\n\nTwo"),
        ("a<br>b<br/>c", "a\n\nb\n\nc"),
        ("x<p>y", "x\n\ny"),
        ("<ul><li>first</li><li>second</li></ul>", "first\n\nsecond"),
        ("<h2>Head</h2>body <b>bold</b> <a href='/x'>link</a>", "Head\n\nbody bold link"),
        ("<script>alert(1)</script><style>p{}</style>kept<!-- hidden -->", "kept"),
        ("<p>  lots \n\t of   space </p>", "lots of space"),
        ("5 < 6 and 7 > 3", "5 < 6 and 7 > 3"),
        ("AT&T", "AT&T"),
        ("<b>unclosed <i>tags", "unclosed tags"),
        ("nul\x00byte and \x1bescape", "nul byte and escape"),
        ("<<<>>>", "<<<>>>"),
        ("<html><head><title>T</title></head><body><p>Body</p></body></html>", "Body"),
        ("first paragraph\n\nsecond paragraph", "first paragraph\n\nsecond paragraph"),
        ("Київ і Москва", "Київ і Москва"),
    ],
)
def test_html_to_text(markup: str, text: str) -> None:
    assert html_to_text(markup) == text


def test_html_to_text_survives_soup() -> None:
    soup = "<div><p><table><tr><td>cell<td>cell2</table></b></i></span>" * 500 + "\x00<"
    text = html_to_text(soup)
    assert text.startswith("cell\n\ncell2\n\ncell")
    assert "<td" not in text and "\x00" not in text


def test_fold_whitespace() -> None:
    assert fold_whitespace("  a \n\n b\u00a0c\u200b d\t") == "a b c d"


def test_plain_line_is_one_line() -> None:
    assert plain_line("<p>Talks</p><p>resume</p>") == "Talks resume"


@pytest.mark.parametrize(
    ("text", "limit", "clipped"),
    [
        ("short", 10, "short"),
        ("The quick brown fox jumps over the lazy dog", 20, "The quick brown fox…"),
        ("Unbrokenwordthatgoesonandon", 10, "Unbrokenw…"),
        ("anything", 0, ""),
        ("anything", 1, "…"),
    ],
)
def test_clip(text: str, limit: int, clipped: str) -> None:
    assert clip(text, limit) == clipped
    assert len(clip(text, limit)) <= limit


@pytest.mark.parametrize(
    ("url", "base", "canonical"),
    [
        (
            "HTTPS://Example.COM:443/a/b?utm_source=x&id=3&fbclid=1#frag",
            None,
            "https://example.com/a/b?id=3",
        ),
        ("http://example.com:8080", None, "http://example.com:8080/"),
        ("http://example.com:80/x", None, "http://example.com/x"),
        (
            "/news/1?ref=rss&gclid=2&page=4",
            "https://site.example/feed.xml",
            "https://site.example/news/1?page=4",
        ),
        ("story.html", "https://site.example/feeds/rss", "https://site.example/feeds/story.html"),
        (
            "https://x.example/a?at_medium=RSS&at_campaign=KARANGA&yclid=1&mc_cid=2&mc_eid=3&ocid=4&cmpid=5&ref_src=6",
            None,
            "https://x.example/a",
        ),
        ("https://x.example/a?b=1&c=2", None, "https://x.example/a?b=1&c=2"),
        ("  https://x.example/a\n", None, "https://x.example/a"),
        ("https://user:pw@x.example/a", None, "https://x.example/a"),
        ("javascript:alert(1)", None, ""),
        ("mailto:desk@x.example", None, ""),
        ("ftp://x.example/file", None, ""),
        ("", None, ""),
        ("http://", None, ""),
        ("http://x.example:notaport/", None, ""),
        ("http://[::1]:8080/a", None, "http://[::1]:8080/a"),
    ],
)
def test_canonical_url(url: str, base: str | None, canonical: str) -> None:
    assert canonical_url(url, base) == canonical
