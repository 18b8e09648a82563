"""news.salience: how much one sentence reads as the news."""

from __future__ import annotations

from news.salience import Context, score_sentence, stem_words
from news.sentences import LeadSentence

CONTEXT = Context(
    title=stem_words("Russia and Ukraine agree to swap 1,000 prisoners"),
    topic=stem_words("talks ceasefire exchange prisoners ukraine russia"),
)
NEWS = (
    "Russian and Ukrainian delegations agreed on Friday in Istanbul to exchange 1,000 prisoners "
    "of war each, Turkish Foreign Minister Hakan Fidan said."
)


def test_stems_fold_a_titles_synonyms_and_keep_numbers_whole() -> None:
    assert stem_words("Prisoner swap talks") == stem_words("prisoners exchange negotiations")
    assert "1,000" in stem_words("1,000 prisoners")
    assert stem_words("the of and it") == frozenset()


def test_a_dateline_lead_scores_above_the_same_sentence_without_one() -> None:
    plain = score_sentence(0, NEWS, CONTEXT)
    lead = score_sentence(0, LeadSentence(NEWS), CONTEXT)
    assert lead.score > plain.score
    assert (lead.index, lead.text, lead.tokens) == (0, NEWS, plain.tokens)


def test_the_news_sentence_outscores_a_scene_a_quote_and_background() -> None:
    news = score_sentence(3, NEWS, CONTEXT)
    others = [
        "Inside, the flags of three countries hung above a long table.",
        '"We came for peace," one delegate told reporters at the door.',
        "That is how a member of the Ukrainian team described the mood in the hall.",
        "Fidan, who has long argued for talks, has hosted such meetings since 2022.",
    ]
    for index, sentence in enumerate(others):
        assert score_sentence(index, sentence, CONTEXT).score < news.score, sentence
    assert news.filler


def test_a_bare_quote_and_colour_never_fill() -> None:
    bare_quote = '"We will not give up a single village."'
    colour = "The hotel bar closed late and the lobby was quiet."
    assert not score_sentence(1, bare_quote, CONTEXT).filler
    assert not score_sentence(1, colour, CONTEXT).filler


def test_a_pronoun_subject_after_a_fronted_phrase_leans_on_another_sentence() -> None:
    named = "On Friday in Istanbul, the two delegations agreed to exchange 1,000 prisoners each."
    leaning = "On Friday in Istanbul, they agreed to exchange 1,000 prisoners each."
    assert score_sentence(2, leaning, CONTEXT).score < score_sentence(2, named, CONTEXT).score


def test_past_perfect_background_scores_below_the_same_fact_as_news() -> None:
    news = "Russia and Ukraine agreed in Istanbul to exchange 1,000 prisoners."
    background = "Russia and Ukraine had agreed in Istanbul to exchange 1,000 prisoners."
    assert score_sentence(1, background, CONTEXT).score < score_sentence(1, news, CONTEXT).score


def test_a_stated_result_counts_as_an_outcome() -> None:
    vague = "The only concrete thing: a list of 1,000 names, to be handled in the coming days."
    result = "The only concrete result: a list of 1,000 names, to be handled in the coming days."
    assert score_sentence(4, result, CONTEXT).score > score_sentence(4, vague, CONTEXT).score


def test_a_sentence_opening_in_a_past_year_is_background() -> None:
    background = "In Istanbul in 2022, Russia and Ukraine agreed to exchange 1,000 prisoners."
    news = "On Friday in Istanbul, Russia and Ukraine agreed to exchange 1,000 prisoners."
    assert score_sentence(0, background, CONTEXT).score < score_sentence(0, news, CONTEXT).score


def test_reported_past_perfect_impersonal_it_and_counts_are_not_background() -> None:
    news = "The Kremlin said on Friday that Russia agreed to swap 1,000 prisoners with Ukraine."
    reported = news.replace("Russia agreed", "Russia had agreed")
    assert score_sentence(2, reported, CONTEXT).score == score_sentence(2, news, CONTEXT).score
    plain = "On Friday, Russia and Ukraine agreed to swap 1,000 prisoners each."
    impersonal = "On Friday, it was agreed that Russia and Ukraine would swap 1,000 prisoners each."
    assert (
        score_sentence(2, impersonal, CONTEXT).score >= score_sentence(2, plain, CONTEXT).score - 1
    )
    count = "Russia returned 2000 soldiers, Ukraine's coordination headquarters said on Friday."
    with_year = "In 2022, Russia returned soldiers, Ukraine's coordination headquarters said."
    assert score_sentence(1, count, CONTEXT).score > score_sentence(1, with_year, CONTEXT).score


def test_a_dateline_scene_gets_no_wire_lead_bonus() -> None:
    scene = "The cranes stood still all night, and dock worker Oleh Marchenko, 52, took shelter."
    assert (
        score_sentence(0, LeadSentence(scene), CONTEXT).score
        == score_sentence(0, scene, CONTEXT).score
    )
