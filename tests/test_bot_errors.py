"""The one error handler's wording: expected problems get a sentence, bugs get none (the
handler then logs them under a reference the user sees)."""

from __future__ import annotations

import discord
from discord import app_commands

from handlers.errors import UserError, explain
from handlers.failures import backoff, classify


def test_user_errors_are_shown_as_written() -> None:
    assert explain(UserError("Pick a channel of this server.")) == "Pick a channel of this server."


def test_missing_permission_names_it() -> None:
    error = app_commands.MissingPermissions(["manage_channels"])
    assert explain(error) == "You need the Manage Channels permission to use this command."


def test_no_private_message() -> None:
    assert explain(app_commands.NoPrivateMessage()) == "This command works only in a server."


def test_bugs_get_no_explanation() -> None:
    assert explain(RuntimeError("boom")) is None
    assert explain(KeyError("x")) is None


class _Response:
    """The two attributes discord.py's HTTPException reads from an aiohttp response."""

    def __init__(self, status: int) -> None:
        self.status = status
        self.reason = "test"


def _http_error(kind: type[discord.HTTPException], status: int, code: int) -> Exception:
    return kind(_Response(status), {"message": "x", "code": code})  # type: ignore[arg-type]


def test_send_failures_are_classified() -> None:
    assert classify(_http_error(discord.Forbidden, 403, 50013)).action == "pause"
    assert classify(_http_error(discord.NotFound, 404, 10003)).action == "pause"
    assert classify(_http_error(discord.DiscordServerError, 503, 0)).action == "retry"
    assert classify(_http_error(discord.HTTPException, 429, 0)).action == "retry"
    assert classify(_http_error(discord.HTTPException, 401, 0)).action == "retry"
    assert classify(_http_error(discord.HTTPException, 400, 50035)).action == "fail"
    assert classify(OSError("connection reset")).action == "retry"
    assert "missing permissions" in classify(_http_error(discord.Forbidden, 403, 50013)).reason


def test_backoff_grows_and_is_capped() -> None:
    assert [backoff(n).total_seconds() for n in (1, 2, 3)] == [2.0, 4.0, 8.0]
    assert backoff(50).total_seconds() == 600.0


def test_stale_commands_are_explained() -> None:
    stale = app_commands.CommandNotFound("oldcommand", [])
    assert "changed" in (explain(stale) or "")
