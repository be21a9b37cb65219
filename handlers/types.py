"""The whole vocabulary between the transports and the conversation logic."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["text", "command", "button", "media"]


@dataclass(frozen=True)
class Incoming:
    """One thing a user did: wrote text, sent a command, pressed a button or sent media.

    ``text`` holds the message text, the caption of media, or the arguments of a command.
    ``message_id`` is, for a button press, the message that carries the keyboard.
    """

    user_id: int
    chat_id: int
    kind: Kind
    text: str = ""
    command: str | None = None
    data: str | None = None
    language_code: str | None = None
    private: bool = True
    edited: bool = False
    message_id: int | None = None


@dataclass(frozen=True)
class Button:
    label: str
    data: str


Keyboard = tuple[tuple[Button, ...], ...]


@dataclass(frozen=True)
class Reply:
    """A text message to the user; with ``edit`` it replaces the message whose button was pressed."""

    text: str
    buttons: Keyboard = ()
    edit: bool = False


@dataclass(frozen=True)
class Notice:
    """A short toast that answers a button press."""

    text: str


@dataclass(frozen=True)
class Document:
    filename: str
    content: bytes
    caption: str = ""


@dataclass(frozen=True)
class Send:
    """A message to someone else: an offer to a volunteer, a relayed message, a note to the
    coordinators. Written in the recipient's language; ``rtl`` when that language is.

    The runtime writes it to the outbox in the transaction of the handler that decided it, and
    the delivery worker sends it. ``kind`` names it for the delivery record, ``priority`` orders
    what is due (0 first; broadcasts last), ``origin`` is the user to tell when a relayed
    message cannot be delivered. ``user_id`` and ``origin`` are database ids, ``chat_id`` Telegram's.
    """

    chat_id: int
    reply: Reply
    rtl: bool = False
    user_id: int = 0
    kind: str = "notice"
    priority: int = 0
    origin: int | None = None


Action = Reply | Notice | Document | Send
