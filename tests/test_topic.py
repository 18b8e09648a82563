"""Loading the topic profile: the bundled one loads; every bad profile gets one clear line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from news.errors import TopicError
from news.topic import load_profile, normalise, parse_profile

BUNDLED = Path(__file__).resolve().parent.parent / "seeds" / "topic.toml"

MINIMAL = """
[parties]
ukraine = ["Ukraine"]
russia = ["Russia"]
mediators = ["Turkey"]

[talks.core]
weight = 3
terms = ["peace talks", "ceasefire*"]
"""


def minimal() -> dict[str, Any]:
    return {
        "parties": {"ukraine": ["Kyiv"], "russia": ["Moscow"], "mediators": ["Doha"]},
        "talks": {"core": {"weight": 2.0, "terms": ["talks"]}},
    }


def test_bundled_profile_loads() -> None:
    profile = load_profile(BUNDLED)
    assert profile.source == str(BUNDLED)
    assert profile.scoring.threshold > 0
    assert profile.term_for("zelenskyy").group == "ukraine"
    assert profile.term_for("kremlin").group == "russia"
    assert profile.term_for("peace  talks").category == "talks"
    assert profile.term_for("gaza").category == "negative"


def test_minimal_file_loads_with_default_scoring(tmp_path: Path) -> None:
    path = tmp_path / "topic.toml"
    path.write_text(MINIMAL, encoding="utf-8")
    profile = load_profile(path)
    assert profile.scoring.title_factor == 2.0
    text = normalise("Russia-Ukraine ceasefires; peace talks")
    found = [t.text for t in profile.find_terms(text)]
    assert found == ["russia", "ukraine", "ceasefire*", "peace talks"]


def test_matching_ignores_case_accents_hyphens_and_apostrophes() -> None:
    profile = load_profile(BUNDLED)
    text = normalise("ZELENSKYY’S envoy, Erdoğan and the Cease-Fire in Kiev")
    found = {t.text for t in profile.find_terms(text)}
    assert found == {"zelensk*", "envoy*", "erdogan", "cease fire*", "kiev"}


def test_wildcard_and_longest_match() -> None:
    profile = parse_profile(
        {
            "parties": {"ukraine": ["ukrain*"], "russia": ["russia*"], "mediators": ["un"]},
            "talks": {"core": {"weight": 3, "terms": ["peace talks", "talks", "truce"]}},
            "negatives": {"sport": {"weight": 3, "terms": ["olympic truce"]}},
        },
        "test",
    )
    found = [
        t.text for t in profile.find_terms(normalise("Ukrainians: Olympic truce, peace talks"))
    ]
    assert found == ["ukrain*", "olympic truce", "peace talks"]


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "topic.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(TopicError, match=r"nope\.toml: topic profile not found$"):
        load_profile(tmp_path / "nope.toml")


def test_bad_toml_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, MINIMAL + "\nweight = = 3\n")
    with pytest.raises(TopicError, match=r"topic\.toml: invalid TOML: .*line 11") as caught:
        load_profile(path)
    assert "\n" not in str(caught.value)


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "topic.toml"
    path.write_bytes(b"\xff\xfe[parties]")
    with pytest.raises(TopicError, match="not UTF-8"):
        load_profile(path)


def test_directory_is_unreadable(tmp_path: Path) -> None:
    with pytest.raises(TopicError, match="cannot read topic profile"):
        load_profile(tmp_path)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(extra=1), r"unknown key extra \(expected"),
        (lambda d: d["parties"].update(neutral=["x"]), "unknown key parties.neutral"),
        (lambda d: d.update(scoring={"treshold": 3}), "unknown key scoring.treshold"),
        (lambda d: d["talks"]["core"].update(wieght=2), "unknown key talks.core.wieght"),
        (lambda d: d.pop("talks"), r"missing section \[talks\]"),
        (lambda d: d["parties"].pop("russia"), "missing parties.russia"),
        (lambda d: d.update(talks={}), r"\[talks\] has no groups"),
        (lambda d: d.update(parties=["x"]), r"\[parties\] must be a table"),
        (lambda d: d["talks"]["core"].pop("terms"), "talks.core has no terms"),
        (lambda d: d["talks"]["core"].pop("weight"), "talks.core has no weight"),
        (lambda d: d["parties"].update(ukraine=[]), "parties.ukraine is empty"),
        (lambda d: d["parties"].update(ukraine="Kyiv"), "parties.ukraine must be a list"),
        (lambda d: d["parties"].update(ukraine=["Kyiv", 3]), "must hold only strings, found 3"),
        (lambda d: d["talks"]["core"].update(terms=["*"]), r"'\*' is not a term"),
        (lambda d: d["talks"]["core"].update(terms=["pea*ce"]), "is not a term"),
        (lambda d: d["talks"]["core"].update(weight="high"), "talks.core.weight must be a number"),
        (lambda d: d["talks"]["core"].update(weight=0), "talks.core.weight must be a number"),
        (lambda d: d["talks"]["core"].update(weight=True), "talks.core.weight must be a number"),
        (lambda d: d["talks"]["core"].update(weight=1e9), "up to 100"),
        (lambda d: d.update(negatives={"war": {"weight": -1, "terms": ["x"]}}), "above 0"),
        (lambda d: d["talks"]["core"].update(yields=True), "unknown key talks.core.yields"),
        (
            lambda d: d.update(negatives={"war": {"weight": 1, "terms": ["x"], "yields": 1}}),
            "negatives.war.yields must be true or false",
        ),
        (
            lambda d: d.update(negatives={"war": {"weight": 1, "terms": ["x"], "exclusive": "y"}}),
            "negatives.war.exclusive must be true or false",
        ),
        (lambda d: d["talks"]["core"].update(exclusive=True), "unknown key talks.core.exclusive"),
        (lambda d: d.update(connectors=[]), "connectors is empty"),
        (lambda d: d.update(connectors=["after*"]), "connectors cannot end with"),
        (lambda d: d.update(scoring={"threshold": 0}), "threshold must be greater than 0"),
        (lambda d: d.update(scoring={"title_factor": "2"}), "title_factor must be a number"),
        (lambda d: d.update(scoring={"body_chars": 1.5}), "body_chars must be a positive whole"),
        (lambda d: d.update(scoring={"body_chars": 0}), "body_chars must be a positive whole"),
        (lambda d: d["parties"].update(mediators=["Kyiv"]), r"'kyiv' appears twice"),
    ],
)
def test_invalid_profiles_get_one_line(change: Any, message: str) -> None:
    data = minimal()
    change(data)
    with pytest.raises(TopicError, match=message) as caught:
        parse_profile(data, "my/topic.toml")
    text = str(caught.value)
    assert text.startswith("my/topic.toml: ")
    assert "\n" not in text


def test_duplicate_names_both_places() -> None:
    data = minimal()
    data["negatives"] = {"other": {"weight": 2, "terms": ["Talks"]}}
    with pytest.raises(
        TopicError, match=r"'talks' appears twice \(talks.core and negatives.other\)"
    ):
        parse_profile(data, "t")


def test_terms_in_other_scripts_match_after_the_same_normalisation() -> None:
    profile = parse_profile(
        {
            "parties": {"ukraine": ["Україн*"], "russia": ["Росія"], "mediators": ["Туреччин*"]},
            "talks": {"core": {"weight": 3, "terms": ["перемовини", "перемир'я"]}},
        },
        "uk.toml",
    )
    text = normalise("Україна і Росія: перемовини про перемир’я в Туреччині")
    found = [t.text for t in profile.find_terms(text)]
    assert found == ["украін*", "росія", "перемовини", "перемир я", "туреччин*"]
