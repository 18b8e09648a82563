"""How similar a story is to a development: a rarity-weighted cosine framed by kind and actor.
Pure. See `news.grouping` for the method and why.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from news.event_days import days_disagree
from news.features import DEFAULT_PARAMS, Features, GroupingParams, index_tokens
from news.records import Kind


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


@dataclass(frozen=True, slots=True)
class Rarity:
    """Squared rarity factors of a story's tokens and the story's reweighted squared norm."""

    factors: dict[str, float]
    story_square: float


def rarity_of(story: Features, counts: dict[str, int], power: float) -> Rarity:
    """Each token's weight divided by (1 + how many nearby developments mention it) ** power."""
    factors = {token: (1.0 + count) ** (-2.0 * power) for token, count in counts.items()}
    square = sum(w * w * factors.get(t, 1.0) for t, w in story.tokens.items())
    return Rarity(factors, square)


def cosine(a: Features, b: Features, rarity: Rarity | None = None) -> float:
    """Weighted cosine. With `rarity` (made for `a`), both vectors are reweighted by it, so
    tokens that every nearby development shares count little."""
    if not a.norm or not b.norm:
        return 0.0
    a_tokens, b_tokens = a.tokens, b.tokens
    shared = a_tokens.keys() & b_tokens.keys()
    if rarity is None:
        return sum(a_tokens[t] * b_tokens[t] for t in shared) / (a.norm * b.norm)
    dot = 0.0
    b_square = b.norm * b.norm
    factors = rarity.factors
    for token in shared:
        other = b_tokens[token]
        factor = factors.get(token, 1.0)
        dot += a_tokens[token] * other * factor
        b_square += other * other * (factor - 1.0)
    if rarity.story_square <= 0.0 or b_square <= 0.0:
        return 0.0
    return dot / math.sqrt(rarity.story_square * b_square)


_NEAR_KINDS = frozenset(
    frozenset(pair.split("-"))
    for pair in _words(
        "meeting-statement meeting-agreement meeting-proposal statement-other statement-agreement "
        "statement-rejection other-agreement"
    )
)


_SPEECH_KINDS = frozenset(("proposal", "statement", "rejection"))
_OPPOSED_KINDS = frozenset(
    frozenset(pair.split("-"))
    for pair in _words(
        "proposal-statement proposal-rejection agreement-exchange meeting-exchange "
        "proposal-exchange"
    )
)


def kind_factor(a: Kind, b: Kind, penalty: float) -> float:
    """1 for the same kind, a mild penalty for kinds outlets mix up, the full one otherwise,
    and its square for the pairs the editorial rule keeps apart (an offer and the answer to
    it, an exchange agreed and the exchange carried out)."""
    if a == b:
        return 1.0
    pair = frozenset((a, b))
    if pair in _NEAR_KINDS:
        return (1.0 + penalty) / 2
    if pair in _OPPOSED_KINDS:
        return penalty * penalty
    return penalty


@dataclass(frozen=True, slots=True)
class Profile:
    """What a development is compared by: a few member stories and the centroid of all."""

    members: tuple[Features, ...]
    centroid: Features
    count: int
    keys: tuple[str, ...] = ()
    """The centroid's rare tokens (`index_tokens`), which the index files it under."""


def make_profile(members: tuple[Features, ...], centroid: Features, count: int) -> Profile:
    return Profile(members, centroid, count, tuple(index_tokens(centroid)))


def similarity(
    story: Features,
    profile: Profile,
    gap_hours: float,
    window_hours: float,
    params: GroupingParams = DEFAULT_PARAMS,
    rarity: Rarity | None = None,
) -> float:
    """How likely the story reports the development of this profile, 0..1: the best match
    with one of its member reports, each weighed by whether the two tell the same kind of
    fact by the same actor, then numbers that disagree and the time between them."""
    if not profile.members or gap_hours > window_hours:
        return 0.0
    best = 0.0
    for member in profile.members:
        score = cosine(story, member, rarity)
        if score <= best:  # the factors below never raise it
            continue
        score *= frame_factor(story, member, params)
        if score > best and _days_disagree(story, member):
            score *= params.date_penalty
        if _elsewhere(story, member):
            score *= params.venue_penalty  # talks held elsewhere are another meeting
        best = max(best, score)
    known = profile.centroid.numbers
    if story.numbers and known and not story.numbers & known:
        best *= params.number_penalty
    rounds = profile.centroid.rounds
    if story.rounds and rounds and not story.rounds & rounds:
        best *= params.round_penalty  # numbered rounds are different facts by definition
    return best * (1.0 - params.decay * gap_hours / window_hours)


def _days_disagree(story: Features, member: Features) -> bool:
    return days_disagree(story.calendar, story.weekdays, member.calendar, member.weekdays)


def frame_factor(story: Features, member: Features, params: GroupingParams) -> float:
    """1 when both tell the same kind of fact by the same actor, less otherwise."""
    factor = kind_factor(story.kind, member.kind, params.kind_penalty)
    if (
        story.actor
        and member.actor
        and story.actor != member.actor
        and not _same_meeting(story, member)
    ):
        # who made an offer or a statement matters most: Kyiv's offer is not Moscow's answer
        speech = story.kind in _SPEECH_KINDS and member.kind in _SPEECH_KINDS
        answer = story.kind != member.kind and bool({story.kind, member.kind} & _SPEECH_KINDS)
        factor *= params.actor_penalty ** (2 if speech or answer else 1)
    return factor


def _same_meeting(story: Features, member: Features) -> bool:
    """Both report a meeting of the same parties: who a title names first is the outlet's
    choice ("Trump and Zelenskyy meet" / "Zelensky and Trump held meeting")."""
    both = story.kind == member.kind == "meeting"
    return both and len(story.sides) > 1 and story.sides == member.sides


def is_other_fact(
    story: Features, profile: Profile, params: GroupingParams, outlet: str = ""
) -> bool:
    """Does the story visibly tell another fact than the development? Its numbers disagree, or
    its outlet's own remembered report (any remembered report when none is kept) does not
    tell the same kind of fact by the same actor on the same day. A rewrite of one fact
    ("UPDATE 1-...", a longer version) keeps all of these."""
    known = profile.centroid.numbers
    if story.numbers and known and not story.numbers & known:
        return True
    own = [member for member in profile.members if outlet and member.outlet == outlet]
    return all(
        frame_factor(story, member, params) < 1.0 or _days_disagree(story, member)
        for member in (own or profile.members)
    )


def outlet_factor(
    story: Features, profile: Profile, params: GroupingParams, outlet: str = ""
) -> float:
    """For a development the story's own outlet already reported: outlets rewrite and update
    their story of one fact (no penalty), but a differently framed story of theirs usually
    brings a new fact (`params.same_outlet`)."""
    return params.same_outlet if is_other_fact(story, profile, params, outlet) else 1.0


def _elsewhere(story: Features, member: Features) -> bool:
    """The two name different places."""
    return bool(story.venues and member.venues) and not story.venues & member.venues
