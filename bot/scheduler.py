"""APScheduler is the clock: it wakes jobs up; the work itself lives in the runtime and handlers."""

from __future__ import annotations

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.app import App


def start_scheduler(app: App) -> AsyncIOScheduler:
    scheduler = AsyncIOScheduler(timezone=app.settings.timezone)
    # Privacy: delete people who have not used lotse for LOTSE_RETENTION_DAYS, once a night.
    scheduler.add_job(
        app.runtime.purge_inactive, "cron", hour=3, minute=17, id="purge-inactive", coalesce=True, max_instances=1
    )
    scheduler.start()
    return scheduler
