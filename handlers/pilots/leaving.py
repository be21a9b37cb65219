"""When someone leaves the pilot programme: a volunteer deactivated, deleted or unreachable, a
newcomer deleted, a request withdrawn. Their offers move on and the other side is told."""

from __future__ import annotations

from handlers.context import Context
from handlers.pilots.events import record
from handlers.pilots.offers import find_pilot
from handlers.types import Action
from models.tables import OfferStatus, PilotRequest, RequestStatus, Volunteer


async def offers_move_on(ctx: Context, volunteer: Volunteer) -> list[Action]:
    """The volunteer's open offers are withdrawn and go to the next candidate."""
    actions: list[Action] = []
    for offer, _ in await ctx.pilots.pending_offers(volunteer.id or 0):
        request = await ctx.pilots.lock_request(offer.request_id)
        if request is None:
            continue
        await ctx.pilots.settle_offer(offer.id or 0, OfferStatus.withdrawn, ctx.now, unexpired=False)
        actions += await find_pilot(ctx, request)
    return actions


async def unreachable(ctx: Context) -> list[Action]:
    """Telegram refuses messages to ``ctx.user``: offers to them move on at once. Running
    pilotages stay (blocking may be undone); the other side learns it when writing."""
    volunteer = await ctx.pilots.volunteer_of(ctx.user.id or 0) if ctx.user else None
    return await offers_move_on(ctx, volunteer) if volunteer is not None else []


async def move_on(ctx: Context, volunteer: Volunteer) -> list[Action]:
    """Before a volunteer's profile goes (account deleted, deactivated): their open offers move
    to the next candidate, and their newcomers are told and looked after again."""
    actions = await offers_move_on(ctx, volunteer)
    for request in await ctx.pilots.pilotages(volunteer.id or 0):
        request.status, request.volunteer_id, request.checkin_at = RequestStatus.waiting, None, None
        await record(ctx, request, "ended", "volunteer-left")
        newcomer = await ctx.pilots.user_by_id(request.newcomer_id)
        if newcomer is not None:
            t = ctx.speak(newcomer)
            actions += ctx.send(
                newcomer, t._("Your pilot can no longer accompany you. We are looking for a new pilot for you.")
            )
        actions += await find_pilot(ctx, request)
    return actions


async def withdraw_offers(ctx: Context, request: PilotRequest) -> list[Action]:
    """The request is withdrawn: its open offers close and their holders are told."""
    actions: list[Action] = []
    for offer in await ctx.pilots.close_offers(request.id or 0, OfferStatus.withdrawn, ctx.now):
        user = await ctx.pilots.volunteer_user(offer.volunteer_id)
        if user is not None:
            actions += ctx.send(user, ctx.speak(user)._("The newcomer has withdrawn this request."))
    return actions


async def farewell(ctx: Context) -> list[Action]:
    """Before a user's data is deleted: their offers move on, and the other side of their
    requests and pilotages is told."""
    assert ctx.user is not None
    actions: list[Action] = []
    volunteer = await ctx.pilots.volunteer_of(ctx.user.id or 0)
    if volunteer is not None:
        actions += await move_on(ctx, volunteer)
    request = await ctx.pilots.current_request(ctx.user.id or 0)
    if request is None or request.status == RequestStatus.draft:
        return actions
    if request.status == RequestStatus.matched:
        await record(ctx, request, "completed", "newcomer-left")
        pilot = await ctx.pilots.volunteer_user(request.volunteer_id)
        if pilot is not None:
            t = ctx.speak(pilot)
            text = t._("The newcomer you accompany has left lotse, so the pilotage has ended. Thank you!")
            actions += ctx.send(pilot, text)
        return actions
    await record(ctx, request, "cancelled", "newcomer-left")
    return actions + await withdraw_offers(ctx, request)
