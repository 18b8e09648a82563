"""`/latest [count]`: the newest developments as embeds, with buttons to page older and newer.

Works for anyone, in servers and in DMs. Pages are offsets into the developments ordered by
first-reported time, newest first; the answer is ephemeral in servers so it clutters nothing.
"""

from __future__ import annotations

import logging

import discord
from discord import app_commands
from discord.ext import commands

from handlers.context import Services, services_of
from handlers.errors import report
from handlers.render import render_page
from news.records import Development
from storage.developments import latest_developments

log = logging.getLogger(__name__)

VIEW_TIMEOUT_SECONDS = 600.0


class Pager(discord.ui.View):
    """Older/Newer buttons over one `/latest` answer."""

    def __init__(self, services: Services, bot_name: str, count: int, offset: int) -> None:
        super().__init__(timeout=VIEW_TIMEOUT_SECONDS)
        self.services = services
        self.bot_name = bot_name
        self.count = count
        self.offset = offset

    def page(self) -> tuple[list[Development], bool]:
        """This page's developments and whether older ones exist."""
        found = latest_developments(self.services.db, self.count + 1, offset=self.offset)
        return found[: self.count], len(found) > self.count

    def render(self) -> tuple[str, list[discord.Embed]]:
        developments, has_older = self.page()
        self.newer.disabled = self.offset == 0
        self.older.disabled = not has_older
        if not developments:
            return "No developments recorded yet.", []
        first, last = self.offset + 1, self.offset + len(developments)
        text = f"Developments {first}-{last}, newest first."
        return text, render_page(developments, self.bot_name)

    @discord.ui.button(label="Newer", style=discord.ButtonStyle.secondary)
    async def newer(
        self, interaction: discord.Interaction, button: discord.ui.Button[Pager]
    ) -> None:
        self.offset = max(0, self.offset - self.count)
        await self.show(interaction)

    @discord.ui.button(label="Older", style=discord.ButtonStyle.secondary)
    async def older(
        self, interaction: discord.Interaction, button: discord.ui.Button[Pager]
    ) -> None:
        self.offset += self.count
        await self.show(interaction)

    async def show(self, interaction: discord.Interaction) -> None:
        text, embeds = self.render()
        await interaction.response.edit_message(
            content=text, embeds=embeds, view=self, allowed_mentions=discord.AllowedMentions.none()
        )

    async def on_error(
        self,
        interaction: discord.Interaction,
        error: Exception,
        item: discord.ui.Item[Pager],
    ) -> None:
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
        view = Pager(self.services, self.bot_name, count, 0)
        text, embeds = view.render()
        await interaction.response.send_message(
            text,
            embeds=embeds,
            view=view,
            ephemeral=interaction.guild_id is not None,
            allowed_mentions=discord.AllowedMentions.none(),
        )


async def setup(bot: commands.Bot) -> None:
    name = bot.user.name if bot.user else "talkwatch"
    await bot.add_cog(Latest(services_of(bot), name))
