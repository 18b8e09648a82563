"""A Discord emulator for tests: HTTP API v10 and the gateway on 127.0.0.1, for the real,
unmodified discord.py client. Never shipped with the app.

Start it, point discord.py at it, run a bot, act as users, assert on what Discord received::

    from tests.emulator import DiscordEmulator, ChannelSpec, pointed_at, perm

    async with DiscordEmulator() as emu:              # 127.0.0.1, port 0
        guild = emu.add_guild("Test", ["general", ChannelSpec("news", kind="announcement"),
                                       ChannelSpec("locked", bot_deny=perm.SEND_MESSAGES)])
        general = guild.channel("general")
        with pointed_at(emu):                         # Route.BASE + DEFAULT_GATEWAY, restored after
            bot = commands.Bot(..., guild_ready_timeout=0.1)   # lower the 2 s ready delay
            task = asyncio.create_task(bot.start(emu.token))
            await emu.wait_for_commands_synced(timeout=20)     # or guild=guild for guild sync
            result = await emu.invoke("subscribe", general,
                                      options={"channel": general, "mode": "daily"},
                                      member_permissions=perm.MANAGE_CHANNELS)
            assert result.ephemeral and "daily" in result.text
            posts = await emu.wait_for_posts(general, count=1)
            clicked = await emu.click(result.message, "latest:older")
            ...
            await bot.close(); await task

Client-side settings worth knowing (discord.py, not the emulator): `guild_ready_timeout`
(default 2 s) delays on_ready after the last GUILD_CREATE, so lower it in tests; after an
invalid session discord.py sleeps 5 s in `before_identify_hook` before identifying again (a
fresh process does not). Interactions and posts work before on_ready: the guild is cached
as soon as its GUILD_CREATE arrives.

The product bot in a subprocess (kill -9 tests), `tests/emulator/process.py`::

    async with BotProcess(emu, env={"TALKWATCH_DB": ...}, log_path=tmp_path / "bot.log") as bot:
        await emu.wait_for_commands_synced()
        await bot.kill(); await bot.start()          # SIGKILL, then the same command again
    # leaving: SIGTERM, SIGKILL after stop_timeout

It runs `python -m tests.emulator.launch run` with `bot_environment(emu)` (the emulator's URLs
in TALKWATCH_TEST_DISCORD_API / TALKWATCH_TEST_DISCORD_GATEWAY) and DISCORD_TOKEN=emu.token.
Fixture: `emu` in tests/conftest.py (a started emulator, closed after the test).

World (changes reach a connected bot over the gateway, in call order; `await emu.settle()`):
- `add_guild(name, channels, bot_permissions=perm.BOT_DEFAULT, everyone_permissions=...)`:
  channels are names or `ChannelSpec(name, kind="text"|"announcement", bot_allow/bot_deny,
  everyone_allow/everyone_deny, overwrites)`; at most 500 per guild, as on Discord.
  The guild has @everyone, the bot's managed role, the owner and a default member.
- `add_channel`, `delete_channel`, `add_role(guild, name, permissions, mentionable=True)`,
  `add_member(guild, name, permissions=..., roles=...)`, `member_with(guild, permissions)`,
  `set_bot_permissions(guild, bits)`, `remove_guild(guild)`, `bot_permissions_in(channel)`,
  `set_channel_permissions(channel, "bot"|"everyone"|role|member, allow=, deny=)`,
  `channel(id)`. Channel arguments take a `Channel` or its id.

Users:
- `await invoke(name, channel=None, options={...}, member=None, member_permissions=None,
  subcommand=None, dm=False, force=False, timeout=10)` builds INTERACTION_CREATE from the
  synced definition (types, choices, ranges checked; channels/roles/users resolved; guild
  commands before global ones), dispatches it and waits
  until the bot answered (a message, or a deferral plus its follow-up/@original edit).
  Raises `CommandNotVisible` if `default_member_permissions`/contexts hide the command from
  that member (force=True sends it anyway), `InvocationError` for options a client would
  refuse, `EmulatorTimeout` if no answer comes. Returns `InteractionResult`: response_type,
  content, embeds, components, flags, ephemeral, deferred, message, followups, text,
  callback_seconds, completed_seconds, errors (late or double callbacks).
- `await click(message, custom_id, values=None, ...)`: component interaction (type 3);
  answers of type 7 (update) or 6 (deferred, then PATCH @original) edit that message.
- `interaction_result(id)`, `interaction_results()`: latest state of answers.

What Discord received:
- `messages(channel)` (posts and public interaction answers), `posts(channel)` (only
  POST /channels/{id}/messages), `all_posts()`, `message(id)`, `await wait_for_posts(channel,
  count)`: `Message` snapshots with content, embeds, components, nonce, allowed_mentions,
  `mentions` (who would really be pinged), flags (`crossposted`, `ephemeral`), `edits` (earlier
  versions), `edited_at`, `text`.
- `requests` / `requests_to("POST", "/channels/{channel_id}/messages")`: every REST request with
  path, route template, json, headers (no Authorization), status, code, times.
- `violations`: bodies Discord would reject (limits, 50035); assert it stays empty.
- `peak_requests_per_second(since=0.0)`: the most globally-limited requests in any sliding
  second; `elapsed()` is the clock of request times.
- `rate_limits` (`enabled`, `counts`, `total_429s`, `global_per_second`), `stats`
  (messages_created, nonce_dedupes, edits, crossposts), `identifies` (intents), `resumes`.
- `commands(guild=None)`, `command(name)`: synced definitions (`default_member_permissions`,
  `contexts`, `options`).
- `await wait_for(check, timeout, what)`: re-checked after every request and gateway change.

Faults and the gateway:
- `inject_fault(method, "/channels/*/messages", status=403|404|429|500|503|0, code=...,
  retry_after=..., is_global=..., times=1|None, delay=seconds, after=False)` returns a `Fault`
  (`hits`); 429s carry `Via` and a JSON body so discord.py retries; status 0 drops the
  connection; after=True applies the request, then answers the fault.
- `await drop_gateway(code=4000 | None)`, `request_reconnect()` (op 7),
  `invalidate_session()` (op 9), `wait_until_connected()`, `wait_for_resume(count)`,
  `wait_for_identifies(count)` (e.g. 2 after a restart),
  `set_gateway_available(False)` (new connections get HTTP 503), `invalid_requests`.

`member_permissions` gives the invoker a role granting them (announced to the bot, so
`channel.permissions_for(interaction.user)` agrees); without it the invoker is the guild's
default member (only @everyone).

Enforced like Discord: bot token on REST (401) and IDENTIFY (4004); privileged intents refused
(4014) unless `DiscordEmulator(allow_privileged_intents=True)`; permissions from roles and
overwrites (403 50001/50013, Embed Links for embeds), unknown channel 404 10003, unknown
message 10008, crosspost only in announcement channels (own message: Send Messages; once:
400 40033); message, allowed_mentions and command definition limits (400 50035); nonce dedupe
for 5 minutes with `enforce_nonce`; 50 requests in any sliding second (interaction endpoints
exempt) and per channel 5 messages (and 5 edits) per 5 s and 10 crossposts per hour, with
X-RateLimit-* headers that match (`DiscordEmulator(rate_limits=False)` switches enforcement
off; `rate_limits.route_buckets` and `global_per_second` can be changed); interaction
callback within 3 s (`callback_deadline_seconds`; 404 10062) and only once (400 40060),
follow-ups for 15 minutes. MESSAGE_CREATE/UPDATE of the bot's own messages are dispatched
only to a bot with the GUILD_MESSAGES (DMs: DIRECT_MESSAGES) intent.

Not emulated: attachments (multipart bodies are accepted, files ignored), threads, voice,
reactions, pins, webhooks other than interaction tokens, autocomplete and modal-submit
interactions, role hierarchy, slowmode, gateway compression and its send rate limit,
sharding, presence. An embed in a channel without Embed Links is refused with 403 50013 even
with content (reported behaviour, unverified on live Discord).
"""

from tests.emulator import permissions as perm
from tests.emulator.core import EmulatorTimeout, RecordedRequest, Violation
from tests.emulator.emulator import DiscordEmulator
from tests.emulator.invoke import CommandNotVisible, InvocationError
from tests.emulator.limits import Fault
from tests.emulator.models import Channel, Command, Guild, Member, Mentions, Message, Role
from tests.emulator.pending import InteractionResult
from tests.emulator.redirect import bot_environment, pointed_at
from tests.emulator.state import ChannelSpec

__all__ = [
    "Channel",
    "ChannelSpec",
    "Command",
    "CommandNotVisible",
    "DiscordEmulator",
    "EmulatorTimeout",
    "Fault",
    "Guild",
    "InteractionResult",
    "InvocationError",
    "Member",
    "Mentions",
    "Message",
    "RecordedRequest",
    "Role",
    "Violation",
    "bot_environment",
    "perm",
    "pointed_at",
]
