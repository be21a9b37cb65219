"""End-to-end throughput: simulated users chatting through the fake Bot API server.

Each of N users sends M questions, one after the other: the next one as soon as the bot's
answer arrives (a closed loop, as people chat). The same load runs against `lotse run`
(with its database writes: every message updates the user's row) and against a bare aiogram
echo bot on the same server, in the same run. Rate limits are off. Prints updates answered
per second for both and their ratio.

    .venv/bin/python -m bench.throughput [--users 100] [--messages 20] [--transport aiogram]
                                         [--database-url sqlite+aiosqlite:///...]
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from tests.botapi import BotMessage, FakeBotAPI
from tests.transports.drivers import LOTSE

QUESTIONS = ["Wie melde ich mein Kind in der Kita an?", "كيف أجد شقة؟", "Де курси німецької?", "Kita?"]


class LoadServer(FakeBotAPI):
    """Answers every bot message to a user with that user's next question (until M are sent)."""

    def __init__(self, messages: int) -> None:
        super().__init__()
        self.per_user = messages
        self.sent: dict[int, int] = {}
        self.answered = 0
        self.first_sent = 0.0
        self.last_answer = 0.0
        self.active = False

    def begin(self, users: list[int]) -> None:
        self.active = True
        self.first_sent = time.perf_counter()
        for user in users:
            self.sent[user] = 1
            self.send_text(user, QUESTIONS[user % len(QUESTIONS)])

    async def _m_sendMessage(self, params: dict[str, Any]) -> Any:
        result = await super()._m_sendMessage(params)
        chat_id = int(params["chat_id"])
        if self.active and chat_id in self.sent:
            self.answered += 1
            self.last_answer = time.perf_counter()
            if self.sent[chat_id] < self.per_user:
                self.sent[chat_id] += 1
                self.send_text(chat_id, QUESTIONS[(chat_id + self.sent[chat_id]) % len(QUESTIONS)])
            else:
                with self._lock:
                    self._lock.notify_all()
        return result


def run_load(
    command: list[str],
    env: dict[str, str],
    users: int,
    messages: int,
    prepare: bool,
    log: Path,
    first_user: int = 1_000_000,
) -> tuple[float, float]:
    """Start the bot, optionally onboard the users (not timed), run the load; returns (rate, seconds)."""
    server = LoadServer(messages)
    server.start()
    env = {**env, "LOTSE_TELEGRAM_API_URL": server.url, "LOTSE_TELEGRAM_TOKEN": server.token}
    with log.open("wb") as out:
        proc = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        server.wait_for(lambda: "ar" in server.commands and "uk" in server.commands, timeout=120)
        ids = list(range(first_user, first_user + users))
        if prepare:  # consent + language + role, so that every timed message hits a stored user
            for user in ids:
                server.send_text(user, "/start")
            server.wait_for(lambda: all(server.messages[u] for u in ids), timeout=120)
            for user in ids:
                msg: BotMessage = server.messages[user][-1]
                server.press_data(user, msg, "consent:yes")
            server.wait_for(lambda: all(server.messages[u][-1].edits >= 1 for u in ids), timeout=120)
        total = users * messages
        server.begin(ids)
        server.wait_for(lambda: server.answered >= total, timeout=600)
        seconds = server.last_answer - server.first_sent
        return total / seconds, seconds
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--messages", type=int, default=20)
    parser.add_argument("--transport", choices=["aiogram", "ptb"], default="aiogram")
    parser.add_argument("--database-url", default=None, help="default: a fresh SQLite file")
    parser.add_argument("--rounds", type=int, default=3, help="alternating runs of both bots; medians are reported")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        database_url = args.database_url or f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}"
        if database_url.startswith("postgresql"):
            subprocess.run(
                [LOTSE, "db", "upgrade"],
                env={**os.environ, "LOTSE_DATABASE_URL": database_url},
                check=True,
                capture_output=True,
            )
        env = {
            **os.environ,
            "LOTSE_TRANSPORT": args.transport,
            "LOTSE_DATABASE_URL": database_url,
            "LOTSE_LOG_LEVEL": "WARNING",
        }
        echo_rates, lotse_rates = [], []
        for round_ in range(args.rounds):
            echo_rate, _ = run_load(
                [sys.executable, "-m", "bench.echo_bot"],
                env,
                args.users,
                args.messages,
                prepare=False,
                log=Path(tmp) / "echo.log",
            )
            # a fresh set of users every round, so that each round onboards (writes) them anew
            lotse_rate, _ = run_load(
                [LOTSE, "run"],
                env,
                args.users,
                args.messages,
                prepare=True,
                log=Path(tmp) / "lotse.log",
                first_user=1_000_000 + round_ * args.users,
            )
            echo_rates.append(echo_rate)
            lotse_rates.append(lotse_rate)
            print(f"round {round_ + 1}: echo {echo_rate:7.1f}/s  lotse {lotse_rate:7.1f}/s", flush=True)

    total = args.users * args.messages
    print(f"load: {args.users} users x {args.messages} messages = {total} updates, closed loop, no rate limits")
    echo, lotse = statistics.median(echo_rates), statistics.median(lotse_rates)
    print(f"bare aiogram echo bot : {echo:8.1f} updates/s (median of {args.rounds})")
    print(
        f"lotse ({args.transport}, {database_url.split(':', 1)[0]}): {lotse:8.1f} updates/s (median of {args.rounds})"
    )
    print(f"ratio lotse / echo    : {lotse / echo:8.2f}  (goal >= 0.5)")


if __name__ == "__main__":
    main()
