"""A running pilotage: the introductions, the anonymous relay between newcomer and pilot,
sharing contact details (only when both agree), /done with feedback, and the check-in.

Names are never stored; the two introduce themselves through the relay. Until both press
"share contact details", phone numbers and e-mail addresses in relayed messages are hidden.
"""

from __future__ import annotations

from handlers.buttons import Checkin, Pilotage, PilotageFeedback
from handlers.context import Context
from handlers.i18n import Text
from handlers.pilots.events import record
from handlers.pilots.terms import area_name, describe, district_name, languages_summary, parse_levels, split
from handlers.questions.answers import hide_contacts, office_referral
from handlers.routes import cancel_row
from handlers.types import Action, Button, Keyboard, Notice, Reply
from models.tables import PilotRequest, RequestStatus, User, Volunteer

RELAY = "relay"  # the text wait for a message to the other side; its value is the request id
MAX_RELAYED = 2000


def pilotage_buttons(t: Text, request_id: int, to_newcomer: bool) -> Keyboard:
    write = t._("✉️ Write to the newcomer") if to_newcomer else t._("✉️ Write to my pilot")
    return (
        (Button(write, str(Pilotage("w", request_id))),),
        (Button(t._("📇 Share contact details"), str(Pilotage("s", request_id))),),
        (Button(t._("🏁 End the pilotage"), str(Pilotage("e", request_id))),),
    )


def _pilot_profile(t: Text, volunteer: Volunteer) -> str:
    levels = parse_levels(volunteer.languages)
    return "\n".join(
        [
            t._("Your pilot speaks: %(languages)s", languages=languages_summary(list(levels))),
            t._("Part of town: %(district)s", district=district_name(t, volunteer.district)),
            t._(
                "Helps with: %(areas)s",
                areas=", ".join(area_name(t, a) for a in split(volunteer.areas)) or "–",
            ),
        ]
    )


async def introductions(ctx: Context, request: PilotRequest, volunteer: Volunteer) -> list[Action]:
    """Both sides learn about each other, without names or numbers, and how to write."""
    rid = request.id or 0
    t = ctx.t
    for_pilot = "\n\n".join(
        [
            t._("🤝 Thank you! You are now the pilot of this newcomer:"),
            describe(t, request, ctx.lang),
            t._(
                "Write your first message through me and introduce yourself. Phone numbers "
                "stay hidden until you both agree to share contact details."
            ),
        ]
    )
    actions: list[Action] = [Reply(for_pilot, pilotage_buttons(t, rid, True), edit=True)]
    newcomer = await ctx.pilots.user_by_id(request.newcomer_id)
    if newcomer is not None:
        tn = ctx.speak(newcomer)
        for_newcomer = "\n\n".join(
            [
                tn._("🤝 Good news: a volunteer pilot has accepted your request!"),
                _pilot_profile(tn, volunteer),
                tn._(
                    "Your pilot will write to you here. You can also write first: press the "
                    "button below. Phone numbers stay hidden until you both agree to share them."
                ),
            ]
        )
        actions += ctx.send(newcomer, for_newcomer, pilotage_buttons(tn, rid, False))
    return actions


async def _party(ctx: Context, request_id: int) -> tuple[PilotRequest | None, str | None]:
    """The running pilotage and the user's side in it ("newcomer" or "volunteer")."""
    if ctx.user is None:
        return None, None
    request = await ctx.pilots.request(request_id)
    if request is None or request.status != RequestStatus.matched:
        return request, None
    if request.newcomer_id == ctx.user.id:
        return request, "newcomer"
    volunteer = await ctx.pilots.volunteer_of(ctx.user.id)
    if volunteer is not None and request.volunteer_id == volunteer.id:
        return request, "volunteer"
    return request, None


async def _other(ctx: Context, request: PilotRequest, side: str) -> User | None:
    """The other side of the pilotage."""
    if side == "volunteer":
        return await ctx.pilots.user_by_id(request.newcomer_id)
    return await ctx.pilots.volunteer_user(request.volunteer_id)


def _not_running(ctx: Context) -> list[Action]:
    return [Notice(ctx.t._("This pilotage is not running any more."))]


async def button(ctx: Context, pressed: Pilotage) -> list[Action]:
    action = pressed.action
    request, side = await _party(ctx, pressed.request)
    if request is None or side is None:
        return _not_running(ctx)
    if action == "w":
        ctx.await_text(RELAY, str(request.id))
        return [Reply(ctx.t._("Write your message now; I will pass it on."), (cancel_row(ctx.t),))]
    if action == "s":
        return await _share(ctx, request, side)
    if action == "e":
        question = ctx.t._("Do you want to end this pilotage? Both of you will be asked for a short feedback.")
        keyboard = (
            (
                Button(ctx.t._("Yes, end it"), str(Pilotage("E", request.id or 0))),
                Button(ctx.t._("No, continue"), str(Pilotage("k", request.id or 0))),
            ),
        )
        return [Reply(question, keyboard)]
    if action == "E":
        return await _end(ctx, request, side)
    if action == "k":
        return [Reply(ctx.t._("Good, the pilotage continues."), edit=True)]
    return _not_running(ctx)


async def relay(ctx: Context, request_id: str, text: str) -> list[Action]:
    """The text the user wrote after pressing "write": pass it to the other side."""
    request, side = await _party(ctx, int(request_id)) if request_id.isdigit() else (None, None)
    ctx.clear_awaiting()
    if request is None or side is None:
        return [Reply(ctx.t._("This pilotage is not running any more, so I did not pass your message on."))]
    other = await _other(ctx, request, side)
    if other is None or not other.active:
        return [Reply(ctx.t._("I could not deliver your message: the other person cannot be reached."))]
    body = text.strip()[:MAX_RELAYED]
    shared = request.newcomer_shares and request.volunteer_shares
    if not shared:
        body = hide_contacts(body)
    t = ctx.speak(other)
    heading = t._("✉️ Message from your pilot:") if side == "volunteer" else t._("✉️ Message from the newcomer:")
    answer = t._("↩️ Answer")
    again = str(Pilotage("w", request.id or 0))
    sent = [Reply(ctx.t._("✓ Sent."), ((Button(ctx.t._("✉️ Write again"), again),),))]
    if body != text.strip()[:MAX_RELAYED]:
        sent.insert(
            0,
            Reply(
                ctx.t._(
                    "Phone numbers and e-mail addresses were hidden, because you have not both "
                    "agreed to share contact details."
                )
            ),
        )
    relayed = ctx.send(other, f"{heading}\n\n{body}", ((Button(answer, again),),), kind="relay", relay=True)
    return [*sent, *relayed]


async def _share(ctx: Context, request: PilotRequest, side: str) -> list[Action]:
    if side == "newcomer":
        request.newcomer_shares = True
    else:
        request.volunteer_shares = True
    other = await _other(ctx, request, side)
    if request.newcomer_shares and request.volunteer_shares:
        done = [
            Reply(ctx.t._("You both agreed: phone numbers and e-mail addresses in your messages are now passed on."))
        ]
        if other is not None:
            t = ctx.speak(other)
            done += ctx.send(
                other, t._("You both agreed: phone numbers and e-mail addresses in your messages are now passed on.")
            )
        return done
    actions: list[Action] = [
        Reply(ctx.t._("Noted. As soon as the other side agrees too, phone numbers and e-mail addresses are passed on."))
    ]
    if other is not None:
        t = ctx.speak(other)
        ask = t._("The other side would like to exchange contact details (phone number, e-mail). Do you agree?")
        actions += ctx.send(
            other, ask, ((Button(t._("📇 Share contact details"), str(Pilotage("s", request.id or 0))),),)
        )
    return actions


def feedback_buttons(t: Text, request_id: int) -> Keyboard:
    return (
        (
            Button("👍 " + t._("Good"), str(PilotageFeedback(request_id, "good"))),
            Button("😐 " + t._("Okay"), str(PilotageFeedback(request_id, "ok"))),
            Button("👎 " + t._("Not good"), str(PilotageFeedback(request_id, "bad"))),
        ),
    )


async def _end(ctx: Context, request: PilotRequest, side: str) -> list[Action]:
    other_side = await _other(ctx, request, side)
    if not await ctx.pilots.end_request(request.id or 0, ctx.now):  # both pressed at once: one ends it
        return _not_running(ctx)
    await record(ctx, request, "completed")
    question = ctx.t._("The pilotage has ended. How was it for you?")
    actions: list[Action] = [Reply(question, feedback_buttons(ctx.t, request.id or 0), edit=True)]
    if other_side is not None:
        t = ctx.speak(other_side)
        text = t._("Your pilotage has been ended. Thank you! How was it for you?")
        actions += ctx.send(other_side, text, feedback_buttons(t, request.id or 0))
    return actions


async def feedback(ctx: Context, pressed: PilotageFeedback) -> list[Action]:
    rating = pressed.rating
    if ctx.user is None:
        return [Notice(ctx.t._("This button is no longer active."))]
    request = await ctx.pilots.request(pressed.request)
    volunteer = await ctx.pilots.volunteer_of(ctx.user.id or 0)
    if request is None or request.status != RequestStatus.done:
        return [Notice(ctx.t._("This button is no longer active."))]
    if request.newcomer_id == ctx.user.id:
        side = "newcomer"
    elif volunteer is not None and request.volunteer_id == volunteer.id:
        side = "volunteer"
    else:
        return [Notice(ctx.t._("This button is no longer active."))]
    await record(ctx, request, "feedback", f"{side}:{rating}")
    return [Reply(ctx.t._("Thank you for your feedback!"), edit=True)]


async def done_command(ctx: Context) -> list[Action]:
    """/done: end a running pilotage (the volunteer may have several)."""
    if ctx.user is None:
        return [Reply(ctx.t._("Please send /start first."))]
    running: list[PilotRequest] = []
    volunteer = await ctx.pilots.volunteer_of(ctx.user.id or 0)
    if volunteer is not None:
        running += await ctx.pilots.pilotages(volunteer.id or 0)
    mine = await ctx.pilots.current_request(ctx.user.id or 0)
    if mine is not None and mine.status == RequestStatus.matched:
        running.append(mine)
    if not running:
        return [Reply(ctx.t._("You have no running pilotage."))]
    t = ctx.t
    keyboard = tuple(
        (Button(t._("🏁 End pilotage %(number)d", number=i), str(Pilotage("e", r.id or 0))),)
        for i, r in enumerate(running, 1)
    )
    lines = [t._("Which pilotage do you want to end?")]
    for i, request in enumerate(running, 1):
        summary = ", ".join(area_name(t, a) for a in split(request.areas)) or "–"
        lines.append(f"{i}. {languages_summary(split(request.languages))} · {summary}")
    return [Reply("\n".join(lines), keyboard)]


async def checkins_due(ctx: Context) -> list[Action]:
    """The scheduler's round: ask volunteers how their pilotage goes, once, after checkin_days."""
    actions: list[Action] = []
    for request in await ctx.pilots.due_checkins(ctx.now):
        if not await ctx.pilots.claim_checkin(request.id or 0):
            continue
        user = await ctx.pilots.volunteer_user(request.volunteer_id)
        if user is None:
            continue
        t = ctx.speak(user)
        text = t.n_(
            "You have been accompanying a newcomer for %(n)d day. How is it going?",
            "You have been accompanying a newcomer for %(n)d days. How is it going?",
            ctx.policy.checkin_days,
        )
        keyboard = (
            (Button("👍 " + t._("All good"), str(Checkin(request.id or 0, "ok"))),),
            (Button("🙋 " + t._("I would like support from the office"), str(Checkin(request.id or 0, "help"))),),
        )
        actions += ctx.send(user, text, keyboard, kind="checkin")
    return actions


async def checkin_answer(ctx: Context, pressed: Checkin) -> list[Action]:
    answer = pressed.answer
    request, side = await _party(ctx, pressed.request)
    if request is None or side != "volunteer":
        return _not_running(ctx)
    await record(ctx, request, "checkin", answer)
    if answer == "ok":
        return [Reply(ctx.t._("Wonderful, thank you for your commitment!"), edit=True)]
    actions: list[Action] = [Reply(office_referral(ctx.t, ctx.region), edit=True)]
    for coordinator in await ctx.pilots.coordinators():
        t = ctx.speak(coordinator)
        text = t._("🙋 A volunteer pilot asked for support from the office. Their pilotage:")
        actions += ctx.send(coordinator, f"{text}\n\n{describe(t, request, coordinator.language or 'en')}")
    return actions
