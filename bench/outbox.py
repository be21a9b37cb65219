"""Outbox delivery: how fast, and how exactly, `lotse run` drains a large outbox.

Fills the outbox with --messages pending messages spread round-robin over --chats users (a
broadcast), then starts `lotse run` (LOTSE_SEND_RATE=--send-rate) against the fake Bot API
server, which enforces Telegram's flood limits: --rate sends/s overall and 1/s per chat, in
sliding 1-second windows, answering 429 with retry_after beyond them. Unless --no-kill, the bot
is killed with SIGKILL when half the messages are delivered and started again, to show what a
crash costs: duplicates (sent, but not recorded as sent) and lost messages.

Measured: distinct messages delivered, duplicates (texts delivered more than once), lost (never
delivered), 429 answers, time from the first to the last delivery, the achieved rate and its
fraction of --rate, the restart gap (last delivery before the kill to the first one after it) and
the rate without that gap. It is a measurement: the exit code is 0 whether or not goals are met.

    .venv/bin/python -m bench.outbox [--messages 10000] [--chats 2000] [--rate 30] [--send-rate 29]
                                     [--database-url URL] [--no-kill] [--timeout SECONDS]

--database-url: default a temporary SQLite file. For PostgreSQL give the server, e.g.
postgresql+asyncpg://postgres@127.0.0.1:5432/postgres: a fresh database is created there for the
run (asyncpg, connecting to the database named in the URL) and dropped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from models.db import make_engine
from models.tables import UTCDateTime
from tests.botapi import LIMITED_METHODS, FakeBotAPI
from tests.transports.conftest import run_env, start_bot, stop_bot
from tests.transports.drivers import LOTSE

FIRST_TELEGRAM_ID = 2_000_000
CHUNK = 5000  # rows per executemany

# Lightweight table descriptions: only the columns written or read here, with their types (so
# that datetimes are stored as the bot's UTCDateTime columns store them, on every backend).
USERS = sa.table(
    "users",
    sa.column("id", sa.Integer),
    sa.column("telegram_id", sa.BigInteger),
    sa.column("role", sa.String),
    sa.column("language", sa.String),
    sa.column("consent_at", UTCDateTime()),
    sa.column("last_seen_at", UTCDateTime()),
    sa.column("active", sa.Boolean),
)
OUTBOX = sa.table(
    "outbox",
    sa.column("user_id", sa.Integer),
    sa.column("chat_id", sa.BigInteger),
    sa.column("kind", sa.String),
    sa.column("priority", sa.Integer),
    sa.column("created_at", UTCDateTime()),
    sa.column("due_at", UTCDateTime()),
    sa.column("status", sa.String),
    sa.column("text", sa.Text),
    sa.column("attempts", sa.Integer),
)


def bench_text(n: int) -> str:
    return f"bench message {n}"


# --- the database --------------------------------------------------------------------------
def _asyncpg_dsn(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://", 1)


async def _pg_admin(admin_url: str, sql: str) -> None:
    conn = await asyncpg.connect(_asyncpg_dsn(admin_url), timeout=10)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


async def create_database(server_url: str) -> str:
    """A fresh PostgreSQL database on the server of ``server_url``; returns its URL."""
    name = f"lotse_bench_{uuid.uuid4().hex[:10]}"
    await _pg_admin(server_url, f'CREATE DATABASE "{name}"')
    return f"{server_url.rsplit('/', 1)[0]}/{name}"


async def drop_database(server_url: str, database_url: str) -> None:
    name = database_url.rsplit("/", 1)[1]
    await _pg_admin(server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def migrate(database_url: str) -> None:
    env = {**os.environ, "LOTSE_DATABASE_URL": database_url}
    result = subprocess.run([LOTSE, "db", "upgrade"], env=env, capture_output=True, text=True, timeout=120)
    if result.returncode != 0:
        sys.exit(f"lotse db upgrade failed:\n{result.stdout}{result.stderr}")


async def fill(engine: AsyncEngine, chats: int, messages: int) -> list[int]:
    """Insert the users and the pending outbox rows (round-robin over the chats); returns the chat ids."""
    now = datetime.now(UTC)
    users = [
        {
            "telegram_id": FIRST_TELEGRAM_ID + i,
            "role": "newcomer",
            "language": "en",
            "consent_at": now,
            "last_seen_at": now,
            "active": True,
        }
        for i in range(chats)
    ]
    async with engine.begin() as conn:
        for start in range(0, len(users), CHUNK):
            await conn.execute(sa.insert(USERS), users[start : start + CHUNK])
        rows = await conn.execute(sa.select(USERS.c.id, USERS.c.telegram_id).order_by(USERS.c.telegram_id))
        recipients = [(user_id, telegram_id) for user_id, telegram_id in rows]
        for start in range(0, messages, CHUNK):
            batch = []
            for n in range(start, min(start + CHUNK, messages)):
                user_id, chat_id = recipients[n % len(recipients)]
                batch.append(
                    {
                        "user_id": user_id,
                        "chat_id": chat_id,
                        "kind": "bench",
                        "priority": 9,
                        "created_at": now,
                        "due_at": now,
                        "status": "pending",
                        "text": bench_text(n),
                        "attempts": 0,
                    }
                )
            await conn.execute(sa.insert(OUTBOX), batch)
    return [chat_id for _, chat_id in recipients]


async def outbox_statuses(engine: AsyncEngine) -> dict[str, int]:
    query = sa.text("SELECT status, COUNT(*) FROM outbox WHERE kind = 'bench' GROUP BY status")
    async with engine.connect() as conn:
        return {status: count for status, count in await conn.execute(query)}


# --- the deliveries --------------------------------------------------------------------------
class Deliveries:
    """Reads the server's sent_log incrementally: when each bench text was first seen, and how often."""

    def __init__(self, api: FakeBotAPI, messages: int) -> None:
        self.api = api
        self.texts = {bench_text(n) for n in range(messages)}
        self.first: dict[str, float] = {}
        self.copies: Counter[str] = Counter()
        self.times: list[float] = []  # every bench delivery, in order
        self._read = 0

    def update(self) -> int:
        """Take in what was delivered since the last call; returns the distinct count."""
        with self.api._lock:
            new = self.api.sent_log[self._read :]
            self._read += len(new)
        for at, _, text in new:
            if text in self.texts:
                self.copies[text] += 1
                self.times.append(at)
                self.first.setdefault(text, at)
        return len(self.first)

    def gap_around(self, moment: float) -> float | None:
        """Seconds from the last delivery before ``moment`` to the first one after it."""
        before = [t for t in self.times if t <= moment]
        after = [t for t in self.times if t > moment]
        if not before or not after:
            return None
        return min(after) - max(before)


def tail(log: Path, lines: int = 30) -> str:
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])


@dataclass
class Run:
    """What happened to the bot during the measurement."""

    database_url: str
    outcome: str = "all delivered"
    killed_at: float | None = None  # time.monotonic() of the SIGKILL
    back_after: float | None = None  # seconds until the restarted bot was up
    exit_code: int | None = None  # on the final SIGTERM


class BotDidNotStart(Exception):
    pass


def launch(api: FakeBotAPI, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    """Start `lotse run`; returns once it has set its command menus."""
    with api._lock:
        api.commands.clear()  # after a restart too: wait for the menus to be set anew
    try:
        return start_bot(api, env, log)
    except AssertionError as exc:
        raise BotDidNotStart(str(exc)) from None


async def measure(args: argparse.Namespace, engine: AsyncEngine, database_url: str, tmp: Path) -> None:
    api = FakeBotAPI()
    api.start()
    api.enforce_limits(per_second=args.rate, per_chat_per_second=1)
    env = run_env(api.url, api.token, args.transport, database_url, LOTSE_SEND_RATE=f"{args.send_rate:g}")
    log = Path(args.log) if args.log else tmp / "bot.log"
    deliveries = Deliveries(api, args.messages)
    expected = args.messages / min(args.send_rate, args.rate)
    timeout = args.timeout if args.timeout is not None else 2 * expected + 120
    run = Run(database_url)
    proc: subprocess.Popen[bytes] | None = None
    try:
        started = time.monotonic()
        proc = launch(api, env, log)
        print(f"bot up in {time.monotonic() - started:.1f} s; expecting ~{expected:.0f} s, timeout {timeout:.0f} s")
        deadline = time.monotonic() + timeout
        settle_until: float | None = None
        next_report = time.monotonic() + 5
        while True:
            await asyncio.sleep(0.2)
            now = time.monotonic()
            distinct = deliveries.update()
            if proc.poll() is not None:
                run.outcome = f"the bot exited by itself (code {proc.returncode})"
                print(f"{run.outcome}; its log ends:\n{tail(log)}")
                break
            if not args.no_kill and run.killed_at is None and distinct >= args.messages // 2 > 0:
                proc.kill()
                proc.wait()
                run.killed_at = time.monotonic()
                print(f"killed the bot (SIGKILL) after {distinct} deliveries; starting it again")
                log.replace(log.with_suffix(".before-kill.log"))
                proc = launch(api, env, log)
                run.back_after = time.monotonic() - run.killed_at
                deadline += run.back_after  # the timeout counts time with a bot running
                print(f"bot back after {run.back_after:.1f} s")
            if distinct >= args.messages:
                # Everything arrived once; wait until no bench row is pending (a late duplicate
                # would come from a row still claimed when the bot was killed).
                settle_until = settle_until or min(now + args.settle, deadline)
                pending = (await outbox_statuses(engine)).get("pending", 0)
                if pending == 0 or now >= settle_until:
                    if pending:
                        run.outcome = f"all delivered; {pending} rows still pending after {args.settle:.0f} s"
                    break
            elif now >= deadline:
                run.outcome = f"timed out after {timeout:.0f} s"
                print(f"{run.outcome}; the bot's log ends:\n{tail(log)}")
                break
            if now >= next_report:
                next_report = now + 5
                with api._lock:
                    limited = sum(api.statuses[m][429] for m in LIMITED_METHODS)
                print(f"  {now - started:6.0f} s  delivered {distinct:>7} / {args.messages}  429s {limited}")
        await asyncio.sleep(1)  # a last look for deliveries in flight
        deliveries.update()
    except BotDidNotStart as exc:
        run.outcome = "the bot did not start"
        print(exc)
    finally:
        if proc is not None and proc.poll() is None:
            try:
                run.exit_code = stop_bot(proc)
            except subprocess.TimeoutExpired:
                run.exit_code = None
        api.stop()
        deliveries.update()  # what the bot still sent while shutting down
    report(args, api, deliveries, await outbox_statuses(engine), run)


def report(
    args: argparse.Namespace,
    api: FakeBotAPI,
    deliveries: Deliveries,
    rows: dict[str, int],
    run: Run,
) -> None:
    distinct = len(deliveries.first)
    duplicated = [text for text, count in deliveries.copies.items() if count > 1]
    extra = sum(count - 1 for count in deliveries.copies.values())
    firsts = sorted(deliveries.first.values())
    elapsed = firsts[-1] - firsts[0] if len(firsts) > 1 else 0.0
    gap = deliveries.gap_around(run.killed_at) if run.killed_at is not None else None
    overall, per_chat = api.throttled["per_second"], api.throttled["per_chat"]
    statuses: Counter[int] = Counter()
    for method in LIMITED_METHODS:
        statuses.update(api.statuses.get(method, Counter()))

    def rate(seconds: float) -> str:
        if seconds <= 0 or distinct < 2:
            return "-"
        value = distinct / seconds
        return f"{value:8.1f} /s  ({100 * value / args.rate:.0f} % of {args.rate:g}/s)"

    figures: list[tuple[str, Any]] = [
        ("outcome", run.outcome),
        ("delivered (distinct)", f"{distinct} of {args.messages}"),
        ("lost (never delivered)", args.messages - distinct),
        ("duplicated texts", f"{len(duplicated)}  ({extra} extra copies)"),
        ("429 answers", f"{statuses[429]}  (limit overall {overall}, per chat {per_chat})"),
        ("other errors", sum(count for status, count in statuses.items() if status not in (200, 429))),
        ("first -> last delivery", f"{elapsed:8.1f} s"),
        ("achieved rate", rate(elapsed)),
    ]
    if args.no_kill:
        figures.append(("restart", "none (--no-kill)"))
    else:
        gap_text = "-" if gap is None else f"{gap:8.1f} s"
        back_text = "" if run.back_after is None else f"  (bot back {run.back_after:.1f} s after the kill)"
        figures += [
            ("restart gap", gap_text + back_text),
            ("rate without the gap", rate(elapsed - gap) if gap is not None else "-"),
        ]
    figures += [
        ("outbox rows", ", ".join(f"{status} {count}" for status, count in sorted(rows.items())) or "-"),
        ("bot exit on SIGTERM", "-" if run.exit_code is None else run.exit_code),
    ]
    backend = run.database_url.split(":", 1)[0]
    print()
    print(
        f"outbox delivery: {args.messages} messages to {args.chats} chats; limits {args.rate:g}/s overall, "
        f"1/s per chat; LOTSE_SEND_RATE={args.send_rate:g}; {args.transport}, {backend}"
    )
    for name, value in figures:
        print(f"  {name:<24} {value}")


async def amain(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as tmp_dir:
        tmp = Path(tmp_dir)
        server_url = args.database_url if args.database_url and args.database_url.startswith("postgres") else None
        if server_url:
            database_url = await create_database(server_url)
        else:
            database_url = args.database_url or f"sqlite+aiosqlite:///{tmp / 'bench.db'}"
        engine = make_engine(database_url)
        try:
            migrate(database_url)
            began = time.monotonic()
            await fill(engine, args.chats, args.messages)
            print(f"{args.messages} outbox rows for {args.chats} users inserted in {time.monotonic() - began:.1f} s")
            await measure(args, engine, database_url, tmp)
        finally:
            await engine.dispose()
            if server_url:
                await drop_database(server_url, database_url)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", type=int, default=10000)
    parser.add_argument("--chats", type=int, default=2000)
    parser.add_argument("--rate", type=float, default=30, help="the server's limit, sends/s overall")
    parser.add_argument("--send-rate", type=float, default=29, help="LOTSE_SEND_RATE for the bot")
    parser.add_argument("--database-url", default=None, help="default: a temporary SQLite file")
    parser.add_argument("--no-kill", action="store_true", help="no SIGKILL and restart halfway")
    parser.add_argument("--timeout", type=float, default=None, help="seconds; default 2 x expected + 120")
    parser.add_argument("--settle", type=float, default=60, help="seconds to wait for pending rows after the last")
    parser.add_argument("--transport", choices=["aiogram", "ptb"], default="aiogram")
    parser.add_argument("--log", default=None, help="keep the bot's output in this file")
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]  # progress shows in a pipe too
    if args.messages < 1 or args.chats < 1:
        parser.error("--messages and --chats must be at least 1")
    asyncio.run(amain(args))


if __name__ == "__main__":
    main()
