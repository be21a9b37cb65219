"""Offering a pilot request to volunteers: the online path, accept / decline, the deadline,
escalation to the coordinators, and the pseudonymous events the statistics count.

Lock order: whatever changes a request's offers locks the request row first
(``PilotRepo.lock_request``), so two of these never wait on each other crosswise.
"""

from __future__ import annotations

from datetime import timedelta

from handlers.buttons import OfferAnswer
from handlers.context import Context
from handlers.dates import date_time
from handlers.i18n import Text
from handlers.pilots.events import record
from handlers.pilots.pilotage import introductions
from handlers.pilots.terms import describe, parse_levels, split
from handlers.types import Action, Button, Notice, Reply
from matching import Helper, Need, rank
from models.tables import Offer, OfferStatus, PilotRequest, RequestStatus, User, Volunteer


def need_of(request: PilotRequest, ctx: Context) -> Need:
    waited = ctx.now - (request.submitted_at or request.created_at)
    return Need(
        id=request.id or 0,
        languages=frozenset(split(request.languages)),
        areas=frozenset(split(request.areas)),
        district=request.district,
        times=request.times,
        wants_woman=request.wants_woman,
        waiting_days=waited.total_seconds() / 86400,
    )


def helper_of(volunteer: Volunteer, load: int) -> Helper:
    return Helper(
        id=volunteer.id or 0,
        languages=parse_levels(volunteer.languages),
        areas=frozenset(split(volunteer.areas)),
        district=volunteer.district,
        times=volunteer.times,
        woman=volunteer.woman,
        capacity=volunteer.capacity,
        load=load,
    )


def offer_buttons(t: Text, offer: Offer) -> tuple[tuple[Button, ...], ...]:
    return (
        (
            Button("✅ " + t._("Accept"), str(OfferAnswer("a", offer.id or 0))),
            Button("✖️ " + t._("Decline"), str(OfferAnswer("d", offer.id or 0))),
        ),
    )


async def offer_message(ctx: Context, volunteer_user: User, request: PilotRequest, offer: Offer) -> list[Action]:
    t, lang = ctx.speak(volunteer_user), volunteer_user.language or "en"
    text = "\n\n".join(
        [
            t._("🧭 A newcomer is looking for a pilot and you fit well:"),
            describe(t, request, lang),
            t._(
                "Would you accompany this person? Please answer by %(deadline)s; after that "
                "the request goes to someone else.",
                deadline=date_time(offer.expires_at, lang, ctx.policy.timezone),
            ),
        ]
    )
    return ctx.send(volunteer_user, text, offer_buttons(t, offer), kind="offer")


async def make_offer(ctx: Context, request: PilotRequest, volunteer: Volunteer) -> list[Action]:
    expires = ctx.now + timedelta(hours=ctx.policy.offer_hours)
    offer = await ctx.pilots.add_offer(request.id or 0, volunteer.id or 0, ctx.now, expires)
    await record(ctx, request, "offered")
    user = await ctx.pilots.volunteer_user(volunteer.id)
    return await offer_message(ctx, user, request, offer) if user else []


async def find_pilot(ctx: Context, request: PilotRequest) -> list[Action]:
    """Offer the request to the best fitting volunteer not asked yet; escalate when none is left."""
    asked = await ctx.pilots.asked_volunteers(request.id or 0)
    pool = {
        volunteer.id: (volunteer, helper_of(volunteer, load))
        for volunteer, load in await ctx.pilots.available_volunteers()
    }
    ranked = rank(need_of(request, ctx), [helper for _, helper in pool.values()], exclude=asked)
    if not ranked:
        return await escalate(ctx, request)
    return await make_offer(ctx, request, pool[ranked[0].id][0])


async def escalate(ctx: Context, request: PilotRequest) -> list[Action]:
    """Nobody fitting is left: the coordinators take over; the newcomer is told honestly."""
    if request.status == RequestStatus.escalated:
        return []
    request.status = RequestStatus.escalated
    await record(ctx, request, "escalated")
    actions: list[Action] = []
    for coordinator in await ctx.pilots.coordinators():
        t = ctx.speak(coordinator)
        text = t._(
            "📋 No volunteer fits this pilot request right now. Please find someone, "
            "or assign it with /match when new volunteers are approved."
        )
        actions += ctx.send(coordinator, f"{text}\n\n{describe(t, request, coordinator.language or 'en')}")
    newcomer = await ctx.pilots.user_by_id(request.newcomer_id)
    if newcomer is not None:
        t = ctx.speak(newcomer)
        text = t._(
            "We have not found a fitting pilot yet. The integration office now looks for "
            "one personally. Your request stays active; you can see it with /pilot."
        )
        actions += ctx.send(newcomer, text)
    return actions


async def _my_offer(ctx: Context, offer_id: int) -> tuple[Offer | None, Volunteer | None]:
    volunteer = await ctx.pilots.volunteer_of(ctx.user.id) if ctx.user else None
    offer = await ctx.pilots.offer(offer_id)
    if offer is None or volunteer is None or offer.volunteer_id != volunteer.id:
        return None, volunteer
    return offer, volunteer


def _closed(t: Text, offer: Offer, ctx: Context) -> str:
    """Why a pressed offer button changes nothing."""
    status = offer.status
    if status == OfferStatus.pending and offer.expires_at <= ctx.now:
        status = OfferStatus.expired
    return {
        OfferStatus.accepted: t._("You have already accepted this request."),
        OfferStatus.declined: t._("You have declined this request."),
        OfferStatus.expired: t._("This offer has expired and went to another volunteer. Thank you all the same!"),
        OfferStatus.taken: t._("Another volunteer has already taken this request. Thank you all the same!"),
        OfferStatus.withdrawn: t._("The newcomer has withdrawn this request."),
    }.get(status, t._("This offer is no longer open."))


async def answer(ctx: Context, pressed: OfferAnswer) -> list[Action]:
    """A press on accept or decline."""
    choice = pressed.choice
    offer, volunteer = await _my_offer(ctx, pressed.offer)
    if offer is None or volunteer is None:
        return [Notice(ctx.t._("This request was not offered to you."))]
    request = await ctx.pilots.lock_request(offer.request_id)
    offer = await ctx.pilots.offer(offer.id or 0)
    if request is None or offer is None:
        return [Reply(ctx.t._("The newcomer has withdrawn this request."), edit=True)]
    if offer.status != OfferStatus.pending or offer.expires_at <= ctx.now:
        return [Reply(_closed(ctx.t, offer, ctx), edit=True)]
    if choice == "d":
        return await _decline(ctx, offer, request)
    return await _accept(ctx, offer, request, volunteer)


async def _decline(ctx: Context, offer: Offer, request: PilotRequest) -> list[Action]:
    await ctx.pilots.settle_offer(offer.id or 0, OfferStatus.declined, ctx.now, unexpired=False)
    await record(ctx, request, "declined")
    reply = Reply(ctx.t._("Thank you for telling us. The request goes to another volunteer."), edit=True)
    return [reply, *await find_pilot(ctx, request)]


async def _accept(ctx: Context, offer: Offer, request: PilotRequest, volunteer: Volunteer) -> list[Action]:
    checkin = ctx.now + timedelta(days=ctx.policy.checkin_days)
    if not await ctx.pilots.claim_request(offer, ctx.now, checkin):
        await ctx.pilots.settle_offer(offer.id or 0, OfferStatus.taken, ctx.now, unexpired=False)
        fresh = await ctx.pilots.offer(offer.id or 0)
        return [Reply(_closed(ctx.t, fresh or offer, ctx), edit=True)]
    if not await ctx.pilots.settle_offer(offer.id or 0, OfferStatus.accepted, ctx.now, unexpired=False):
        raise RuntimeError("offer changed under a claimed request")  # cannot happen: the claim checked it
    await record(ctx, request, "accepted")
    request = await ctx.pilots.request(request.id or 0) or request
    actions: list[Action] = []
    for other in await ctx.pilots.close_offers(request.id or 0, OfferStatus.taken, ctx.now):
        user = await ctx.pilots.volunteer_user(other.volunteer_id)
        if user is not None:
            actions += ctx.send(user, _closed(ctx.speak(user), other, ctx))
    return [*await introductions(ctx, request, volunteer), *actions]


async def expire_due(ctx: Context) -> list[Action]:
    """The scheduler's round: offers past their deadline time out and the request moves on."""
    actions: list[Action] = []
    for due in await ctx.pilots.due_offers(ctx.now):
        request = await ctx.pilots.lock_request(due.request_id)
        if request is None or not await ctx.pilots.settle_offer(
            due.id or 0, OfferStatus.expired, ctx.now, unexpired=False
        ):
            continue  # answered or handled by another instance meanwhile
        await record(ctx, request, "timed_out")
        user = await ctx.pilots.volunteer_user(due.volunteer_id)
        if user is not None:
            t = ctx.speak(user)
            actions += ctx.send(user, t._("A pilot request offered to you has expired and went to another volunteer."))
        if request.status in (RequestStatus.waiting, RequestStatus.escalated):
            actions += await find_pilot(ctx, request)
    return actions


async def tick(ctx: Context) -> list[Action]:
    """The scheduler's round: offers past their deadline move on, waiting requests nobody is
    being asked about get an offer."""
    actions = await expire_due(ctx)
    for request in await ctx.pilots.orphans():
        locked = await ctx.pilots.lock_request(request.id or 0)
        if locked is not None and not await ctx.pilots.has_pending_offer(locked.id or 0):
            actions += await find_pilot(ctx, locked)
    return actions
