"""What only Telegram has: media, groups, edited messages, rate limits, blocked users, command
menus, webhooks and start-up errors. Run on aiogram and python-telegram-bot."""

from __future__ import annotations

import os
import socket
import subprocess
import threading

import pytest

from handlers.bidi import strip_isolates
from handlers.i18n import Translator
from tests.answers import answered_topic, title
from tests.botapi import FakeBotAPI
from tests.transports.conftest import run_env, start_bot, stop_bot
from tests.transports.drivers import LOTSE, TelegramUser

T = Translator()
EN = T("en")


@pytest.fixture
def user(telegram: dict, new_user) -> TelegramUser:  # type: ignore[no-untyped-def]
    person = new_user("en")
    person.send("/start")
    person.press(EN._("I agree"))
    person.press("✓ English")
    person.press(EN._("I am new in town"))
    return person


def test_media_gets_a_polite_answer(telegram: dict, user: TelegramUser) -> None:
    api: FakeBotAPI = telegram["api"]
    only_text = EN._("I can only read text. Please write your question as a message.")
    photo = [{"file_id": "p", "file_unique_id": "p", "width": 10, "height": 10}]
    for content in (
        {"photo": photo},
        {
            "sticker": {
                "file_id": "s",
                "file_unique_id": "s",
                "type": "regular",
                "width": 1,
                "height": 1,
                "is_animated": False,
                "is_video": False,
            }
        },
        {"voice": {"file_id": "v", "file_unique_id": "v", "duration": 3}},
        {"location": {"latitude": 51.57, "longitude": 8.1}},
        {"photo": photo, "caption": ""},
    ):
        before = len(api.messages[user.id])
        api.send(user.id, "en", **content)
        assert api.wait_messages(user.id, before + 1)[-1].text == only_text
    before = len(api.messages[user.id])
    api.send(user.id, "en", photo=photo, caption="how do i apply for a WBS")
    replies = api.wait_messages(user.id, before + 2)[before:]
    assert replies[0].text == EN._("I cannot look at pictures or files, but I read the text you sent with them.")
    assert replies[1].text.startswith(title("housing.wbs", "en"))


def test_group_chats_are_declined(telegram: dict) -> None:
    api: FakeBotAPI = telegram["api"]
    api.send(555, "uk", chat_type="group", text="привіт")
    assert api.wait_messages(-555, 1)[0].text == T("uk")._("I only work in private chats. Please write to me directly.")


def test_edited_message_is_answered_again(telegram: dict, user: TelegramUser) -> None:
    api: FakeBotAPI = telegram["api"]
    before = len(api.messages[user.id])
    api.send(user.id, "en", edited=True, text="how do i get into an integration course")
    reply = api.wait_messages(user.id, before + 1)[-1].text
    assert reply.startswith(title("language.integration-course", "en"))


def test_rate_limit_is_waited_out(telegram: dict, user: TelegramUser) -> None:
    api: FakeBotAPI = telegram["api"]
    api.rate_limit("sendMessage", times=2, retry_after=1)
    reply = user.send("/help")
    assert EN._("Change the language") in reply.text
    assert api._rate_limits["sendMessage"][0] == 0


def test_blocked_user_does_not_stop_the_bot(telegram: dict, new_user) -> None:  # type: ignore[no-untyped-def]
    api: FakeBotAPI = telegram["api"]
    blocked, other = new_user("en"), new_user("ar")
    blocked.send("/start")
    blocked.press(EN._("I agree"))
    api.block(blocked.id)
    calls = api.calls["sendMessage"]
    api.send_text(blocked.id, "/help")
    assert T("ar")._("Do you agree?") in other.send("/start").text
    # the blocked user's reply was attempted once and not retried
    api.wait_for(lambda: api.calls["sendMessage"] >= calls + 2)
    assert "Traceback" not in telegram["log"].read_text(errors="replace")


def test_command_menus_per_language(telegram: dict) -> None:
    api: FakeBotAPI = telegram["api"]
    languages = ("ar", "uk", "fa", "ru", "tr", "de", "ps", "ku", "ti")
    api.wait_for(lambda: all(lang in api.commands for lang in languages))  # set one after the other at start
    assert [c["command"] for c in api.commands[None]] == [
        "start",
        "topics",
        "pilot",
        "volunteer",
        "language",
        "help",
        "privacy",
        "mydata",
        "delete",
    ]
    for lang in languages:
        descriptions = [c["description"] for c in api.commands[lang]]
        assert descriptions[1:3] == [T(lang)._("Browse all topics"), T(lang)._("Ask for a personal volunteer pilot")]


def test_many_users_at_once(telegram: dict, new_user) -> None:  # type: ignore[no-untyped-def]
    people = [new_user(lang) for lang in ("ar", "uk", "fa", "ru", "tr", "de", "en", "ps", "ku", "ti") * 2]
    errors: list[BaseException] = []

    def converse(person: TelegramUser) -> None:
        try:
            t = T(person.lang)
            person.send("/start")
            person.press(t._("I agree"))
            topic = answered_topic("Kita?", person.lang)
            assert topic is not None and title(topic, person.lang) in strip_isolates(person.send("Kita?").text)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=converse, args=(p,)) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.parametrize("transport_name", ["aiogram", "ptb"])
def test_webhook_mode_checks_the_secret(transport_name: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    api = FakeBotAPI()
    api.start()
    port = _free_port()
    env = run_env(
        api.url,
        api.token,
        transport_name,
        f"sqlite+aiosqlite:///{tmp_path / 'w.db'}",
        LOTSE_WEBHOOK_URL=f"http://127.0.0.1:{port}/telegram/hook",
        LOTSE_WEBHOOK_SECRET="s3cret-Token_1",
        LOTSE_WEBHOOK_LISTEN=f"127.0.0.1:{port}",
    )
    proc = start_bot(api, env, tmp_path / "bot.log")
    try:
        api.wait_for(lambda: api.webhook is not None, timeout=30)
        assert api.webhook == (f"http://127.0.0.1:{port}/telegram/hook", "s3cret-Token_1")
        user = TelegramUser(api, 4242, "uk")
        assert T("uk")._("Do you agree?") in user.send("/start").text
        forged = {
            "update_id": 999999,
            "message": {
                "message_id": 1,
                "date": 0,
                "text": "/start",
                "chat": {"id": 4343, "type": "private"},
                "from": {"id": 4343, "is_bot": False, "first_name": "x"},
            },
        }
        assert api.post_webhook_with_secret(forged, "wrong") in (401, 403)
        assert api.post_webhook_with_secret(forged, None) in (401, 403)
        assert api.messages[4343] == []
    finally:
        assert stop_bot(proc) == 0
        api.stop()


@pytest.mark.parametrize(
    ("token", "message"),
    [
        ("", "LOTSE_TELEGRAM_TOKEN is not set"),
        ("not-a-token", "LOTSE_TELEGRAM_TOKEN is malformed"),
    ],
)
def test_bad_token_stops_with_one_clear_line(token: str, message: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    env = {**os.environ, "LOTSE_TELEGRAM_TOKEN": token, "LOTSE_DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"}
    result = subprocess.run([LOTSE, "run"], env=env, capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and message in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_setting_names_the_variable(tmp_path) -> None:  # type: ignore[no-untyped-def]
    env = {**os.environ, "LOTSE_TRANSPORT": "carrier-pigeon", "LOTSE_TELEGRAM_TOKEN": "1:x"}
    result = subprocess.run([LOTSE, "run"], env=env, capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert result.returncode == 2 and result.stderr.startswith("lotse: LOTSE_TRANSPORT")


def test_offer_reaches_the_volunteer_and_accept_introduces_both(telegram: dict, new_user) -> None:  # type: ignore[no-untyped-def]
    """Messages to someone else (the offer, the introduction, a relayed message) go out through
    both Telegram libraries. The approval is written to the database, as /volunteers would."""
    import asyncio

    from sqlalchemy import text

    from models.db import make_engine

    api: FakeBotAPI = telegram["api"]
    volunteer = new_user("en")
    volunteer.send("/start")
    volunteer.press(EN._("I agree"))
    volunteer.press("✓ English")
    volunteer.press(EN._("I want to help as a volunteer"))
    volunteer.send("/volunteer", expect=2)
    volunteer.press("العربية")
    for label in (EN._("Next ▶"), EN._("Next ▶"), "✓ " + EN._("Anywhere in town"), EN._("Next ▶"), "✓ 1"):
        volunteer.press(label)
    volunteer.press(EN._("No / I prefer not to say"), expect=2)

    async def approve() -> None:
        engine = make_engine(telegram["database_url"])
        async with engine.begin() as conn:
            await conn.execute(text("UPDATE volunteers SET status = 'approved'"))
        await engine.dispose()

    asyncio.run(approve())
    newcomer = new_user("ar")
    ar = T("ar")
    newcomer.send("/start")
    newcomer.press(ar._("I agree"))
    newcomer.press("✓ العربية")
    newcomer.press(ar._("I am new in town"))
    newcomer.send("/pilot", expect=2)
    for label in (
        ar._("Next ▶"),
        ar._("Next ▶"),
        "✓ " + ar._("Anywhere in town"),
        ar._("Next ▶"),
        "✓ " + ar._("No special wish"),
    ):
        newcomer.press(label)
    newcomer.press(ar._("Skip"))
    before = len(api.messages[volunteer.id])
    newcomer.press("📨 " + ar._("Send the request"))
    offer = api.wait_messages(volunteer.id, before + 1)[-1]
    assert offer.button_labels() == ["✅ " + EN._("Accept"), "✖️ " + EN._("Decline")]
    before = len(api.messages[newcomer.id])
    accepted = volunteer.press("✅ " + EN._("Accept"))
    assert EN._("🤝 Thank you! You are now the pilot of this newcomer:") in accepted.text
    intro = api.wait_messages(newcomer.id, before + 1)[-1]
    assert strip_isolates(intro.text).startswith(ar._("🤝 Good news: a volunteer pilot has accepted your request!"))
    volunteer.press(EN._("✉️ Write to the newcomer"))
    before = len(api.messages[newcomer.id])
    volunteer.send("Hallo, ich bin Anna. 0171 1234567", expect=2)
    relayed = api.wait_messages(newcomer.id, before + 1)[-1]
    assert "Hallo, ich bin Anna." in strip_isolates(relayed.text) and "1234567" not in relayed.text
