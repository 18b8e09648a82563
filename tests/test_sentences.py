"""news.sentences: plain text and whole sentences, boilerplate and datelines dropped."""

from __future__ import annotations

from news.sentences import LeadSentence, clean_text, clean_title, count_sentences, split_sentences


def test_count_sentences() -> None:
    assert count_sentences("") == 0
    assert count_sentences("Talks resume.") == 0  # too short to be a real sentence
    assert count_sentences("The delegations met in Istanbul on Friday. They agreed to talk.") == 2
    assert count_sentences("The post X appeared first on Y.") == 0


def test_the_dateline_led_sentence_is_marked_as_the_lead() -> None:
    sentences = split_sentences("VIENNA, May 2 (AP) — Envoys met on Friday. They talked for hours.")
    assert [type(s) for s in sentences] == [LeadSentence, str]
    assert sentences[0] == "Envoys met on Friday."


def test_a_clock_time_split_by_the_segmenter_is_glued_back() -> None:
    text = (
        "The truce will start at 6 p.m. Moscow time on Saturday and last 30 hours, the Kremlin "
        "said. Ukraine said it would respond in kind."
    )
    sentences = split_sentences(text)
    assert sentences[0].startswith("The truce will start at 6 p.m. Moscow time on Saturday")


def test_contributor_lines_are_boilerplate() -> None:
    text = (
        "Envoys of Russia and Ukraine met in Geneva on Tuesday for a new round of talks. "
        "Associated Press writers Jane Doe in Kyiv and John Roe in Geneva contributed."
    )
    assert split_sentences(text) == [
        "Envoys of Russia and Ukraine met in Geneva on Tuesday for a new round of talks."
    ]


def test_a_byline_alone_does_not_make_a_wire_lead() -> None:
    sentences = split_sentences("By Jane Doe\n\nThe motorcade swept past the gates at ten.")
    assert sentences == ["The motorcade swept past the gates at ten."]
    assert type(sentences[0]) is str


def test_clean_text_drops_inline_boilerplate_and_keeps_paragraphs() -> None:
    text = (
        "<p>Envoys met in Geneva on Tuesday. (Photo by John Smith)</p>\n\n"
        "<p>They agreed  to meet again. [...] Read more</p>"
    )
    assert clean_text(text) == "Envoys met in Geneva on Tuesday.\nThey agreed to meet again."


def test_clean_title_reads_html_and_folds_whitespace() -> None:
    assert clean_title("Talks <b>resume</b>\n in  Istanbul &amp; Geneva") == (
        "Talks resume in Istanbul & Geneva"
    )
    assert clean_title("  Talks   resume ") == "Talks resume"
