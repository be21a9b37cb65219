"""SQL for volunteer pilots: profiles, requests, offers and events.

The two state changes that can race are single conditional UPDATEs, so the database decides
who wins: an offer leaves ``pending`` once, and a request is matched once.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import and_, func, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from models.tables import (
    OPEN_REQUEST,
    Offer,
    OfferStatus,
    PilotEvent,
    PilotRequest,
    RequestStatus,
    Role,
    User,
    Volunteer,
    VolunteerStatus,
)


class PilotRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # --- people -----------------------------------------------------------------------
    async def user_by_id(self, user_id: int) -> User | None:
        return await self.session.get(User, user_id)

    async def coordinators(self) -> list[User]:
        result = await self.session.exec(select(User).where(User.role == Role.coordinator, col(User.active)))
        return list(result.all())

    async def volunteer_of(self, user_id: int) -> Volunteer | None:
        result = await self.session.exec(select(Volunteer).where(Volunteer.user_id == user_id))
        return result.first()

    async def volunteer(self, volunteer_id: int) -> Volunteer | None:
        return await self.session.get(Volunteer, volunteer_id)

    async def volunteer_user(self, volunteer_id: int | None) -> User | None:
        """The user behind a volunteer profile, to write to them."""
        result = await self.session.exec(
            select(User).join(Volunteer, col(Volunteer.user_id) == User.id).where(Volunteer.id == volunteer_id)
        )
        return result.first()

    async def add_volunteer(self, user_id: int, now: datetime) -> Volunteer:
        volunteer = Volunteer(user_id=user_id, status_changed_at=now)
        self.session.add(volunteer)
        await self.session.flush()
        return volunteer

    async def volunteers(self, statuses: Sequence[str], limit: int, offset: int = 0) -> list[Volunteer]:
        """For vetting: pending first, then by status, oldest change first."""
        pending_first = (Volunteer.status != VolunteerStatus.pending).label("rank")  # type: ignore[union-attr]
        result = await self.session.exec(
            select(Volunteer)
            .where(col(Volunteer.status).in_(statuses))
            .order_by(pending_first, Volunteer.status, Volunteer.status_changed_at, Volunteer.id)
            .offset(offset)
            .limit(limit)
        )
        return list(result.all())

    async def count_volunteers(self, statuses: Sequence[str]) -> int:
        result = await self.session.exec(
            select(func.count()).select_from(Volunteer).where(col(Volunteer.status).in_(statuses))
        )
        return result.one()

    async def available_volunteers(self) -> list[tuple[Volunteer, int]]:
        """Approved, not paused, reachable volunteers with their load (pilotages + open offers)."""
        pilotages = (
            select(func.count())
            .where(PilotRequest.volunteer_id == Volunteer.id, PilotRequest.status == RequestStatus.matched)
            .scalar_subquery()
        )
        offers = (
            select(func.count())
            .where(Offer.volunteer_id == Volunteer.id, Offer.status == OfferStatus.pending)
            .scalar_subquery()
        )
        result = await self.session.exec(
            select(Volunteer, pilotages + offers)  # type: ignore[call-overload]
            .join(User, col(User.id) == Volunteer.user_id)
            .where(Volunteer.status == VolunteerStatus.approved, ~col(Volunteer.paused), col(User.active))
            .order_by(Volunteer.id)
        )
        return [(volunteer, int(load)) for volunteer, load in result.all()]

    # --- requests ---------------------------------------------------------------------
    async def request(self, request_id: int) -> PilotRequest | None:
        return await self.session.get(PilotRequest, request_id, populate_existing=True)

    async def lock_request(self, request_id: int) -> PilotRequest | None:
        """The request, fresh, with its row locked until commit (PostgreSQL; SQLite runs one
        writer at a time anyway). Everything that changes a request's offers takes this lock
        first, so that such changes never wait on each other in opposite orders."""
        result = await self.session.exec(
            select(PilotRequest)
            .where(PilotRequest.id == request_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
        return result.first()

    async def current_request(self, newcomer_id: int) -> PilotRequest | None:
        """The newcomer's request that is not over yet (a draft, waiting, or a running pilotage)."""
        result = await self.session.exec(
            select(PilotRequest)
            .where(PilotRequest.newcomer_id == newcomer_id)
            .where(col(PilotRequest.status).not_in((RequestStatus.done, RequestStatus.cancelled)))
            .order_by(col(PilotRequest.id).desc())
        )
        return result.first()

    async def add_request(self, request: PilotRequest) -> PilotRequest:
        self.session.add(request)
        await self.session.flush()
        return request

    async def pilotages(self, volunteer_id: int) -> list[PilotRequest]:
        result = await self.session.exec(
            select(PilotRequest)
            .where(PilotRequest.volunteer_id == volunteer_id, PilotRequest.status == RequestStatus.matched)
            .order_by(PilotRequest.matched_at)
        )
        return list(result.all())

    async def backlog(self) -> list[PilotRequest]:
        """Waiting and escalated requests that no volunteer is currently being asked about."""
        pending = select(Offer.id).where(Offer.request_id == PilotRequest.id, Offer.status == OfferStatus.pending)
        result = await self.session.exec(
            select(PilotRequest)
            .where(col(PilotRequest.status).in_(OPEN_REQUEST), ~pending.exists())
            .order_by(PilotRequest.submitted_at, PilotRequest.id)
        )
        return list(result.all())

    async def claim_request(self, offer: Offer, now: datetime, checkin: datetime) -> bool:
        """Match the offer's request to its volunteer, in one statement, only while the request
        is open and the offer still pending and unexpired: of two volunteers accepting at once,
        exactly one gets rowcount 1."""
        offer_open = (
            select(Offer.id)
            .where(Offer.id == offer.id, Offer.status == OfferStatus.pending, col(Offer.expires_at) > now)
            .exists()
        )
        request_id, volunteer_id = offer.request_id, offer.volunteer_id
        result = await self.session.exec(
            update(PilotRequest)  # type: ignore[call-overload]
            .where(PilotRequest.id == request_id, col(PilotRequest.status).in_(OPEN_REQUEST), offer_open)
            .values(status=RequestStatus.matched, volunteer_id=volunteer_id, matched_at=now, checkin_at=checkin)
        )
        return result.rowcount == 1

    async def end_request(self, request_id: int, now: datetime) -> bool:
        """End a running pilotage, once."""
        result = await self.session.exec(
            update(PilotRequest)  # type: ignore[call-overload]
            .where(PilotRequest.id == request_id, PilotRequest.status == RequestStatus.matched)
            .values(status=RequestStatus.done, ended_at=now, checkin_at=None)
        )
        return result.rowcount == 1

    async def due_checkins(self, now: datetime, limit: int = 100) -> list[PilotRequest]:
        result = await self.session.exec(
            select(PilotRequest)
            .where(PilotRequest.status == RequestStatus.matched, col(PilotRequest.checkin_at) <= now)
            .limit(limit)
        )
        return list(result.all())

    async def claim_checkin(self, request_id: int) -> bool:
        result = await self.session.exec(
            update(PilotRequest)  # type: ignore[call-overload]
            .where(PilotRequest.id == request_id, col(PilotRequest.checkin_at).is_not(None))
            .values(checkin_at=None)
        )
        return result.rowcount == 1

    # --- offers -----------------------------------------------------------------------
    async def offer(self, offer_id: int) -> Offer | None:
        return await self.session.get(Offer, offer_id, populate_existing=True)

    async def add_offer(self, request_id: int, volunteer_id: int, now: datetime, expires: datetime) -> Offer:
        offer = Offer(request_id=request_id, volunteer_id=volunteer_id, offered_at=now, expires_at=expires)
        self.session.add(offer)
        await self.session.flush()
        return offer

    async def has_pending_offer(self, request_id: int) -> bool:
        result = await self.session.exec(
            select(Offer.id).where(Offer.request_id == request_id, Offer.status == OfferStatus.pending).limit(1)
        )
        return result.first() is not None

    async def orphans(self) -> list[PilotRequest]:
        """Waiting requests nobody is being asked about (their volunteer left, say)."""
        return [r for r in await self.backlog() if r.status == RequestStatus.waiting]

    async def asked_pairs(self, request_ids: Sequence[int]) -> set[tuple[int, int]]:
        """(request, volunteer) pairs that were offered already, whatever the answer."""
        result = await self.session.exec(
            select(Offer.request_id, Offer.volunteer_id).where(col(Offer.request_id).in_(request_ids))
        )
        return {(r, v) for r, v in result.all()}

    async def asked_volunteers(self, request_id: int) -> set[int]:
        result = await self.session.exec(select(Offer.volunteer_id).where(Offer.request_id == request_id))
        return set(result.all())

    async def settle_offer(self, offer_id: int, status: OfferStatus, now: datetime, *, unexpired: bool) -> bool:
        """Move a pending offer to ``status``; False when it was no longer pending (or, with
        ``unexpired``, had run out): then someone else settled it first."""
        condition = and_(Offer.id == offer_id, Offer.status == OfferStatus.pending)
        if unexpired:
            condition = and_(condition, col(Offer.expires_at) > now)
        result = await self.session.exec(
            update(Offer).where(condition).values(status=status, answered_at=now)  # type: ignore[call-overload]
        )
        return result.rowcount == 1

    async def close_offers(self, request_id: int, status: OfferStatus, now: datetime) -> list[Offer]:
        """Close the request's other pending offers; returns them so their holders can be told."""
        result = await self.session.exec(
            select(Offer).where(Offer.request_id == request_id, Offer.status == OfferStatus.pending)
        )
        offers = list(result.all())
        for offer in offers:
            offer.status, offer.answered_at = status, now
        return offers

    async def pending_offers(self, volunteer_id: int) -> list[tuple[Offer, PilotRequest]]:
        result = await self.session.exec(
            select(Offer, PilotRequest)
            .join(PilotRequest, col(PilotRequest.id) == Offer.request_id)
            .where(Offer.volunteer_id == volunteer_id, Offer.status == OfferStatus.pending)
            .order_by(Offer.offered_at)
        )
        return [(offer, request) for offer, request in result.all()]

    async def due_offers(self, now: datetime, limit: int = 100) -> list[Offer]:
        result = await self.session.exec(
            select(Offer).where(Offer.status == OfferStatus.pending, col(Offer.expires_at) <= now).limit(limit)
        )
        return list(result.all())

    # --- events -----------------------------------------------------------------------
    async def record_event(self, event: PilotEvent) -> None:
        self.session.add(event)

    async def events(self, since: datetime) -> list[PilotEvent]:
        result = await self.session.exec(select(PilotEvent).where(col(PilotEvent.at) >= since).order_by(PilotEvent.id))
        return list(result.all())
