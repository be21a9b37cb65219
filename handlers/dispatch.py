"""Where an incoming event becomes a list of actions: the one routing table of the bot."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import timedelta

from content.languages import DEFAULT_LANGUAGE, LANGUAGES, is_rtl, supported
from handlers import keyboards as kb
from handlers import offers, office, pilotage, pilots, privacy, qa, start, topics, vetting, volunteering
from handlers.bidi import isolate_ltr_runs
from handlers.context import Context
from handlers.i18n import Text
from handlers.types import Action, Incoming, Notice, Reply, Send

Handler = Callable[[Context], Awaitable[list[Action]]]

COMMANDS: dict[str, Handler] = {
    "start": start.start,
    "language": start.language,
    "help": start.help_,
    "privacy": privacy.privacy,
    "mydata": privacy.my_data,
    "delete": privacy.delete_request,
    "topics": topics.topics,
    "unanswered": office.unanswered,
    "reload": office.reload,
    "pilot": pilots.pilot,
    "volunteer": volunteering.volunteer_command,
    "pause": volunteering.pause,
    "requests": volunteering.requests,
    "done": pilotage.done_command,
    "volunteers": vetting.volunteers,
    "match": vetting.match,
}

# Button prefixes of the pilot flows and who handles them.
BUTTONS: dict[str, Callable[[Context, str], Awaitable[list[Action]]]] = {
    pilots.FORM: pilots.button,
    volunteering.FORM: volunteering.button,
    offers.OFFER: offers.answer,
    pilotage.PILOTAGE: pilotage.button,
    pilotage.FEEDBACK: pilotage.feedback,
    pilotage.CHECKIN: pilotage.checkin_answer,
    vetting.VET: vetting.button,
    vetting.MATCH: vetting.match_button,
}

# How long a form or a "write your message" waits for the text before it is a question again.
AWAITING_VALID = timedelta(hours=24)


async def dispatch(inc: Incoming, ctx: Context) -> list[Action]:
    """Load the user, route the event, and lay out right-to-left replies."""
    ctx.user = await ctx.repo.touch(inc.user_id, ctx.now)
    ctx.lang = (ctx.user and ctx.user.language) or supported(inc.language_code) or DEFAULT_LANGUAGE
    return lay_out(await _route(inc, ctx), is_rtl(ctx.lang))


async def _route(inc: Incoming, ctx: Context) -> list[Action]:
    t = ctx.t
    if not inc.private:
        return [Reply(t._("I only work in private chats. Please write to me directly."))]
    if inc.kind == "button":
        return await _button(inc, ctx)
    if inc.kind == "command":
        return await _command(inc, ctx)
    if ctx.user is None:
        return [start.consent_prompt(ctx, t._("Before I can answer, I need your consent."))]
    awaited = await _awaited(inc, ctx)
    if awaited is not None:
        return awaited
    if inc.kind == "media":
        if not inc.text.strip():
            return [Reply(t._("I can only read text. Please write your question as a message."))]
        note = Reply(t._("I cannot look at pictures or files, but I read the text you sent with them."))
        return [note, *await qa.question(ctx, inc.text)]
    return await qa.question(ctx, inc.text)


async def _awaited(inc: Incoming, ctx: Context) -> list[Action] | None:
    """Text the user was asked for (a form's note, a message to relay, a reason), or None
    when the message is an ordinary question."""
    user = ctx.user
    assert user is not None
    if user.awaiting is None or user.awaiting_since is None or ctx.now - user.awaiting_since > AWAITING_VALID:
        return None
    if not inc.text.strip():
        return [Reply(ctx.t._("I can only pass on text. Please write it as a message."))]
    kind, _, value = user.awaiting.partition(":")
    if kind + ":" == pilotage.RELAY:
        return await pilotage.relay(ctx, value, inc.text)
    if kind + ":" == pilots.NOTE:
        return await pilots.note(ctx, value, inc.text)
    if kind + ":" == vetting.REASON:
        return await vetting.reason(ctx, value, inc.text)
    return None


async def _command(inc: Incoming, ctx: Context) -> list[Action]:
    name = inc.command or ""
    if name == "as" and ctx.policy.console:
        return await start.switch_role(ctx, inc.text)
    handler = COMMANDS.get(name)
    if handler is not None:
        ctx.clear_awaiting()  # a command leaves any form that waited for text
        return await handler(ctx)
    unknown = ctx.t._("I don't know the command %(command)s.", command="/" + name)
    return [Reply(f"{unknown}\n\n{start.help_text(ctx)}")]


async def _button(inc: Incoming, ctx: Context) -> list[Action]:
    data = inc.data or ""
    if data == kb.CONSENT_YES:
        return await start.consent_given(ctx, inc.user_id)
    if data == kb.CONSENT_NO and ctx.user is None:
        return await start.consent_refused(ctx)
    if ctx.user is None:
        return start.stale_button(ctx)
    prefix, _, value = data.partition(":")
    if prefix + ":" == kb.ONBOARD_LANG and value in LANGUAGES:
        return await start.onboarding_language(ctx, value)
    if prefix + ":" == kb.LANG and value in LANGUAGES:
        return await start.language_chosen(ctx, value)
    if prefix + ":" == kb.ROLE and value in ("newcomer", "volunteer"):
        return await start.role_chosen(ctx, value)
    if prefix + ":" == qa.TOPIC:
        return await qa.show_topic(ctx, value)
    if prefix + ":" == topics.GROUP:
        return await topics.group(ctx, value)
    if prefix + ":" == qa.FEEDBACK:
        return await qa.feedback(ctx, value)
    flow = BUTTONS.get(prefix + ":")
    if flow is not None:
        return await flow(ctx, value)
    if data == qa.ALL_TOPICS:
        return [topics.overview(ctx)]
    if data == kb.DELETE_YES:
        return await privacy.delete_confirmed(ctx)
    if data == kb.DELETE_NO:
        return await privacy.delete_cancelled(ctx)
    return start.stale_button(ctx)


async def tick(ctx: Context) -> list[Action]:
    """The scheduler's round, with no user: offers past their deadline move on, waiting
    requests nobody is being asked about get an offer, and due check-ins go out."""
    actions = await offers.expire_due(ctx)
    for request in await ctx.pilots.orphans():
        locked = await ctx.pilots.lock_request(request.id or 0)
        if locked is not None and not await ctx.pilots.has_pending_offer(locked.id or 0):
            actions += await offers.find_pilot(ctx, locked)
    actions += await pilotage.checkins_due(ctx)
    return lay_out(actions, rtl=False)


def lay_out(actions: list[Action], rtl: bool) -> list[Action]:
    """Isolate left-to-right runs in right-to-left texts: the user's own replies when their
    language is RTL, a message to someone else when theirs is."""
    done: list[Action] = []
    for action in actions:
        if isinstance(action, Send):
            if action.rtl:
                action = replace(action, reply=replace(action.reply, text=isolate_ltr_runs(action.reply.text)))
        elif isinstance(action, Reply | Notice) and rtl:
            action = replace(action, text=isolate_ltr_runs(action.text))
        done.append(action)
    return done


def apology(t: Text) -> list[Action]:
    """What the user gets when a handler failed; the runtime logs the error without the text."""
    return lay_out([Reply(t._("Sorry, something went wrong on my side. Please try again in a moment."))], t.rtl)
