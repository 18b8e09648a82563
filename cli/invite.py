"""`talkwatch invite [--application-id ID]`: print the URL that adds the bot to a server.

Scopes `bot applications.commands`; permissions View Channel, Send Messages and Embed Links
(19456), nothing more: editing and publishing its own messages need no other permission. The
application id comes from `--application-id`, else from Discord's application info for the
token in DISCORD_TOKEN (the token is never parsed). `talkwatch run` also logs the URL at start.
"""

from __future__ import annotations

import argparse
import asyncio
import sys

from settings import Settings

EXIT_OK = 0
EXIT_CONFIG = 2


def main(args: argparse.Namespace, settings: Settings) -> int:
    from handlers.context import invite_url

    application_id: int | None = getattr(args, "application_id", None)
    if application_id is None:
        if not settings.discord_token:
            print(
                "talkwatch: give --application-id (from the Developer Portal) or set DISCORD_TOKEN"
                " so that the bot can ask Discord for it",
                file=sys.stderr,
            )
            return EXIT_CONFIG
        try:
            application_id = asyncio.run(fetch_application_id(settings.discord_token))
        except RuntimeError as exc:
            print(f"talkwatch: {exc}", file=sys.stderr)
            return EXIT_CONFIG
    print(invite_url(application_id))
    return EXIT_OK


async def fetch_application_id(token: str) -> int:
    """Log in over HTTP only (no gateway) and read the application id Discord reports."""
    import discord

    client = discord.Client(intents=discord.Intents.none())
    try:
        await client.login(token)
        info = await client.application_info()
        return info.id
    except discord.LoginFailure:
        raise RuntimeError("Discord rejected the token in DISCORD_TOKEN (401)") from None
    except (discord.HTTPException, OSError) as exc:
        raise RuntimeError(f"cannot reach Discord: {type(exc).__name__}") from None
    finally:
        await client.close()
