"""/pilot: a newcomer asks for a personal volunteer pilot with a short button form, sees
the request's status, and can withdraw it.

The form's draft is the request row itself (status ``draft``); every button carries the
request id, so a button of an old form changes nothing.
"""

from __future__ import annotations

from content.languages import LANGUAGES
from handlers.buttons import PilotForm
from handlers.context import Context
from handlers.dates import long_date
from handlers.pilots import form_keys as forms
from handlers.pilots.events import record
from handlers.pilots.leaving import withdraw_offers
from handlers.pilots.offers import find_pilot
from handlers.pilots.pilotage import pilotage_buttons
from handlers.pilots.terms import AREAS, DISTRICTS, WEEK_SLOTS, describe, split, toggle
from handlers.questions.answers import masked
from handlers.types import Action, Button, Notice, Reply
from models.tables import PilotRequest, RequestStatus

NOTE = "pilot-note"  # the text wait for the form's free note; its value is the request id
STEPS = ("lang", "area", "dist", "time", "pref", "note", "review")


async def pilot(ctx: Context) -> list[Action]:
    if ctx.user is None:
        return [Reply(ctx.t._("Please send /start first."))]
    request = await ctx.pilots.current_request(ctx.user.id or 0)
    if request is None:
        request = await ctx.pilots.add_request(
            PilotRequest(
                newcomer_id=ctx.user.id or 0,
                region=ctx.region.id,
                language=ctx.lang,
                languages=ctx.lang,
                created_at=ctx.now,
            )
        )
        intro = ctx.t._(
            "A pilot is a trained volunteer (in German: “Integrationslotse”) who accompanies "
            "you for some months, for example to offices, the Kita or the Jobcenter. It is free. "
            "Please answer a few short questions."
        )
        return [Reply(intro), step(ctx, request, "lang")]
    if request.status == RequestStatus.draft:
        return [step(ctx, request, "lang")]
    return [status(ctx, request)]


def status(ctx: Context, request: PilotRequest) -> Reply:
    t = ctx.t
    since = long_date((request.submitted_at or request.created_at).date(), ctx.lang)
    if request.status == RequestStatus.matched:
        started = long_date((request.matched_at or ctx.now).date(), ctx.lang)
        text = t._("A pilot has accompanied you since %(date)s.", date=started)
        return Reply(text, pilotage_buttons(t, request.id or 0, False))
    text = t._(
        "Your request from %(date)s is active. We are looking for a fitting pilot and will write to you here.",
        date=since,
    )
    text += "\n\n" + describe(t, request, ctx.lang)
    return Reply(
        text, ((Button("✖️ " + t._("Withdraw my request"), str(PilotForm(request.id or 0, "cancel", "ask"))),),)
    )


def step(ctx: Context, request: PilotRequest, name: str, edit: bool = False) -> Reply:
    t, rid = ctx.t, request.id or 0

    def key(field: str, value: str = "") -> str:
        return str(PilotForm(rid, field, value))  # type: ignore[arg-type]

    following = STEPS[STEPS.index(name) + 1] if name != "review" else "review"
    if name == "lang":
        chosen = {code: 1 for code in split(request.languages)}
        text = t._("Which languages do you speak? Tap all that apply.")
        keys = forms.keyboard(
            forms.language_toggles(lambda v: key("lang", v), chosen, False), forms.next_row(t, key("go", following))
        )
    elif name == "area":
        text = t._("What would you like help with? Tap all that apply.")
        keys = forms.keyboard(
            forms.area_toggles(t, lambda v: key("area", v), split(request.areas)),
            forms.next_row(t, key("go", following)),
        )
    elif name == "dist":
        text = t._("In which part of town do you live?")
        keys = forms.keyboard(forms.district_choice(t, lambda v: key("dist", v), request.district))
    elif name == "time":
        text = (
            t._("When can you meet? Tap all times that suit you, or choose “any time”.") + "\n" + forms.week_legend(t)
        )
        keys = forms.keyboard(
            forms.week_grid(t, ctx.lang, lambda v: key("time", v), request.times, key("go", following))
        )
    elif name == "pref":
        text = t._("Do you have a wish for your pilot?")
        keys = (
            (Button(forms.tick(not request.wants_woman, t._("No special wish")), key("pref", "none")),),
            (Button(forms.tick(request.wants_woman, t._("A woman as pilot")), key("pref", "woman")),),
        )
    elif name == "note":
        text = t._(
            "Is there anything else your pilot should know? Write a short message, or skip. "
            "Please do not write your phone number; you can exchange it later."
        )
        keys = ((Button(t._("Skip"), key("go", "review")),),)
    else:
        text = t._("Please check your request:") + "\n\n" + describe(t, request, ctx.lang)
        keys = (
            (Button("📨 " + t._("Send the request"), key("send")),),
            (Button("✏️ " + t._("Change"), key("go", "lang")), Button("✖️ " + t._("Cancel"), key("cancel", "yes"))),
        )
    return Reply(text, keys, edit=edit)


async def button(ctx: Context, pressed: PilotForm) -> list[Action]:
    """A press in the form."""
    field, choice = pressed.field, pressed.value
    request = await ctx.pilots.request(pressed.request)
    if request is None or ctx.user is None or request.newcomer_id != ctx.user.id:
        return [Notice(ctx.t._("This form is no longer active. Send /pilot to start again."))]
    if field == "cancel":
        return await _cancel(ctx, request, choice)
    if request.status != RequestStatus.draft:
        return [Notice(ctx.t._("This request has already been sent. Send /pilot to see its status."))]
    if field == "lang" and choice in LANGUAGES:
        updated = toggle(request.languages, choice)
        request.languages = updated or request.languages  # at least one language stays
        return [step(ctx, request, "lang", edit=True)]
    if field == "area" and choice in AREAS:
        request.areas = toggle(request.areas, choice)
        return [step(ctx, request, "area", edit=True)]
    if field == "dist" and (choice in DISTRICTS or choice == "any"):
        request.district = None if choice == "any" else choice
        return [step(ctx, request, "time", edit=True)]
    if field == "time":
        if choice == "any":
            request.times = 0
        elif choice.isdigit() and int(choice) < WEEK_SLOTS:
            request.times ^= 1 << int(choice)
        return [step(ctx, request, "time", edit=True)]
    if field == "pref" and choice in ("none", "woman"):
        request.wants_woman = choice == "woman"
        return await _goto(ctx, request, "note")
    if field == "go" and choice in STEPS:
        return await _goto(ctx, request, choice)
    if field == "send":
        return await _submit(ctx, request)
    return [Notice(ctx.t._("This form is no longer active. Send /pilot to start again."))]


async def _goto(ctx: Context, request: PilotRequest, name: str) -> list[Action]:
    assert ctx.user is not None
    if name == "note":
        ctx.await_text(NOTE, str(request.id))
    else:
        ctx.clear_awaiting()
    return [step(ctx, request, name, edit=True)]


async def note(ctx: Context, request_id: str, text: str) -> list[Action]:
    """The free note, written as a message while the form waits for it."""
    assert ctx.user is not None
    ctx.clear_awaiting()
    request = await ctx.pilots.request(int(request_id)) if request_id.isdigit() else None
    if request is None or request.newcomer_id != ctx.user.id or request.status != RequestStatus.draft:
        return []
    request.note = masked(text) or None
    return [step(ctx, request, "review")]


async def _submit(ctx: Context, request: PilotRequest) -> list[Action]:
    request.status, request.submitted_at = RequestStatus.waiting, ctx.now
    await record(ctx, request, "requested")
    text = ctx.t._(
        "Thank you! Your request has been sent. As soon as a volunteer pilot accepts, I will "
        "introduce you here. This can take a few days. Send /pilot to see the status."
    )
    return [Reply(text, edit=True), *await find_pilot(ctx, request)]


async def _cancel(ctx: Context, request: PilotRequest, choice: str) -> list[Action]:
    t = ctx.t
    if request.status in (RequestStatus.done, RequestStatus.cancelled, RequestStatus.matched):
        return [Notice(t._("This request cannot be withdrawn any more."))]
    if choice == "ask":
        keys = (
            (
                Button(t._("Yes, withdraw"), str(PilotForm(request.id or 0, "cancel", "yes"))),
                Button(t._("No, keep it"), str(PilotForm(request.id or 0, "cancel", "no"))),
            ),
        )
        return [Reply(t._("Do you really want to withdraw your request for a pilot?"), keys, edit=True)]
    if choice == "no":
        return [status(ctx, request)]
    locked = await ctx.pilots.lock_request(request.id or 0)
    if locked is None or locked.status not in (RequestStatus.draft, RequestStatus.waiting, RequestStatus.escalated):
        return [Notice(t._("This request cannot be withdrawn any more."))]
    was_draft = locked.status == RequestStatus.draft
    locked.status, locked.ended_at = RequestStatus.cancelled, ctx.now
    ctx.clear_awaiting()
    actions: list[Action] = [
        Reply(t._("Your request has been withdrawn. You can ask again any time with /pilot."), edit=True)
    ]
    if was_draft:
        return actions
    await record(ctx, locked, "cancelled")
    return actions + await withdraw_offers(ctx, locked)
