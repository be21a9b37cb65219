"""Pure: a Reply's text cut into Telegram-sized parts, and its keyboard as (label, payload) rows."""

from __future__ import annotations

from handlers.types import Keyboard

MAX_TEXT = 4096  # Telegram counts UTF-16 code units, not code points
MAX_CALLBACK_DATA = 64  # bytes

Rows = list[list[tuple[str, str]]]


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _prefix_within(text: str, limit: int) -> int:
    """The number of characters of ``text`` that fit in ``limit`` UTF-16 units."""
    units = 0
    for i, char in enumerate(text):
        units += 2 if ord(char) > 0xFFFF else 1
        if units > limit:
            return i
    return len(text)


def split_text(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Split a long text at paragraph or line breaks, else at a space, else hard, into parts
    Telegram accepts (``limit`` UTF-16 units each)."""
    text = text.strip() or "…"
    parts: list[str] = []
    while utf16_len(text) > limit:
        fits = _prefix_within(text, limit)
        for separator in ("\n\n", "\n", " "):  # the last paragraph break in the second half, else line, else word
            cut = text.rfind(separator, 0, fits)
            if cut > fits // 2:
                break
        else:
            cut = fits
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
