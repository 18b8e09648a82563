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


def test_header_and_credit_paragraphs_are_not_sentences() -> None:
    text = (
        "Kyiv Post | Analysis | July 25, 2024 | Photo: MFA of Ukraine\n\n"
        "By Daily Maverick staff | Photo: GCIS\n\n"
        "Roman Romaniuk, Ukrainska Pravda — Wednesday, 11 March 2026, 21:20\n\n"
        "Text: Iryna Balachuk.\n\n"
        "Editor's note: This story was updated to include comments from Ukrenergo.\n\n"
        "Ukraine and Russia exchanged 230 prisoners on Wednesday. (Serhii Okunev / Kyiv Post)\n\n"
        "Follow our live coverage\n\n"
        "SOURCE: AL JAZEERA AND NEWS AGENCIES"
    )
    assert split_sentences(clean_text(text)) == [
        "Ukraine and Russia exchanged 230 prisoners on Wednesday."
    ]


def test_a_single_paragraph_without_punctuation_is_kept_as_text() -> None:
    assert split_sentences("talks in geneva end without a deal") == [
        "talks in geneva end without a deal"
    ]


def test_a_city_and_agency_dateline_and_an_ordinal_date_are_stripped() -> None:
    assert split_sentences("Paris (AFP) – Leaders met on Tuesday.") == ["Leaders met on Tuesday."]
    ordinal = "ABU DHABI, 3rd January, 2024 (WAM) -- The UAE mediated a new exchange."
    assert split_sentences(ordinal) == ["The UAE mediated a new exchange."]


def test_figure_captions_are_not_article_text() -> None:
    html = (
        "<figure><img src='x.jpg'><figcaption>Cranes idle at the port.</figcaption></figure>"
        "<p>Russia left the grain deal on Monday.</p>"
    )
    assert split_sentences(clean_text(html)) == ["Russia left the grain deal on Monday."]


def test_prose_that_starts_like_a_credit_is_kept() -> None:
    text = (
        "Video footage showed the delegations arriving in Istanbul. From the outset the "
        "Ukrainian team insisted on a ceasefire first. (Reuters) Russia said it would attend. "
        "By the end of the day the team agreed."
    )
    assert len(split_sentences(clean_text(text))) == 4


def test_short_prose_paragraphs_and_bracketed_sentences_are_kept() -> None:
    text = (
        "Russia and Ukraine agreed to swap 1,000 prisoners, Zelensky said…\n"
        "Umerov told Reuters: 'We are ready to meet in Istanbul.'\n"
        "Zelensky said:\n"
        "Published on Friday, the draft lists 28 points.\n"
        "Translation: the memorandum lists three conditions.\n"
        "(Zelensky later said Ukraine would not cede any territory.)\n"
        "22nd Brigade — the unit that held Pokrovsk — was withdrawn on Friday."
    )
    sentences = split_sentences(clean_text(text))
    assert len(sentences) == 7
    assert sentences[-1].startswith("22nd Brigade")


def test_a_byline_with_a_place_and_inline_photo_and_credit_lines_go() -> None:
    text = (
        "Lavrov said no. By Anna Kolesnikova, Riga Photo: Sergei Lavrov in Moscow. "
        "Credit: Foreign Ministry / handout"
    )
    assert split_sentences(clean_text(text)) == ["Lavrov said no."]
    assert split_sentences(clean_text("The photo: a symbol of the talks.")) == [
        "The photo: a symbol of the talks."
    ]


def test_a_credit_line_never_takes_the_lead_below_it_and_by_phrases_stay() -> None:
    text = (
        "Photo: Reuters\nRussia and Ukraine exchanged 84 prisoners each on Thursday, the UAE said."
        "\nThe swap was the 60th."
    )
    assert split_sentences(clean_text(text))[0].startswith("Russia and Ukraine exchanged 84")
    assert split_sentences("By Friday, talks collapsed. By Sunday, Moscow agreed.") == [
        "By Friday, talks collapsed.",
        "By Sunday, Moscow agreed.",
    ]
