"""news.summary: short summaries of whole sentences from the story, within the limit."""

from __future__ import annotations

import re

import pytest

from news.sentences import split_sentences
from news.summary import summarise

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


def _comes_from(summary: str, source: str) -> bool:
    """Every sentence of the summary is in the source (a main clause cut from a longer sentence
    may end with that sentence's full stop)."""
    text = " ".join(source.split())
    return all(s in text or s.rstrip(".") in text for s in split_sentences(summary))


def test_a_dateline_lead_is_the_news_sentence_even_when_later_ones_repeat_the_title() -> None:
    text = (
        "ODESA, June 4 (Reuters) - Grain ships will resume sailing from three Ukrainian ports "
        "under a 90-day arrangement brokered by Qatar between Moscow and Kyiv, Doha said on "
        "Wednesday.\n\nThe Black Sea shipping deal follows the grain deal that collapsed in 2023, "
        "when Russia walked out of the grain shipping arrangement.\n\n"
        "Grain traders said the shipping deal would lower freight rates for Ukrainian grain."
    )
    summary = summarise("Qatar brokers Black Sea grain shipping deal", text, topic_terms=TOPIC)
    assert summary.startswith("Grain ships will resume sailing from three Ukrainian ports")
    assert "90-day" in summary and "Qatar" in summary
    assert "ODESA" not in summary and "(Reuters)" not in summary


def test_an_anaphoric_scene_opener_loses_to_the_sentence_with_the_terms() -> None:
    text = (
        '"Signed, sealed and nearly delivered." That is how a member of the Ukrainian team '
        "described the moratorium text that negotiators from both countries finished on Sunday "
        "night in Doha, after weeks of drafting. Under the text, the moratorium on strikes "
        "against ports lasts 60 days and takes effect on the first Monday after both "
        "parliaments ratify it. It also sets up a hotline between the two navies."
    )
    summary = summarise("Port strike moratorium text finished", text, topic_terms=TOPIC)
    assert "60 days" in summary
    assert "That is how" not in summary and "Signed, sealed" not in summary
    assert _comes_from(summary, text)


def test_a_quote_opener_is_passed_over_for_the_news() -> None:
    text = (
        "'We will not give up a single village,' the minister said, leaning on the lectern. "
        "'Not one.' Ukraine rejected on Thursday a Russian proposal to freeze the front line "
        "along the Dnipro river, Foreign Minister Andrii Sybiha told reporters in Vilnius. "
        "He said Kyiv would only discuss a full ceasefire first."
    )
    summary = summarise("Kyiv rejects Russian front-line proposal", text, topic_terms=TOPIC)
    assert summary.startswith("Ukraine rejected on Thursday a Russian proposal")
    assert "single village" not in summary


def test_an_outcome_with_a_number_deep_in_the_text_is_carried() -> None:
    text = (
        "The corridor of the old hotel smelled of coffee and cigarettes by midnight. "
        "Reporters had been waiting since the afternoon for any sign of movement. "
        "A few people stepped out to smoke on the terrace, saying nothing. "
        "On a grey morning two days earlier, few had expected the talks to last this long. "
        "The two delegations agreed to return 2,500 bodies each and to exchange 480 prisoners "
        "of war on Saturday, the Turkish mediators said. "
        "The hotel bar closed at two."
    )
    summary = summarise("Talks in Antalya end after midnight", text, topic_terms=TOPIC)
    assert "2,500 bodies" in summary and "480 prisoners" in summary
    assert "smelled of coffee" not in summary


def test_who_met_whom_where_beats_background() -> None:
    text = (
        '"A useful conversation," the envoy posted late on Monday. '
        "The Kremlin's special envoy had just spent four hours with Finnish President Alexander "
        "Stubb in Turku. Stubb, who has long argued for a European seat at the table, has "
        "hosted such contacts since 2024. Officially, the agenda was the ceasefire plan."
    )
    summary = summarise("Kremlin envoy's Turku visit", text, topic_terms=TOPIC)
    assert "four hours with Finnish President Alexander Stubb in Turku" in summary


def test_an_over_long_sentence_gives_its_main_clause_with_its_own_full_stop() -> None:
    lead = (
        "President Vladimir Putin said on Thursday that Russia backed a Chinese proposal for a "
        "20-day Christmas truce along the whole front in principle, but that any pause must be "
        "verified by observers from countries Moscow considers neutral and that the question of "
        "who would pay for those observers had to be answered before the first day of the truce."
    )
    assert len(lead) > 280
    summary = summarise("Putin backs truce in principle", lead, topic_terms=TOPIC)
    assert summary == (
        "President Vladimir Putin said on Thursday that Russia backed a Chinese proposal for a "
        "20-day Christmas truce along the whole front in principle."
    )


def test_no_clause_is_cut_before_a_quote_or_inside_an_open_quote() -> None:
    long_quote = 'The minister said: "' + "we will never accept this, " * 12 + 'never."'
    assert summarise("Minister speaks", long_quote) == "Minister speaks."
    inside = (
        'Kyiv called the plan "a list of demands; nothing more" and refused to sign it, '
        + "the delegation said in a long statement on the talks " * 6
        + "today."
    )
    assert summarise("Kyiv refuses plan", inside) == "Kyiv refuses plan."


def test_every_summary_of_a_long_article_fits_any_limit_and_comes_from_the_text() -> None:
    for limit in (60, 100, 160, 280, 400):
        summary = summarise("Istanbul talks", LONG_ARTICLE, limit=limit, topic_terms=TOPIC)
        assert 0 < len(summary) <= limit
        assert summary[-1] in ".!?…\"”'’"


def test_a_filler_that_brings_a_new_number_is_preferred_to_a_vaguer_one() -> None:
    text = (
        "Russian and Ukrainian negotiators agreed in Riyadh on Monday to extend the energy "
        "moratorium, the Saudi foreign ministry said. "
        "Officials on both sides welcomed the agreement as a useful step forward for the talks. "
        "The extension runs for 45 days and covers 12 power plants. "
        "Moscow has not answered Kyiv's call for a wider truce."
    )
    summary = summarise("Energy moratorium extended in Riyadh", text, limit=240, topic_terms=TOPIC)
    assert "45 days" in summary
    assert "useful step forward" not in summary


@pytest.mark.parametrize(
    ("sentence", "clause"),
    [
        (
            "On Friday Ukraine and Russia each released 410 prisoners in the second stage of the "
            "swap agreed in Istanbul: 300 soldiers and 110 civilians, among them medics, border "
            "guards and sailors captured in the first weeks of the war, according to Kyiv's "
            "coordination headquarters and the ombudsmen of both countries.",
            "On Friday Ukraine and Russia each released 410 prisoners in the second stage of the "
            "swap agreed in Istanbul.",
        ),
        (
            "Twenty countries have formally committed to send troops or ships to Ukraine once a "
            "ceasefire takes hold, as part of a force to deter a new attack from the sea, the air "
            "and the land, British Prime Minister Keir Starmer said on Thursday after a video "
            "call of the coalition of the willing hosted from London and Paris.",
            "Twenty countries have formally committed to send troops or ships to Ukraine once a "
            "ceasefire takes hold, as part of a force to deter a new attack from the sea, the air "
            "and the land.",
        ),
    ],
)
def test_a_main_clause_ends_at_a_colon_or_before_a_trailing_attribution(
    sentence: str, clause: str
) -> None:
    assert len(sentence) > 280
    assert summarise("Talks news", sentence, topic_terms=TOPIC) == clause


def test_a_clause_ending_on_an_abbreviation_keeps_one_full_stop() -> None:
    sentence = (
        "Ukraine signed the minerals and reconstruction fund agreement with the U.S., which "
        + "officials in Kyiv described as a first step toward a broader settlement " * 4
        + "later."
    )
    summary = summarise("Fund agreement signed", sentence, topic_terms=TOPIC)
    assert summary == "Ukraine signed the minerals and reconstruction fund agreement with the U.S."


def test_a_short_second_sentence_that_continues_the_lead_fills_the_room() -> None:
    text = (
        "Kyiv and Washington have agreed the wording of a bilateral guarantees treaty that would "
        "apply once the guns fall silent, officials in both capitals said on Friday. "
        "The text now goes to the Verkhovna Rada."
    )
    summary = summarise("Guarantees treaty text agreed", text, topic_terms=TOPIC)
    assert summary.endswith("The text now goes to the Verkhovna Rada.")
    assert len(summary) <= 280


def test_a_second_sentence_too_long_for_the_room_joins_by_its_main_clause() -> None:
    text = (
        "Vladimir Putin announced on Saturday a three-day ceasefire along the whole front line "
        "to mark the anniversary of the end of the Second World War, the Kremlin said in a "
        "statement. "
        "The truce will run from 8 to 10 May, which officials in Kyiv dismissed as theatre "
        "rather than a real step towards an end to the fighting."
    )
    summary = summarise("Putin announces three-day ceasefire", text, topic_terms=TOPIC)
    assert summary.endswith(" The truce will run from 8 to 10 May.")
    assert len(summary) <= 280


def test_a_fronted_phrase_before_the_speaker_is_not_a_main_clause() -> None:
    sentence = (
        "After two days of talks in Abu Dhabi that ended on Wednesday evening, Secretary Rustem "
        "Umerov said the delegations had worked line by line on how a ceasefire would be "
        "monitored along more than 1,200 kilometres of front, with satellites, drones and, "
        "possibly, observers on the ground."
    )
    assert len(sentence) > 280
    summary = summarise("Two days in Abu Dhabi", sentence, topic_terms=TOPIC)
    assert summary != "After two days of talks in Abu Dhabi that ended on Wednesday evening."


def test_a_clause_may_end_before_a_participle_and_inside_a_quote() -> None:
    sentence = (
        "Speaking after a cabinet meeting in Ankara, President Recep Tayyip Erdogan said Turkey "
        'was ready to host a summit of the three leaders in Istanbul "as early as April," '
        "arguing that months of technical talks in Abu Dhabi and Geneva had prepared the ground "
        "and that only the leaders could settle the questions that remain, above all the future "
        "of the Donetsk region."
    )
    assert len(sentence) > 280
    summary = summarise("Erdogan invites leaders", sentence, topic_terms=TOPIC)
    assert summary.endswith('in Istanbul "as early as April."')


def test_a_speaker_followed_by_what_they_report_is_not_a_trailing_attribution() -> None:
    sentence = (
        "After two days of closed-door talks in Istanbul on Friday, Umerov said on Saturday that "
        "the delegations agreed to swap 1,000 prisoners each and to meet again, with Turkey "
        "hosting the next round at the Dolmabahce Palace, officials in Ankara said in a statement "
        "released late on Saturday evening after the delegations had left."
    )
    assert len(sentence) > 280
    summary = summarise("Swap agreed", sentence, topic_terms=TOPIC)
    assert summary != "After two days of closed-door talks in Istanbul on Friday."


def test_a_year_is_no_new_detail_for_a_filler() -> None:
    text = (
        "The palace has seen this before. "
        "In the spring of 2022 its white marble terraces held delegations who believed that a "
        "deal was near. "
        "Ukrainian and Russian delegations opened a new round of direct talks in Istanbul on "
        "March 5, the first face-to-face session in almost four months. "
        "Turkish Foreign Minister Hakan Fidan chaired the session and said both sides had agreed "
        "to continue on Friday."
    )
    summary = summarise("Istanbul round: low hopes", text, topic_terms=TOPIC)
    assert "2022" not in summary
    assert "March 5" in summary
