"""/privacy, /mydata and /delete: what is stored, and the right to have it erased."""

from __future__ import annotations

from content.languages import LANGUAGES
from handlers.buttons import DeleteAccount
from handlers.context import Context
from handlers.dates import date_time, long_date
from handlers.onboarding.start import privacy_text, role_name
from handlers.pilots import describe, farewell, profile_text
from handlers.types import Action, Button, Reply
from models.tables import RequestStatus


async def privacy(ctx: Context) -> list[Action]:
    return [Reply(privacy_text(ctx))]


async def my_data(ctx: Context) -> list[Action]:
    user = ctx.user
    if user is None:
        return [Reply(ctx.t._("I have stored nothing about you."))]
    tz, lang = ctx.policy.timezone, ctx.lang
    text = ctx.t._(
        "This is what I store about you:\nTelegram ID: %(telegram_id)s\nLanguage: %(language)s\n"
        "Role: %(role)s\nConsent given: %(consent)s\nLast active: %(last_seen)s",
        telegram_id=str(user.telegram_id),
        language=LANGUAGES[ctx.lang].native_name,
        role=role_name(ctx, user.role),
        consent=date_time(user.consent_at, lang, tz),
        last_seen=long_date(user.last_seen_at.date(), lang),
    )
    volunteer = await ctx.pilots.volunteer_of(user.id or 0)
    if volunteer is not None:
        text += "\n\n" + profile_text(ctx.t, volunteer, lang)
    request = await ctx.pilots.current_request(user.id or 0)
    if request is not None and request.status != RequestStatus.draft:
        text += "\n\n" + ctx.t._("Your request for a pilot:") + "\n" + describe(ctx.t, request, lang)
    return [Reply(text)]


async def delete_request(ctx: Context) -> list[Action]:
    if ctx.user is None:
        return [Reply(ctx.t._("I have stored nothing about you."))]
    question = ctx.t._("Do you really want to delete all your data? This cannot be undone.")
    keys = (
        (
            Button(ctx.t._("Yes, delete everything"), str(DeleteAccount("yes"))),
            Button(ctx.t._("Cancel"), str(DeleteAccount("no"))),
        ),
    )
    return [Reply(question, keys)]


async def delete_answer(ctx: Context, pressed: DeleteAccount) -> list[Action]:
    if pressed.answer == "no":
        return [Reply(ctx.t._("Nothing was deleted."), edit=True)]
    told = await erase(ctx)
    text = ctx.t._("Your data has been deleted. Goodbye! Send /start if you want to use lotse again.")
    return [Reply(text, edit=True), *told]


async def erase(ctx: Context) -> list[Action]:
    """Delete ``ctx.user`` and everything stored about them, after the other side of their
    pilot requests, offers and pilotages has been looked after and told. The one way a user is
    deleted: /delete and the retention purge both come here."""
    if ctx.user is None:
        return []
    told = await farewell(ctx)
    await ctx.repo.delete_user(ctx.user)
    ctx.user = None
    return told
