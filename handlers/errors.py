"""One error handler for every command and button.

Expected problems raise `UserError` with one user-facing sentence, answered ephemerally.
Anything else is logged with its traceback under a short reference that the user also sees.
"""

from __future__ import annotations

import logging
import secrets

import discord
from discord import app_commands

log = logging.getLogger(__name__)


class UserError(app_commands.AppCommandError):
    """A problem the user can fix; the message is shown to them as is."""


def explain(error: BaseException) -> str | None:
    """The user-facing sentence for an expected problem, or None for a bug."""
    if isinstance(error, app_commands.CommandInvokeError):
        error = error.original
    if isinstance(error, UserError):
        return str(error)
    if isinstance(error, app_commands.MissingPermissions):
        needed = ", ".join(p.replace("_", " ").title() for p in error.missing_permissions)
        return f"You need the {needed} permission to use this command."
    if isinstance(error, app_commands.NoPrivateMessage):
        return "This command works only in a server."
    if isinstance(error, app_commands.CommandOnCooldown):
        return f"Slow down: try again in {error.retry_after:.0f} s."
    if isinstance(error, app_commands.CheckFailure):
        return "You cannot use this command here."
    if isinstance(error, app_commands.CommandNotFound | app_commands.CommandSignatureMismatch):
        return (
            "This command has changed since your Discord app loaded it; "
            "reload Discord (Ctrl+R) or try again in a minute."
        )
    if isinstance(error, app_commands.TransformerError):
        return f"That value does not work here: {error.value!r}."
    return None


async def answer(interaction: discord.Interaction, text: str) -> None:
    """Reply ephemerally, whether or not the interaction was already answered or deferred."""
    try:
        if interaction.response.is_done():
            await interaction.followup.send(text, ephemeral=True)
        else:
            await interaction.response.send_message(text, ephemeral=True)
    except discord.HTTPException:
        log.warning("could not tell the user about an error (interaction %s)", interaction.id)


async def report(interaction: discord.Interaction, error: BaseException) -> None:
    message = explain(error)
    if message is None:
        reference = secrets.token_hex(3)
        name = interaction.command.qualified_name if interaction.command else "component"
        original = getattr(error, "original", error)
        log.error(
            "command %s failed [ref %s]",
            name,
            reference,
            exc_info=(type(original), original, original.__traceback__),
        )
        message = f"Something went wrong on our side (reference {reference}). Please try later."
    await answer(interaction, message)


async def on_tree_error(
    interaction: discord.Interaction, error: app_commands.AppCommandError
) -> None:
    await report(interaction, error)


def install(tree: app_commands.CommandTree[discord.Client]) -> None:
    tree.on_error = on_tree_error  # type: ignore[method-assign]
