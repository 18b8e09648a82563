"""news.kinds: the development kind of a story."""

from __future__ import annotations

import pytest

from news.kinds import classify_kind
from news.records import Kind


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("Ukraine proposes talks next week", "proposal"),
        ("Putin offers direct talks with Ukraine in Istanbul", "proposal"),
        ("Putin declares Easter truce from Saturday evening", "proposal"),
        ("U.S. presents Ukraine with 28-point peace plan", "proposal"),
        ("Kremlin says it is studying Kyiv's offer", "statement"),
        ("Putin answers Washington's truce offer with a list of questions", "statement"),
        ("Zelensky says peace is possible this year", "statement"),
        ("Kremlin rejects Kyiv's ceasefire proposal", "rejection"),
        ("EU peace plan 'does not suit us', Kremlin aide says", "rejection"),
        ("Delegations meet in Istanbul for second round of talks", "meeting"),
        ("Second day of talks in Riyadh ends without statement", "meeting"),
        ("US envoy Witkoff arrives in Moscow", "meeting"),
        ("Russia, Ukraine agree to swap 1,000 prisoners each", "agreement"),
        ("Putin agrees to 30-day pause on strikes on energy sites", "agreement"),
        ("Black Sea grain deal extended for 60 days", "agreement"),
        ("Trump hosts Zelenskyy and European leaders to work on security guarantees", "meeting"),
        (
            "Ushakov: European truce proposal is an ultimatum, Moscow will not accept it",
            "rejection",
        ),
        ("Peskov: the Kremlin needs more details on the plan", "statement"),
        ("Putin receives US envoys in the Kremlin", "meeting"),
        ("Russia and Ukraine swap 390 prisoners each", "exchange"),
        ("Bodies of 909 soldiers returned to Ukraine", "exchange"),
        ("150 Ukrainians return home in first exchange of the year", "exchange"),
        ("Seven Ukrainian children returned from Russia with Qatar's mediation", "other"),
        ("Twenty-six countries pledge 'reassurance force' for Ukraine", "other"),
        ("Medinsky to head Russian delegation at Istanbul talks", "other"),
        ("Russia to send intelligence officers to the talks, not Medinsky", "other"),
        ("Kremlin sends a new team of negotiators to Abu Dhabi", "other"),
        ("Russian delegation for Geneva talks to be led by Kostyukov - Kremlin", "other"),
        ("Weather in Kyiv: sunny", "other"),
        ("Russia quits Black Sea grain deal", "rejection"),
        ("Kremlin rejects proposal to revive Black Sea shipping deal", "rejection"),
        ("Analysis: Trump's 28-point peace plan", "proposal"),
        ("Istanbul: Russian and Ukrainian delegations' talks", "meeting"),
        ("Kremlin cannot accept European troops in Ukraine, Peskov", "rejection"),
        ("Medinsky: Geneva talks 'hard but necessary'", "meeting"),
        ("Zelensky: Ukraine ready for sea truce if Russia reciprocates", "proposal"),
        ("RUSSIA MULLS UKRAINE SEA-TRUCE OFFER, SETS NO DEADLINE", "statement"),
        ("Kremlin neither yes nor no on sea truce", "statement"),
        ("Kiev says nyet to Kremlin draft", "rejection"),
        ("Qatar mediation returns 19 Ukrainian children", "other"),
        ("UAE brokers Russia-Ukraine prisoner release", "exchange"),
        ("Zelensky: Russia wants war, not talks", "statement"),
        ("Zelensky: Russia is not ready for talks", "statement"),
        ("Kremlin cool on Vatican as venue for talks", "rejection"),
    ],
)
def test_kind_of_each_headline(title: str, kind: Kind) -> None:
    assert classify_kind(title, "") == kind


def test_the_lead_decides_when_the_title_has_no_verb() -> None:
    lead = "Russia rejected the proposal on Monday, the Kremlin said. Talks are frozen."
    assert classify_kind("Moscow and the 30-day truce", lead) == "rejection"


def test_an_offer_and_the_answer_to_it_are_different_kinds() -> None:
    offer = classify_kind("Ukraine proposes talks next week", "")
    answer = classify_kind("Kremlin says it is studying Kyiv's offer", "")
    assert offer != answer


def test_an_agreed_exchange_and_the_exchange_carried_out_are_different_kinds() -> None:
    agreed = classify_kind("Russia and Ukraine agree to exchange 1,000 prisoners", "")
    done = classify_kind("Russia and Ukraine carry out first stage of prisoner exchange", "")
    assert (agreed, done) == ("agreement", "exchange")


def test_an_attribution_in_the_lead_does_not_outrank_the_titles_subject() -> None:
    title = "UAE mediation succeeds in new exchange of 390 captives between Russia and Ukraine"
    lead = "Russia and Ukraine each handed back 195 people, the UAE foreign ministry said."
    assert classify_kind(title, lead) == "exchange"
    assert classify_kind("Talks in Geneva", "The delegations met, officials said.") == "meeting"
    assert classify_kind("Kyiv and the plan", "Zelensky said he would decide soon.") == "proposal"
