"""Where an incoming event becomes a list of actions: the one routing table of the bot."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace

from content.languages import DEFAULT_LANGUAGE, LANGUAGES, is_rtl, supported
from handlers import keyboards as kb
from handlers import office, privacy, qa, start, topics
from handlers.bidi import isolate_ltr_runs
from handlers.context import Context
from handlers.i18n import Text
from handlers.types import Action, Incoming, Notice, Reply

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
}


async def dispatch(inc: Incoming, ctx: Context) -> list[Action]:
    """Load the user, route the event, and lay out right-to-left replies."""
    ctx.user = await ctx.repo.touch(inc.user_id, ctx.now)
    ctx.lang = (ctx.user and ctx.user.language) or supported(inc.language_code) or DEFAULT_LANGUAGE
    actions = await _route(inc, ctx)
    return [_lay_out(action) for action in actions] if is_rtl(ctx.lang) else actions


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
    if inc.kind == "media":
        if not inc.text.strip():
            return [Reply(t._("I can only read text. Please write your question as a message."))]
        note = Reply(t._("I cannot look at pictures or files, but I read the text you sent with them."))
        return [note, *await qa.question(ctx, inc.text)]
    return await qa.question(ctx, inc.text)


async def _command(inc: Incoming, ctx: Context) -> list[Action]:
    name = inc.command or ""
    if name == "as" and ctx.policy.console:
        return await start.switch_role(ctx, inc.text)
    handler = COMMANDS.get(name)
    if handler is not None:
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
    if data == qa.ALL_TOPICS:
        return [topics.overview(ctx)]
    if data == kb.DELETE_YES:
        return await privacy.delete_confirmed(ctx)
    if data == kb.DELETE_NO:
        return await privacy.delete_cancelled(ctx)
    return start.stale_button(ctx)


def _lay_out(action: Action) -> Action:
    if isinstance(action, Reply | Notice):
        return replace(action, text=isolate_ltr_runs(action.text))
    return action


def apology(t: Text) -> list[Action]:
    """What the user gets when a handler failed; the runtime logs the error without the text."""
    reply = Reply(t._("Sorry, something went wrong on my side. Please try again in a moment."))
    return [_lay_out(reply)] if t.rtl else [reply]
