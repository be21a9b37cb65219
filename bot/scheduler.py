"""APScheduler is the clock: it wakes jobs up; the work itself lives in the runtime and handlers,
and what they decide to send goes through the outbox."""

from __future__ import annotations

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.app import App


def start_scheduler(app: App) -> AsyncIOScheduler:
    scheduler = AsyncIOScheduler(timezone=app.settings.timezone)
    # Pilot offers past their deadline, orphaned requests, check-ins: the rows say what is due.
    scheduler.add_job(app.runtime.wake, "interval", minutes=1, id="pilot-clock", coalesce=True, max_instances=1)
    # Privacy: delete people who have not used lotse for LOTSE_RETENTION_DAYS, once a night.
    scheduler.add_job(
        app.runtime.purge_inactive, "cron", hour=3, minute=17, id="purge-inactive", coalesce=True, max_instances=1
    )
    scheduler.start()
    return scheduler
