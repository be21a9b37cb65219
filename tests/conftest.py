"""Shared fixtures: databases (SQLite files and a fresh PostgreSQL database per test run), and
the bot on one of them with a clock the test moves."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import asyncpg
import pytest

from bot.app import App, build
from bot.config import Settings
from tests.clock import FakeClock

PG_ADMIN = os.environ.get("LOTSE_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")


def _postgres_required() -> bool:
    """CI must run the PostgreSQL tests; a developer without the server may skip them."""
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


async def _admin(sql: str) -> None:
    conn = await asyncpg.connect(PG_ADMIN, timeout=5)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    name = f"lotse_test_{uuid.uuid4().hex[:10]}"
    try:
        asyncio.run(_admin(f'CREATE DATABASE "{name}"'))
    except (OSError, asyncpg.PostgresError) as exc:
        if _postgres_required():
            pytest.fail(f"PostgreSQL at {PG_ADMIN} is required in CI: {exc}")
        pytest.skip(f"PostgreSQL not reachable: {exc}")
    base = PG_ADMIN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://")
    yield f"{base}/{name}"
    asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A database URL per backend; each PostgreSQL test gets its own fresh database."""
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'lotse.db'}"
    admin_url = request.getfixturevalue("postgres_url")
    name = f"lotse_t_{uuid.uuid4().hex[:10]}"
    asyncio.run(_admin(f'CREATE DATABASE "{name}"'))
    request.addfinalizer(lambda: asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')))
    return admin_url.rsplit("/", 1)[0] + "/" + name


COORDINATOR = 777


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def app(database_url: str, clock: FakeClock) -> AsyncIterator[App]:
    """The bot without Telegram, on SQLite and PostgreSQL; user 777 is a coordinator."""
    settings = Settings(database_url=database_url, coordinators=frozenset({COORDINATOR}))
    application = await build(settings, migrate=True, clock=clock)
    yield application
    await application.close()
