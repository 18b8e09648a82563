"""news.summary: short summaries of whole sentences from the story, within the limit."""

from __future__ import annotations

import re

import pytest

from news.summary import count_sentences, split_sentences, summarise

TOPIC = ("talks", "ceasefire", "exchange", "prisoners", "delegation", "ukraine", "russia")
LONG_ARTICLE = (
    "By Jane Doe and Ivan Petrenko\n\n"
    "ISTANBUL, May 16 (Reuters) - The motorcade swept past the palace gates a little after ten. "
    "Inside, the flags of three countries hung above a long table.\n\n"
    '"We came for peace," one delegate told reporters at the door.\n\n'
    "Russian and Ukrainian delegations agreed on Friday in Istanbul to exchange 1,000 prisoners "
    "of war each, Turkish Foreign Minister Hakan Fidan said after the talks. "
    "The meeting lasted less than two hours. "
    "Ukraine's delegation was led by Defence Minister Rustem Umerov. "
    "No date was set for a ceasefire or for a meeting of the two presidents. "
    + "Analysts said the talks had achieved little beyond the exchange of prisoners. " * 6
    + "\n\nPhoto: Getty Images\n\nRead more\n\nThe post Istanbul talks appeared first on Kyiv Wire."
)


def _is_whole_sentences_from(summary: str, *sources: str) -> bool:
    text = " ".join(" ".join(source.split()) for source in sources)
    return all(sentence in text for sentence in split_sentences(summary))


def test_a_long_article_gives_the_news_sentence_with_who_what_where_and_the_number() -> None:
    title = "Russia and Ukraine agree to swap 1,000 prisoners at Istanbul talks"
    summary = summarise(title, LONG_ARTICLE, topic_terms=TOPIC)
    assert len(summary) <= 280
    assert "1,000 prisoners" in summary
    assert "Istanbul" in summary
    assert "motorcade" not in summary  # the scene-setting opener is not the news
    assert _is_whole_sentences_from(summary, LONG_ARTICLE)


@pytest.mark.parametrize(
    "boilerplate",
    [
        "The post Talks resume in Istanbul appeared first on Kyiv Wire.",
        "Read more",
        "Continue reading...",
        "By Jane Doe",
        "Photo: Reuters/Valentyn Ogirenko",
        "(Photo by John Smith/Getty Images)",
        "Subscribe to our newsletter for daily updates.",
        "Share this article",
        "Advertisement",
    ],
)
def test_boilerplate_never_reaches_the_summary(boilerplate: str) -> None:
    text = (
        f"{boilerplate}\n\nUkraine and Russia held a new round of talks in Geneva on Tuesday, "
        f"officials said. {boilerplate}\n\nThe delegations agreed to meet again next week."
    )
    summary = summarise("Talks in Geneva", text, topic_terms=TOPIC)
    assert "Geneva on Tuesday" in summary
    assert boilerplate.rstrip(".") not in summary


@pytest.mark.parametrize(
    "dateline",
    [
        "KYIV, March 3 (Reuters) - ",
        "MOSCOW, March 18. /TASS/. ",
        "WASHINGTON (AP) — ",
        "RIYADH, Feb 18 (Reuters) - ",
    ],
)
def test_datelines_are_stripped_but_their_sentence_is_kept(dateline: str) -> None:
    text = f"{dateline}Russia said on Monday it would study the US proposal for a 30-day truce."
    summary = summarise("Russia to study truce proposal", text, topic_terms=TOPIC)
    assert summary == "Russia said on Monday it would study the US proposal for a 30-day truce."


def test_odd_inputs_stay_within_the_limit_and_never_cut_a_word() -> None:
    endless = " ".join(["the delegations kept talking about the ceasefire"] * 40)
    title = "Talks go on and on"
    cases = [
        (title, endless),  # one endless sentence
        (title, "no punctuation at all here just words and more words " * 20),
        (title, ""),  # only a title
        ("", ""),  # nothing at all
        ("", endless),  # no title, no sentence that fits
        (
            title,
            "<div><p>Ukraine and Russia <b>met</b> in Istanbul on Friday.</p><script>x()</script>",
        ),
        (title, "&lt;p&gt; &amp;nbsp; <<<>>> </p></div></div>"),  # HTML soup
        ("Delegations meet " * 40, ""),  # a title longer than the limit
    ]
    for limit in (40, 120, 280):
        for case_title, text in cases:
            summary = summarise(case_title, text, limit=limit, topic_terms=TOPIC)
            assert len(summary) <= limit, (case_title[:20], text[:40], limit)
            words = set(re.findall(r"\w+", f"{case_title} {text}"))
            assert set(re.findall(r"\w+", summary)) <= words


def test_an_endless_sentence_falls_back_to_the_title() -> None:
    endless = " ".join(["the delegations kept talking about the ceasefire"] * 40) + "."
    summary = summarise("Talks go on and on", endless, topic_terms=TOPIC)
    assert summary == "Talks go on and on."


def test_only_a_title_gives_the_title_as_a_sentence() -> None:
    assert summarise("Kremlin studies Kyiv offer", "") == "Kremlin studies Kyiv offer."
    assert summarise("Is a deal near?", "") == "Is a deal near?"
    assert summarise("", "") == ""


def test_a_title_too_long_is_clipped_at_a_word_boundary_as_a_last_resort() -> None:
    title = "Negotiators " + "discuss the ceasefire line " * 20
    summary = summarise(title, "", limit=60)
    assert len(summary) <= 60
    assert summary.endswith("…")
    assert title.startswith(summary[:-1])
    assert title[len(summary) - 1] == " "


def test_html_is_read_as_text() -> None:
    html = (
        "<p>Ukraine and Russia <a href='/x'>met</a> in Istanbul on Friday &amp; agreed to "
        "exchange prisoners.</p><p>Read more</p>"
    )
    summary = summarise("Istanbul talks", html, topic_terms=TOPIC)
    assert summary == "Ukraine and Russia met in Istanbul on Friday & agreed to exchange prisoners."


def test_count_sentences() -> None:
    assert count_sentences("") == 0
    assert count_sentences("Talks resume.") == 0  # too short to be a real sentence
    assert count_sentences("The delegations met in Istanbul on Friday. They agreed to talk.") == 2
    assert count_sentences("The post X appeared first on Y.") == 0
