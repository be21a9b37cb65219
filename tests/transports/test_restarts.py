"""Stopping and crashing `lotse run`: SIGTERM finishes what is in flight; after kill -9 and a
restart every committed message is delivered, at most the one in flight twice."""

from __future__ import annotations

import asyncio
import signal
import subprocess
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from handlers.i18n import Translator
from models.db import make_engine
from tests.botapi import FakeBotAPI
from tests.transports.conftest import run_env, start_bot, stop_bot
from tests.transports.drivers import LOTSE
from tests.transports.test_faults import _database

T = Translator()


def test_sigterm_finishes_the_reply_in_flight(tmp_path: Path) -> None:
    api = FakeBotAPI()
    api.start()
    env = run_env(api.url, api.token, "aiogram", f"sqlite+aiosqlite:///{tmp_path / 'l.db'}")
    proc = start_bot(api, env, tmp_path / "bot.log")
    try:
        api.stall(2, methods=("sendMessage",), times=1, then="perform")
        api.send_text(4711, "/start")
        time.sleep(1)  # the reply is on its way (held by the server)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(30) == 0
        assert T("en")._("Do you agree?") in api.messages[4711][0].text
    finally:
        if proc.poll() is None:
            proc.kill()
        api.stop()
    assert "Traceback" not in (tmp_path / "bot.log").read_text(errors="replace")


# One combination: the delivery worker is the same for both libraries, and test_outbox.py runs
# the claims on both databases.
@pytest.mark.parametrize(("transport", "database"), [("aiogram", "postgresql")])
def test_kill_9_loses_nothing_committed(
    transport: str, database: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    """Queued messages are sent after a kill -9 and a restart: none lost, at most the one in
    flight twice (the documented window)."""
    api = FakeBotAPI()
    api.start()
    url = _database(request, tmp_path, database)
    env = run_env(api.url, api.token, transport, url, LOTSE_SEND_RATE="10")
    subprocess.run([LOTSE, "db", "upgrade"], env=env, check=True, capture_output=True, timeout=60)
    chats, per_chat = 20, 3
    asyncio.run(_queue(url, chats, per_chat))
    proc = start_bot(api, env, tmp_path / "bot.log")
    try:
        api.wait_for(lambda: len(api.sent_log) >= 15, timeout=30)
        proc.kill()  # kill -9 half way
        proc.wait(10)
        proc = start_bot(api, env, tmp_path / "bot2.log")
        api.wait_for(lambda: len({t for _, _, t in api.sent_log if t.startswith("queued")}) == chats * per_chat, 60)
        delivered = Counter(t for _, _, t in api.sent_log if t.startswith("queued"))
        assert len(delivered) == chats * per_chat
        assert sum(n - 1 for n in delivered.values()) <= 1
    finally:
        stop_bot(proc)
        api.stop()


async def _queue(url: str, chats: int, per_chat: int) -> None:
    engine = make_engine(url)
    now = datetime.now(UTC)
    async with engine.begin() as conn:
        for chat in range(chats):
            telegram_id = 900_000 + chat
            result = await conn.execute(
                text(
                    "INSERT INTO users (telegram_id, role, language, consent_at, last_seen_at, active) "
                    "VALUES (:t, 'newcomer', 'en', :now, :now, true) RETURNING id"
                ),
                {"t": telegram_id, "now": now},
            )
            user_id = result.scalar_one()
            for i in range(per_chat):
                await conn.execute(
                    text(
                        "INSERT INTO outbox (user_id, chat_id, kind, priority, created_at, due_at, status, text, "
                        "attempts) VALUES (:u, :c, 'test', 5, :now, :now, 'pending', :text, 0)"
                    ),
                    {"u": user_id, "c": telegram_id, "now": now, "text": f"queued {chat}-{i}"},
                )
    await engine.dispose()


def test_two_instances_on_one_database_send_each_message_once(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    """Two `lotse run` on one PostgreSQL share the outbox: every message is sent, by one of them."""
    api = FakeBotAPI()
    api.start()
    url = _database(request, tmp_path, "postgresql")
    env = run_env(api.url, api.token, "aiogram", url, LOTSE_SEND_RATE="15")
    subprocess.run([LOTSE, "db", "upgrade"], env=env, check=True, capture_output=True, timeout=60)
    chats, per_chat = 30, 3
    logs = [tmp_path / "one.log", tmp_path / "two.log"]
    procs = [start_bot(api, env, log) for log in logs]
    try:
        deadline = time.monotonic() + 60  # both running before the queue fills, so both take part
        while not all("lotse running" in log.read_text(errors="replace") for log in logs):
            assert time.monotonic() < deadline, "the second instance did not start"
            time.sleep(0.2)
        asyncio.run(_queue(url, chats, per_chat))
        api.wait_for(lambda: len({t for _, _, t in api.sent_log if t.startswith("queued")}) == chats * per_chat, 60)
        time.sleep(1)  # a late second copy would show now
        delivered = Counter(t for _, _, t in api.sent_log if t.startswith("queued"))
        assert len(delivered) == chats * per_chat and max(delivered.values()) == 1
    finally:
        codes = [stop_bot(proc) for proc in procs]
        api.stop()
    assert codes == [0, 0]
    for log in logs:
        assert "Traceback" not in log.read_text(errors="replace")
