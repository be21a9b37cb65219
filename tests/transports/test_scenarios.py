"""The conversation suite: written once, run on aiogram, python-telegram-bot and the terminal,
each on SQLite and PostgreSQL. Expected texts come from the catalogs, so every language is real."""

from __future__ import annotations

import pytest

from handlers.bidi import FSI, PDI, strip_isolates
from handlers.i18n import Translator
from handlers.pilots.terms import area_name, district_name
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


def test_volunteer_registers_with_the_button_form(new_user) -> None:  # type: ignore[no-untyped-def]
    uk = T("uk")
    user = new_user("uk")
    welcome = onboard(user, "uk", role="volunteer")
    assert "/volunteer" in welcome
    form = user.send("/volunteer", expect=2)
    assert "Українська ●●●" in form.last.buttons
    assert "Русский ●○○" in user.press("Русский").last.buttons  # the same message, edited
    user.press(uk._("Next ▶"))
    assert "✓ " + area_name(uk, "housing") in user.press(area_name(uk, "housing")).last.buttons
    user.press(uk._("Next ▶"))
    user.press(district_name(uk, "south"))
    user.press(uk._("Next ▶"))
    user.press("2")
    done = user.press(uk._("No / I prefer not to say"), expect=2)
    assert "L-" in done.text
    assert uk._("Waiting for approval by the integration office.") in done.text
    assert "Русский (" + uk._("basic") + ")" in done.text


def test_arabic_newcomer_asks_for_a_pilot(new_user) -> None:  # type: ignore[no-untyped-def]
    ar = T("ar")
    user = new_user("ar")
    onboard(user, "ar")
    form = user.send("/pilot", expect=2)
    assert "✓ العربية" in form.last.buttons
    user.press(ar._("Next ▶"))
    user.press(area_name(ar, "kita"))
    user.press(ar._("Next ▶"))
    user.press(district_name(ar, "south"))
    user.press(ar._("Next ▶"))
    user.press("✓ " + ar._("No special wish"))
    review = user.press(ar._("Skip"))
    assert ar._("Help with: %(areas)s", areas=area_name(ar, "kita")) in strip_isolates(review.text)
    sent = user.press("📨 " + ar._("Send the request"), expect=2)
    # No volunteer yet: the request goes to the office, and the newcomer is told so in Arabic.
    thanks = ar._(
        "Thank you! Your request has been sent. As soon as a volunteer pilot accepts, I will "
        "introduce you here. This can take a few days. Send /pilot to see the status."
    )
    assert strip_isolates(sent.text).startswith(thanks)
    assert ar._(
        "We have not found a fitting pilot yet. The integration office now looks for "
        "one personally. Your request stays active; you can see it with /pilot."
    ) in strip_isolates(sent.text)
    assert "/pilot" in sent.text and f"{FSI}/pilot{PDI}" in sent.text
    status = user.send("/pilot")
    assert "✖️ " + ar._("Withdraw my request") in status.last.buttons


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
