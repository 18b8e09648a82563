"""settings.py: environment over talkwatch.toml, one-line errors, the token kept out of sight."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest

from settings import CONFIG_ENV, SPECS, SettingsError, load_settings

README = Path(__file__).parent.parent / "README.md"


@pytest.fixture(autouse=True)
def _no_config_file_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run in an empty directory, so that no talkwatch.toml is picked up by accident."""
    monkeypatch.chdir(tmp_path)


def test_defaults_need_no_token() -> None:
    settings = load_settings({})
    assert settings.poll_seconds == 300
    assert str(settings.db_path) == "talkwatch.db"
    assert settings.feeds_path.as_posix().endswith("seeds/feeds.toml")
    assert not settings.has_token


def test_environment_wins_over_the_config_file(tmp_path: Path) -> None:
    config = tmp_path / "talkwatch.toml"
    config.write_text('poll_seconds = 600\ndb = "from-file.db"\nfetch_articles = false\n')
    settings = load_settings({"TALKWATCH_POLL_SECONDS": "120"}, config_path=config)
    assert settings.poll_seconds == 120
    assert str(settings.db_path) == "from-file.db"
    assert settings.fetch_articles is False


def test_config_file_named_by_environment(tmp_path: Path) -> None:
    config = tmp_path / "other.toml"
    config.write_text("baseline_hours = 6\n")
    assert load_settings({CONFIG_ENV: str(config)}).baseline_hours == 6
    with pytest.raises(SettingsError, match="no such file"):
        load_settings({CONFIG_ENV: str(tmp_path / "missing.toml")})


@pytest.mark.parametrize(
    ("env", "fragment"),
    [
        ({"TALKWATCH_POLL_SECONDS": "0"}, "TALKWATCH_POLL_SECONDS='0' must be a whole number"),
        ({"TALKWATCH_POLL_SECONDS": "five"}, "must be a whole number"),
        ({"TALKWATCH_FETCH_TIMEOUT_SECONDS": "-1"}, "must be a number above 0"),
        ({"TALKWATCH_FETCH_TIMEOUT_SECONDS": "nan"}, "must be a number above 0"),
        ({"TALKWATCH_FETCH_ARTICLES": "maybe"}, "must be true or false"),
        ({"TALKWATCH_DB": " "}, "must not be empty"),
        ({"TALKWATCH_TIMEZONE": "Mars/Olympus"}, "not a known time zone"),
        ({"TALKWATCH_LOG_LEVEL": "LOUD"}, "must be DEBUG, INFO, WARNING or ERROR"),
        ({"TALKWATCH_MAJOR_IMPORTANCE": "2"}, "from 0 to 1"),
        ({"TALKWATCH_SYNC_GUILD": "-5"}, "Discord server id"),
        ({"TALKWATCH_BASELINE_HOURS": "-1"}, "at least 0"),
    ],
)
def test_each_bad_value_is_one_line_naming_the_setting(env: dict[str, str], fragment: str) -> None:
    with pytest.raises(SettingsError) as caught:
        load_settings({**env})
    message = str(caught.value)
    assert fragment in message
    assert next(iter(env)) in message
    assert "\n" not in message


def test_bad_config_files_are_one_line(tmp_path: Path) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text("poll_seconds = \n")
    with pytest.raises(SettingsError, match="not valid TOML"):
        load_settings({}, config_path=broken)
    unknown = tmp_path / "unknown.toml"
    unknown.write_text("pol_seconds = 5\n")
    with pytest.raises(SettingsError, match="unknown setting 'pol_seconds'"):
        load_settings({}, config_path=unknown)
    nested = tmp_path / "nested.toml"
    nested.write_text("poll_seconds = [1, 2]\n")
    with pytest.raises(SettingsError, match="must be a single value"):
        load_settings({}, config_path=nested)


def test_the_token_never_shows(tmp_path: Path) -> None:
    secret = "MTIzNDU2Nzg5.secret-token-value"
    settings = load_settings({"DISCORD_TOKEN": secret})
    assert settings.has_token
    assert secret not in repr(settings) and secret not in str(settings)


def test_a_short_poll_interval_is_accepted_with_a_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING):
        settings = load_settings({"TALKWATCH_POLL_SECONDS": "2"})
    assert settings.poll_seconds == 2
    assert any("below 60" in record.getMessage() for record in caplog.records)


def test_every_setting_is_in_the_readme_table() -> None:
    text = README.read_text(encoding="utf-8")
    rows = [line for line in text.splitlines() if line.startswith("|")]
    documented = {name for line in rows for name in re.findall(r"`?([A-Z][A-Z0-9_]{3,})`?", line)}
    if not any("TALKWATCH_" in line for line in rows):
        pytest.skip("README.md has no settings table yet")
    missing = [spec.env for spec in SPECS if spec.env not in documented]
    assert missing == [], f"settings missing from README.md's table: {missing}"


def test_default_seed_files_are_found_from_another_directory() -> None:
    settings = load_settings({})
    assert settings.feeds_path.is_file()
    assert settings.topic_path.is_file()
    assert settings.feeds_path.name == "feeds.toml"
