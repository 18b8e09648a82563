"""news/feeds_file.py: the feeds file is read, and each kind of mistake is refused in one line."""

from __future__ import annotations

from pathlib import Path

import pytest

from news.errors import FeedsFileError
from news.feeds_file import canonical_feed_url, load_feeds
from news.records import FeedSource

GOOD = """
[[feeds]]
name = "Kyiv Independent"
url = "https://kyivindependent.com/feed/"
label = "Ukrainian media"

[[feeds]]
name = "Local test"
url = "http://127.0.0.1:8080/a.xml"
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "feeds.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_reads_feeds_in_order(tmp_path: Path) -> None:
    assert load_feeds(_write(tmp_path, GOOD)) == [
        FeedSource("Kyiv Independent", "https://kyivindependent.com/feed/", "Ukrainian media"),
        FeedSource("Local test", "http://127.0.0.1:8080/a.xml", None),
    ]


def test_the_bundled_default_list_loads() -> None:
    feeds = load_feeds(Path(__file__).parent.parent / "seeds" / "feeds.toml")
    assert len(feeds) >= 12
    assert all(feed.label for feed in feeds)


def _feed(**keys: object) -> str:
    body = "\n".join(
        f"{key} = {value!r}".replace("'", '"') if isinstance(value, str) else f"{key} = {value}"
        for key, value in keys.items()
    )
    return f"[[feeds]]\n{body}\n"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('[[feeds]]\nname = "A"\nurl = https://a.example/feed\n', "line 3"),
        (_feed(url="https://a.example/"), "feed #1: missing name"),
        (_feed(name="A"), "feed #1 ('A'): missing url"),
        (_feed(name="A", url="ftp://a.example/feed"), "is not an http(s) URL"),
        (_feed(name="A", url="file:///etc/passwd"), "is not an http(s) URL"),
        (_feed(name="A", url="https://"), "has no host"),
        (_feed(name="A", url=5), "url must be a string"),
        (_feed(name="A", url="https://a.example/", labl="x"), "unknown key 'labl'"),
        (_feed(name="", url="https://a.example/"), "name must not be empty"),
        (
            _feed(name="A", url="https://a.example/f")
            + _feed(name="B", url="HTTPS://A.example:443/f"),
            "feed #2 ('B') repeats the URL of feed #1 ('A')",
        ),
        ("", "no feeds"),
        ("feeds = []\n", "no feeds"),
        ('title = "x"\n' + _feed(name="A", url="https://a.example/"), "unknown top-level key"),
        ('feeds = "x"\n', "must be [[feeds]] tables"),
    ],
)
def test_refuses_a_bad_file_with_one_line_naming_file_and_place(
    tmp_path: Path, text: str, expected: str
) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(FeedsFileError) as caught:
        load_feeds(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: ")
    assert expected in message
    assert "\n" not in message


def test_refuses_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(FeedsFileError, match="feeds file not found"):
        load_feeds(tmp_path / "nope.toml")


def test_canonical_form_ignores_scheme_case_default_port_and_fragment() -> None:
    assert canonical_feed_url("HTTPS://Example.ORG:443/feed#x") == canonical_feed_url(
        "http://example.org/feed"
    )
    assert canonical_feed_url("https://example.org/feed?a=1") != canonical_feed_url(
        "https://example.org/feed?a=2"
    )
