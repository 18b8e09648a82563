"""Fan-out: one development to N subscribed channels through the Discord emulator.

The emulator enforces Discord's limits: 50 requests per second per bot over any sliding second
(interaction answers exempt) and 5 messages per 5 s per channel. The bot runs as a real
`talkwatch run` process (pointed at the emulator); N members run `/subscribe` in N channels
(spread over guilds of at most 250 channels), then one story appears on a loopback feed.

Printed: the subscribe phase (time, 429s), the delivery span (first to last message POST at the
emulator) against the N / 50 s the global limit allows (target: within 10%), the time from the
feed change to the last message, 429s over the whole run, duplicates and lost channels.

    .venv/bin/python bench/fanout.py                  # 1,000 channels
    .venv/bin/python bench/fanout.py --channels 200 --json
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from settings import Settings  # noqa: E402
from tests.botharness import EVENTS, BotProcess, bot_settings, poll_until, rss  # noqa: E402
from tests.emulator.emulator import DiscordEmulator  # noqa: E402
from tests.emulator.models import Channel  # noqa: E402
from tests.feedserver import FeedServer  # noqa: E402

GUILD_CHANNELS = 250
DISCORD_GLOBAL_PER_SECOND = 50
POST_ROUTE = ("POST", "/channels/{channel_id}/messages")


async def subscribe_all(emu: DiscordEmulator, channels: list[Channel], parallel: int) -> float:
    gate = asyncio.Semaphore(parallel)
    started = time.perf_counter()

    async def one(channel: Channel) -> None:
        guild = emu.core.world.guilds[channel.guild_id or 0]
        async with gate:
            result = await emu.invoke(
                "subscribe", channel, member=guild.members[guild.owner_id], timeout=30
            )
        if "Subscribed" not in result.content:
            raise RuntimeError(f"/subscribe failed in #{channel.name}: {result.content}")

    await asyncio.gather(*(one(channel) for channel in channels))
    return time.perf_counter() - started


async def run(count: int, rate: float, parallel: int) -> dict[str, float | int | bool]:
    with tempfile.TemporaryDirectory(prefix="fanout-") as tmp:
        async with DiscordEmulator() as emu, FeedServer() as feeds:
            channels: list[Channel] = []
            for start in range(0, count, GUILD_CHANNELS):
                names = [f"c{n}" for n in range(start, min(count, start + GUILD_CHANNELS))]
                guild = emu.add_guild(f"Guild {start // GUILD_CHANNELS}", channels=names)
                channels += [guild.channel(name) for name in names]
            settings = bot_settings(Path(tmp), emu, feeds, ["/feed.xml"])
            settings = dataclasses.replace(settings, send_rate_per_second=rate)
            bot = BotProcess(emu, settings, Path(tmp) / "bot.log")
            await bot.start()
            try:
                await emu.wait_for_commands_synced(timeout=60)
                await emu.wait_until_connected(timeout=60)
                subscribe_seconds = await subscribe_all(emu, channels, parallel)
                limited_while_subscribing = sum(emu.rate_limits.counts.values())
                changed = time.perf_counter()
                feeds.set_feed("/feed.xml", rss([EVENTS[0]]))
                await poll_until(
                    lambda: emu.stats.messages_created >= count,
                    timeout=count / 10 + 60,
                    what="every channel's post",
                )
                arrived = time.perf_counter()
                await asyncio.sleep(2.0)  # late duplicates would show here
            finally:
                bot.terminate()
                exit_code = await bot.wait(30)
            posts = Counter(m.channel_id for m in emu.all_posts())
            sends = emu.requests_to(*POST_ROUTE)
            span = max(r.received_at for r in sends) - min(r.received_at for r in sends)
            allowed = count / DISCORD_GLOBAL_PER_SECOND
            figures: dict[str, float | int | bool] = {
                "channels": count,
                "send_rate_setting": rate,
                "subscribe_seconds": round(subscribe_seconds, 2),
                "subscribe_429s": limited_while_subscribing,
                "delivery_span_seconds": round(span, 2),
                "allowed_seconds": round(allowed, 2),
                "span_over_allowed": round(span / allowed, 3),
                "feed_change_to_last_post_seconds": round(arrived - changed, 2),
                "message_posts": len(sends),
                "nonce_dedupes": emu.stats.nonce_dedupes,
                "rate_limited_429s": sum(emu.rate_limits.counts.values()),
                "duplicates": sum(n - 1 for n in posts.values() if n > 1),
                "lost": sum(1 for c in channels if posts.get(c.id, 0) == 0),
                "bot_exit_code": exit_code,
            }
            figures["target_met"] = bool(
                span <= allowed * 1.10
                and figures["rate_limited_429s"] == 0
                and figures["duplicates"] == 0
                and figures["lost"] == 0
            )
            return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--channels", type=int, default=1000)
    parser.add_argument(
        "--rate",
        type=float,
        default=Settings().send_rate_per_second,
        help="TALKWATCH_SEND_RATE_PER_SECOND for the bot (default: the setting's default)",
    )
    parser.add_argument("--parallel", type=int, default=16, help="concurrent /subscribe calls")
    parser.add_argument("--json", action="store_true", help="also print one JSON line")
    args = parser.parse_args()
    figures = asyncio.run(run(args.channels, args.rate, args.parallel))
    width = max(len(key) for key in figures)
    for key, value in figures.items():
        print(f"{key:<{width}}  {value}")
    if args.json:
        print(json.dumps(figures))
    return 0 if figures["target_met"] else 1


if __name__ == "__main__":
    sys.exit(main())
