"""The one bootstrap: settings in, a ready App (database, translations, region, runtime) out."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.config import Settings
from bot.locks import make_locks
from bot.runtime import Clock, Runtime, system_clock
from content.library import Library
from handlers.context import Policy
from handlers.i18n import Translator
from models.db import make_engine, make_sessionmaker, upgrade


@dataclass
class App:
    settings: Settings
    engine: AsyncEngine
    runtime: Runtime

    async def close(self) -> None:
        await self.runtime.locks.close()
        await self.engine.dispose()


async def build(
    settings: Settings, *, console: bool = False, migrate: bool | None = None, clock: Clock = system_clock
) -> App:
    """Wire everything together. SQLite databases are migrated on start; PostgreSQL only
    when asked (``lotse db upgrade``), since several instances may share it. Tests pass a
    ``clock`` they can move forward."""
    engine = make_engine(settings.database_url)
    if migrate if migrate is not None else engine.dialect.name == "sqlite":
        await upgrade(engine)
    policy = Policy(
        coordinators=settings.coordinators,
        retention_days=settings.retention_days,
        timezone=settings.timezone,
        console=console,
        offer_hours=settings.offer_timeout_hours,
        checkin_days=settings.checkin_days,
    )
    runtime = Runtime(
        make_sessionmaker(engine), Translator(), Library(settings.region), policy, make_locks(settings.redis_url), clock
    )
    return App(settings, engine, runtime)
