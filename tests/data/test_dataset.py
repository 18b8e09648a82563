"""The labelled development set stays valid: every line checks out and the set keeps its shape."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from tests.data import validate

DATA = Path(__file__).parent
FILES = sorted(DATA.glob("dev_*.jsonl"))


def load() -> list[validate.Item]:
    items, problems = validate.read_items(FILES)
    assert problems == []
    return items


def test_every_line_is_valid() -> None:
    items, problems = validate.read_items(FILES)
    assert problems == []
    assert validate.check_set(items) == []


def test_set_has_the_size_and_mix_issue_4_asks_for() -> None:
    items = load()
    negatives = [item for item in items if not item.relevant]
    assert len(items) >= 240
    assert len(negatives) * 3 >= len(items)
    assert {item.family for item in negatives} == validate.NEGATIVE_FAMILIES
    assert {item.kind for item in items if item.relevant} == validate.KINDS
    long_items = [item for item in items if item.text_chars >= validate.LONG_MIN_CHARS]
    assert len(long_items) >= 30


def test_about_a_third_is_held_out() -> None:
    items = load()
    splits = {item.development: item.split for item in items if item.development}
    held = Counter(splits.values())["holdout"]
    assert 0.25 <= held / len(splits) <= 0.4
    negatives = [item for item in items if not item.relevant]
    held_negatives = sum(item.split == "holdout" for item in negatives)
    assert 0.25 <= held_negatives / len(negatives) <= 0.4


def test_validator_reports_a_missing_key_fact_and_a_bad_label() -> None:
    line = {
        "id": "s9999",
        "title": "Talks in <b>Geneva</b>",
        "text": "Delegations met.",
        "outlet": "",
        "url": "",
        "published": "2026-02-17T19:30:00Z",
        "label": {
            "relevant": False,
            "development": "d001",
            "kind": None,
            "family": "talks",
            "key_facts": ["Geneva", "Abu Dhabi"],
            "split": "tune",
        },
    }
    item, problems = validate.check_line(line, "x:1")
    assert item is None
    assert any("development and label.kind null" in problem for problem in problems)
    assert any("label.family" in problem for problem in problems)


def test_key_facts_are_matched_in_text_without_tags_or_entities() -> None:
    line = {
        "id": "s9998",
        "title": "",
        "text": "<p>Talks in Dolmabah&ccedil;e Palace</p>",
        "outlet": "",
        "url": "",
        "published": "",
        "label": {
            "relevant": True,
            "development": "d001",
            "kind": "meeting",
            "family": "talks",
            "key_facts": ["Dolmabahçe Palace", "Ankara"],
            "split": "tune",
        },
    }
    item, problems = validate.check_line(line, "x:2")
    assert item is not None
    assert problems == ["key fact not in title+text: 'Ankara'"]
