"""Button payloads (Telegram allows 64 bytes) and the keyboards built from them."""

from __future__ import annotations

from content.languages import LANGUAGES
from handlers.i18n import Text
from handlers.types import Button, Keyboard

CONSENT_YES, CONSENT_NO = "consent:yes", "consent:no"
ONBOARD_LANG = "onboard-lang:"  # language chosen during /start, then the role follows
LANG = "lang:"  # language chosen through /language
ROLE = "role:"


def languages(prefix: str, current: str) -> Keyboard:
    """All languages, two per row, the current (or guessed) one first and ticked."""
    codes = [current] + [c for c in LANGUAGES if c != current]
    buttons = [Button(("✓ " if code == current else "") + LANGUAGES[code].native_name, prefix + code) for code in codes]
    return tuple(tuple(buttons[i : i + 2]) for i in range(0, len(buttons), 2))


def consent(t: Text) -> Keyboard:
    return ((Button(t._("I agree"), CONSENT_YES), Button(t._("No, thanks"), CONSENT_NO)),)


def roles(t: Text) -> Keyboard:
    return (
        (Button(t._("I am new in town"), ROLE + "newcomer"),),
        (Button(t._("I want to help as a volunteer"), ROLE + "volunteer"),),
    )


DELETE_YES, DELETE_NO = "delete:yes", "delete:no"


def confirm_delete(t: Text) -> Keyboard:
    return ((Button(t._("Yes, delete everything"), DELETE_YES), Button(t._("Cancel"), DELETE_NO)),)
