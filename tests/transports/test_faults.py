"""Faults through the Bot API test server, against `lotse run` on both Telegram libraries:
5xx outages, refused button answers, flood control, random errors, SIGTERM and kill -9.
Every message the bot decided to send arrives once after the fault clears."""

from __future__ import annotations

import asyncio
import itertools
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from handlers.bidi import strip_isolates
from handlers.i18n import Translator
from tests.botapi import FakeBotAPI
from tests.conftest import _admin
from tests.transports.conftest import run_env, start_bot, stop_bot
from tests.transports.drivers import TelegramUser

T = Translator()
EN = T("en")
COORDINATOR = 7001
_ids = itertools.count(20_000)


def _database(request: pytest.FixtureRequest, tmp: Path, db: str) -> str:
    if db == "sqlite":
        return f"sqlite+aiosqlite:///{tmp / 'lotse.db'}"
    base = request.getfixturevalue("postgres_url").rsplit("/", 1)[0]
    name = f"lotse_f_{uuid.uuid4().hex[:8]}"
    asyncio.run(_admin(f'CREATE DATABASE "{name}"'))
    request.addfinalizer(lambda: asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')))
    return f"{base}/{name}"


@pytest.fixture(
    scope="module",
    params=[
        pytest.param(("aiogram", "postgresql"), id="aiogram-postgresql"),
        pytest.param(("ptb", "sqlite"), id="ptb-sqlite"),
    ],
)
def bot(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    kind, db = request.param
    tmp = tmp_path_factory.mktemp(f"faults-{kind}-{db}")
    api = FakeBotAPI()
    api.start()
    env = run_env(api.url, api.token, kind, _database(request, tmp, db), LOTSE_COORDINATORS=str(COORDINATOR))
    proc = start_bot(api, env, tmp / "bot.log")
    coordinator = TelegramUser(api, COORDINATOR, "en")
    coordinator.send("/start")
    coordinator.press(EN._("I agree"))
    coordinator.press("✓ English")
    yield {"api": api, "proc": proc, "log": tmp / "bot.log", "env": env}
    code = stop_bot(proc)
    api.stop()
    output = (tmp / "bot.log").read_text(errors="replace")
    assert code == 0, output
    assert "Traceback" not in output, output


@pytest.fixture(autouse=True)
def _no_faults_left(bot: dict) -> Iterator[None]:
    yield
    bot["api"].clear_faults()
    bot["api"].enforce_limits(None, None)


def _volunteer_until_last_step(api: FakeBotAPI) -> TelegramUser:
    """A volunteer fills in /volunteer up to the last question."""
    volunteer = TelegramUser(api, next(_ids), "en")
    volunteer.send("/start")
    volunteer.press(EN._("I agree"))
    volunteer.press("✓ English")
    volunteer.press(EN._("I want to help as a volunteer"))
    volunteer.send("/volunteer", expect=2)
    for label in (EN._("Next ▶"), EN._("Next ▶"), "✓ " + EN._("Anywhere in town"), EN._("Next ▶"), "✓ 1"):
        volunteer.press(label)
    return volunteer


def _registration_notes(api: FakeBotAPI) -> list[str]:
    with api._lock:
        return [m for _, chat, m in api.sent_log if chat == COORDINATOR and "🆕" in m]


def test_an_outage_delays_but_loses_and_doubles_nothing(bot: dict) -> None:
    api: FakeBotAPI = bot["api"]
    volunteer = _volunteer_until_last_step(api)
    notes = len(_registration_notes(api))
    before = len(api.messages[volunteer.id])
    api.fail(500, seconds=6)  # Telegram answers 500 to everything for a while
    started = time.monotonic()
    api.press(volunteer.id, EN._("No / I prefer not to say"))
    api.wait_for(lambda: len(_registration_notes(api)) > notes, timeout=60)
    assert time.monotonic() - started >= 5  # it came after the outage, not around it
    profile = api.wait_messages(volunteer.id, before + 1, timeout=30)[-1]  # the reply (the form was edited)
    assert "L-" in profile.text
    time.sleep(2)
    assert len(_registration_notes(api)) == notes + 1  # once
    assert api.statuses["sendMessage"][500] > 0


def test_a_refused_button_answer_does_not_stop_the_round(bot: dict) -> None:
    api: FakeBotAPI = bot["api"]
    volunteer = _volunteer_until_last_step(api)
    notes = len(_registration_notes(api))
    before = len(api.messages[volunteer.id])
    api.fail(400, methods=("answerCallbackQuery",), times=3)  # "query is too old"
    api.press(volunteer.id, EN._("No / I prefer not to say"))
    assert "L-" in api.wait_messages(volunteer.id, before + 1)[-1].text
    api.wait_for(lambda: len(_registration_notes(api)) == notes + 1, timeout=20)
    assert api.statuses["answerCallbackQuery"][400] >= 1


def test_a_burst_of_questions_is_paced_not_dropped(bot: dict) -> None:
    api: FakeBotAPI = bot["api"]
    user = TelegramUser(api, next(_ids), "en")
    user.send("/start")
    user.press(EN._("I agree"))
    user.press("✓ English")
    user.press(EN._("I am new in town"))
    api.enforce_limits(per_second=None, per_chat_per_second=1, retry_after=1)
    before = len(api.messages[user.id])
    for i in range(10):
        api.send_text(user.id, f"how do I find a flat {i}")
    replies = api.wait_messages(user.id, before + 10, timeout=60)[before:]
    assert len(replies) == 10
    assert api.statuses["sendMessage"][429] > 0  # Telegram pushed back, and every answer still came


def test_random_server_errors_cost_no_reply(bot: dict) -> None:
    api: FakeBotAPI = bot["api"]
    api.fail(502, probability=0.3, seconds=60)
    people = [TelegramUser(api, next(_ids), lang) for lang in ("ar", "uk", "fa", "ru", "tr", "de", "en", "ps")]
    for person in people:
        api.send_text(person.id, "/start", person.lang)
    for person in people:
        [consent] = api.wait_messages(person.id, 1, timeout=60)
        assert T(person.lang)._("Do you agree?") in strip_isolates(consent.text)
    assert api.statuses["sendMessage"][502] > 0
