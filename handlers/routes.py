"""What a feature package offers the dispatcher: its commands, its buttons, its text waits."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from handlers.buttons import CancelWait, Payload
from handlers.context import Context
from handlers.i18n import Text
from handlers.types import Action, Button

Command = Callable[[Context], Awaitable[list[Action]]]
ButtonHandler = Callable[[Context, Any], Awaitable[list[Action]]]  # (ctx, its Payload subclass)
TextHandler = Callable[[Context, str, str], Awaitable[list[Action]]]  # (ctx, the wait's value, the text)


@dataclass(frozen=True)
class Wait:
    """A prompt's claim on the user's next text message: a message to relay, a form's note.
    After ``timeout`` the text is a question again; the prompt carries a cancel button
    (``cancel_row``). The user row holds ``<kind>:<value>`` (Context.await_text)."""

    handler: TextHandler
    timeout: timedelta


def cancel_row(t: Text) -> tuple[Button, ...]:
    return (Button("✖️ " + t._("Cancel"), str(CancelWait())),)


@dataclass(frozen=True)
class Routes:
    commands: Mapping[str, Command] = field(default_factory=dict)
    buttons: Mapping[type[Payload], ButtonHandler] = field(default_factory=dict)
    waits: Mapping[str, Wait] = field(default_factory=dict)


def merge(*features: Routes) -> Routes:
    """One table of all features; a command, button or wait claimed twice is a programming error."""
    commands: dict[str, Command] = {}
    buttons: dict[type[Payload], ButtonHandler] = {}
    waits: dict[str, Wait] = {}
    for routes in features:
        for table, new in ((commands, routes.commands), (buttons, routes.buttons), (waits, routes.waits)):
            twice = set(table) & set(new)
            if twice:
                raise ValueError(f"routed twice: {twice}")
            table.update(new)  # type: ignore[attr-defined]
    return Routes(commands, buttons, waits)
