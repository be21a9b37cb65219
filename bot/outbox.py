"""The delivery worker: sends what the handlers wrote to the outbox, at Telegram's pace.

- Claims due rows (models/outbox.py), most urgent first, one per chat at a time, and sends
  them at most ``rate`` per second overall; a chat gets at most one per second.
- 429: the row waits ``retry_after`` and the worker pauses. 5xx, timeouts, network errors:
  the row is retried with exponential backoff and jitter, and the worker slows down while
  Telegram keeps failing. 403: the recipient is marked unreachable (the runtime tells whoever
  needs to know). 400: recorded as failed.
- Every outcome is committed right after the call. **The one window for a duplicate:** the
  worker is killed (or the database is lost) after Telegram accepted a message and before
  its "sent" is committed; that message is sent again when the claim runs out. There is at
  most one such message per call in flight, i.e. per chat being served at that moment. A
  timeout is the same case: Telegram may have delivered what we retry.
"""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import socket
import time
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.render import Rows
from bot.sending import REQUEST_TIMEOUT, Rejected, RetryLater, TelegramOps, Transient, Unreachable, backoff
from models.outbox import OutboxRepo, decode_buttons
from models.tables import Delivery, OutboxMessage

log = logging.getLogger("lotse.outbox")

LEASE = timedelta(seconds=20)  # a claim a dead worker leaves behind is taken again after this
POLL = 1.0  # seconds between looks for due rows when nobody wakes the worker
MAX_ATTEMPTS = 40  # transient failures before a message is given up (backoff caps at 5 minutes: ~3 hours)
RETRY_CAP = 300.0


def instance_name() -> str:
    return f"{socket.gethostname()[:12]}-{os.getpid()}-{secrets.token_hex(3)}"


class Outbox:
    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        ops: TelegramOps,
        *,
        rate: float,
        clock: Callable[[], datetime],
        on_blocked: Callable[[OutboxMessage], Awaitable[None]],
        paced: bool = True,
    ) -> None:
        self.sessionmaker, self.ops, self.clock = sessionmaker, ops, clock
        self.rate, self.paced, self.on_blocked = rate, paced, on_blocked
        self.name = instance_name()
        self._wake = asyncio.Event()
        self._next_slot = 0.0  # time.monotonic() of the next free send slot
        self._paused_until = 0.0
        self._failures = 0  # transient failures in a row, for the slow-down
        self._sending: set[asyncio.Task[None]] = set()

    def wake(self) -> None:
        """Something was enqueued: look now instead of at the next poll."""
        self._wake.set()

    async def run(self, stop: asyncio.Event) -> None:
        """Deliver until ``stop``; survives database and Telegram outages."""
        errors = 0
        while not stop.is_set():
            try:
                sent = await self.round()
                errors = 0
            except Exception as exc:  # noqa: BLE001 - a lost database connection, say: try again
                errors += 1
                log.error("outbox round failed: %s", type(exc).__name__)
                sent = 0
            if sent == 0 and not stop.is_set():
                self._wake.clear()
                stopped = asyncio.ensure_future(stop.wait())
                woken = asyncio.ensure_future(self._wake.wait())
                wait = backoff(errors, cap=30) if errors else POLL
                await asyncio.wait({stopped, woken}, timeout=wait, return_when=asyncio.FIRST_COMPLETED)
                stopped.cancel()
                woken.cancel()
        await self.settle()

    async def flush(self, seconds: float) -> None:
        """Send what is due for up to ``seconds`` (on shutdown, and in the terminal)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            busy = bool(self._sending)  # a send finishing during the claim may free its chat's next
            if await self.round(deadline) == 0:
                if not busy and not self._sending:
                    break
                if self._sending:
                    await asyncio.wait(set(self._sending), return_when=asyncio.FIRST_COMPLETED)
        await self.settle()

    async def settle(self) -> None:
        """Wait for the sends in flight, then give back the claims not started."""
        if self._sending:
            await asyncio.wait(set(self._sending), timeout=LEASE.total_seconds() / 2)
        async with self.sessionmaker() as session:
            await OutboxRepo(session).release(self.name)
            await session.commit()

    async def round(self, deadline: float | None = None) -> int:
        """Claim about a second's worth of due rows and start sending them at the pace; returns
        how many were claimed (0: nothing due now). The next claim runs while the last sends of
        this one are still in flight; only a backlog of slow calls makes the worker wait."""
        limit = max(1, min(int(self.rate), 100))
        async with self.sessionmaker() as session:
            claimed = await OutboxRepo(session).claim(self.name, self.clock(), limit, LEASE, self.paced)
            await session.commit()
        lease_end = time.monotonic() + LEASE.total_seconds()
        for i, message in enumerate(claimed):
            await self._pace()
            # A claim must not outlive its lease while it waits (a long pause after 429s).
            late = time.monotonic() + REQUEST_TIMEOUT + 2 > lease_end
            if late or (deadline is not None and time.monotonic() > deadline):
                async with self.sessionmaker() as session:
                    await OutboxRepo(session).release(self.name, [m.id or 0 for m in claimed[i:]])
                    await session.commit()
                break
            task = asyncio.create_task(self._deliver(message))
            self._sending.add(task)
            task.add_done_callback(self._sending.discard)
        while len(self._sending) > 2 * limit:
            await asyncio.wait(set(self._sending), return_when=asyncio.FIRST_COMPLETED)
        return len(claimed)

    async def _pace(self) -> None:
        """One send slot every 1/rate seconds, after any pause Telegram asked for."""
        now = time.monotonic()
        slot = max(now, self._next_slot, self._paused_until)
        self._next_slot = slot + 1.0 / self.rate
        if slot > now:
            await asyncio.sleep(slot - now)

    async def _deliver(self, message: OutboxMessage) -> None:
        """One row, start to end; nothing escapes the task (a lost database: the lease runs out
        and the row is taken again)."""
        try:
            await self._attempt(message)
        except Exception as exc:  # noqa: BLE001
            log.error("outbox message %d (%s) not settled: %s", message.id or 0, message.kind, type(exc).__name__)

    async def _attempt(self, message: OutboxMessage) -> None:
        mid = message.id or 0
        try:
            await self._send(message)
        except RetryLater as exc:
            self._paused_until = max(self._paused_until, time.monotonic() + exc.seconds)
            await self._retry(mid, self.clock() + timedelta(seconds=exc.seconds), failed=False)
            return
        except Unreachable:
            await self._finish(mid, Delivery.blocked)
            message.status = Delivery.blocked
            await self.on_blocked(message)
            return
        except Rejected as exc:
            log.error("outbox message %d (%s) refused by Telegram: %s", mid, message.kind, exc)
            await self._finish(mid, Delivery.failed)
            message.status = Delivery.failed
            return
        except Exception as exc:  # noqa: BLE001 - Transient and anything unexpected: try again later
            if not isinstance(exc, Transient):
                log.error("outbox message %d (%s): %s", mid, message.kind, type(exc).__name__)
            self._failures += 1
            # Telegram keeps failing: everyone waits a little, growing with the failures in a row.
            self._paused_until = max(self._paused_until, time.monotonic() + backoff(self._failures, cap=30))
            if message.attempts + 1 >= MAX_ATTEMPTS:
                log.error("outbox message %d (%s) given up after %d attempts", mid, message.kind, MAX_ATTEMPTS)
                await self._finish(mid, Delivery.failed)
                message.status = Delivery.failed
                return
            wait = backoff(message.attempts + 1, cap=RETRY_CAP)
            await self._retry(mid, self.clock() + timedelta(seconds=wait), failed=True)
            return
        self._failures = 0
        await self._finish(mid, Delivery.sent)
        message.status = Delivery.sent

    async def _send(self, message: OutboxMessage) -> None:
        keyboard: Rows = [list(row) for row in decode_buttons(message.buttons)]
        await self.ops.send_text(message.chat_id, message.text or "…", keyboard)

    async def _finish(self, message_id: int, status: Delivery) -> None:
        for attempt in range(5):  # the message went out: recording it must not be given up lightly
            try:
                async with self.sessionmaker() as session:
                    await OutboxRepo(session).finish(message_id, self.name, status, self.clock())
                    await session.commit()
                return
            except Exception as exc:  # noqa: BLE001
                log.error("recording outbox message %d failed: %s", message_id, type(exc).__name__)
                await asyncio.sleep(0.5 * 2**attempt)

    async def _retry(self, message_id: int, due: datetime, failed: bool) -> None:
        async with self.sessionmaker() as session:
            await OutboxRepo(session).retry(message_id, self.name, due, failed)
            await session.commit()
