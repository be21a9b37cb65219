"""Talking to Telegram, the same for every adapter: the errors they map theirs to, retries
with backoff, one lane per chat, and the round that answers one update.

The direct reply to an update is sent at once; everything for anyone else is already in the
outbox (bot/outbox.py) when the round starts. A reply that cannot be sent within
``DIRECT_PATIENCE`` (Telegram down, say) is not dropped: what is left goes to the outbox too.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
import weakref
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Protocol

from bot.render import Rows, rows, split_text
from bot.runtime import Runtime, pseudonym
from handlers.types import Action, Document, Incoming, Notice, Reply

log = logging.getLogger("lotse.sending")

DIRECT_PATIENCE = 20.0  # seconds a direct reply keeps trying before it is left to the outbox
REQUEST_TIMEOUT = 10.0  # seconds one Bot API call may take


class RetryLater(Exception):
    """429: Telegram asks to wait ``seconds``."""

    def __init__(self, seconds: float) -> None:
        super().__init__(seconds)
        self.seconds = seconds


class Unreachable(Exception):
    """403: the user blocked the bot or deleted their account."""


class Transient(Exception):
    """5xx, a timeout or a network error: the same call may well work a little later."""


class Rejected(Exception):
    """400 and other refusals: the call will not work as it is."""


class TelegramOps(Protocol):
    """What an adapter offers; it raises the four errors above for Telegram's."""

    async def send_text(self, chat_id: int, text: str, keyboard: Rows) -> None: ...
    async def edit_text(self, chat_id: int, message_id: int, text: str, keyboard: Rows) -> bool: ...
    async def answer_button(self, callback_id: str, text: str) -> None: ...
    async def send_document(self, chat_id: int, filename: str, content: bytes, caption: str) -> None: ...


def backoff(attempt: int, cap: float = 60.0) -> float:
    """Exponential backoff with full jitter: about 0.5, 1, 2, 4 … seconds, at most ``cap``."""
    ceiling = min(cap, 0.5 * 2 ** max(0, attempt - 1))
    return random.uniform(ceiling / 2, ceiling)


class GaveUp(Exception):
    pass


async def patiently(call: Callable[[], Awaitable[object]], deadline: float) -> object:
    """``call`` until it works; waits out 429s and backs off on transient errors until
    ``deadline`` (time.monotonic()), then raises GaveUp. 403 and 400 pass through."""
    attempt = 0
    while True:
        try:
            return await call()
        except RetryLater as exc:
            wait = exc.seconds
        except Transient:
            attempt += 1
            wait = backoff(attempt)
        if time.monotonic() + wait > deadline:
            raise GaveUp
        await asyncio.sleep(wait)


class Lanes:
    """One lane per chat: a chat's messages go out one after the other, in order, so that a
    burst of replies is paced by Telegram's 429s instead of racing into them."""

    def __init__(self) -> None:
        self._locks: weakref.WeakValueDictionary[int, asyncio.Lock] = weakref.WeakValueDictionary()

    @asynccontextmanager
    async def hold(self, chat_id: int) -> AsyncIterator[None]:
        lock = self._locks.setdefault(chat_id, asyncio.Lock())
        async with lock:
            yield


Part = tuple[str, Rows, int | None]  # text, keyboard, message to edit instead of sending


def parts_of(actions: list[Action], message_id: int | None, answered_button: bool) -> list[Part | Document]:
    """The messages of a direct reply, in order; a Notice answers the button when there is one."""
    parts: list[Part | Document] = []
    for action in actions:
        if isinstance(action, Reply):
            texts = split_text(action.text)
            edit = message_id if action.edit and len(texts) == 1 else None
            keyboard = rows(action.buttons)
            parts += [(text, keyboard if i == len(texts) - 1 else [], edit) for i, text in enumerate(texts)]
        elif isinstance(action, Notice) and not answered_button:
            parts.append((action.text, [], None))
        elif isinstance(action, Document):
            parts.append(action)
    return parts


class Responder:
    """The round for one update, for every adapter: process it, answer the button, send the
    reply in the chat's lane, note a blocked user, leave what could not be sent to the outbox."""

    def __init__(self, runtime: Runtime, ops: TelegramOps) -> None:
        self.runtime, self.ops = runtime, ops
        self.lanes = Lanes()
        self.in_flight: set[asyncio.Task[None]] = set()

    async def respond(self, inc: Incoming | None, callback_id: str | None = None) -> None:
        if inc is None:
            return
        task = asyncio.current_task()
        if task is not None:
            self.in_flight.add(task)
        try:
            actions = await self.runtime.process(inc)
            if callback_id is not None:
                await self._answer_button(callback_id, actions)
            await self._reply(inc, actions, answered_button=callback_id is not None)
        finally:
            if task is not None:
                self.in_flight.discard(task)

    async def drain(self, timeout: float) -> None:
        """Wait for the rounds in flight (on SIGTERM, after updates stopped coming)."""
        pending = [t for t in self.in_flight if t is not asyncio.current_task()]
        if pending:
            await asyncio.wait(pending, timeout=timeout)

    async def _answer_button(self, callback_id: str, actions: list[Action]) -> None:
        """Best effort: Telegram refuses answers to old presses ("query is too old") and the
        reply matters more than the spinner, so no error here stops the round."""
        notice = next((a.text for a in actions if isinstance(a, Notice)), "")
        try:
            await patiently(lambda: self.ops.answer_button(callback_id, notice), time.monotonic() + 5)
        except Exception as exc:  # noqa: BLE001
            log.info("button answer not delivered: %s", type(exc).__name__)

    async def _reply(self, inc: Incoming, actions: list[Action], answered_button: bool) -> None:
        parts = parts_of(actions, inc.message_id, answered_button)
        deadline = time.monotonic() + DIRECT_PATIENCE
        async with self.lanes.hold(inc.chat_id):
            for i, part in enumerate(parts):
                try:
                    await patiently(lambda part=part: self._send(inc.chat_id, part), deadline)  # type: ignore[misc]
                except Unreachable:
                    await self.runtime.mark_unreachable(inc.user_id)
                    return
                except Rejected as exc:
                    log.error("reply to %s refused by Telegram: %s", pseudonym(inc.user_id), exc)
                except GaveUp:
                    texts = [p[0] for p in parts[i:] if not isinstance(p, Document)]
                    keyboards = [p[1] for p in parts[i:] if not isinstance(p, Document)]
                    await self.runtime.defer(inc.user_id, list(zip(texts, keyboards, strict=True)))
                    return
                except Exception as exc:  # noqa: BLE001 - never a traceback with a user's update in it
                    log.error("reply to %s failed: %s", pseudonym(inc.user_id), type(exc).__name__)
                    return

    async def _send(self, chat_id: int, part: Part | Document) -> None:
        if isinstance(part, Document):
            await self.ops.send_document(chat_id, part.filename, part.content, part.caption)
            return
        text, keyboard, edit = part
        if edit is not None and await self.ops.edit_text(chat_id, edit, text, keyboard):
            return
        await self.ops.send_text(chat_id, text, keyboard)
