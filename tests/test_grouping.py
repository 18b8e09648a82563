"""news.grouping: same development whatever the wording; a different fact is a new one."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from news.grouping import (
    DevelopmentIndex,
    Features,
    GroupingParams,
    add_member,
    content_tokens,
    decode_signature,
    encode_signature,
    new_profile,
    story_features,
)
from news.kinds import classify_kind
from news.similarity import frame_factor, kind_factor
from news.wording import body_numbers

T0 = datetime(2025, 5, 16, 12, 0, tzinfo=UTC)
WINDOW_HOURS = 48.0


def features(title: str, lead: str = "", body: str = "") -> Features:
    return story_features(title, lead, classify_kind(title, lead), GroupingParams(), body or lead)


def index_with(*reports: tuple[str, str, Features, datetime]) -> DevelopmentIndex:
    index = DevelopmentIndex(WINDOW_HOURS)
    for dev_id, _, found, at in reports:
        profile = index.profile(dev_id)
        profile = add_member(profile, found) if profile else new_profile(found)
        index.add(dev_id, profile, at, at)
    return index


ISTANBUL = features(
    "Russia and Ukraine agree to swap 1,000 prisoners each at Istanbul talks",
    "Russian and Ukrainian delegations agreed on Friday in Istanbul to exchange 1,000 prisoners "
    "of war each, Turkish Foreign Minister Hakan Fidan said.",
)


def test_the_same_event_in_another_outlets_words_joins() -> None:
    index = index_with(("d-talks", "", ISTANBUL, T0))
    other_wording = features(
        "Kyiv and Moscow to trade 1000 POWs apiece after first direct talks in Turkey",
        "Ukraine and Russia will each hand over a thousand captured soldiers, the outcome of "
        "Friday's meeting at the Dolmabahce Palace in Istanbul, Ukraine's Rustem Umerov said.",
    )
    match, score = index.best_match(other_wording, T0 + timedelta(hours=3))
    assert match == "d-talks", score


def test_an_offer_and_the_answer_to_it_are_two_developments() -> None:
    offer = features(
        "Ukraine proposes talks with Russia next week",
        "Ukraine proposed on Monday to hold a new round of talks with Russia next week in "
        "Istanbul, President Volodymyr Zelenskyy said.",
    )
    answer = features(
        "Kremlin says it is studying Kyiv's offer",
        "The Kremlin is studying Ukraine's proposal for new talks in Istanbul, spokesman Dmitry "
        "Peskov said on Tuesday, adding that no decision had been made.",
    )
    index = index_with(("d-offer", "", offer, T0))
    match, _ = index.best_match(answer, T0 + timedelta(hours=20))
    assert match is None


def test_an_agreed_exchange_and_the_exchange_carried_out_are_two_developments() -> None:
    done = features(
        "Russia and Ukraine swap 390 prisoners each in first stage of exchange",
        "Ukraine and Russia each released 390 people on Friday in the first stage of the "
        "exchange, Ukraine's coordination headquarters said.",
    )
    index = index_with(("d-talks", "", ISTANBUL, T0))
    match, _ = index.best_match(done, T0 + timedelta(hours=6))
    assert match is None


def test_the_two_days_of_one_round_are_one_development() -> None:
    day_one = features(
        "US, Russian delegations open talks in Riyadh on Black Sea ceasefire",
        "American and Russian negotiators began talks in Riyadh on Monday on a maritime "
        "ceasefire in the Black Sea, Grigory Karasin said.",
    )
    day_two = features(
        "Riyadh talks on Black Sea ceasefire continue for second day",
        "The US and Russian teams resumed their talks in Riyadh on Tuesday on the Black Sea "
        "ceasefire, Karasin told reporters.",
    )
    index = index_with(("d-riyadh", "", day_one, T0))
    match, _ = index.best_match(day_two, T0 + timedelta(hours=22))
    assert match == "d-riyadh"


def test_nothing_joins_a_development_outside_the_window() -> None:
    index = index_with(("d-talks", "", ISTANBUL, T0))
    assert index.best_match(ISTANBUL, T0 + timedelta(hours=WINDOW_HOURS + 1))[0] is None
    assert index.best_match(ISTANBUL, T0 - timedelta(hours=WINDOW_HOURS + 1))[0] is None
    assert index.best_match(ISTANBUL, T0 + timedelta(hours=WINDOW_HOURS - 8))[0] == "d-talks"


def test_unrelated_stories_never_meet_through_everyday_words() -> None:
    index = index_with(("d-talks", "", ISTANBUL, T0))
    vague = features("Ukraine Russia talks peace war", "Ukraine. Russia. Talks. Peace.")
    assert index.best_match(vague, T0)[0] is None


def test_the_signature_round_trips_exactly() -> None:
    profile = new_profile(ISTANBUL)
    for n in range(6):
        profile = add_member(profile, features(f"Istanbul talks report number {n}", "Talks."))
    decoded = decode_signature(encode_signature(profile))
    assert decoded == profile
    assert len(profile.members) == 4  # the first two and the latest two
    assert profile.count == 7


def test_damaged_or_old_signatures_are_ignored() -> None:
    for signature in ("", "{", "[]", '{"v": 1, "m": []}', '{"v": 2, "m": [1], "c": {}, "n": 1}'):
        assert decode_signature(signature) is None


def test_synonyms_and_datelines_fold_into_the_same_tokens() -> None:
    assert content_tokens("Kyiv's truce offer") == content_tokens("Ukraine ceasefire proposal")
    assert content_tokens("Kremlin negotiations") == content_tokens("Moscow talks")
    assert "1000" in content_tokens("swap of 1,000 prisoners")


def outlet_index(dev_id: str, found: Features, outlet: str) -> DevelopmentIndex:
    index = DevelopmentIndex(WINDOW_HOURS)
    index.add(dev_id, new_profile(found), T0, T0, outlets=[outlet])
    return index


SWAP_DONE = features(
    "Russia and Ukraine swap 390 prisoners each in first stage of exchange",
    "Ukraine and Russia each released 390 people on Friday in the first stage of the "
    "exchange, Ukraine's coordination headquarters said.",
)


def test_an_outlets_rewrite_of_its_own_story_joins() -> None:
    index = outlet_index("d-swap", SWAP_DONE, "Reuters")
    rewrite = features(
        "UPDATE 2-Russia, Ukraine exchange 390 POWs each in biggest swap since talks",
        "Russia and Ukraine each freed 390 prisoners of war on Friday, the first part of an "
        "exchange of 1,000 for 1,000 agreed in Istanbul, both sides said. Adds Zelenskiy quote.",
    )
    match, score = index.best_match(rewrite, T0 + timedelta(hours=4), "Reuters")
    assert match == "d-swap", score
    assert score == index.best_match(rewrite, T0 + timedelta(hours=4), "AP")[1]


def test_an_outlets_longer_version_of_its_own_story_joins() -> None:
    talks = features(
        "Russian, Ukrainian delegations meet in Istanbul",
        "Delegations from Russia and Ukraine met at the Dolmabahce Palace in Istanbul on "
        "Friday for their first direct talks since 2022.",
    )
    index = outlet_index("d-istanbul", talks, "Al Jazeera")
    longer = features(
        "Live: Russia and Ukraine hold first direct talks in three years in Istanbul",
        "Russian and Ukrainian negotiators are meeting at Istanbul's Dolmabahce Palace, with "
        "Turkey's foreign minister Hakan Fidan opening the session on Friday.",
        body="Russian and Ukrainian negotiators are meeting at Istanbul's Dolmabahce Palace. "
        "Vladimir Medinsky leads the Russian side; Rustem Umerov the Ukrainian one.",
    )
    match, score = index.best_match(longer, T0 + timedelta(hours=2), "Al Jazeera")
    assert match == "d-istanbul", score
    assert score == index.best_match(longer, T0 + timedelta(hours=2), "BBC News")[1]


def test_an_outlets_next_story_about_another_fact_stays_apart() -> None:
    index = outlet_index("d-talks", ISTANBUL, "Reuters")
    carried_out = features(
        "Russia and Ukraine carry out first stage of 1,000-for-1,000 prisoner swap",
        "Russia and Ukraine exchanged 390 prisoners each on Friday, the first part of the "
        "swap agreed at the Istanbul talks, the defence ministry in Moscow said.",
    )
    at = T0 + timedelta(hours=6)
    same_outlet = index.best_match(carried_out, at, "Reuters")
    assert same_outlet[0] is None
    assert same_outlet[1] < index.best_match(carried_out, at, "AP")[1]
    assert index.best_match(carried_out, at, " reuters ") == same_outlet  # however spelled


def test_an_outlets_answer_after_its_offer_report_stays_apart() -> None:
    offer = features(
        "Ukraine proposes new round of talks with Russia in Istanbul",
        "Ukraine on Monday proposed a new round of direct talks with Russia in Istanbul, "
        "Foreign Minister Andrii Sybiha said.",
    )
    index = outlet_index("d-offer", offer, "Kyiv Independent")
    answer = features(
        "Kremlin says it will study Kyiv's proposal for Istanbul talks",
        "Moscow will study Ukraine's proposal for a new round of talks in Istanbul, Kremlin "
        "spokesman Dmitry Peskov said on Tuesday.",
    )
    match, _ = index.best_match(answer, T0 + timedelta(hours=18), "Kyiv Independent")
    assert match is None


def test_two_visits_on_different_days_are_two_developments() -> None:
    first = features(
        "Putin receives Witkoff in the Kremlin for five hours of talks",
        "Vladimir Putin held talks with U.S. envoy Steve Witkoff in the Kremlin on Tuesday, "
        "aide Yuri Ushakov said.",
    )
    second = features(
        "Witkoff back in the Kremlin for talks with Putin",
        "U.S. envoy Steve Witkoff held talks with Vladimir Putin in the Kremlin on Thursday, "
        "aide Yuri Ushakov said.",
    )
    retold = features(
        "Ushakov: Putin-Witkoff meeting in Kremlin lasted five hours",
        "Kremlin aide Yuri Ushakov said Vladimir Putin's talks with U.S. envoy Steve Witkoff on "
        "Tuesday were useful.",
    )
    second_if_tuesday = features(
        "Witkoff back in the Kremlin for talks with Putin",
        "U.S. envoy Steve Witkoff held talks with Vladimir Putin in the Kremlin on Tuesday, "
        "aide Yuri Ushakov said.",
    )
    index = index_with(("d-visit", "", first, T0))
    at = T0 + timedelta(hours=3)
    assert index.best_match(retold, at)[0] == "d-visit"
    other_day = index.best_match(second, at)[1]
    assert other_day == pytest.approx(index.best_match(second_if_tuesday, at)[1] * 0.5)
    assert other_day < index.best_match(retold, at)[1]


def test_grouping_probe_smoke() -> None:
    """bench/grouping_probe.py: B-cubed and the crowded replay on a few labelled items."""
    from pathlib import Path

    from bench.grouping_probe import bcubed, crowd, load_items, run
    from news.judging import Judge
    from news.topic import load_profile

    root = Path(__file__).resolve().parents[1]
    items = [
        i for i in load_items(str(root / "tests/data/dev_part1.jsonl")) if i["label"]["relevant"]
    ]
    gold = {item["id"]: item["label"]["development"] for item in items}
    judge = Judge(load_profile(root / "seeds" / "topic.toml"))
    crowded = crowd(items, 3.0)
    assert len(crowded) == len(items)
    assert bcubed(gold, gold) == (1.0, 1.0, 1.0)
    precision, recall, f1 = bcubed(gold, run(judge, crowded, False))
    assert 0.0 < f1 <= 1.0 and 0.0 < precision <= 1.0 and 0.0 < recall <= 1.0


def test_different_rounds_of_one_process_are_two_developments() -> None:
    second = features(
        "Second round of trilateral talks opens in Abu Dhabi",
        "Delegations of Ukraine, Russia and the United States began the second round of "
        "trilateral talks in Abu Dhabi, the UAE foreign ministry said.",
    )
    third = features(
        "Third round of trilateral talks opens in Abu Dhabi",
        "Delegations of Ukraine, Russia and the United States began the third round of "
        "trilateral talks in Abu Dhabi, the UAE foreign ministry said.",
    )
    same_round = features(
        "Ukraine, Russia, US open 2nd round of Abu Dhabi talks",
        "The second round of three-way talks between Kyiv, Moscow and Washington began in "
        "Abu Dhabi, the Emirati foreign ministry said.",
    )
    index = index_with(("d-round2", "", second, T0))
    at = T0 + timedelta(hours=10)
    assert index.best_match(same_round, at)[0] == "d-round2"
    assert index.best_match(third, at)[0] is None
    assert third.rounds == {"round3"} and same_round.rounds == second.rounds == {"round2"}


def test_the_days_of_a_story_survive_the_signature() -> None:
    dated = story_features(
        "Putin and Witkoff meet in the Kremlin on March 19",
        "The talks ended late yesterday, aide Yuri Ushakov said.",
        "meeting",
        GroupingParams(),
        reported_at=datetime(2026, 3, 20, 9, 0, tzinfo=UTC),  # a Friday
    )
    assert dated.calendar and dated.weekdays == {3}
    decoded = decode_signature(encode_signature(new_profile(dated)))
    assert decoded is not None and decoded.members[0] == dated


def test_body_numbers_leave_out_dates_and_clock_times() -> None:
    body = (
        "On May 15 at 18:00 Moscow time, 1,000 prisoners were due; by 6 p.m. on 16th of May "
        "only 390 had crossed, and 2.5 hours later 84 more. Talks resume on 2 June."
    )
    assert body_numbers(body) == ["1000", "390", "2.5", "84"]


def test_an_outlets_story_is_compared_with_its_own_earlier_report() -> None:
    def reported(title: str, lead: str, outlet: str) -> Features:
        kind = classify_kind(title, lead)
        return story_features(title, lead, kind, GroupingParams(), lead, outlet=outlet)

    tass = reported(
        "Kremlin says it is hopeful after Witkoff visit",
        "Kremlin aide Yuri Ushakov said on Tuesday that Moscow was hopeful after Vladimir Putin "
        "received Steve Witkoff in the Kremlin.",
        "TASS",
    )
    ap = reported(
        "Putin meets Witkoff in Kremlin for five hours of talks on Ukraine",
        "Russian President Vladimir Putin met U.S. envoy Steve Witkoff in the Kremlin on "
        "Tuesday for five hours of talks on ending the war, Ushakov said.",
        "AP",
    )
    index = DevelopmentIndex(WINDOW_HOURS)
    index.add("d-visit", add_member(new_profile(tass), ap), T0, T0, outlets=["TASS", "AP"])
    assert (tass.outlet, ap.outlet, tass.kind, ap.kind) == ("tass", "ap", "statement", "meeting")
    # TASS again, framed like AP's report but not like its own: more likely another fact
    tass_again = reported(
        "Putin meets Witkoff in the Kremlin, Ushakov says",
        "Vladimir Putin met Steve Witkoff in the Kremlin on Tuesday, Yuri Ushakov said.",
        "TASS",
    )
    at = T0 + timedelta(hours=2)
    assert index.best_match(tass_again, at, "TASS")[1] < index.best_match(tass_again, at, "RT")[1]
    # AP again with its own framing: a rewrite, no penalty
    ap_again = reported(
        "UPDATE 1-Putin meets Witkoff in Kremlin, talks on Ukraine last five hours",
        "Vladimir Putin met U.S. envoy Steve Witkoff in the Kremlin on Tuesday, talks on "
        "ending the war lasted five hours, Ushakov said.",
        "AP",
    )
    assert index.best_match(ap_again, at, "AP") == index.best_match(ap_again, at, "RT")
    assert index.best_match(ap_again, at, "AP")[0] == "d-visit"


def test_meetings_in_different_places_are_two_developments() -> None:
    geneva = features(
        "US and Ukrainian officials hold talks in Geneva on peace plan",
        "American and Ukrainian delegations met in Geneva on Sunday to discuss the US peace "
        "plan, officials said.",
    )
    elsewhere = features(
        "US officials hold talks with Russians in Abu Dhabi on peace plan",
        "American officials met a Russian delegation in Abu Dhabi on Monday to discuss the "
        "US peace plan, officials said.",
    )
    assert geneva.venues == frozenset({"switzerland"})
    plain = DevelopmentIndex(WINDOW_HOURS, GroupingParams(venue_penalty=1.0))
    penalised = index_with(("d-geneva", "", geneva, T0))
    plain.add("d-geneva", new_profile(geneva), T0, T0)
    at = T0 + timedelta(hours=20)
    assert penalised.best_match(elsewhere, at)[1] < plain.best_match(elsewhere, at)[1]


def test_one_venue_however_written_agrees_and_survives_the_signature() -> None:
    alaska = features("Trump and Putin end Alaska summit without ceasefire deal")
    anchorage = features("Putin: understanding reached in Anchorage may pave way to peace")
    assert alaska.venues == anchorage.venues == frozenset({"alaska"})
    decoded = decode_signature(encode_signature(new_profile(alaska)))
    assert decoded is not None and decoded.members[0].venues == alaska.venues


@pytest.mark.parametrize(
    ("title", "actor"),
    [
        ("Putin agrees to halt strikes on Ukraine energy sites", "russia"),
        ("Ukraine: Russia's Putin orders surprise Easter ceasefire", "russia"),
        ("Russia: talks cannot start before a ceasefire", "russia"),
        ("Zelensky: I am ready to meet Putin anywhere", "ukraine"),
        ("Twenty-six countries pledge force in Ukraine after ceasefire, Macron says", "europe"),
        ("Black Sea talks near conclusion, Fidan says", "turkey"),
        ("The third Istanbul round ends without a ceasefire", ""),
        ("Putin backs truce in principle, Peskov says", "russia"),
        ("European leaders in Kyiv back 30-day ceasefire", "europe"),
        ("Switzerland offers to host Putin-Zelensky summit", "switzerland"),
    ],
)
def test_the_actor_is_the_side_the_title_makes_its_subject(title: str, actor: str) -> None:
    assert features(title).actor == actor


def test_a_delegation_named_is_not_a_meeting_outlets_mix_up() -> None:
    named = features(
        "Kremlin names intelligence chief Kostyukov to lead Russian team at Abu Dhabi talks"
    )
    held = features("Russian, Ukrainian and US delegations hold talks in Abu Dhabi")
    assert (named.kind, held.kind) == ("other", "meeting")
    assert kind_factor(named.kind, held.kind, 0.6) == 0.6  # the full penalty, not (1 + p) / 2
    assert kind_factor("meeting", "statement", 0.6) == 0.8
    assert kind_factor("meeting", "proposal", 0.6) == 0.8  # a meeting and the offer made at it


def test_a_meeting_of_the_same_parties_named_in_another_order_is_one_frame() -> None:
    first = features("Trump and Zelenskyy meet in Rome before the funeral")
    second = features("Zelensky and Trump held a meeting in Rome: 'very symbolic'")
    assert (first.actor, second.actor) == ("us", "ukraine")
    assert first.sides == second.sides == frozenset(("us", "ukraine"))
    assert frame_factor(first, second, GroupingParams()) == 1.0
    other = features("Zelensky and Putin to meet in Istanbul, Erdogan says")
    assert frame_factor(first, other, GroupingParams()) < 1.0
    restored = decode_signature(encode_signature(new_profile(second)))
    assert restored is not None and restored.members[0].sides == second.sides


def test_a_side_named_as_a_place_or_target_is_not_a_party() -> None:
    assert features("Putin orders halt to strikes on Ukraine energy sites").sides == {"russia"}


def test_counts_written_in_words_are_the_same_number() -> None:
    words = features("Two hundred and fifteen defenders come home in UAE-brokered swap")
    digits = features("Ukraine gets 215 fighters back in swap brokered by the UAE")
    assert "215" in words.numbers & digits.numbers
    assert "4" not in features("Four hours of talks in Istanbul").numbers  # small counts stay words


def test_a_statement_by_another_side_about_a_pledge_is_an_answer() -> None:
    pledge = features(
        "Twenty-six countries pledge to deploy reassurance force in Ukraine, Macron says"
    )
    answer = features("Putin says any Western troops in Ukraine would be legitimate targets")
    assert (pledge.kind, answer.kind) == ("other", "statement")
    params = GroupingParams()
    kinds = kind_factor(answer.kind, pledge.kind, params.kind_penalty)
    assert frame_factor(answer, pledge, params) == pytest.approx(kinds * params.actor_penalty**2)


@pytest.mark.parametrize(
    "words", ["twenty twenty-five", "nine-eleven", "fifty-fifty", "nineteen eighty-four"]
)
def test_number_words_that_are_not_one_count_stay_words(words: str) -> None:
    assert not features(f"{words} in Istanbul talks").numbers


def test_a_long_run_of_number_words_is_read_without_error() -> None:
    assert features("hundred " * 3000).numbers == frozenset()
