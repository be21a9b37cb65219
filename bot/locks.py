"""Per-user locks: each user's events are handled one at a time, in order, while different
users run concurrently. In one process an asyncio.Lock does it; with LOTSE_REDIS_URL the lock
lives in Redis, so that several lotse instances (webhook behind a load balancer) agree."""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Protocol

from redis.asyncio import Redis


class UserLocks(Protocol):
    def hold(self, key: str) -> AbstractAsyncContextManager[None]: ...

    async def close(self) -> None: ...


class LocalLocks:
    def __init__(self) -> None:
        self._locks: weakref.WeakValueDictionary[str, asyncio.Lock] = weakref.WeakValueDictionary()

    @asynccontextmanager
    async def hold(self, key: str) -> AsyncIterator[None]:
        lock = self._locks.setdefault(key, asyncio.Lock())
        async with lock:
            yield

    async def close(self) -> None:
        return None


class RedisLocks:
    # A handler that runs longer than TIMEOUT loses the lock, so a crashed instance cannot
    # block a user for good; WAIT bounds how long an event waits for the user's previous one.
    TIMEOUT, WAIT, POLL = 60.0, 30.0, 0.02

    def __init__(self, url: str) -> None:
        self.redis = Redis.from_url(url)
        self._local = LocalLocks()  # queue this instance's own events before asking Redis

    @asynccontextmanager
    async def hold(self, key: str) -> AsyncIterator[None]:
        async with self._local.hold(key):
            lock = self.redis.lock(
                f"lotse:lock:{key}", timeout=self.TIMEOUT, sleep=self.POLL, blocking_timeout=self.WAIT
            )
            async with lock:
                yield

    async def close(self) -> None:
        await self.redis.aclose()


def make_locks(redis_url: str | None) -> UserLocks:
    return RedisLocks(redis_url) if redis_url else LocalLocks()
