"""The outbox drainer: posts, digests and edits, paced under Discord's limits.

One task drains the outbox about once a second (and at once when woken). A pass plans due
digests, sends digest batches, then single posts (bounded concurrency), then edits. Every send
carries the row's stable nonce, so a send repeated after a crash returns Discord's first
message; a row is marked sent only when Discord answers. 5xx and network errors leave the row
pending with a backoff; 403 and 404 pause the subscription with the reason.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Coroutine, Sequence
from datetime import datetime, timedelta
from typing import Any

import aiohttp
import discord
from discord.ext import commands

from handlers import digests
from handlers.context import Services, missing_permissions, services_of
from handlers.failures import Failure, backoff, classify
from handlers.pacing import CHANNEL_WINDOW_SECONDS, Pacer
from handlers.render import digest_content, render_digest, render_post
from news.records import Development
from storage import deliveries, subscriptions
from storage.deliveries import Delivery
from storage.developments import get_development

log = logging.getLogger(__name__)

CONCURRENCY = 32
TICK_SECONDS = 1.0


class Drainer:
    def __init__(self, bot: discord.Client, services: Services) -> None:
        self.bot = bot
        self.services = services
        self.db = services.db
        self.settings = services.settings
        self.pacer = Pacer(services.settings.send_rate_per_second)
        self._slots = asyncio.Semaphore(CONCURRENCY)
        self._wake = asyncio.Event()
        self._stopping = False
        self._task: asyncio.Task[None] | None = None
        self._inflight: set[asyncio.Task[None]] = set()
        self._sending: set[asyncio.Task[Any]] = set()
        self.away_until: datetime | None = None
        self.sent = 0

    @property
    def bot_name(self) -> str:
        return self.bot.user.name if self.bot.user else "talkwatch"

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="outbox-drainer")
        self._task.add_done_callback(_log_task_end)

    def wake(self) -> None:
        self._wake.set()

    def _mark_sending(self, delivery_ids: list[int]) -> None:
        """From here on the send may reach Discord: count the attempt (a restart then knows the
        rows may be in flight), and let a shutdown wait for this task."""
        deliveries.mark_attempt(self.db, delivery_ids)
        task = asyncio.current_task()
        if task is not None:
            self._sending.add(task)
            task.add_done_callback(self._sending.discard)

    async def stop(self, grace_seconds: float = 8.0) -> None:
        """Start no new sends: tasks still waiting for their turn are cancelled (their rows stay
        pending); sends already on their way get `grace_seconds` to finish."""
        self._stopping = True
        self._wake.set()
        for task in self._inflight - self._sending:
            task.cancel()
        waiting = set(self._inflight)
        if self._task is not None and self._task in self._sending:
            waiting.add(self._task)  # a digest on its way
        if waiting:
            await asyncio.wait(waiting, timeout=grace_seconds)
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    def resume_pacing(self) -> None:
        """Count messages sent in the last seconds (before a restart) in the channel windows,
        and the sends that were in flight then (Discord may have counted them)."""
        now = self.services.now_fn()
        since = now - timedelta(seconds=CHANNEL_WINDOW_SECONDS)
        for channel_id, sent_at in deliveries.recent_sends(self.db, since):
            self.pacer.record_message(channel_id, (now - sent_at).total_seconds())
        for channel_id in deliveries.unanswered_channels(self.db):
            self.pacer.record_message(channel_id, 0.0)

    async def _run(self) -> None:
        await self.bot.wait_until_ready()
        self.resume_pacing()
        while not self._stopping:
            self._wake.clear()
            try:
                await self.drain_once()
            except Exception:
                log.exception("outbox pass failed; retrying next tick")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), TICK_SECONDS)

    async def drain_once(self) -> int:
        """One pass over the outbox; returns how many messages were sent or edited."""
        now = self.services.now_fn()
        cutoff = digests.catchup_cutoff(now, self.settings.poll_seconds, self.away_until)
        digests.plan_catchups(self.db, cutoff, self.settings.catchup_threshold)
        digests.plan_daily(self.db, now, self.services.timezone)
        before = self.sent
        for nonce, rows in deliveries.due_batches(self.db, now).items():
            await self._guarded(self._send_batch(nonce, rows))
        await self._send_posts(deliveries.due_posts(self.db, now))
        recent = now - timedelta(hours=2 * self.settings.group_window_hours)
        interval = self.settings.edit_interval_seconds
        for delivery in deliveries.edits_due(self.db, now, interval, recent):
            await self._guarded(self._edit(delivery))
        return self.sent - before

    async def _send_posts(self, rows: Sequence[Delivery]) -> None:
        cache: dict[str, Development | None] = {}
        tasks = []
        for row in rows:
            if self._stopping:
                break
            if row.development_id not in cache:
                cache[row.development_id] = get_development(self.db, row.development_id)
            development = cache[row.development_id]
            if development is not None:
                tasks.append(self._spawn(self._post(row, development)))
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)

    def _spawn(self, work: Coroutine[Any, Any, None]) -> asyncio.Task[None]:
        task = asyncio.ensure_future(self._guarded(work))
        self._inflight.add(task)
        task.add_done_callback(self._inflight.discard)
        return task

    async def _guarded(self, work: Coroutine[Any, Any, None]) -> None:
        try:
            await work
        except Exception:
            log.exception("delivery step failed")

    def _usable_subscription(self, row: Delivery) -> subscriptions.Subscription | None:
        sub = subscriptions.get_subscription_by_id(self.db, row.subscription_id)
        if sub is None or not sub.is_active:
            return None
        missing = missing_permissions(self.bot.get_channel(row.channel_id))
        if missing:
            self._pause(sub.id, row.channel_id, "the bot lacks " + ", ".join(missing))
            return None
        return sub

    def _still_active(self, subscription_id: int) -> bool:
        sub = subscriptions.get_subscription_by_id(self.db, subscription_id)
        return sub is not None and sub.is_active and not self._stopping

    async def _post(self, row: Delivery, development: Development) -> None:
        async with self._slots:
            sub = None if self._stopping else self._usable_subscription(row)
            if sub is None:
                return
            post = render_post(
                development, self.bot_name, sub.role_id, self.settings.major_importance
            )
            channel = self.bot.get_partial_messageable(row.channel_id)
            await self.pacer.before_message(row.channel_id)
            if not self._still_active(sub.id):  # paused while this send waited its turn
                return
            self._mark_sending([row.id])
            try:
                message = await channel.send(
                    content=post.content,
                    embed=post.embed,
                    nonce=row.nonce,
                    allowed_mentions=post.allowed_mentions,
                )
            except (discord.HTTPException, aiohttp.ClientError, OSError, TimeoutError) as exc:
                self._handle_failure([row], sub.id, classify(exc))
                return
            except Exception as exc:  # e.g. an answer discord.py cannot read: never hammer
                self._handle_failure([row], sub.id, unexpected(exc))
                return
            now = self.services.now_fn()
            deliveries.mark_sent(self.db, [row.id], message.id, now, len(development.sources))
            self.sent += 1
        await self._publish(message, sub.id)

    async def _send_batch(self, nonce: str, rows: Sequence[Delivery]) -> None:
        sub = self._usable_subscription(rows[0])
        if sub is None or self._stopping:
            return
        found = [get_development(self.db, row.development_id) for row in rows]
        developments = [dev for dev in found if dev is not None]
        title = digests.batch_title(nonce)
        embed = render_digest(developments, title, self.bot_name, self.services.now_fn())
        await self.pacer.before_message(sub.channel_id)
        ids = [row.id for row in rows]
        self._mark_sending(ids)
        try:
            message = await self.bot.get_partial_messageable(sub.channel_id).send(
                content=digest_content(len(developments), title),
                embed=embed,
                nonce=nonce,
                allowed_mentions=discord.AllowedMentions.none(),
            )
        except (discord.HTTPException, aiohttp.ClientError, OSError, TimeoutError) as exc:
            self._handle_failure(rows, sub.id, classify(exc))
            return
        except Exception as exc:
            self._handle_failure(rows, sub.id, unexpected(exc))
            return
        deliveries.mark_sent(self.db, ids, message.id, self.services.now_fn())
        self.sent += 1
        await self._publish(message, sub.id)

    async def _edit(self, row: Delivery) -> None:
        sub = subscriptions.get_subscription_by_id(self.db, row.subscription_id)
        development = get_development(self.db, row.development_id)
        if sub is None or development is None or row.message_id is None or self._stopping:
            return
        post = render_post(development, self.bot_name, sub.role_id, self.settings.major_importance)
        message = self.bot.get_partial_messageable(row.channel_id).get_partial_message(
            row.message_id
        )
        await self.pacer.before_request()
        shown = len(development.sources)
        try:
            await message.edit(
                content=post.content, embed=post.embed, allowed_mentions=post.allowed_mentions
            )
        except (discord.HTTPException, aiohttp.ClientError, OSError, TimeoutError) as exc:
            failure = classify(exc)
            if isinstance(exc, discord.NotFound) and exc.code == 10008:
                log.info("message %s in channel %s was deleted; not editing", *_ids(row))
            elif failure.action == "pause":
                self._pause(sub.id, row.channel_id, failure.reason)
            else:
                log.warning("edit in channel %s failed: %s", row.channel_id, failure.reason)
                shown = row.sources_shown
        except Exception as exc:  # tried again after the edit interval, not every tick
            unexpected(exc)
            shown = row.sources_shown
        deliveries.mark_edited(self.db, row.id, self.services.now_fn(), shown)
        self.sent += 1

    async def _publish(self, message: discord.Message, subscription_id: int) -> None:
        channel = self.bot.get_channel(message.channel.id)
        if not isinstance(channel, discord.TextChannel) or not channel.is_news():
            return
        try:
            await self.pacer.before_request()
            await message.publish()
        except discord.HTTPException as exc:
            note = f"cannot publish to following servers: {exc.status} {exc.text}"
            log.warning("channel %s: %s", channel.id, note)
            subscriptions.set_notice(self.db, subscription_id, note)
        else:
            subscriptions.set_notice(self.db, subscription_id, None)

    def _handle_failure(
        self, rows: Sequence[Delivery], subscription_id: int, failure: Failure
    ) -> None:
        ids = [row.id for row in rows]
        if failure.action == "pause":
            self._pause(subscription_id, rows[0].channel_id, failure.reason)
        elif failure.action == "retry":
            when = self.services.now_fn() + backoff(rows[0].attempts + 1)
            log.warning("channel %s: %s; retry after %s", rows[0].channel_id, failure.reason, when)
            deliveries.mark_retry(self.db, ids, failure.reason, when)
        else:
            log.error("channel %s: %s", rows[0].channel_id, failure.reason)
            deliveries.mark_failed(self.db, ids, failure.reason)

    def _pause(self, subscription_id: int, channel_id: int, reason: str) -> None:
        log.warning("pausing delivery to channel %s: %s", channel_id, reason)
        subscriptions.pause_subscription(self.db, subscription_id, reason, self.services.now_fn())


def unexpected(exc: Exception) -> Failure:
    """A send that failed in a way nothing foresaw: logged with its traceback and retried with
    backoff like a network error (the row's nonce makes a repeat safe), never every tick."""
    log.error("unexpected error while sending", exc_info=exc)
    return Failure("retry", f"unexpected error: {type(exc).__name__}")


def _ids(row: Delivery) -> tuple[int | None, int]:
    return row.message_id, row.channel_id


def _log_task_end(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("outbox drainer stopped", exc_info=task.exception())


class DeliveryCog(commands.Cog):
    """Owns the drainer: started when the extension loads, stopped when it unloads."""

    def __init__(self, bot: commands.Bot, services: Services) -> None:
        self.drainer = Drainer(bot, services)
        services.wake_drainer = self.drainer.wake
        last = digests.last_check_before(services.db)
        if digests.was_away(last, services.started_at, services.settings.poll_seconds):
            self.drainer.away_until = services.started_at + timedelta(
                seconds=digests.stale_seconds(services.settings.poll_seconds)
            )

    async def cog_load(self) -> None:
        self.drainer.start()

    async def cog_unload(self) -> None:
        await self.drainer.stop()


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(DeliveryCog(bot, services_of(bot)))
