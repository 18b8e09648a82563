"""news.reading: the judge's pure reading steps, remembered by their inputs."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from news.grouping import GroupingParams
from news.reading import Reader, clean_title, topic_terms
from news.records import Story
from news.topic import load_profile

PROFILE = load_profile(Path(__file__).resolve().parent.parent / "seeds" / "topic.toml")
AT = datetime(2025, 5, 16, 12, 0, tzinfo=UTC)


def story(title: str, text: str, outlet: str = "Reuters") -> Story:
    return Story(1, 1, outlet, "e1", "https://example.test/1", title, text, AT, AT)


def test_clean_title_drops_the_outlets_own_suffix_only() -> None:
    assert (
        clean_title("Talks resume in Istanbul - Reuters", "Reuters") == "Talks resume in Istanbul"
    )
    assert clean_title("Talks resume | Kyiv Independent", "Kyiv Independent") == "Talks resume"
    assert clean_title("Kyiv - Moscow talks resume", "Reuters") == "Kyiv - Moscow talks resume"
    assert clean_title("Talks <b>resume</b> &amp; go on", "") == "Talks resume & go on"


def test_topic_terms_hold_the_talks_vocabulary() -> None:
    terms = topic_terms(PROFILE)
    assert {"ceasef", "memora"} <= terms


def test_a_fetched_article_is_read_instead_of_the_thin_feed_text() -> None:
    reader = Reader(PROFILE, 280, GroupingParams())
    thin = story("Russia and Ukraine swap prisoners", "Read more.")
    article = (
        "Russia and Ukraine exchanged 390 prisoners each on Friday, the first stage of a swap "
        "agreed in Istanbul. The next stages follow over the weekend."
    )
    read = reader.read(thin, article)
    assert read.text == article
    assert read.sentences[0].startswith("Russia and Ukraine exchanged 390")
    assert read.features.kind == "exchange"
    assert "390" in reader.summarise(read)
    assert reader.read(thin, None).text == "Read more."


def test_results_are_remembered_and_equal_to_a_fresh_reading() -> None:
    reader = Reader(PROFILE, 280, GroupingParams())
    title, text = "Kremlin studies Kyiv's truce offer", "Peskov said Moscow would study the offer."
    first = reader.assess(title, text)
    assert reader.assess(title, text) is first
    assert Reader(PROFILE, 280, GroupingParams()).assess(title, text) == first
    read = reader.read(story(title, text), None)
    assert reader.summarise(read) is reader.summarise(read)
    assert reader.importance("statement", title, read.lead, 2) == reader.importance(
        "statement", title, read.lead, 2
    )
