"""Helpers every adapter uses to turn what Telegram (or the terminal) delivers into an Incoming."""

from __future__ import annotations

from typing import Any, Protocol

from handlers.types import Incoming


def text_event(
    user_id: int,
    chat_id: int,
    text: str,
    *,
    language_code: str | None = None,
    private: bool = True,
    edited: bool = False,
) -> Incoming:
    """A text message; ``/name@bot args`` becomes a command event with the args as text."""
    stripped = text.strip()
    if stripped.startswith("/") and len(stripped) > 1:
        head, _, args = stripped[1:].partition(" ")
        command = head.split("@", 1)[0].lower()
        return Incoming(
            user_id,
            chat_id,
            "command",
            args.strip(),
            command=command,
            language_code=language_code,
            private=private,
            edited=edited,
        )
    return Incoming(user_id, chat_id, "text", text, language_code=language_code, private=private, edited=edited)


class _User(Protocol):
    id: int
    is_bot: bool
    language_code: str | None


class _Chat(Protocol):
    id: int
    type: str


class _Message(Protocol):
    """What aiogram's and python-telegram-bot's Message share (the Bot API's own field names)."""

    chat: _Chat
    message_id: int

    @property
    def from_user(self) -> _User | None: ...
    @property
    def text(self) -> str | None: ...
    @property
    def caption(self) -> str | None: ...


class _CallbackQuery(Protocol):
    id: str
    data: str | None

    @property
    def from_user(self) -> _User: ...
    @property
    def message(self) -> Any: ...


def message_event(message: _Message, edited: bool = False) -> Incoming | None:
    """A Telegram message (from either library): text, command, or media with its caption."""
    user = message.from_user
    if user is None or user.is_bot:
        return None
    private = message.chat.type == "private"
    if message.text is not None:
        return text_event(
            user.id, message.chat.id, message.text, language_code=user.language_code, private=private, edited=edited
        )
    return Incoming(
        user.id,
        message.chat.id,
        "media",
        message.caption or "",
        language_code=user.language_code,
        private=private,
        edited=edited,
    )


def button_event(query: _CallbackQuery) -> Incoming:
    """A button press (from either library); the message is the one that carries the keyboard."""
    message = query.message
    return Incoming(
        query.from_user.id,
        message.chat.id if message else query.from_user.id,
        "button",
        data=query.data or "",
        language_code=query.from_user.language_code,
        private=message.chat.type == "private" if message else True,
        message_id=message.message_id if message else None,
    )
