"""APScheduler is the clock: it wakes jobs up; the work itself lives in the runtime and handlers."""

from __future__ import annotations

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.app import App
from bot.render import TelegramOps, send_all


def start_scheduler(app: App, ops: TelegramOps) -> AsyncIOScheduler:
    """Start the clock once the transport can send (``ops``)."""
    scheduler = AsyncIOScheduler(timezone=app.settings.timezone)

    async def wake() -> None:
        await send_all(app.runtime, ops, await app.runtime.wake())

    # Pilot offers past their deadline, orphaned requests, check-ins: the rows say what is due.
    scheduler.add_job(wake, "interval", minutes=1, id="pilot-clock", coalesce=True, max_instances=1)
    # Privacy: delete people who have not used lotse for LOTSE_RETENTION_DAYS, once a night.
    scheduler.add_job(
        app.runtime.purge_inactive, "cron", hour=3, minute=17, id="purge-inactive", coalesce=True, max_instances=1
    )
    scheduler.start()
    return scheduler
