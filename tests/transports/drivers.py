"""A user of the bot, the same for every transport: send text, press buttons, see what came back.

TelegramUser talks to `lotse run` through the fake Bot API server; ConsoleUser types into
`lotse chat`. Scenarios are written once against this interface.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field

from tests.botapi import FakeBotAPI

# The `lotse` installed beside the Python running the tests (the project's virtualenv).
_PATH = os.pathsep.join([os.path.dirname(sys.executable), os.environ.get("PATH", "")])
LOTSE = shutil.which("lotse", path=_PATH) or "lotse"


@dataclass
class Shown:
    """A message as the user sees it."""

    text: str
    buttons: list[str] = field(default_factory=list)


@dataclass
class Reaction:
    messages: list[Shown]
    notice: str = ""

    @property
    def text(self) -> str:
        return "\n".join(m.text for m in self.messages)

    @property
    def last(self) -> Shown:
        return self.messages[-1]


class TelegramUser:
    def __init__(self, api: FakeBotAPI, user_id: int, language_code: str | None) -> None:
        self.api, self.id, self.lang = api, user_id, language_code

    def _snapshot(self) -> dict[int, int]:
        with self.api._lock:
            return {m.message_id: m.edits for m in self.api.messages[self.id]}

    def _react(self, before: dict[int, int], expect: int, callback: str | None = None) -> Reaction:
        def changed() -> list[int]:
            return [m.message_id for m in self.api.messages[self.id] if before.get(m.message_id) != m.edits]

        def done() -> bool:
            return len(changed()) >= expect and (callback is None or callback in self.api.callback_answers)

        self.api.wait_for(done, timeout=20)
        with self.api._lock:
            ids = set(changed())
            shown = [Shown(m.text, m.button_labels()) for m in self.api.messages[self.id] if m.message_id in ids]
            notice = self.api.callback_answers.get(callback or "", "")
        return Reaction(shown, notice)

    def send(self, text: str, expect: int = 1) -> Reaction:
        before = self._snapshot()
        self.api.send_text(self.id, text, self.lang)
        return self._react(before, expect)

    def press(self, label: str, expect: int = 1) -> Reaction:
        before = self._snapshot()
        callback = self.api.press(self.id, label, self.lang)
        return self._react(before, expect, callback)


_PROMPT = re.compile(r"(?m)^> ")


class ConsoleUser:
    """Types into `lotse chat` as a person in a terminal would."""

    def __init__(self, env: dict[str, str], user_id: int, language_code: str | None) -> None:
        self.id = user_id
        locale_env = {"LANG": f"{language_code}.UTF-8" if language_code else "C.UTF-8", "LC_ALL": ""}
        self.proc = subprocess.Popen(
            [LOTSE, "chat", "--user-id", str(user_id)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env={**os.environ, **env, **locale_env, "PYTHONIOENCODING": "utf-8"},
        )
        self._out = bytearray()
        self._cond = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()
        self._segments = 0
        self._buttons: list[str] = []
        self._next_segment(timeout=60)  # the automatic /start on launch

    def _read(self) -> None:
        assert self.proc.stdout is not None
        while chunk := os.read(self.proc.stdout.fileno(), 65536):
            with self._cond:
                self._out += chunk
                self._cond.notify_all()
        with self._cond:
            self._cond.notify_all()

    def _next_segment(self, timeout: float = 20) -> str:
        """The output between the previous prompt and the next one."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                text = self._out.decode("utf-8", errors="replace")
                parts = _PROMPT.split(text)
                if len(parts) - 1 > self._segments:
                    self._segments += 1
                    # parts[0] is the banner + first reaction; later parts each follow a prompt
                    return parts[self._segments - 1] if self._segments > 1 else parts[0]
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    raise TimeoutError(f"console: no prompt; output so far: {text[-500:]!r}")
                self._cond.wait(0.2)

    def _parse(self, segment: str) -> Reaction:
        messages: list[Shown] = []
        notice = ""
        for line in segment.splitlines():
            if line.startswith("▸ "):
                messages.append(Shown(line[2:]))
            elif line.startswith("ⓘ "):
                notice = line[2:]
            elif m := re.match(r"^  \[(\d+)\] (.*)$", line):
                messages[-1].buttons.append(m.group(2))
            elif line.startswith("  ") and messages:
                messages[-1].text += "\n" + line[2:]
            elif line == "" and messages:
                messages[-1].text += "\n"
        for message in messages:
            message.text = message.text.rstrip("\n")
        with_buttons = [m for m in messages if m.buttons]
        if with_buttons:
            self._buttons = with_buttons[-1].buttons
        return Reaction(messages, notice)

    def send(self, text: str, expect: int = 1) -> Reaction:
        assert self.proc.stdin is not None
        self.proc.stdin.write(text.encode() + b"\n")
        self.proc.stdin.flush()
        return self._parse(self._next_segment())

    def press(self, label: str, expect: int = 1) -> Reaction:
        if label not in self._buttons:
            raise LookupError(f"no button {label!r} among {self._buttons}")
        return self.send(str(self._buttons.index(label) + 1), expect)

    def close(self) -> None:
        if self.proc.poll() is None:
            assert self.proc.stdin is not None
            self.proc.stdin.close()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
