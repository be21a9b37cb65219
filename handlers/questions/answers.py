"""Plain text is a question: an answer from the content base in the user's language, or an
honest "I don't know" with a person to ask, the question passed on without the user's name."""

from __future__ import annotations

import re

from content.answering import Match
from content.langid import detect
from content.languages import LANGUAGES
from content.pack import ContentPack
from content.region import Region
from content.schema import Topic
from handlers.buttons import AllTopics, AnswerFeedback, ChooseLanguage, ShowTopic
from handlers.context import Context
from handlers.dates import long_date
from handlers.i18n import Text
from handlers.onboarding.start import welcome
from handlers.types import Action, Button, Keyboard, Notice, Reply
from models.tables import Feedback, Question

PILOT_TOPIC = "pilot.request"
MAX_KEPT = 500  # characters of an unanswered question kept for the office
# Suggest switching the language only when the text is long and clearly in another one.
SWITCH_MIN_WORDS, SWITCH_MIN_PROBABILITY = 3, 0.9

_PHONE = re.compile(r"\+?\d[\d\s/().-]{5,}\d")
_EMAIL = re.compile(r"\S+@\S+\.\w+")
_LETTER = re.compile(r"[^\W\d_]")


def office_referral(t: Text, region: Region) -> str:
    lines = [
        t._(
            "The integration office of %(town)s can help you (in German: "
            "“Integrationsbeauftragte”, the town's officer for integration):",
            town=region.town,
        ),
        *region.office.lines(),
        t._("Source: %(source)s, as of %(date)s", source=region.source, date=long_date(region.as_of, t.lang)),
    ]
    return "\n".join(lines)


def answer_text(t: Text, pack: ContentPack, topic: Topic) -> tuple[str, str]:
    """The topic's answer in t's language, or a marked fallback; and the language shown."""
    block, shown_in = pack.text(topic, t.lang)
    parts = []
    if shown_in != t.lang:
        parts.append(
            t._(
                "This answer is not available in %(language)s yet. Here it is in %(fallback)s.",
                language=LANGUAGES[t.lang].native_name,
                fallback=LANGUAGES[shown_in].native_name,
            )
        )
    source = f"{topic.source.document}, {topic.source.section}"
    as_of = long_date(topic.as_of, t.lang)
    parts += [block.title, block.answer, t._("Source: %(source)s, as of %(date)s", source=source, date=as_of)]
    return "\n\n".join(parts), shown_in


def dont_know_text(t: Text, region: Region, passed_on: bool) -> str:
    lines = [t._("I don't know the answer to this yet.")]
    if passed_on:
        lines.append(
            t._(
                "I have passed your question on to the integration office, without your name, "
                "so that an answer can be added."
            )
        )
    lines.append(office_referral(t, region))
    return "\n\n".join(lines)


def hide_contacts(text: str) -> str:
    """Phone numbers and e-mail addresses replaced by "[…]"."""
    return _EMAIL.sub("[…]", _PHONE.sub("[…]", text))


def masked(text: str) -> str:
    """What is kept of an unanswered question: no phone numbers, no e-mail addresses, no
    control characters (PostgreSQL refuses NUL), whitespace collapsed."""
    printable = "".join(c if c.isprintable() else " " for c in text)
    return _EMAIL.sub("[…]", _PHONE.sub("[…]", " ".join(printable.split())))[:MAX_KEPT]


async def question(ctx: Context, text: str) -> list[Action]:
    if not text.strip():
        return [Reply(ctx.t._("Please write your question in a few words."))]
    match = ctx.library.answerer.match(text, chosen=ctx.lang)
    if match.small_talk:
        return [welcome(ctx)]
    meaningful = bool(_LETTER.search(text))
    if match.topic is None:
        if meaningful:
            await _record(ctx, match, fallback=False, text=masked(text))
        return [dont_know(ctx, passed_on=meaningful)]
    topic = ctx.library.pack.topics[match.topic]
    reply, fallback = answer(ctx, topic)
    await _record(ctx, match, fallback=fallback)
    switch = _language_switch(ctx, text)
    return [Reply(reply.text, reply.buttons + switch)] if switch else [reply]


def answer(ctx: Context, topic: Topic, *, feedback: bool = True) -> tuple[Reply, bool]:
    """The topic's answer in the user's language (or a marked fallback), with its source."""
    pack = ctx.library.pack
    text, shown_in = answer_text(ctx.t, pack, topic)
    buttons: list[tuple[Button, ...]] = []
    for related in topic.related[:3]:
        if related in pack.topics:
            title = pack.text(pack.topics[related], ctx.lang)[0].title
            buttons.append((Button(title, str(ShowTopic(related))),))
    if feedback:
        buttons.append(
            (
                Button(ctx.t._("👍 This helped"), str(AnswerFeedback("y", topic.id))),
                Button(ctx.t._("👎 This did not help"), str(AnswerFeedback("n", topic.id))),
            )
        )
    return Reply(text, tuple(buttons)), shown_in != ctx.lang


def dont_know(ctx: Context, passed_on: bool) -> Reply:
    t = ctx.t
    buttons: list[tuple[Button, ...]] = []
    pack = ctx.library.pack
    if PILOT_TOPIC in pack.topics:
        buttons.append((Button(pack.text(pack.topics[PILOT_TOPIC], ctx.lang)[0].title, str(ShowTopic(PILOT_TOPIC))),))
    buttons.append((Button(t._("All topics"), str(AllTopics())),))
    return Reply(dont_know_text(t, ctx.region, passed_on), tuple(buttons))


async def show_topic(ctx: Context, pressed: ShowTopic) -> list[Action]:
    topic = ctx.library.pack.topics.get(pressed.topic)
    if topic is None:
        return [Notice(ctx.t._("This topic no longer exists. Please use /topics."))]
    return [answer(ctx, topic)[0]]


async def feedback(ctx: Context, pressed: AnswerFeedback) -> list[Action]:
    """Recorded without the user; the buttons are taken away."""
    verdict, topic_id = pressed.verdict, pressed.topic
    topic = ctx.library.pack.topics.get(topic_id)
    if topic is None:
        return [Notice(ctx.t._("This button is no longer valid."))]
    await ctx.repo.record_feedback(
        Feedback(given_on=ctx.now.date(), topic=topic_id, language=ctx.lang, helpful=verdict == "y")
    )
    reply, _ = answer(ctx, topic, feedback=False)
    actions: list[Action] = [
        Notice(ctx.t._("Thank you for your feedback!")),
        Reply(reply.text, reply.buttons, edit=True),
    ]
    if verdict == "n":
        actions.append(
            Reply(ctx.t._("I am sorry. A person can help you further.") + "\n\n" + office_referral(ctx.t, ctx.region))
        )
    return actions


async def _record(ctx: Context, match: Match, fallback: bool, text: str | None = None) -> None:
    await ctx.repo.record_question(
        Question(
            asked_on=ctx.now.date(),
            region=ctx.region.id,
            language=ctx.lang,
            topic=match.topic,
            confidence=round(match.confidence, 3),
            fallback=fallback,
            text=text,
        )
    )


def _language_switch(ctx: Context, text: str) -> Keyboard:
    """A button to switch language when the question is clearly written in another one."""
    if len(text.split()) < SWITCH_MIN_WORDS:
        return ()
    scores = detect(text, ctx.library.answerer.loan_words)
    written_in = max(scores, key=scores.__getitem__, default=None)
    if written_in is None or written_in == ctx.lang or scores[written_in] < SWITCH_MIN_PROBABILITY:
        return ()
    return ((Button("🌐 " + LANGUAGES[written_in].native_name, str(ChooseLanguage(written_in))),),)
