"""`/latest [count]`: the newest developments as embeds, with buttons to page older and newer.

Works for anyone, in servers and in DMs. Pages are offsets into the developments ordered by
first-reported time, newest first; the answer is ephemeral in servers so it clutters nothing.
The buttons carry their page in their custom_id (`PageButton`), so they answer after a restart
too.
"""

from __future__ import annotations

import logging
import re
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from handlers.context import Services, services_of
from handlers.errors import report
from handlers.render import render_page
from news.records import Development
from storage.developments import latest_developments

log = logging.getLogger(__name__)

PAGE_TEMPLATE = r"latest:(?P<count>[0-9]{1,2}):(?P<offset>[0-9]{1,6}):(?P<side>newer|older)"
"""The page a button leads to lives in its custom_id, so that a button keeps working after a
restart and long after the answer was sent: every click is answered."""


def page_of(services: Services, count: int, offset: int) -> tuple[list[Development], bool]:
    """The developments of the page and whether older ones exist."""
    found = latest_developments(services.db, count + 1, offset=offset)
    return found[:count], len(found) > count


def render_latest(
    services: Services, bot_name: str, count: int, offset: int
) -> tuple[str, list[discord.Embed], discord.ui.View]:
    developments, has_older = page_of(services, count, offset)
    view = discord.ui.View(timeout=None)
    view.add_item(PageButton(count, max(0, offset - count), "newer", disabled=offset == 0))
    view.add_item(PageButton(count, offset + count, "older", disabled=not has_older))
    if not developments:
        return "No developments recorded yet.", [], view
    first, last = offset + 1, offset + len(developments)
    text = f"Developments {first}-{last}, newest first."
    return text, render_page(developments, bot_name), view


class PageButton(
    discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]], template=PAGE_TEMPLATE
):
    """Newer or Older: shows the page at `offset` in the message it belongs to."""

    def __init__(self, count: int, offset: int, side: str, *, disabled: bool = False) -> None:
        super().__init__(
            discord.ui.Button(
                label=side.title(),
                style=discord.ButtonStyle.secondary,
                custom_id=f"latest:{count}:{offset}:{side}",
                disabled=disabled,
            )
        )
        self.count = count
        self.offset = offset

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction,
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> PageButton:
        count = min(10, max(1, int(match["count"])))
        return cls(count, int(match["offset"]), match["side"])

    async def callback(self, interaction: discord.Interaction) -> None:
        try:
            services = services_of(interaction.client)
            user = interaction.client.user
            name = user.name if user else "talkwatch"
            text, embeds, view = render_latest(services, name, self.count, self.offset)
            await interaction.response.edit_message(
                content=text,
                embeds=embeds,
                view=view,
                allowed_mentions=discord.AllowedMentions.none(),
            )
        except Exception as error:
            await report(interaction, error)


class Latest(commands.Cog):
    def __init__(self, services: Services, bot_name: str) -> None:
        self.services = services
        self.bot_name = bot_name

    @app_commands.command(description="The latest peace-talks developments")
    @app_commands.describe(count="How many per page (1-10, default 5)")
    @app_commands.allowed_contexts(guilds=True, dms=True)
    async def latest(
        self, interaction: discord.Interaction, count: app_commands.Range[int, 1, 10] = 5
    ) -> None:
        text, embeds, view = render_latest(self.services, self.bot_name, count, 0)
        await interaction.response.send_message(
            text,
            embeds=embeds,
            view=view,
            ephemeral=interaction.guild_id is not None,
            allowed_mentions=discord.AllowedMentions.none(),
        )


async def setup(bot: commands.Bot) -> None:
    name = bot.user.name if bot.user else "talkwatch"
    bot.add_dynamic_items(PageButton)
    await bot.add_cog(Latest(services_of(bot), name))
