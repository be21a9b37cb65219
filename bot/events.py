"""Helpers every adapter uses to turn what Telegram (or the terminal) delivers into an Incoming."""

from __future__ import annotations

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
