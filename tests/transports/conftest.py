"""Transports under test: `lotse run` on aiogram and on python-telegram-bot against the fake
Bot API server, and `lotse chat` in the terminal; each on SQLite and on PostgreSQL."""

from __future__ import annotations

import asyncio
import itertools
import os
import signal
import subprocess
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.botapi import FakeBotAPI
from tests.conftest import _admin
from tests.transports.drivers import LOTSE, ConsoleUser, TelegramUser

_user_ids = itertools.count(10_000)


def run_env(api_url: str, token: str, transport: str, database_url: str, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "LOTSE_TELEGRAM_TOKEN": token,
        "LOTSE_TELEGRAM_API_URL": api_url,
        "LOTSE_TRANSPORT": transport,
        "LOTSE_DATABASE_URL": database_url,
        "LOTSE_LOG_LEVEL": "INFO",
        **extra,
    }


def start_bot(api: FakeBotAPI, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    if env["LOTSE_DATABASE_URL"].startswith("postgresql"):
        subprocess.run([LOTSE, "db", "upgrade"], env=env, check=True, capture_output=True, timeout=60)
    with log.open("wb") as out:
        proc = subprocess.Popen([LOTSE, "run"], env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        api.wait_for(lambda: "ar" in api.commands and "uk" in api.commands, timeout=60)
    except TimeoutError:
        proc.kill()
        raise AssertionError(f"lotse run did not start:\n{log.read_text(errors='replace')}") from None
    return proc


def stop_bot(proc: subprocess.Popen[bytes]) -> int:
    proc.send_signal(signal.SIGTERM)
    try:
        return proc.wait(30)
    except subprocess.TimeoutExpired:
        proc.kill()
        raise


def _params(kinds: tuple[str, ...]) -> list:
    return [pytest.param((kind, db), id=f"{kind}-{db}") for db in ("sqlite", "postgresql") for kind in kinds]


def _transport(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    kind, db = request.param
    tmp = tmp_path_factory.mktemp(f"{kind}-{db}")
    if db == "sqlite":
        database_url = f"sqlite+aiosqlite:///{tmp / 'lotse.db'}"
    else:
        base = request.getfixturevalue("postgres_url").rsplit("/", 1)[0]
        name = f"lotse_e2e_{uuid.uuid4().hex[:8]}"
        asyncio.run(_admin(f'CREATE DATABASE "{name}"'))
        database_url = f"{base}/{name}"
    info: dict = {"kind": kind, "database_url": database_url}
    if kind == "console":
        if db == "postgresql":
            env = {**os.environ, "LOTSE_DATABASE_URL": database_url}
            subprocess.run([LOTSE, "db", "upgrade"], env=env, check=True, capture_output=True, timeout=60)
        yield info
    else:
        api = FakeBotAPI()
        api.start()
        log = tmp / "bot.log"
        proc = start_bot(api, run_env(api.url, api.token, kind, database_url), log)
        info.update(api=api, proc=proc, log=log)
        yield info
        code = stop_bot(proc)
        api.stop()
        output = log.read_text(errors="replace")
        assert code == 0, output
        assert "Traceback" not in output, output
    if db == "postgresql":
        asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{database_url.rsplit("/", 1)[1]}" WITH (FORCE)'))


@pytest.fixture(scope="module", params=_params(("aiogram", "ptb", "console")))
def transport(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    """Every transport: the conversation suite runs on all of them."""
    yield from _transport(request, tmp_path_factory)


@pytest.fixture(scope="module", params=_params(("aiogram", "ptb")))
def telegram(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    """The Telegram transports only: media, groups, edits, rate limits, blocked users."""
    yield from _transport(request, tmp_path_factory)


@pytest.fixture
def new_user(request: pytest.FixtureRequest) -> Iterator[Callable[..., TelegramUser | ConsoleUser]]:
    """Makes a fresh user (with a Telegram language code) on the transport under test."""
    transport = request.getfixturevalue("telegram" if "telegram" in request.fixturenames else "transport")
    consoles: list[ConsoleUser] = []

    def make(language_code: str | None = "en") -> TelegramUser | ConsoleUser:
        user_id = next(_user_ids)
        if transport["kind"] == "console":
            console = ConsoleUser({"LOTSE_DATABASE_URL": transport["database_url"]}, user_id, language_code)
            consoles.append(console)
            return console
        return TelegramUser(transport["api"], user_id, language_code)

    yield make
    for console in consoles:
        console.close()
