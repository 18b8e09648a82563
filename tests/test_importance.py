"""news.importance: how important a development is."""

from __future__ import annotations

from news.importance import score_importance
from news.records import KINDS


def test_importance_is_a_fraction_and_grows_with_outlets_leaders_and_agreements() -> None:
    base = score_importance("statement", "Officials comment on talks", "", 1)
    more_outlets = score_importance("statement", "Officials comment on talks", "", 4)
    leaders = score_importance("statement", "Putin and Zelensky comment on talks", "", 1)
    truce = score_importance("agreement", "Parties sign ceasefire agreement", "", 1)
    assert 0.0 <= base < more_outlets <= 1.0
    assert base < leaders
    assert base < truce
    for kind in KINDS:
        top = score_importance(kind, "Putin and Zelensky sign peace deal and ceasefire", "", 50)
        assert 0.0 <= top <= 1.0
