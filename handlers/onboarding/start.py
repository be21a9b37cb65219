"""Onboarding: consent, language, role, welcome; plus /language and /help."""

from __future__ import annotations

from content.languages import LANGUAGES
from content.region import Region
from handlers.buttons import ChooseLanguage, ChooseRole, Consent, OnboardingLanguage
from handlers.context import Context
from handlers.i18n import Text
from handlers.onboarding import keyboards as kb
from handlers.types import Action, Notice, Reply
from models.tables import Role


def privacy_text(ctx: Context) -> str:
    t = ctx.t
    intro = t._(
        "Hello! I am lotse, the assistant for newcomers in %(town)s. I answer your questions "
        "in your language and can connect you with a volunteer pilot.\n\n"
        "For this I store your Telegram ID, your language and your role, but not your name "
        "or phone number. Questions I cannot answer are shown to the integration office "
        "without your name, so that answers can be added. You can delete your data at any "
        "time with /delete.",
        town=ctx.region.town,
    )
    pilots = t._(
        "If you ask for a pilot or register as a volunteer, I also store what you enter in "
        "that form until you delete your data. Messages between you and your pilot are "
        "passed on, not stored."
    )
    retention = t.n_(
        "If you do not use lotse for %(n)d day, your data is deleted automatically.",
        "If you do not use lotse for %(n)d days, your data is deleted automatically.",
        ctx.policy.retention_days,
    )
    return f"{intro}\n{pilots}\n{retention}"


def consent_prompt(ctx: Context, preface: str = "") -> Reply:
    text = privacy_text(ctx) + "\n\n" + ctx.t._("Do you agree?")
    return Reply(f"{preface}\n\n{text}" if preface else text, kb.consent(ctx.t))


def language_picker(ctx: Context, onboarding: bool, edit: bool = False) -> Reply:
    payload = OnboardingLanguage if onboarding else ChooseLanguage
    return Reply(ctx.t._("Please choose your language:"), kb.languages(payload, ctx.lang), edit=edit)


async def start(ctx: Context) -> list[Action]:
    if ctx.user is None:
        return [consent_prompt(ctx)]
    return [language_picker(ctx, onboarding=True)]


async def language(ctx: Context) -> list[Action]:
    if ctx.user is None:
        return [consent_prompt(ctx)]
    return [language_picker(ctx, onboarding=False)]


async def consent(ctx: Context, pressed: Consent) -> list[Action]:
    if pressed.answer == "no":
        if ctx.user is not None:  # agreed before: /delete is the way out
            return stale_button(ctx)
        return [Reply(ctx.t._("Okay. I have stored nothing. If you change your mind, send /start."), edit=True)]
    if ctx.user is None:
        ctx.user = await ctx.repo.add_user(ctx.telegram_id, ctx.lang, ctx.now)
        if ctx.telegram_id in ctx.policy.coordinators:
            ctx.user.role = Role.coordinator
    return [language_picker(ctx, onboarding=True, edit=True)]


def _set_language(ctx: Context, code: str) -> None:
    assert ctx.user is not None
    ctx.user.language = code
    ctx.lang = code


async def onboarding_language(ctx: Context, pressed: OnboardingLanguage) -> list[Action]:
    _set_language(ctx, pressed.code)
    assert ctx.user is not None
    if ctx.user.role == Role.coordinator:
        return [welcome(ctx, edit=True)]
    question = ctx.t._(
        "Are you new in %(town)s, or would you like to help newcomers as a volunteer?",
        town=ctx.region.town,
    )
    return [Reply(question, kb.roles(ctx.t), edit=True)]


async def language_chosen(ctx: Context, pressed: ChooseLanguage) -> list[Action]:
    _set_language(ctx, pressed.code)
    text = ctx.t._("Language set: %(language)s.", language=LANGUAGES[pressed.code].native_name)
    return [Reply(text, edit=True)]


async def role_chosen(ctx: Context, pressed: ChooseRole) -> list[Action]:
    assert ctx.user is not None
    if ctx.user.role != Role.coordinator:
        ctx.user.role = Role(pressed.role)
    return [welcome(ctx, edit=True)]


def invitation(t: Text, region: Region) -> str:
    """What lotse is for, in one sentence with an example (the welcome, and the answer to "hello")."""
    return t._(
        "Welcome! Ask me anything about life in %(town)s, in your own words and in your "
        "language. For example: “How do I register my child for a Kita?”",
        town=region.town,
    )


def welcome(ctx: Context, edit: bool = False) -> Reply:
    t, user = ctx.t, ctx.user
    role = user.role if user else None
    if role == Role.volunteer:
        text = t._(
            "Thank you for wanting to help newcomers in %(town)s! Send /volunteer to register "
            "as a volunteer pilot; the integration office then checks your registration.",
            town=ctx.region.town,
        )
    elif role == Role.coordinator:
        text = t._("Welcome! You are registered as a coordinator of the integration office.")
    else:
        text = invitation(t, ctx.region)
    return Reply(f"{text}\n\n{help_text(ctx)}", edit=edit)


def command_menu(t: Text) -> list[tuple[str, str]]:
    """The commands everyone has, with descriptions in t's language (Telegram's menu, /help)."""
    return [
        ("start", t._("Start over: consent, language, role")),
        ("topics", t._("Browse all topics")),
        ("pilot", t._("Ask for a personal volunteer pilot")),
        ("volunteer", t._("Register or edit your volunteer profile")),
        ("language", t._("Change the language")),
        ("help", t._("What I can do")),
        ("privacy", t._("How your data is used")),
        ("mydata", t._("Show the data stored about you")),
        ("delete", t._("Delete all your data")),
    ]


def volunteer_menu(t: Text) -> list[tuple[str, str]]:
    return [
        ("requests", t._("Requests offered to you and your pilotages")),
        ("pause", t._("Pause or resume new requests")),
        ("done", t._("End a pilotage")),
    ]


def coordinator_menu(t: Text) -> list[tuple[str, str]]:
    return [
        ("volunteers", t._("Check and approve volunteers")),
        ("match", t._("Assign the waiting requests")),
        ("unanswered", t._("Questions I could not answer")),
        ("reload", t._("Reload the content after a change")),
    ]


def help_text(ctx: Context) -> str:
    lines = [ctx.t._("Write your question as a normal message. Commands:")]
    menu = command_menu(ctx.t)
    if ctx.user is not None and ctx.user.role in (Role.volunteer, Role.coordinator):
        menu += volunteer_menu(ctx.t)
    if ctx.is_coordinator:
        menu += coordinator_menu(ctx.t)
    lines += [f"/{name} – {description}" for name, description in menu]
    return "\n".join(lines)


async def help_(ctx: Context) -> list[Action]:
    return [Reply(help_text(ctx))]


async def switch_role(ctx: Context, argument: str) -> list[Action]:
    """`/as ROLE` in the terminal: try the bot as a volunteer or coordinator."""
    if ctx.user is None:
        return [consent_prompt(ctx)]
    try:
        role = Role(argument.strip().lower())
    except ValueError:
        return [Reply(ctx.t._("Usage: /as newcomer, /as volunteer or /as coordinator"))]
    ctx.user.role = role
    return [Reply(ctx.t._("Your role is now: %(role)s.", role=role_name(ctx, role)))]


def role_name(ctx: Context, role: str | None) -> str:
    t = ctx.t
    names = {
        Role.newcomer: t._("newcomer"),
        Role.volunteer: t._("volunteer"),
        Role.coordinator: t._("coordinator"),
    }
    return names.get(role) or t._("not chosen yet")


def stale_button(ctx: Context) -> list[Action]:
    return [Notice(ctx.t._("This button is no longer active. Send /start to begin again."))]
