"""The conversation suite: written once, run on aiogram, python-telegram-bot and the terminal,
each on SQLite and PostgreSQL. Expected texts come from the catalogs, so every language is real."""

from __future__ import annotations

import pytest

from handlers.bidi import FSI, PDI, strip_isolates
from handlers.i18n import Translator
from tests.answers import answered_topic, title

pytestmark = pytest.mark.usefixtures("transport")
T = Translator()


def onboard(user, lang: str, choose: str | None = None, role: str = "newcomer") -> str:  # type: ignore[no-untyped-def]
    """Go through /start as a user would; returns the welcome text."""
    t, chosen = T(lang), T(choose or lang)
    consent = user.send("/start")
    assert consent.last.buttons == [t._("I agree"), t._("No, thanks")]
    picker = user.press(t._("I agree"))
    native = {
        "ar": "العربية",
        "uk": "Українська",
        "en": "English",
        "ru": "Русский",
        "de": "Deutsch",
        "fa": "فارسی",
        "tr": "Türkçe",
    }
    assert picker.last.buttons[0] == "✓ " + native[lang]
    label = picker.last.buttons[0] if choose is None else native[choose]
    roles = user.press(label)
    role_label = chosen._("I am new in town") if role == "newcomer" else chosen._("I want to help as a volunteer")
    assert role_label in roles.last.buttons
    return user.press(role_label).text


def test_arabic_newcomer_onboards_and_asks(new_user) -> None:  # type: ignore[no-untyped-def]
    ar = T("ar")
    user = new_user("ar")
    welcome = onboard(user, "ar")
    greeting = ar._(
        "Welcome! Ask me anything about life in %(town)s, in your own words and in your language. "
        "For example: “How do I register my child for a Kita?”",
        town="Soest",
    )
    assert strip_isolates(welcome).startswith(greeting)
    assert f"{FSI}/language{PDI}" in welcome and f"{FSI}Soest{PDI}" in welcome
    answer = user.send("ابني عمره ٤ سنين، كيف أسجله في الكيتا؟").text
    assert strip_isolates(answer).startswith(title("kita.registration", "ar"))
    assert f"{FSI}02921 103 2218{PDI}" in answer


def test_ukrainian_choice_wins_over_russian_telegram(new_user) -> None:  # type: ignore[no-untyped-def]
    user = new_user("ru")
    welcome = onboard(user, "ru", choose="uk")
    assert T("uk")._("Write your question as a normal message. Commands:") in welcome
    assert user.send("як знайти квартиру").text.startswith(title("housing.search", "uk"))
    assert T("uk")._("Change the language") in user.send("/help").text


def test_volunteer_is_pointed_to_the_integration_office(new_user) -> None:  # type: ignore[no-untyped-def]
    welcome = onboard(new_user("de"), "de", role="volunteer")
    assert "Am Vreithof 8, 59494 Soest" in welcome
    assert T("de")._("Write your question as a normal message. Commands:") in welcome


def test_question_before_consent_asks_for_consent_first(new_user) -> None:  # type: ignore[no-untyped-def]
    en = T("en")
    user = new_user("en")
    reply = user.send("how do i find a flat")
    assert reply.text.startswith(en._("Before I can answer, I need your consent."))
    assert reply.last.buttons == [en._("I agree"), en._("No, thanks")]
    assert "stored nothing" in user.press(en._("No, thanks")).text


def test_language_can_be_changed(new_user) -> None:  # type: ignore[no-untyped-def]
    user = new_user("en")
    onboard(user, "en")
    picker = user.send("/language")
    assert picker.last.buttons[0] == "✓ English"
    fa = T("fa")
    changed = user.press("فارسی")
    assert strip_isolates(changed.text) == fa._("Language set: %(language)s.", language="فارسی")
    topic = answered_topic("کلاس زبان", "fa")
    assert topic is not None and strip_isolates(user.send("کلاس زبان").text).startswith(title(topic, "fa"))


def test_unknown_command_and_stale_button(new_user) -> None:  # type: ignore[no-untyped-def]
    en = T("en")
    user = new_user("en")
    onboard(user, "en")
    reply = user.send("/weather")
    assert en._("I don't know the command %(command)s.", command="/weather") in reply.text
    assert "/help" in reply.text
    user.send("/delete")
    user.send("/delete")
    assert "has been deleted" in user.press(en._("Yes, delete everything")).text
    # the first confirmation is still on screen, but there is nothing left to act on
    stale = user.press(en._("Cancel"), expect=0)
    assert stale.notice == en._("This button is no longer active. Send /start to begin again.")
    assert stale.messages == []
    assert en._("I have stored nothing about you.") in user.send("/mydata").text


def test_longest_message_is_answered(new_user) -> None:  # type: ignore[no-untyped-def]
    user = new_user("tr")
    onboard(user, "tr")
    question = ("Kita nasıl bulurum? " * 300)[:4096]
    topic = answered_topic(question, "tr")
    assert topic is not None and user.send(question).text.startswith(title(topic, "tr"))
