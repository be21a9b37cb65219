"""`lotse chat`: the same bot in the terminal. Buttons appear as numbered choices.

Messages for others go through the outbox as on Telegram; the terminal's delivery worker
prints them after each reply: "✉ (to user N) …", or as a plain message when they are for the
person at this terminal."""

from __future__ import annotations

import asyncio
import locale
import os
import sys
from typing import TextIO

from bot.events import text_event
from bot.outbox import Outbox
from bot.render import Rows
from bot.runtime import Runtime
from handlers.types import Action, Button, Document, Incoming, Notice, Reply

PROMPT = "> "
HELP = (
    "lotse in the terminal. Type a message and press Enter; type a number to press a button;\n"
    "/as volunteer or /as coordinator switches your local role; /quit or Ctrl-D ends.\n"
)


def terminal_language() -> str | None:
    """The language of the terminal's locale (LC_ALL, LC_MESSAGES, LANG), as Telegram would send it."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name)
        if value and value not in ("C", "POSIX") and not value.startswith("C."):
            return value.split(".")[0]
    return locale.getlocale()[0] or None


class Console:
    def __init__(self, runtime: Runtime, out: TextIO, user_id: int = 1, language_code: str | None = None) -> None:
        self.runtime = runtime
        self.out = out
        self.user_id = user_id
        self.language_code = language_code
        self.buttons: list[Button] = []
        self.outbox = Outbox(
            runtime.sessionmaker, self, rate=1000, clock=runtime.clock, on_blocked=_ignore, paced=False
        )

    def _message(self, text: str, buttons: list[Button]) -> None:
        lines = text.split("\n")
        self.out.write("▸ " + lines[0] + "\n")
        for line in lines[1:]:
            self.out.write("  " + line + "\n")
        if buttons:
            self.buttons = buttons
            for number, button in enumerate(self.buttons, 1):
                self.out.write(f"  [{number}] {button.label}\n")

    def show(self, actions: list[Action]) -> None:
        for action in actions:
            if isinstance(action, Reply):
                self._message(action.text, [b for row in action.buttons for b in row])
            elif isinstance(action, Notice):
                self.out.write("ⓘ " + action.text + "\n")
            elif isinstance(action, Document):
                self.out.write(f"📎 {action.filename} ({len(action.content)} bytes) {action.caption}\n")
        self.out.flush()

    def event(self, line: str) -> Incoming:
        choice = line.strip()
        if choice.isdigit() and 1 <= int(choice) <= len(self.buttons):
            button = self.buttons[int(choice) - 1]
            return Incoming(
                self.user_id, self.user_id, "button", data=button.data, language_code=self.language_code, message_id=0
            )
        return text_event(self.user_id, self.user_id, line, language_code=self.language_code)

    async def send(self, line: str) -> None:
        self.show(await self.runtime.process(self.event(line)))
        await self.outbox.flush(5)
        self.out.flush()

    # The outbox delivers here (bot/sending.TelegramOps): the terminal is everyone's chat.
    async def send_text(self, chat_id: int, text: str, keyboard: Rows) -> None:
        if chat_id == self.user_id:
            self._message(text, [Button(label, data) for row in keyboard for label, data in row])
        else:
            self.out.write(f"✉ (to user {chat_id}) " + text.replace("\n", "\n  ") + "\n")

    async def edit_text(self, chat_id: int, message_id: int, text: str, keyboard: Rows) -> bool:
        return False

    async def answer_button(self, callback_id: str, text: str) -> None:
        return None

    async def send_document(self, chat_id: int, filename: str, content: bytes, caption: str) -> None:
        self.out.write(f"📎 (to user {chat_id}) {filename} ({len(content)} bytes) {caption}\n")

    async def run(self, inp: TextIO) -> None:
        self.out.write(HELP + "\n")
        await self.send("/start")
        loop = asyncio.get_running_loop()
        while True:
            self.out.write(PROMPT)
            self.out.flush()
            line = await loop.run_in_executor(None, inp.readline)
            if not line or line.strip() in ("/quit", "/exit"):
                self.out.write("\n")
                return
            line = line.rstrip("\n")
            if line.strip():
                await self.send(line)


async def _ignore(_: object) -> None:
    return None


async def chat(runtime: Runtime, user_id: int = 1) -> None:
    await Console(runtime, sys.stdout, user_id, terminal_language()).run(sys.stdin)
