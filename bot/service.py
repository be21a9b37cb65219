"""What runs beside a transport once it can send: the outbox's delivery worker and the clock
(APScheduler), started and stopped in the right order around the transport's life."""

from __future__ import annotations

import asyncio
import logging

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.app import App
from bot.outbox import Outbox
from bot.scheduler import start_scheduler
from bot.sending import TelegramOps

log = logging.getLogger("lotse")


class Service:
    # On SIGTERM: how long the rounds in flight may take, and how long the outbox sends on.
    DRAIN_SECONDS = 10.0
    FLUSH_SECONDS = 3.0

    def __init__(self, app: App) -> None:
        self.app = app
        self.outbox: Outbox | None = None
        self._stop = asyncio.Event()
        self._worker: asyncio.Task[None] | None = None
        self._scheduler: AsyncIOScheduler | None = None

    async def started(self, ops: TelegramOps) -> None:
        runtime = self.app.runtime
        self.outbox = Outbox(
            runtime.sessionmaker,
            ops,
            rate=self.app.settings.send_rate,
            clock=runtime.clock,
            on_blocked=runtime.recipient_blocked,
        )
        runtime.enqueued = self.outbox.wake
        self._worker = asyncio.create_task(self.outbox.run(self._stop))
        self._scheduler = start_scheduler(self.app)

    async def stopping(self) -> None:
        """The clock stops, the worker finishes its round, then sends what it can in FLUSH_SECONDS;
        the rest waits in the database for the next start."""
        if self._scheduler is not None:
            self._scheduler.shutdown(wait=False)
        self._stop.set()
        if self._worker is not None and self.outbox is not None:
            try:
                await asyncio.wait_for(self._worker, self.DRAIN_SECONDS)
                await asyncio.wait_for(self.outbox.flush(self.FLUSH_SECONDS), self.FLUSH_SECONDS + 5)
            except Exception as exc:  # noqa: BLE001 - stopping must go on; the rows stay pending
                log.warning("outbox not flushed on stop: %s", type(exc).__name__)
