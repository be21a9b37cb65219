"""The keyboards of onboarding: consent, languages, roles."""

from __future__ import annotations

from collections.abc import Callable

from content.languages import LANGUAGES
from handlers.buttons import ChooseRole, Consent, Payload
from handlers.i18n import Text
from handlers.types import Button, Keyboard


def languages(payload: Callable[[str], Payload], current: str) -> Keyboard:
    """All languages, two per row, the current (or guessed) one first and ticked."""
    codes = [current] + [c for c in LANGUAGES if c != current]
    buttons = [
        Button(("✓ " if code == current else "") + LANGUAGES[code].native_name, str(payload(code))) for code in codes
    ]
    return tuple(tuple(buttons[i : i + 2]) for i in range(0, len(buttons), 2))


def consent(t: Text) -> Keyboard:
    return ((Button(t._("I agree"), str(Consent("yes"))), Button(t._("No, thanks"), str(Consent("no")))),)


def roles(t: Text) -> Keyboard:
    return (
        (Button(t._("I am new in town"), str(ChooseRole("newcomer"))),),
        (Button(t._("I want to help as a volunteer"), str(ChooseRole("volunteer"))),),
    )
