"""The Discord emulator against the real discord.py client (a tiny bot defined here)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass

import discord
import pytest
from discord import app_commands
from discord.ext import commands

from tests.emulator import (
    ChannelSpec,
    DiscordEmulator,
    Guild,
    perm,
    pointed_at,
)


class TinyBot(commands.Bot):
    """Just enough bot to exercise the emulator: a few slash commands and a channel send."""

    def __init__(self) -> None:
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=discord.Intents.default(),
            guild_ready_timeout=0.05,
        )
        self.ready = asyncio.Event()
        self.resumed = asyncio.Event()
        self.tree.add_command(ping)
        self.tree.add_command(post)
        self.tree.add_command(slow)

    async def setup_hook(self) -> None:
        await self.tree.sync()

    async def on_ready(self) -> None:
        self.ready.set()

    async def on_resumed(self) -> None:
        self.resumed.set()


@app_commands.command(description="Answer privately")
async def ping(interaction: discord.Interaction) -> None:
    await interaction.response.send_message("pong", ephemeral=True)


@app_commands.command(description="Post an embed to a channel")
@app_commands.describe(channel="Where to post")
@app_commands.default_permissions(manage_channels=True)
async def post(interaction: discord.Interaction, channel: discord.TextChannel) -> None:
    await interaction.response.defer(ephemeral=True, thinking=True)
    message = await channel.send(embed=discord.Embed(title="Hello", description="world"))
    await interaction.followup.send(f"posted {message.id}", ephemeral=True)


@app_commands.command(description="Too slow to answer")
async def slow(interaction: discord.Interaction) -> None:
    await asyncio.sleep(3.2)
    with contextlib.suppress(discord.NotFound):
        await interaction.response.send_message("late")


@dataclass
class Running:
    emu: DiscordEmulator
    bot: TinyBot
    guild: Guild


@contextlib.asynccontextmanager
async def running_bot(emu: DiscordEmulator) -> AsyncIterator[TinyBot]:
    with pointed_at(emu):
        bot = TinyBot()
        task = asyncio.create_task(bot.start(emu.token))
        try:
            await asyncio.wait_for(bot.ready.wait(), 20)
            yield bot
        finally:
            await bot.close()
            await task


@pytest.fixture
async def running() -> AsyncIterator[Running]:
    async with DiscordEmulator() as emu:
        guild = emu.add_guild(
            "Test",
            [
                "general",
                ChannelSpec("news", kind="announcement"),
                ChannelSpec("locked", bot_deny=perm.SEND_MESSAGES),
            ],
        )
        async with running_bot(emu) as bot:
            yield Running(emu, bot, guild)


async def test_login_sync_and_ready(running: Running) -> None:
    emu, bot = running.emu, running.bot
    names = sorted(c.name for c in emu.commands())
    assert names == ["ping", "post", "slow"]
    assert emu.command("post").default_member_permissions == perm.MANAGE_CHANNELS
    assert emu.identifies[-1].privileged is False
    assert bot.get_guild(running.guild.id) is not None
    me = bot.get_guild(running.guild.id).me  # type: ignore[union-attr]
    assert me.guild_permissions.embed_links


async def test_slash_command_round_trip_is_ephemeral(running: Running) -> None:
    result = await running.emu.invoke("ping", running.guild.channel("general"))
    assert result.content == "pong"
    assert result.ephemeral
    assert result.response_type == 4
    assert running.emu.messages(running.guild.channel("general")) == []


async def test_deferred_command_posts_embed_and_follows_up(running: Running) -> None:
    emu, general = running.emu, running.guild.channel("general")
    result = await emu.invoke(
        "post", general, options={"channel": general}, member_permissions=perm.MANAGE_CHANNELS
    )
    posts = emu.posts(general)
    assert [p.embeds[0]["title"] for p in posts] == ["Hello"]
    assert result.deferred and result.ephemeral
    assert result.content == f"posted {posts[0].id}"
    assert posts[0].nonce is not None
