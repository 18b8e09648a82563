"""The one error handler's wording: expected problems get a sentence, bugs get none (the
handler then logs them under a reference the user sees)."""

from __future__ import annotations

from discord import app_commands

from handlers.errors import UserError, explain


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
