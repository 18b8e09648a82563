"""The one settings object: environment variables win over an optional `talkwatch.toml`.

Each setting is declared once in `SPECS`; the README's settings table is checked against it by a
test. A bad value raises `SettingsError` with one line naming the setting and the problem.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

log = logging.getLogger(__name__)

CONFIG_ENV = "TALKWATCH_CONFIG"
DEFAULT_CONFIG_FILE = "talkwatch.toml"


class SettingsError(Exception):
    """An operator mistake in the environment or the config file; the message is one line."""


@dataclass(frozen=True, slots=True)
class Settings:
    discord_token: str | None = field(default=None, repr=False)
    db_path: Path = Path("talkwatch.db")
    feeds_path: Path = Path("seeds/feeds.toml")
    topic_path: Path = Path("seeds/topic.toml")
    poll_seconds: int = 300
    fetch_concurrency: int = 10
    fetch_timeout_seconds: float = 20.0
    max_body_bytes: int = 5_000_000
    baseline_hours: float = 12.0
    group_window_hours: float = 48.0
    summary_chars: int = 280
    fetch_articles: bool = True
    article_fetches_per_cycle: int = 20
    article_host_interval_seconds: float = 2.0
    sync_guild_id: int | None = None
    timezone: str = "UTC"
    log_level: str = "INFO"
    edit_interval_seconds: int = 300
    catchup_threshold: int = 3
    major_importance: float = 0.75
    send_rate_per_second: float = 48.0

    @property
    def has_token(self) -> bool:
        return bool(self.discord_token)


@dataclass(frozen=True, slots=True)
class SettingSpec:
    env: str
    attr: str
    parse: Callable[[str], Any]
    doc: str

    @property
    def toml_key(self) -> str:
        return self.env.removeprefix("TALKWATCH_").lower()


def _int(text: str) -> int:
    try:
        return int(text.strip())
    except ValueError:
        raise ValueError("must be a whole number") from None


def _float(text: str) -> float:
    try:
        return float(text.strip())
    except ValueError:
        raise ValueError("must be a number") from None


def _positive_int(text: str) -> int:
    value = _int(text)
    if value < 1:
        raise ValueError("must be a whole number of at least 1")
    return value


def _non_negative_int(text: str) -> int:
    value = _int(text)
    if value < 0:
        raise ValueError("must be a whole number of at least 0")
    return value


def _positive_float(text: str) -> float:
    value = _float(text)
    if not value > 0 or value != value or value == float("inf"):
        raise ValueError("must be a number above 0")
    return value


def _non_negative_float(text: str) -> float:
    value = _float(text)
    if not value >= 0 or value == float("inf"):
        raise ValueError("must be a number of at least 0")
    return value


def _fraction(text: str) -> float:
    value = _float(text)
    if not 0 <= value <= 1:
        raise ValueError("must be a number from 0 to 1")
    return value


def _bool(text: str) -> bool:
    lowered = text.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ValueError("must be true or false")


def _path(text: str) -> Path:
    if not text.strip():
        raise ValueError("must not be empty")
    return Path(text)


def _token(text: str) -> str | None:
    stripped = text.strip()
    return stripped or None


def _guild_id(text: str) -> int | None:
    if not text.strip():
        return None
    value = _int(text)
    if value <= 0:
        raise ValueError("must be a Discord server id (a positive number)")
    return value


def _timezone(text: str) -> str:
    try:
        ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError("is not a known time zone (try UTC or Europe/Kyiv)") from exc
    return text


def _log_level(text: str) -> str:
    level = text.strip().upper()
    if level not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
        raise ValueError("must be DEBUG, INFO, WARNING or ERROR")
    return level


SPECS: tuple[SettingSpec, ...] = (
    SettingSpec(
        "DISCORD_TOKEN", "discord_token", _token, "Bot token; only `talkwatch run` needs it"
    ),
    SettingSpec("TALKWATCH_DB", "db_path", _path, "SQLite database file"),
    SettingSpec("TALKWATCH_FEEDS", "feeds_path", _path, "Feeds file (TOML)"),
    SettingSpec("TALKWATCH_TOPIC", "topic_path", _path, "Topic profile (TOML)"),
    SettingSpec("TALKWATCH_POLL_SECONDS", "poll_seconds", _positive_int, "Seconds between checks"),
    SettingSpec(
        "TALKWATCH_FETCH_CONCURRENCY", "fetch_concurrency", _positive_int, "Parallel fetches"
    ),
    SettingSpec(
        "TALKWATCH_FETCH_TIMEOUT_SECONDS", "fetch_timeout_seconds", _positive_float, "Per request"
    ),
    SettingSpec("TALKWATCH_MAX_BODY_BYTES", "max_body_bytes", _positive_int, "Largest body read"),
    SettingSpec(
        "TALKWATCH_BASELINE_HOURS", "baseline_hours", _non_negative_float, "New-feed window"
    ),
    SettingSpec(
        "TALKWATCH_GROUP_WINDOW_HOURS", "group_window_hours", _positive_float, "Grouping window"
    ),
    SettingSpec("TALKWATCH_SUMMARY_CHARS", "summary_chars", _positive_int, "Summary length limit"),
    SettingSpec("TALKWATCH_FETCH_ARTICLES", "fetch_articles", _bool, "Fetch pages of short items"),
    SettingSpec(
        "TALKWATCH_ARTICLE_FETCHES_PER_CYCLE",
        "article_fetches_per_cycle",
        _non_negative_int,
        "Page fetch cap per cycle",
    ),
    SettingSpec(
        "TALKWATCH_ARTICLE_HOST_INTERVAL_SECONDS",
        "article_host_interval_seconds",
        _non_negative_float,
        "Pause between pages of one host",
    ),
    SettingSpec("TALKWATCH_SYNC_GUILD", "sync_guild_id", _guild_id, "Guild for instant sync"),
    SettingSpec("TALKWATCH_TIMEZONE", "timezone", _timezone, "Time zone of digest times"),
    SettingSpec("TALKWATCH_LOG_LEVEL", "log_level", _log_level, "Logging level"),
    SettingSpec(
        "TALKWATCH_EDIT_INTERVAL_SECONDS", "edit_interval_seconds", _positive_int, "Edit pace"
    ),
    SettingSpec(
        "TALKWATCH_CATCHUP_THRESHOLD", "catchup_threshold", _positive_int, "Digest after downtime"
    ),
    SettingSpec("TALKWATCH_MAJOR_IMPORTANCE", "major_importance", _fraction, "Role ping threshold"),
    SettingSpec(
        "TALKWATCH_SEND_RATE_PER_SECOND", "send_rate_per_second", _positive_float, "Discord pace"
    ),
)


def _read_config_file(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"{path}: not valid TOML ({exc})") from exc
    except OSError as exc:
        raise SettingsError(f"{path}: cannot be read ({exc.strerror})") from exc
    known = {spec.toml_key for spec in SPECS}
    unknown = sorted(set(data) - known)
    if unknown:
        raise SettingsError(
            f"{path}: unknown setting {unknown[0]!r} (known: {', '.join(sorted(known))})"
        )
    return data


PROJECT_DIR = Path(__file__).resolve().parent


def _bundled_default(path: Path) -> Path:
    """A default seeds file: the one in the working directory if there is one, else the copy
    beside this program, so `talkwatch` works when started from another directory."""
    if path.exists():
        return path
    bundled = PROJECT_DIR / path
    return bundled if bundled.exists() else path


def load_settings(
    environ: Mapping[str, str] | None = None, *, config_path: Path | None = None
) -> Settings:
    """Build the settings from `environ` (default: the process environment) and the config file.

    The config file is `TALKWATCH_CONFIG` if set, else `talkwatch.toml` when it exists.
    """
    env = os.environ if environ is None else environ
    if config_path is None:
        named = env.get(CONFIG_ENV)
        if named:
            config_path = Path(named)
            if not config_path.exists():
                raise SettingsError(f"{CONFIG_ENV}={named}: no such file")
        elif Path(DEFAULT_CONFIG_FILE).exists():
            config_path = Path(DEFAULT_CONFIG_FILE)
    from_file = _read_config_file(config_path) if config_path else {}

    values: dict[str, Any] = {}
    for spec in SPECS:
        if spec.env in env:
            raw, source = env[spec.env], spec.env
        elif spec.toml_key in from_file:
            value = from_file[spec.toml_key]
            if isinstance(value, (dict, list)):
                raise SettingsError(f"{config_path}: {spec.toml_key} must be a single value")
            raw = str(value).lower() if isinstance(value, bool) else str(value)
            source = f"{config_path}: {spec.toml_key}"
        else:
            continue
        try:
            values[spec.attr] = spec.parse(raw)
        except ValueError as exc:
            reason = str(exc)
            shown = "(hidden)" if spec.attr == "discord_token" else repr(raw)
            raise SettingsError(f"{source}={shown} {reason}") from exc
    for attr in ("feeds_path", "topic_path"):
        if attr not in values:
            values[attr] = _bundled_default(getattr(Settings(), attr))
    settings = dataclasses.replace(Settings(), **values)
    if settings.poll_seconds < 60:
        log.warning(
            "TALKWATCH_POLL_SECONDS=%s is below 60: feeds will be polled very often",
            settings.poll_seconds,
        )
    return settings
