"""Questions through the runtime, on SQLite and PostgreSQL: answers, "I don't know", what is
recorded for the office, feedback, /topics and the coordinators' /unanswered and /reload."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from bot.app import App, build
from bot.config import Settings
from handlers.bidi import FSI, PDI, strip_isolates
from handlers.i18n import Translator
from handlers.types import Notice, Reply
from models.tables import Feedback, Question
from tests.test_conversation import onboard, press, say, texts

T = Translator()
COORDINATOR = 777


@pytest.fixture
async def app(database_url: str) -> AsyncIterator[App]:
    application = await build(Settings(database_url=database_url, coordinators=frozenset({COORDINATOR})), migrate=True)
    yield application
    await application.close()


async def rows(app: App, table: type) -> list:
    async with app.runtime.sessionmaker() as session:
        return list((await session.exec(select(table))).all())


def buttons(reply: Reply) -> dict[str, str]:
    return {b.label: b.data for row in reply.buttons for b in row}


async def test_arabic_question_gets_the_arabic_answer_with_source_and_date(app: App) -> None:
    await onboard(app, lang="ar")
    [reply] = await say(app, "شلون بسجل ابني بالروضة؟ عمره ٣ سنين", lang="ar")
    assert isinstance(reply, Reply)
    topic = app.runtime.library.pack.topics["kita.registration"]
    assert strip_isolates(reply.text).startswith(topic.texts["ar"].title)
    assert f"{FSI}02921 103 2218{PDI}" in reply.text  # the phone number is isolated inside Arabic
    assert "2019" in reply.text or "٢٠١٩" in reply.text  # the "as of" date
    labels = buttons(reply)
    assert labels[T("ar")._("👍 This helped")] == "fb:y:kita.registration"
    assert "topic:kita.waiting-list" in labels.values()
    [question] = await rows(app, Question)
    assert (question.topic, question.language, question.text) == ("kita.registration", "ar", None)


async def test_unknown_question_is_passed_on_masked_and_listed_for_coordinators(app: App) -> None:
    await onboard(app, lang="de")
    reply = texts(await say(app, "Wie wird das Wetter morgen? Ruf mich an: 0171 2345678", lang="de"))
    de = T("de")
    assert de._("I don't know the answer to this yet.") in reply
    assert "Am Vreithof 8" in reply
    [question] = await rows(app, Question)
    assert question.topic is None and "0171" not in (question.text or "") and "Wetter" in (question.text or "")
    await say(app, "wie wird das wetter morgen? ruf mich an: 0171 2345678", user=43, lang="de")

    refused = texts(await say(app, "/unanswered", lang="de"))
    assert refused == de._("This command is only for coordinators of the integration office.")
    await onboard(app, user=COORDINATOR, lang="en")
    listing = texts(await say(app, "/unanswered", user=COORDINATOR))
    assert "Wetter morgen" in listing and "[de]" in listing and "[…]" in listing
    assert "0171" not in listing


async def test_emoji_only_gets_dont_know_but_is_not_recorded(app: App) -> None:
    await onboard(app)
    reply = texts(await say(app, "🙂🙂"))
    assert T("en")._("I don't know the answer to this yet.") in reply
    passed_on = (
        "I have passed your question on to the integration office, without your name, so that an answer can be added."
    )
    assert T("en")._(passed_on) not in reply
    assert await rows(app, Question) == []


async def test_feedback_is_recorded_once_and_the_buttons_go(app: App) -> None:
    await onboard(app, lang="uk")
    [answer] = await say(app, "як отримати WBS", lang="uk")
    assert isinstance(answer, Reply)
    data = buttons(answer)[T("uk")._("👎 This did not help")]
    actions = await press(app, data, lang="uk")
    assert isinstance(actions[0], Notice) and actions[0].text == T("uk")._("Thank you for your feedback!")
    edited = actions[1]
    assert isinstance(edited, Reply) and edited.edit and not any(d.startswith("fb:") for d in buttons(edited).values())
    assert "02921 103 2218" in texts(actions[2:])  # did not help: a person is offered
    [feedback] = await rows(app, Feedback)
    assert (feedback.topic, feedback.language, feedback.helpful) == ("housing.wbs", "uk", False)
    stale = await press(app, "fb:y:no.such-topic", lang="uk")
    assert stale == [Notice(T("uk")._("This button is no longer valid."))]


async def test_topics_browse_by_group_then_topic(app: App) -> None:
    await onboard(app, lang="fa")
    [overview] = await say(app, "/topics", lang="fa")
    assert isinstance(overview, Reply)
    groups = buttons(overview)
    assert groups[app.runtime.library.pack.group_title("kita", "fa")] == "group:kita"
    [group] = await press(app, "group:kita", lang="fa")
    assert isinstance(group, Reply) and group.edit
    assert "topic:kita.costs" in buttons(group).values() and "group:" in buttons(group).values()
    [answer] = await press(app, "topic:kita.costs", lang="fa")
    assert strip_isolates(answer.text).startswith(app.runtime.library.pack.topics["kita.costs"].texts["fa"].title)
    [back] = await press(app, "group:", lang="fa")
    assert "group:housing" in buttons(back).values()


async def test_reload_is_for_coordinators(app: App) -> None:
    await onboard(app, user=COORDINATOR, lang="en")
    before = app.runtime.library.answerer
    reply = texts(await say(app, "/reload", user=COORDINATOR))
    topics = len(app.runtime.library.pack.topics)
    assert reply == T("en").n_("Content reloaded: %(n)d topic.", "Content reloaded: %(n)d topics.", topics)
    assert app.runtime.library.answerer is not before
    assert "/unanswered" in texts(await say(app, "/help", user=COORDINATOR))
    await onboard(app, user=44)
    assert "/unanswered" not in texts(await say(app, "/help", user=44))
    assert texts(await say(app, "/reload", user=44)) == T("en")._(
        "This command is only for coordinators of the integration office."
    )


async def test_unanswered_texts_are_blanked_after_90_days(app: App) -> None:
    today = datetime.now(UTC).date()
    async with app.runtime.sessionmaker() as session:
        for days in (91, 89):
            session.add(
                Question(
                    asked_on=today - timedelta(days=days),
                    region="soest",
                    language="en",
                    confidence=0.1,
                    text=f"q{days}",
                )
            )
        await session.commit()
    await app.runtime.purge_inactive()
    kept = {q.asked_on: q.text for q in await rows(app, Question)}
    assert kept == {today - timedelta(days=91): None, today - timedelta(days=89): "q89"}


async def test_a_question_clearly_in_another_language_offers_to_switch(app: App) -> None:
    await onboard(app, lang="en")
    [reply] = await say(app, "كيف بسجل ابني بالروضة، عمره ثلاث سنين", lang="en")
    assert isinstance(reply, Reply)
    assert reply.text.startswith(app.runtime.library.pack.topics["kita.registration"].texts["en"].title)
    assert buttons(reply)["🌐 العربية"] == "lang:ar"  # the user's choice stays until they press it
    [short] = await say(app, "كيتا", lang="en")
    assert "lang:ar" not in buttons(short).values()
