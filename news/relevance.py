"""Is a story about the Ukraine-Russia talks? A pure, fast score with its reasons.

Method (the numbers live in the topic profile, `seeds/topic.toml`, which documents the rule):
talks vocabulary is the evidence, weighted more in the title than in the text; who is named (both
sides, or one side and a mediator) scales it; negative contexts (other peace processes, the
battlefield, aid, sanctions, other US-Russia business, domestic politics, the economy, sports and
culture) subtract from it, unless the title alone is strong talks evidence, in which case only
negative words in the title count. Only the first `body_chars` characters of the text are read:
long articles mention everything further down.

Cost: the title and the start of the text are normalised and scanned once each by the profile's
single compiled regular expression; the rest is arithmetic on a handful of hits.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from news.records import Verdict
from news.topic import Scoring, Term, TopicProfile, normalise

_TITLE_CHARS = 400
_TAG = re.compile(r"<[^>]*>")
_LEAD = re.compile(r"\s*.{1,200}?[.!?:](?=\s|$)", re.DOTALL)


@dataclass(slots=True)
class _Hits:
    """Distinct terms found in one place (title or text), by category."""

    sides: dict[str, str] = field(default_factory=dict)
    talks: dict[str, tuple[Term, str]] = field(default_factory=dict)
    negatives: dict[str, list[Term]] = field(default_factory=dict)
    matched: dict[str, str] = field(default_factory=dict)

    def add(self, term: Term, matched: str) -> None:
        if term.category == "party":
            self.sides.setdefault(term.group, matched)
        elif term.category == "talks":
            self.talks.setdefault(term.text, (term, matched))
        elif term.text not in self.matched:
            self.matched[term.text] = matched
            self.negatives.setdefault(term.group, []).append(term)


def assess(title: str, text: str, profile: TopicProfile) -> Verdict:
    """Score a story against the profile: relevant or not, a 0..1 score, and the reasons."""
    scoring = profile.scoring
    head = _body_head(text, scoring.body_chars)
    if not title.strip():
        title, head = _lead_as_title(head)
    reasons: list[str] = []
    title = title[:_TITLE_CHARS]
    title_hits, body_hits = _scan_story(normalise(title), normalise(head), profile, reasons)
    elsewhere = _another_subject(title_hits)
    if elsewhere and not _lead_names_a_side(head, profile):
        reasons.append(f"negative: {elsewhere} (title, names neither side: another subject)")
        return Verdict(relevant=False, score=0.0, reasons=tuple(reasons))
    talks, surplus = _talks_score(title_hits, body_hits, scoring, reasons)
    talks += _pair_bonus(title_hits, scoring, reasons)
    context = _context(title_hits, body_hits, scoring, reasons)
    strong = _is_strong_title(title_hits, scoring)
    split_penalty = _penalty(title_hits, body_hits, scoring, strong, reasons)
    penalty = _offset(split_penalty, surplus * scoring.surplus_offset, reasons)
    raw = context * talks - penalty
    score = min(1.0, max(0.0, raw / (2 * scoring.threshold)))
    return Verdict(relevant=raw >= scoring.threshold, score=round(score, 3), reasons=tuple(reasons))


def _scan_story(
    title: str, text: str, profile: TopicProfile, reasons: list[str]
) -> tuple[_Hits, _Hits]:
    """Hits in the title and the text. When the title's main clause is about something else
    (negative terms, no talks terms) and a context clause follows ("... as", "... after"),
    that clause is read as text: "Drones hit Kharkiv hours after Kremlin studies truce offer".
    A second clause after a semicolon counts the same way: "Missiles hit Lviv; Zelensky: Moscow
    wants terror, not a ceasefire".
    """
    cut = profile.connector.search(title, 8) if profile.connector else None
    if cut is None and "; " in title:
        cut = _SECOND_CLAUSE.search(title, 8)
    if cut is not None:
        main = _scan(title[: cut.start()], profile)
        if main.negatives and not main.talks:
            reasons.append(f"title context clause read as text: {title[cut.start() :].strip()}")
            return main, _scan(title[cut.end() :] + " . " + text, profile)
    return _scan(title, profile), _scan(text, profile)


_SECOND_CLAUSE = re.compile(r";\s+")


def _lead_names_a_side(head: str, profile: TopicProfile) -> bool:
    """Does the text's first sentence name Ukraine's or Russia's side, and not the other subject
    too? ("Trump envoys head to Abu Dhabi, Israel for peace talks" is about Ukraine when its lead
    names the Russian and Ukrainian delegations and not Israel.)"""
    lead = _scan(normalise(head.split(". ", 1)[0]), profile)
    elsewhere = any(term.exclusive for terms in lead.negatives.values() for term in terms)
    return bool(lead.sides.keys() & {"ukraine", "russia"}) and not elsewhere


def _another_subject(title: _Hits) -> str:
    """The title's terms of an `exclusive` negative family when the title names neither side
    ("Witkoff in Doha for Gaza ceasefire push"), else "" (the caller also checks the lead)."""
    if title.sides.keys() & {"ukraine", "russia"}:
        return ""
    found = [
        title.matched[term.text]
        for terms in title.negatives.values()
        for term in terms
        if term.exclusive
    ]
    return ", ".join(found)


def _pair_bonus(title: _Hits, scoring: Scoring, reasons: list[str]) -> float:
    """A title with talks terms that names both sides, or a side and a mediator, gains a bonus."""
    named = title.sides.keys()
    if not title.talks and {"ukraine", "russia"} <= named and len(named) >= 3:
        bonus = 1.5 * scoring.pair_bonus * scoring.title_factor
        reasons.append(
            f"title names {' and '.join(sorted(named))}: both sides and a venue (+{bonus:.1f})"
        )
        return bonus
    if title.talks and ("ukraine" in named or "russia" in named) and len(named) >= 2:
        bonus = scoring.pair_bonus * scoring.title_factor
        reasons.append(f"title names {' and '.join(sorted(named))} (+{bonus:.1f})")
        return bonus
    return 0.0


def _is_strong_title(title: _Hits, scoring: Scoring) -> bool:
    """Strong: the title names a side and holds a talks term weighing at least strong_title."""
    if not title.sides.keys() & {"ukraine", "russia"}:
        return False
    return any(term.weight >= scoring.strong_title for term, _ in title.talks.values())


def _body_head(text: str, limit: int) -> str:
    """The first `limit` characters of readable text (tags and entities removed if present)."""
    head = text[: limit * 4] if len(text) > limit * 4 else text
    if "<" in head:
        head = _TAG.sub(" ", head)
    if "&" in head:
        head = html.unescape(head)
    return head[:limit]


def _lead_as_title(text: str) -> tuple[str, str]:
    """Without a title, the text's first sentence (at most 200 characters) stands in for it."""
    match = _LEAD.match(text)
    if match is None:
        return text[:200], text[200:]
    return match.group(), text[match.end() :]


def _scan(normalised: str, profile: TopicProfile) -> _Hits:
    hits = _Hits()
    lookup = profile.lookup
    for match in profile.pattern.finditer(normalised):
        hits.add(*lookup(match.group()))
    return hits


def _talks_score(
    title: _Hits, body: _Hits, scoring: Scoring, reasons: list[str]
) -> tuple[float, float]:
    """Talks evidence, and the text's evidence beyond its cap (which offsets text negatives)."""
    score = 0.0
    for term, matched in title.talks.values():
        gain = term.weight * scoring.title_factor
        score += gain
        reasons.append(f"title: {matched} (+{gain:.1f})")
    body_score = 0.0
    for text, (term, matched) in body.talks.items():
        if text not in title.talks:
            body_score += term.weight
            reasons.append(f"text: {matched} (+{term.weight:.1f})")
    if body_score > scoring.body_cap:
        reasons.append(f"text talks capped at {scoring.body_cap:.1f}")
    return score + min(body_score, scoring.body_cap), max(0.0, body_score - scoring.body_cap)


def _context(title: _Hits, body: _Hits, scoring: Scoring, reasons: list[str]) -> float:
    for where, hits in (("title", title), ("text", body)):
        for side, matched in hits.sides.items():
            if where == "title" or side not in title.sides:
                label = "mediator" if side == "mediators" else f"party: {side}"
                reasons.append(f"{where}: {matched} ({label})")
    named = title.sides.keys() | body.sides.keys()
    has_side = bool(named & {"ukraine", "russia"})
    if {"ukraine", "russia"} <= named or (has_side and "mediators" in named):
        return 1.0
    if has_side:
        reasons.append(f"context: one side only (x{scoring.one_side_factor:.2f})")
        return scoring.one_side_factor
    if "mediators" in named:
        reasons.append(f"context: mediator only (x{scoring.mediator_factor:.2f})")
        return scoring.mediator_factor
    reasons.append("context: neither side named (x0)")
    return 0.0


def _penalty(
    title: _Hits, body: _Hits, scoring: Scoring, strong: bool, reasons: list[str]
) -> tuple[float, float]:
    """Penalties of negative families: (from the title, from the text only)."""
    in_title = 0.0
    in_body = 0.0
    for family in dict.fromkeys([*title.negatives, *body.negatives]):
        title_terms = title.negatives.get(family, [])
        body_terms = [t for t in body.negatives.get(family, []) if t not in title_terms]
        if not title_terms and strong:
            continue
        terms = title_terms + body_terms
        weight = terms[0].weight
        doubled = title_terms and not (strong and terms[0].yields)
        base = weight * (scoring.title_factor if doubled else 1.0)
        value = min(base + 0.5 * weight * (len(terms) - 1), base * scoring.family_cap)
        names = ", ".join(_matched(t, title, body) for t in terms[:3])
        where = "title" if title_terms else "text"
        reasons.append(f"negative: {names} ({where}, {family}, -{value:.1f})")
        if title_terms:
            in_title += value
        else:
            in_body += value
    return in_title, min(in_body, scoring.body_negative_cap)


def _offset(penalty: tuple[float, float], offset: float, reasons: list[str]) -> float:
    """Text-only penalties minus the offset from dense talks vocabulary in the text."""
    in_title, in_body = penalty
    if in_body and offset:
        reasons.append(f"dense talks text offsets text negatives (-{min(in_body, offset):.1f})")
    return in_title + max(0.0, in_body - offset)


def _matched(term: Term, title: _Hits, body: _Hits) -> str:
    return title.matched.get(term.text) or body.matched.get(term.text, term.text)
