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
