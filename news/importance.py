"""How important a development is, for role pings and ordering. Pure functions.

The kind sets the base (an agreement matters more than a statement); each further outlet that
reports it adds a little (up to four), and so do leaders named and agreement words (ceasefire,
signed, memorandum) in the title or lead.
"""

from __future__ import annotations

import re

from news.records import Kind

_I = re.IGNORECASE
_LEAD_CHARS = 320
_IMPORTANCE_BY_KIND: dict[Kind, float] = {
    "agreement": 0.55,
    "meeting": 0.4,
    "exchange": 0.4,
    "proposal": 0.35,
    "rejection": 0.3,
    "statement": 0.15,
    "other": 0.1,
}
_LEADERS = re.compile(
    r"\b(?:putin|zelensk(?:y|yy|iy)|trump|erdogan|erdoğan|xi jinping|modi|macron|starmer|"
    r"(?:heads? of state|presidents?|leaders?)(?: summit| meet)?|summit)\b",
    _I,
)
_WEIGHTY = re.compile(
    r"\b(?:ceasefire|cease-fire|truce|armistice|peace (?:deal|agreement|treaty|accord)|"
    r"signed|memorandum|framework agreement|end (?:of )?the war|all-for-all)\b",
    _I,
)


def score_importance(kind: Kind, title: str, text: str, outlets: int) -> float:
    """Importance in 0..1: the kind, how many outlets report it, leaders, agreement words."""
    head = f"{title} {text[:_LEAD_CHARS]}"
    score = _IMPORTANCE_BY_KIND[kind]
    score += min(max(outlets - 1, 0), 4) * 0.06
    if _LEADERS.search(head):
        score += 0.12
    if _WEIGHTY.search(head):
        score += 0.12
    return round(min(score, 1.0), 3)
