"""Where an incoming event becomes a list of actions. The features own their routes
(``<feature>/__init__.py``: commands, buttons, text waits); this module looks them up, checks
a button's payload and the presser's role first, and lays out right-to-left replies."""

from __future__ import annotations

from dataclasses import replace

from content.languages import DEFAULT_LANGUAGE, is_rtl, supported
from handlers import buttons, office, onboarding, pilots, privacy, questions
from handlers.bidi import isolate_ltr_runs
from handlers.context import Context
from handlers.i18n import Text
from handlers.routes import Routes, merge
from handlers.types import Action, Incoming, Notice, Reply, Send
from models.tables import User


async def _cancel_wait(ctx: Context, _: buttons.CancelWait) -> list[Action]:
    ctx.clear_awaiting()
    return [Reply(ctx.t._("Cancelled."), edit=True)]


ROUTES: Routes = merge(
    onboarding.ROUTES,
    questions.ROUTES,
    pilots.ROUTES,
    privacy.ROUTES,
    office.ROUTES,
    Routes(buttons={buttons.CancelWait: _cancel_wait}),
)


async def dispatch(inc: Incoming, ctx: Context) -> list[Action]:
    """Load the user, route the event, and lay out right-to-left replies."""
    ctx.telegram_id = inc.user_id
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
        return [onboarding.consent_prompt(ctx, t._("Before I can answer, I need your consent."))]
    awaited = await _awaited(inc, ctx)
    if awaited is not None:
        return awaited
    if inc.kind == "media":
        if not inc.text.strip():
            return [Reply(t._("I can only read text. Please write your question as a message."))]
        note = Reply(t._("I cannot look at pictures or files, but I read the text you sent with them."))
        return [note, *await questions.question(ctx, inc.text)]
    return await questions.question(ctx, inc.text)


async def _awaited(inc: Incoming, ctx: Context) -> list[Action] | None:
    """Text a prompt waits for (a message to relay, a form's note, a reason), or None when
    the message is an ordinary question: no wait, or the wait has run out."""
    user = ctx.user
    assert user is not None
    if user.awaiting is None:
        return None
    kind, _, value = user.awaiting.partition(":")
    wait = ROUTES.waits.get(kind)
    if wait is None:
        return None  # not a text wait (a /match proposal waiting for its button)
    if user.awaiting_since is None or ctx.now - user.awaiting_since > wait.timeout:
        ctx.clear_awaiting()
        return None
    if not inc.text.strip():
        return [Reply(ctx.t._("I can only pass on text. Please write it as a message."))]
    return await wait.handler(ctx, value, inc.text)


async def _command(inc: Incoming, ctx: Context) -> list[Action]:
    name = inc.command or ""
    if name == "as" and ctx.policy.console:
        return await onboarding.switch_role(ctx, inc.text)
    handler = ROUTES.commands.get(name)
    if handler is not None:
        ctx.clear_awaiting()  # a command leaves any prompt that waited for text
        return await handler(ctx)
    unknown = ctx.t._("I don't know the command %(command)s.", command="/" + name)
    return [Reply(f"{unknown}\n\n{onboarding.help_text(ctx)}")]


async def _button(inc: Incoming, ctx: Context) -> list[Action]:
    """Parse the payload, check who pressed it, then hand it to its feature."""
    pressed = buttons.parse(inc.data or "")
    if pressed is None:
        return [Notice(ctx.t._("This button is no longer valid."))]
    if pressed.needs_user and ctx.user is None:
        return onboarding.stale_button(ctx)
    if pressed.roles is not None and (ctx.user is None or ctx.user.role not in pressed.roles):
        if pressed.roles == buttons.COORDINATORS:
            return [Notice(ctx.t._("This command is for coordinators of the integration office."))]
        return [Notice(ctx.t._("You are not registered as a volunteer pilot yet. Send /volunteer to register."))]
    return await ROUTES.buttons[type(pressed)](ctx, pressed)


async def tick(ctx: Context) -> list[Action]:
    """The scheduler's round, with no user: pilot offers past their deadline, waiting requests,
    check-ins. Returns the messages it decided to send."""
    return lay_out(await pilots.tick(ctx), rtl=False)


async def leave(ctx: Context) -> list[Action]:
    """Delete ``ctx.user`` (the retention purge): the same path as /delete, without a reply."""
    return lay_out(await privacy.erase(ctx), rtl=False)


async def undeliverable(ctx: Context, origin: User | None) -> list[Action]:
    """Telegram refuses messages to ``ctx.user`` (403): their pilot offers move on at once, and
    ``origin``, who wrote a relayed message to them, is told it did not arrive."""
    actions = await pilots.unreachable(ctx)
    if origin is not None:
        t = ctx.speak(origin)
        actions += ctx.send(origin, t._("I could not deliver your message: the other person cannot be reached."))
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
