"""The topic profile: which words make a story about the Ukraine-Russia talks.

`load_profile` reads the operator's TOML file (format documented in `seeds/topic.toml`) and
`parse_profile` checks a parsed mapping; both raise `TopicError` with one line naming the file and
the problem. The profile is compiled once into ONE regular expression over all terms, built as a
character trie so that matching a story is a single left-to-right pass in C (`find_terms`), with
the longest term winning where terms overlap. Matching works on `normalise`d text: lower case,
accents stripped, hyphens, apostrophes and periods turned into spaces.
"""

from __future__ import annotations

import dataclasses
import math
import re
import tomllib
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Literal

from news.errors import TopicError

Category = Literal["party", "talks", "negative"]
SIDES = ("ukraine", "russia", "mediators")

_PUNCT = str.maketrans(
    {c: " " for c in "-\u2010\u2011\u2012\u2013\u2014\u2015'\u2019\u2018\u02bc`.\u00b7/_"}
)
_MARKS = re.compile(r"[\u0300-\u036f]+")
_TERM_SHAPE = re.compile(r"\w+(?: \w+)*\*?")
_SPACE = " "
_END = "\x00"
_STAR = "*"
_MEMO_SIZE = 50_000


@dataclass(frozen=True, slots=True)
class Scoring:
    """The numbers of the scoring rule (see seeds/topic.toml for their meaning)."""

    threshold: float = 4.0
    title_factor: float = 2.0
    body_chars: int = 1500
    body_cap: float = 6.0
    one_side_factor: float = 0.8
    mediator_factor: float = 0.5
    strong_title: float = 3.0
    family_cap: float = 3.0
    body_negative_cap: float = 6.0
    surplus_offset: float = 0.5
    pair_bonus: float = 1.0


@dataclass(frozen=True, slots=True)
class Term:
    """One profile term: its category, its group (side, talks group or negative family), weight."""

    text: str
    category: Category
    group: str
    weight: float
    yields: bool = False
    """Negative families only: a strong talks title makes a title hit count once, not doubled."""
    exclusive: bool = False
    """Negative families only: a title hit in a title that names neither side, over a first
    sentence that names neither side, rules the story out (the story is about another subject:
    "Witkoff in Doha for Gaza ceasefire push")."""


@dataclass(frozen=True, slots=True)
class TopicProfile:
    """A compiled topic profile. Build it with `load_profile` or `parse_profile`."""

    source: str
    scoring: Scoring
    pattern: re.Pattern[str]
    exact: Mapping[str, Term]
    prefixes: tuple[tuple[str, Term], ...]
    """Wildcard terms as (normalised prefix, term), longest prefix first."""
    connector: re.Pattern[str] | None = None
    """Words that open a title's context clause ("... as", "... after"), if any."""
    memo: dict[str, tuple[Term, str]] = field(default_factory=dict, repr=False, compare=False)
    """Matched text -> (term, matched text with single spaces); a cache, bounded."""

    def lookup(self, matched: str) -> tuple[Term, str]:
        """The term a match of `pattern` stands for, and the match with single spaces."""
        found = self.memo.get(matched)
        if found is None:
            key = " ".join(matched.split())
            found = (self._resolve(key), key)
            if len(self.memo) >= _MEMO_SIZE:
                self.memo.clear()
            self.memo[matched] = found
        return found

    def term_for(self, matched: str) -> Term:
        """The term a normalised match of `pattern` stands for."""
        return self.lookup(matched)[0]

    def _resolve(self, key: str) -> Term:
        term = self.exact.get(key)
        if term is not None:
            return term
        for prefix, candidate in self.prefixes:
            if key.startswith(prefix):
                return candidate
        raise LookupError(key)  # unreachable: the pattern only matches profile terms

    def find_terms(self, normalised: str) -> Iterator[Term]:
        """Every term found in `normalised` text, in order, longest match first."""
        for match in self.pattern.finditer(normalised):
            yield self.term_for(match.group())


def normalise(text: str) -> str:
    """Lower case, accents stripped, hyphens/apostrophes/periods/slashes made spaces."""
    if not text.isascii():
        text = _MARKS.sub("", unicodedata.normalize("NFKD", text))
    return text.lower().translate(_PUNCT)


def load_profile(path: Path | str) -> TopicProfile:
    """Read and compile the topic profile at `path`; raise TopicError (one line) if invalid."""
    source = str(path)
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise TopicError(f"{source}: topic profile not found") from None
    except OSError as exc:
        raise TopicError(f"{source}: cannot read topic profile: {exc.strerror}") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise TopicError(f"{source}: topic profile is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise TopicError(f"{source}: invalid TOML: {exc}") from None
    return parse_profile(data, source)


def parse_profile(data: Mapping[str, Any], source: str) -> TopicProfile:
    """Check a parsed profile mapping and compile it; raise TopicError naming `source`."""
    _check_keys(data, {"scoring", "parties", "talks", "negatives", "connectors"}, source, "")
    for required in ("parties", "talks"):
        if required not in data:
            raise TopicError(f"{source}: missing section [{required}]")
    scoring = _parse_scoring(_table(data.get("scoring", {}), source, "scoring"), source)
    terms: list[Term] = []
    parties = _table(data["parties"], source, "parties")
    _check_keys(parties, set(SIDES), source, "parties.")
    for side in SIDES:
        if side not in parties:
            raise TopicError(f"{source}: missing parties.{side}")
        for text in _term_list(parties[side], source, f"parties.{side}"):
            terms.append(Term(text, "party", side, 0.0))
    terms += _parse_groups(data["talks"], source, "talks", "talks")
    terms += _parse_groups(data.get("negatives", {}), source, "negatives", "negative")
    profile = _compile(source, scoring, terms)
    if "connectors" not in data:
        return profile
    words = _term_list(data["connectors"], source, "connectors")
    if any(word.endswith(_STAR) for word in words):
        raise TopicError(f"{source}: connectors cannot end with '*'")
    connector = re.compile(r"(?<=\w)\s+(?:" + _trie_regex(words) + r")\s+(?=\w)")
    return dataclasses.replace(profile, connector=connector)


def _parse_scoring(table: Mapping[str, Any], source: str) -> Scoring:
    known = {f.name: f for f in fields(Scoring)}
    _check_keys(table, set(known), source, "scoring.")
    values: dict[str, Any] = {}
    for key, value in table.items():
        where = f"scoring.{key}"
        if key == "body_chars":
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise TopicError(f"{source}: {where} must be a positive whole number")
        elif not _is_number(value) or value < 0:
            raise TopicError(f"{source}: {where} must be a number >= 0")
        values[key] = value if key == "body_chars" else float(value)
    scoring = Scoring(**values)
    if scoring.threshold <= 0:
        raise TopicError(f"{source}: scoring.threshold must be greater than 0")
    return scoring


def _parse_groups(value: Any, source: str, section: str, category: Category) -> list[Term]:
    groups = _table(value, source, section)
    if category == "talks" and not groups:
        raise TopicError(f"{source}: [{section}] has no groups")
    terms: list[Term] = []
    for name, group in groups.items():
        where = f"{section}.{name}"
        table = _table(group, source, where)
        allowed = (
            {"weight", "terms", "yields", "exclusive"}
            if category == "negative"
            else {"weight", "terms"}
        )
        _check_keys(table, allowed, source, f"{where}.")
        for key in ("weight", "terms"):
            if key not in table:
                raise TopicError(f"{source}: {where} has no {key}")
        weight = table["weight"]
        if not _is_number(weight) or weight <= 0 or weight > 100:
            raise TopicError(f"{source}: {where}.weight must be a number above 0 and up to 100")
        yields = table.get("yields", False)
        if not isinstance(yields, bool):
            raise TopicError(f"{source}: {where}.yields must be true or false")
        exclusive = table.get("exclusive", False)
        if not isinstance(exclusive, bool):
            raise TopicError(f"{source}: {where}.exclusive must be true or false")
        for text in _term_list(table["terms"], source, f"{where}.terms"):
            terms.append(Term(text, category, name, float(weight), yields, exclusive))
    return terms


def _term_list(value: Any, source: str, where: str) -> list[str]:
    if not isinstance(value, list):
        raise TopicError(f"{source}: {where} must be a list of strings")
    if not value:
        raise TopicError(f"{source}: {where} is empty")
    terms: list[str] = []
    for item in value:
        if not isinstance(item, str):
            raise TopicError(f"{source}: {where} must hold only strings, found {item!r}")
        text = " ".join(normalise(item).split())
        if not _TERM_SHAPE.fullmatch(text):
            raise TopicError(f"{source}: {where}: {item!r} is not a term (words, optional '*')")
        terms.append(text)
    return terms


def _table(value: Any, source: str, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise TopicError(f"{source}: [{where}] must be a table")
    return value


def _check_keys(table: Mapping[str, Any], known: set[str], source: str, prefix: str) -> None:
    for key in table:
        if key not in known:
            allowed = ", ".join(sorted(known))
            raise TopicError(f"{source}: unknown key {prefix}{key} (expected {allowed})")


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _compile(source: str, scoring: Scoring, terms: list[Term]) -> TopicProfile:
    exact: dict[str, Term] = {}
    prefixes: list[tuple[str, Term]] = []
    seen: dict[str, Term] = {}
    for term in terms:
        earlier = seen.get(term.text)
        if earlier is not None:
            raise TopicError(
                f"{source}: term {term.text!r} appears twice ({_where(earlier)} and {_where(term)})"
            )
        seen[term.text] = term
        if term.text.endswith(_STAR):
            prefixes.append((term.text[:-1], term))
        else:
            exact[term.text] = term
    prefixes.sort(key=lambda pair: len(pair[0]), reverse=True)
    pattern = re.compile(r"\b(?:" + _trie_regex([t.text for t in terms]) + r")\b")
    return TopicProfile(source, scoring, pattern, exact, tuple(prefixes))


def _where(term: Term) -> str:
    section = {"party": "parties", "talks": "talks", "negative": "negatives"}[term.category]
    return f"{section}.{term.group}"


def _trie_regex(texts: list[str]) -> str:
    """One alternation of all terms as a character trie; longer continuations tried first."""
    root: dict[str, Any] = {}
    for text in texts:
        node = root
        body, star = (text[:-1], True) if text.endswith(_STAR) else (text, False)
        for char in body:
            node = node.setdefault(char, {})
        node[_STAR if star else _END] = {}
    return _emit(root)


def _emit(node: dict[str, Any]) -> str:
    branches = []
    for char in sorted(k for k in node if k not in (_END, _STAR)):
        head = r"\s+" if char == _SPACE else re.escape(char)
        branches.append(head + _emit(node[char]))
    if _STAR in node:
        branches.append(r"\w*")
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if _END in node and _STAR not in node:
        return ("(?:" + body + ")?") if len(branches) == 1 else body + "?"
    return body
