"""The Discord emulator against the real discord.py client (a tiny bot defined here)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import subprocess
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import discord
import pytest
from discord import app_commands
from discord.ext import commands

from tests.emulator import (
    ChannelSpec,
    CommandNotVisible,
    DiscordEmulator,
    Guild,
    InvocationError,
    perm,
    pointed_at,
)
from tests.emulator.process import BotProcess


class TinyBot(commands.Bot):
    """Just enough bot to exercise the emulator: a few slash commands and a channel send."""

    def __init__(self, intents: discord.Intents | None = None) -> None:
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=intents or discord.Intents.default(),
            guild_ready_timeout=0.05,
        )
        self.ready = asyncio.Event()
        self.resumed = asyncio.Event()
        self.tree.add_command(ping)
        self.tree.add_command(post)
        self.tree.add_command(slow)
        self.tree.add_command(counter)
        self.tree.add_command(echo)

    async def setup_hook(self) -> None:
        await self.tree.sync()

    async def on_ready(self) -> None:
        self.ready.set()

    async def on_resumed(self) -> None:
        self.resumed.set()

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        """discord.py sleeps 5 s before identifying again; not in tests."""


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
    await asyncio.sleep(0.3)
    with contextlib.suppress(discord.NotFound):
        await interaction.response.send_message("late")


class Counter(discord.ui.View):
    def __init__(self) -> None:
        super().__init__(timeout=None)
        self.count = 0

    @discord.ui.button(label="+1", custom_id="counter:inc")
    async def inc(
        self, interaction: discord.Interaction, button: discord.ui.Button[Counter]
    ) -> None:
        self.count += 1
        await interaction.response.edit_message(content=f"count {self.count}", view=self)

    @discord.ui.button(label="reset", custom_id="counter:reset")
    async def reset(
        self, interaction: discord.Interaction, button: discord.ui.Button[Counter]
    ) -> None:
        self.count = 0
        await interaction.response.defer()
        await interaction.edit_original_response(content="count 0 (reset)")


@app_commands.command(description="A message with a button")
async def counter(interaction: discord.Interaction) -> None:
    await interaction.response.send_message("count 0", view=Counter())


@app_commands.command(description="Say it again")
async def echo(
    interaction: discord.Interaction, text: str, times: app_commands.Range[int, 1, 3] = 1
) -> None:
    await interaction.response.send_message(" ".join([text] * times), ephemeral=True)


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
                ChannelSpec("hidden", everyone_deny=perm.VIEW_CHANNEL),
                ChannelSpec("plain", bot_deny=perm.EMBED_LINKS),
            ],
        )
        async with running_bot(emu) as bot:
            yield Running(emu, bot, guild)


async def test_login_sync_and_ready(running: Running) -> None:
    emu, bot = running.emu, running.bot
    names = sorted(c.name for c in emu.commands())
    assert names == ["counter", "echo", "ping", "post", "slow"]
    assert emu.command("post").default_member_permissions == perm.MANAGE_CHANNELS
    assert emu.identifies[-1].privileged is False
    assert emu.token not in repr(emu.requests) + repr(emu.identifies)
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


async def test_member_without_permission_does_not_see_command(running: Running) -> None:
    general = running.guild.channel("general")
    with pytest.raises(CommandNotVisible):
        await running.emu.invoke("post", general, options={"channel": general})
    forced = await running.emu.invoke("post", general, options={"channel": general}, force=True)
    assert forced.content.startswith("posted")


async def test_late_callback_is_refused_and_recorded(running: Running) -> None:
    running.emu.callback_deadline_seconds = 0.2  # /slow answers after 0.3 s
    result = await running.emu.invoke("slow", running.guild.channel("general"))
    assert result.response_type is None
    assert result.errors == ("callback after 0.2 s (404 10062)",)


async def test_button_click_updates_the_message(running: Running) -> None:
    emu = running.emu
    result = await emu.invoke("counter", running.guild.channel("general"))
    assert result.message is not None
    assert result.message.custom_ids() == ["counter:inc", "counter:reset"]
    clicked = await emu.click(result.message, "counter:inc")
    assert clicked.response_type == 7
    message = emu.message(result.message.id)
    assert message.content == "count 1"
    assert [v.content for v in message.edits] == ["count 0"]


async def test_command_in_dm_has_a_user_not_a_member(running: Running) -> None:
    result = await running.emu.invoke("ping", dm=True)
    assert result.content == "pong"
    assert "user" in running.emu.interactions.pending[result.id].payload


async def test_nonce_is_deduplicated_per_channel(running: Running) -> None:
    emu, bot = running.emu, running.bot
    general = bot.get_partial_messageable(running.guild.channel("general").id)
    news = bot.get_partial_messageable(running.guild.channel("news").id)
    first = await general.send("one", nonce="dev-1-chan")
    again = await general.send("one", nonce="dev-1-chan")
    other = await news.send("one", nonce="dev-1-chan")
    assert first.id == again.id != other.id
    assert emu.stats.nonce_dedupes == 1
    assert len(emu.posts(running.guild.channel("general"))) == 1
    with pytest.raises(discord.HTTPException) as error:
        await general.send("two", nonce="x" * 26)
    assert error.value.code == 50035


async def test_missing_permissions_are_403_and_unknown_channel_404(running: Running) -> None:
    bot, guild = running.bot, running.guild
    cases = [
        ("locked", 50013, None),
        ("hidden", 50001, None),
        ("plain", 50013, discord.Embed(title="t")),
    ]
    for name, code, embed in cases:
        channel = bot.get_partial_messageable(guild.channel(name).id)
        with pytest.raises(discord.Forbidden) as error:
            await channel.send("x", embed=embed) if embed else await channel.send("x")
        assert error.value.code == code, name
    await bot.get_partial_messageable(guild.channel("plain").id).send("text is fine")
    with pytest.raises(discord.NotFound) as missing:
        await bot.get_partial_messageable(1234).send("x")
    assert missing.value.code == 10003


async def test_message_limits_are_validated(running: Running) -> None:
    general = running.bot.get_partial_messageable(running.guild.channel("general").id)
    embed = discord.Embed(title="t" * 257, description="d")
    with pytest.raises(discord.HTTPException) as error:
        await general.send(embed=embed)
    assert error.value.status == 400 and error.value.code == 50035
    assert running.emu.violations[-1].problems == ("embeds[0].title longer than 256",)
    assert running.emu.posts(running.guild.channel("general")) == []


async def test_edit_and_crosspost(running: Running) -> None:
    emu, bot, guild = running.emu, running.bot, running.guild
    news = bot.get_partial_messageable(guild.channel("news").id)
    message = await news.send("first")
    await message.publish()
    await message.edit(content="second")
    stored = emu.message(message.id)
    assert stored.crossposted and stored.content == "second"
    assert [v.content for v in stored.edits] == ["first"]
    plain = await bot.get_partial_messageable(guild.channel("general").id).send("x")
    with pytest.raises(discord.HTTPException) as error:
        await plain.publish()
    assert error.value.code == 50024
    await plain.delete()
    assert emu.message(plain.id).deleted and emu.posts(guild.channel("general")) == []


async def test_429_is_retried_by_discord_py(running: Running) -> None:
    emu = running.emu
    fault = emu.inject_fault("POST", "/channels/*/messages", 429, retry_after=0.05)
    await running.bot.get_partial_messageable(running.guild.channel("general").id).send("x")
    assert fault.hits == 1
    statuses = [r.status for r in emu.requests_to("POST", "/channels/{channel_id}/messages")]
    assert statuses == [429, 200]
    assert len(emu.posts(running.guild.channel("general"))) == 1


async def test_route_limit_headers_pace_discord_py(running: Running) -> None:
    emu = running.emu
    emu.rate_limits.route_buckets[("POST", "/channels/{channel_id}/messages")] = (2, 0.2)
    general = running.bot.get_partial_messageable(running.guild.channel("general").id)
    await asyncio.gather(*(general.send(f"m{i}") for i in range(5)))
    assert len(emu.posts(running.guild.channel("general"))) == 5
    assert emu.rate_limits.total_429s == 0


async def test_global_limit_gives_global_429_that_discord_py_waits_out(running: Running) -> None:
    emu, bot, guild = running.emu, running.bot, running.guild
    emu.rate_limits.global_per_second = 3
    emu.rate_limits.reset()
    channels = [emu.add_channel(guild, f"c{i}") for i in range(4)]
    await emu.settle()
    sends = (bot.get_partial_messageable(c.id).send("x") for c in channels)
    started = emu.elapsed()
    await asyncio.gather(*sends)
    assert emu.rate_limits.counts["global"] > 0
    assert emu.peak_requests_per_second(since=started) == 3
    assert all(len(emu.posts(c)) == 1 for c in channels)


@pytest.mark.parametrize("code", [4000, None])
async def test_dropped_gateway_resumes_and_replays_missed_events(
    running: Running, code: int | None
) -> None:
    emu, bot, guild = running.emu, running.bot, running.guild
    general = guild.channel("general")
    await emu.drop_gateway(code)
    emu.set_channel_permissions(general, "bot", deny=perm.SEND_MESSAGES)
    await asyncio.wait_for(bot.resumed.wait(), 10)
    assert emu.resumes == 1 and len(emu.identifies) == 1
    assert emu.hub.connection_paths == ["/gateway", "/gateway/resume"]
    cached = bot.get_channel(general.id)
    assert isinstance(cached, discord.TextChannel)
    assert not cached.permissions_for(cached.guild.me).send_messages
    result = await emu.invoke("ping", general)
    assert result.content == "pong"


async def test_wrong_token_is_refused() -> None:
    async with DiscordEmulator() as emu:
        with pointed_at(emu):
            bot = TinyBot()
            with pytest.raises(discord.LoginFailure):
                await bot.login("not-the-token")
            await bot.close()
        assert emu.requests[-1].status == 401


async def test_reconnect_request_resumes_and_invalid_session_identifies_again(
    running: Running,
) -> None:
    emu, bot = running.emu, running.bot
    await emu.request_reconnect()
    await asyncio.wait_for(bot.resumed.wait(), 10)
    assert emu.resumes == 1
    await emu.invalidate_session()
    await emu.wait_for_identifies(2, timeout=10)
    result = await emu.invoke("ping", running.guild.channel("general"))
    assert result.content == "pong"


async def test_privileged_intents_are_refused() -> None:
    async with DiscordEmulator() as emu:
        emu.add_guild()
        with pointed_at(emu):
            bot = TinyBot(discord.Intents.all())
            with pytest.raises(discord.PrivilegedIntentsRequired):
                await bot.start(emu.token)
            await bot.close()
        assert emu.identifies[-1].privileged


async def test_fault_after_the_write_is_retried_with_the_same_nonce(running: Running) -> None:
    emu = running.emu
    emu.inject_fault("POST", "/channels/*/messages", 500, after=True)
    general = running.bot.get_partial_messageable(running.guild.channel("general").id)
    sent = await general.send("once")
    assert [p.id for p in emu.posts(running.guild.channel("general"))] == [sent.id]
    assert emu.stats.nonce_dedupes == 1


async def test_dropped_connection_and_server_error_reach_the_client(running: Running) -> None:
    emu = running.emu
    general = running.bot.get_partial_messageable(running.guild.channel("general").id)
    emu.inject_fault("POST", "/channels/*/messages", 0)
    with pytest.raises(aiohttp.ClientError):
        await general.send("lost")
    emu.inject_fault("POST", "/channels/*/messages", 503)
    with pytest.raises(discord.DiscordServerError):
        await general.send("unavailable")
    assert emu.posts(running.guild.channel("general")) == []


async def test_allowed_mentions_decide_who_is_pinged(running: Running) -> None:
    emu, guild = running.emu, running.guild
    role = emu.add_role(guild, "alerts")
    await emu.settle()
    general = running.bot.get_partial_messageable(guild.channel("general").id)
    quiet = await general.send(
        f"<@&{role.id}> @everyone", allowed_mentions=discord.AllowedMentions.none()
    )
    only_role = discord.AllowedMentions(
        everyone=False, users=False, roles=[discord.Object(role.id)]
    )
    loud = await general.send(f"<@&{role.id}> @everyone", allowed_mentions=only_role)
    assert not emu.message(quiet.id).mentions.any
    assert emu.message(loud.id).mentions.roles == (role.id,)
    assert not emu.message(loud.id).mentions.everyone
    both: dict[str, object] = {"parse": ["roles"], "roles": [str(role.id)]}
    with pytest.raises(discord.HTTPException) as error:
        await running.bot.http.send_message(general.id, params=_params("x", both))
    assert error.value.code == 50035


def test_launcher_needs_the_emulator_urls() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TALKWATCH_TEST_DISCORD")}
    done = subprocess.run(
        [sys.executable, "-m", "tests.emulator.launch", "run"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert "TALKWATCH_TEST_DISCORD_API" in done.stderr


async def test_world_changes_reach_the_bot(running: Running) -> None:
    emu, bot, guild = running.emu, running.bot, running.guild
    general, news = guild.channel("general"), guild.channel("news")
    emu.set_bot_permissions(guild, perm.VIEW_CHANNEL)
    emu.delete_channel(news)
    later = emu.add_guild("Later")
    await emu.settle()
    await emu.invoke("ping", general)  # the events before it have been handled by now
    role = bot.get_guild(guild.id).get_role(guild.bot_role_id)  # type: ignore[union-attr]
    assert role is not None and role.permissions.value == perm.VIEW_CHANNEL
    assert bot.get_channel(news.id) is None and bot.get_guild(later.id) is not None
    with pytest.raises(discord.NotFound):
        await bot.get_partial_messageable(news.id).send("x")
    emu.remove_guild(later)
    with pytest.raises(discord.Forbidden) as error:
        await bot.get_partial_messageable(later.channel("general").id).send("x")
    assert error.value.code == 50001


async def test_heartbeats_are_acknowledged() -> None:
    async with DiscordEmulator(heartbeat_interval_ms=20) as emu:
        emu.add_guild()
        async with running_bot(emu) as bot:
            await emu.wait_for(lambda: emu.hub.heartbeats >= 3, 10)
            assert bot.latency != float("inf")


async def test_slow_response_is_only_slow(running: Running) -> None:
    emu = running.emu
    emu.inject_fault("GET", "/channels/*", delay=0.05)
    channel = await running.bot.fetch_channel(running.guild.channel("general").id)
    assert channel.id == running.guild.channel("general").id
    assert emu.requests[-1].answered_at - emu.requests[-1].received_at >= 0.05


async def test_bot_process_runs_the_launcher(tmp_path: Path) -> None:
    async with DiscordEmulator() as emu:
        process = BotProcess(emu, args=["--help"], log_path=tmp_path / "bot.log")
        await process.start()
        assert await process.wait(60) == 0
        assert "usage" in process.log_text()


async def test_unavailable_gateway_refuses_connections() -> None:
    async with DiscordEmulator() as emu:
        emu.set_gateway_available(False)
        async with aiohttp.ClientSession() as session:
            with pytest.raises(aiohttp.WSServerHandshakeError):
                await session.ws_connect(emu.gateway_url)


async def test_deferred_component_update_edits_the_message(running: Running) -> None:
    emu = running.emu
    result = await emu.invoke("counter", running.guild.channel("general"))
    assert result.message is not None
    await emu.click(result.message, "counter:inc")
    clicked = await emu.click(result.message, "counter:reset")
    assert clicked.response_type == 6
    assert emu.message(result.message.id).content == "count 0 (reset)"


async def test_guild_commands_and_definition_validation(running: Running) -> None:
    emu, bot, guild = running.emu, running.bot, running.guild
    bot.tree.copy_global_to(guild=discord.Object(guild.id))
    await bot.tree.sync(guild=discord.Object(guild.id))
    synced = await emu.wait_for_commands_synced(guild=guild)
    assert sorted(c.name for c in synced) == ["counter", "echo", "ping", "post", "slow"]
    result = await emu.invoke("ping", guild.channel("general"))
    assert result.content == "pong"
    assert emu.interactions.pending[result.id].payload["data"]["guild_id"] == str(guild.id)
    bad = {"name": "Bad Name", "description": "", "type": 1}
    with pytest.raises(discord.HTTPException) as error:
        await bot.http.bulk_upsert_global_commands(emu.application_id, [bad])
    assert error.value.code == 50035
    assert len(emu.violations) == 1 and len(emu.violations[0].problems) == 2


async def test_options_are_checked_like_the_discord_client(running: Running) -> None:
    emu, general = running.emu, running.guild.channel("general")
    result = await emu.invoke("echo", general, options={"text": "hi", "times": 2})
    assert result.content == "hi hi"
    for options in ({"text": "hi", "times": 4}, {"times": 1}, {"text": "hi", "loud": True}):
        with pytest.raises(InvocationError):
            await emu.invoke("echo", general, options=options)
    assert emu.command("echo").option("times")["max_value"] == 3


async def test_bot_with_message_intent_gets_its_messages(running: Running) -> None:
    general = running.bot.get_partial_messageable(running.guild.channel("general").id)
    sent = await general.send("cached")
    await running.emu.invoke("ping", running.guild.channel("general"))
    assert sent.id in [m.id for m in running.bot.cached_messages]


def _params(content: str, allowed_mentions: dict[str, object]) -> discord.http.MultipartParameters:
    payload = {"content": content, "allowed_mentions": allowed_mentions}
    return discord.http.MultipartParameters(payload=payload, multipart=None, files=None)


async def test_members_intent_when_allowed_gets_member_chunks() -> None:
    async with DiscordEmulator(allow_privileged_intents=True) as emu:
        guild = emu.add_guild()
        emu.add_member(guild, "alice", permissions=perm.MANAGE_CHANNELS)
        intents = discord.Intents.default()
        intents.members = True
        with pointed_at(emu):
            bot = TinyBot(intents)
            task = asyncio.create_task(bot.start(emu.token))
            await asyncio.wait_for(bot.ready.wait(), 20)
            cached = bot.get_guild(guild.id)
            assert cached is not None and cached.chunked
            assert sorted(m.name for m in cached.members if not m.bot) == [
                "alice",
                "owner",
                "tester-1",
            ]
            await bot.close()
            await task


async def test_interaction_webhook_messages_can_be_read_edited_and_deleted(
    running: Running,
) -> None:
    emu, general = running.emu, running.guild.channel("general")
    result = await emu.invoke("counter", general)
    assert result.message is not None
    token = emu.interactions.pending[result.id].token
    hook = discord.Webhook.partial(emu.application_id, token, client=running.bot)
    fetched = await hook.fetch_message(result.message.id)
    assert fetched.content == "count 0"
    await hook.edit_message(result.message.id, content="edited")
    assert emu.interaction_result(result.id).content == "edited"
    await hook.delete_message(result.message.id)
    assert emu.messages(general) == []
    with pytest.raises(discord.NotFound):
        await discord.Webhook.partial(emu.application_id, "bad", client=running.bot).fetch_message(
            1
        )


async def test_read_routes_give_discord_py_what_it_parses(running: Running) -> None:
    emu, bot, guild = running.emu, running.bot, running.guild
    fetched = await bot.fetch_guild(guild.id)
    assert fetched.name == "Test"
    assert {r.name for r in await fetched.fetch_roles()} >= {"@everyone", "talkwatch"}
    member = await fetched.fetch_member(guild.default_member_id)
    assert member.name == "tester-1"
    user = await bot.fetch_user(guild.default_member_id)
    dm = await user.create_dm()
    await dm.send("hello")
    assert [m.content for m in emu.posts(dm.id)] == ["hello"]
    channel = await bot.fetch_channel(guild.channel("general").id)
    assert isinstance(channel, discord.TextChannel)
    sent = await channel.send("one")
    assert (await channel.fetch_message(sent.id)).content == "one"
    assert [m.id async for m in channel.history(limit=5)] == [sent.id]
    commands_ = await bot.tree.fetch_commands()
    ping_ = next(c for c in commands_ if c.name == "ping")
    await ping_.edit(description="Answer privately, quickly")
    assert emu.command("ping").description == "Answer privately, quickly"
    await ping_.delete()
    assert "ping" not in [c.name for c in emu.commands()]
