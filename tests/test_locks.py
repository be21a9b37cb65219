"""Per-user locks: one user's events never overlap, also across instances sharing Redis."""

from __future__ import annotations

import asyncio
import os
import uuid

import pytest
import redis.asyncio

from bot.app import build
from bot.config import Settings
from bot.events import text_event
from bot.locks import LocalLocks, RedisLocks, UserLocks
from handlers.i18n import Translator

REDIS_URL = os.environ.get("LOTSE_TEST_REDIS", "redis://127.0.0.1:6379/0")


@pytest.fixture
async def redis_url() -> str:
    client = redis.asyncio.Redis.from_url(REDIS_URL)
    try:
        await client.ping()
    except (OSError, redis.RedisError) as exc:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"Redis at {REDIS_URL} is required in CI: {exc}")
        pytest.skip(f"Redis not reachable: {exc}")
    finally:
        await client.aclose()
    return REDIS_URL


async def _overlaps(instances: list[UserLocks], key: str) -> tuple[int, list[str]]:
    """Run 12 short critical sections for one key, spread over the instances."""
    inside, most, order = 0, 0, []

    async def work(i: int) -> None:
        nonlocal inside, most
        async with instances[i % len(instances)].hold(key):
            inside += 1
            most = max(most, inside)
            order.append(f"in{i}")
            await asyncio.sleep(0.01)
            order.append(f"out{i}")
            inside -= 1

    await asyncio.gather(*(work(i) for i in range(12)))
    return most, order


async def test_local_locks_serialise_one_user_but_not_others() -> None:
    locks = LocalLocks()
    most, _ = await _overlaps([locks], "1")
    assert most == 1
    async with locks.hold("1"):
        async with asyncio.timeout(1):
            async with locks.hold("2"):  # another user is not blocked
                pass


async def test_redis_locks_serialise_across_instances(redis_url: str) -> None:
    first, second = RedisLocks(redis_url), RedisLocks(redis_url)
    try:
        most, order = await _overlaps([first, second], f"test-{uuid.uuid4().hex}")
        assert most == 1
        assert len(order) == 24
    finally:
        await first.close()
        await second.close()


async def test_runtime_uses_redis_when_configured(redis_url: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    app = await build(Settings(database_url=f"sqlite+aiosqlite:///{tmp_path / 'r.db'}", redis_url=redis_url))
    try:
        assert isinstance(app.runtime.locks, RedisLocks)
        replies = await asyncio.gather(*(app.runtime.process(text_event(7, 7, "/start")) for _ in range(5)))
        assert all("Do you agree?" in r[0].text for r in replies)  # type: ignore[union-attr]
    finally:
        await app.close()


async def test_unreachable_redis_gives_an_apology_not_a_crash(tmp_path) -> None:  # type: ignore[no-untyped-def]
    app = await build(
        Settings(database_url=f"sqlite+aiosqlite:///{tmp_path / 'r.db'}", redis_url="redis://127.0.0.1:1/0")
    )
    try:
        replies = await app.runtime.process(text_event(7, 7, "/start", language_code="uk"))
        apology = Translator()("uk")._("Sorry, something went wrong on my side. Please try again in a moment.")
        assert [r.text for r in replies] == [apology]  # type: ignore[union-attr]
    finally:
        await app.close()
