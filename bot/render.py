"""Reply -> Telegram: text split to the 4096-character limit, inline keyboards, and the send
loop with retry on 429 and "blocked" on 403. Shared by the aiogram and ptb adapters."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Protocol

from bot.runtime import Runtime
from handlers.types import Action, Document, Incoming, Keyboard, Notice, Reply, Send

log = logging.getLogger("lotse.render")

MAX_TEXT = 4096
MAX_CALLBACK_DATA = 64
MAX_RETRIES = 5

Rows = list[list[tuple[str, str]]]


def split_text(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Split a long text at paragraph or line breaks, else hard, into Telegram-sized parts."""
    text = text.strip() or "…"
    parts: list[str] = []
    while len(text) > limit:
        cut = max(text.rfind("\n\n", 0, limit), text.rfind("\n", 0, limit), text.rfind(" ", 0, limit))
        if cut <= 0:
            cut = limit
        parts.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    parts.append(text)
    return parts


def rows(keyboard: Keyboard) -> Rows:
    for row in keyboard:
        for button in row:
            if len(button.data.encode()) > MAX_CALLBACK_DATA:
                raise ValueError(f"callback data longer than {MAX_CALLBACK_DATA} bytes: {button.data!r}")
    return [[(b.label, b.data) for b in row] for row in keyboard]


class RetryLater(Exception):
    def __init__(self, seconds: float) -> None:
        super().__init__(seconds)
        self.seconds = seconds


class Unreachable(Exception):
    """The user blocked the bot or deleted their account."""


class TelegramOps(Protocol):
    """What an adapter must offer; it raises RetryLater / Unreachable for 429 / 403."""

    async def send_text(self, chat_id: int, text: str, keyboard: Rows) -> None: ...
    async def edit_text(self, chat_id: int, message_id: int, text: str, keyboard: Rows) -> bool: ...
    async def answer_button(self, callback_id: str, text: str) -> None: ...
    async def send_document(self, chat_id: int, filename: str, content: bytes, caption: str) -> None: ...


async def _retrying(call: Callable[[], Awaitable[object]]) -> object:
    for attempt in range(MAX_RETRIES):
        try:
            return await call()
        except RetryLater as exc:
            if attempt == MAX_RETRIES - 1:
                raise
            log.warning("rate limited by Telegram, waiting %.1f s", exc.seconds)
            await asyncio.sleep(exc.seconds)
    return None


async def deliver(
    ops: TelegramOps,
    chat_id: int,
    actions: list[Action],
    *,
    callback_id: str | None = None,
    message_id: int | None = None,
) -> None:
    """Send the actions in order. Raises Unreachable when the user blocked the bot."""
    if callback_id is not None:
        notice = next((a.text for a in actions if isinstance(a, Notice)), "")
        await _retrying(lambda: ops.answer_button(callback_id, notice))
    for action in actions:
        if isinstance(action, Reply):
            await _send_reply(ops, chat_id, action, message_id)
        elif isinstance(action, Document):
            await _retrying(partial(ops.send_document, chat_id, action.filename, action.content, action.caption))
        elif isinstance(action, Notice) and callback_id is None:
            await _retrying(partial(ops.send_text, chat_id, action.text, []))


async def respond(runtime: Runtime, ops: TelegramOps, inc: Incoming | None, callback_id: str | None = None) -> None:
    """The whole round for one update: process it, send the actions, note a blocked user."""
    if inc is None:
        return
    actions = await runtime.process(inc)
    own = [a for a in actions if not isinstance(a, Send)]
    try:
        await deliver(ops, inc.chat_id, own, callback_id=callback_id, message_id=inc.message_id)
    except Unreachable:
        await runtime.mark_unreachable(inc.user_id)
    await send_all(runtime, ops, [a for a in actions if isinstance(a, Send)])


async def send_all(runtime: Runtime, ops: TelegramOps, sends: list[Action]) -> None:
    """Messages to other users (offers, relayed messages, notes to coordinators). One that
    fails is logged without its text and does not stop the others."""
    for send in sends:
        if not isinstance(send, Send):
            continue
        try:
            await _send_reply(ops, send.chat_id, send.reply, None)
        except Unreachable:
            await runtime.mark_unreachable(send.chat_id)
        except Exception as exc:  # noqa: BLE001 - one recipient's failure must not stop the rest
            log.error("sending to another user failed: %s", type(exc).__name__)


async def _send_reply(ops: TelegramOps, chat_id: int, reply: Reply, message_id: int | None) -> None:
    parts = split_text(reply.text)
    keyboard = rows(reply.buttons)
    editable = reply.edit and message_id is not None and len(parts) == 1
    if editable and await _retrying(partial(ops.edit_text, chat_id, message_id, parts[0], keyboard)):
        return
    for i, part in enumerate(parts):
        await _retrying(partial(ops.send_text, chat_id, part, keyboard if i == len(parts) - 1 else []))
