"""Database tables. Every change here needs an Alembic migration in models/migrations/versions."""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum

from sqlalchemy import BigInteger, Column, DateTime, ForeignKey, Index, Text, TypeDecorator, UniqueConstraint
from sqlmodel import Field, SQLModel


class Role(StrEnum):
    newcomer = "newcomer"
    volunteer = "volunteer"
    coordinator = "coordinator"


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite by itself returns naive ones)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime; use datetime.now(UTC)")
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


def _utc_column(nullable: bool = True) -> Column:  # type: ignore[type-arg]
    return Column(UTCDateTime(), nullable=nullable)


class User(SQLModel, table=True):
    """Someone who agreed to lotse's privacy terms. Nobody is stored before consent."""

    __tablename__ = "users"

    id: int | None = Field(default=None, primary_key=True)
    telegram_id: int = Field(sa_column=Column(BigInteger, unique=True, nullable=False))
    role: str | None = Field(default=None, max_length=16)
    language: str | None = Field(default=None, max_length=8)
    consent_at: datetime = Field(sa_column=_utc_column(nullable=False))
    # Only the day (midnight UTC) is kept: enough for the retention period, and less to know.
    last_seen_at: datetime = Field(sa_column=_utc_column(nullable=False))
    # False once Telegram says the user blocked the bot: nothing more is sent to them.
    active: bool = Field(default=True)
    # Conversation state: what the user's next text is for when it is not a question (a form's
    # note, a message to relay, a coordinator's reason), since when, and a /match proposal.
    # On the user row, which every event loads anyway, so that a question costs no extra query.
    awaiting: str | None = Field(default=None, max_length=64)
    awaiting_since: datetime | None = Field(default=None, sa_column=_utc_column())
    awaiting_data: str | None = Field(default=None, sa_column=Column(Text, nullable=True))


class Question(SQLModel, table=True):
    """One question asked, for the statistics; not linked to the user who asked it.

    The text itself is kept only when lotse had no answer, so that the integration office
    can add one (``/unanswered``); phone numbers and e-mail addresses are masked first.
    """

    __tablename__ = "questions"

    id: int | None = Field(default=None, primary_key=True)
    asked_on: date = Field(index=True)
    region: str = Field(max_length=32)
    language: str = Field(max_length=8)
    topic: str | None = Field(default=None, max_length=64)
    confidence: float
    # True when the answer was shown in another language because ours was missing or outdated.
    fallback: bool = Field(default=False)
    text: str | None = Field(default=None, max_length=500)


class Feedback(SQLModel, table=True):
    """A "this helped / did not help" press on an answer; not linked to the user."""

    __tablename__ = "feedback"

    id: int | None = Field(default=None, primary_key=True)
    given_on: date = Field(index=True)
    topic: str = Field(max_length=64)
    language: str = Field(max_length=8)
    helpful: bool


def _user_fk(nullable: bool = False, unique: bool = False) -> Column:  # type: ignore[type-arg]
    return Column(ForeignKey("users.id", ondelete="CASCADE"), nullable=nullable, unique=unique, index=not unique)


class VolunteerStatus(StrEnum):
    draft = "draft"  # registration not finished
    pending = "pending"  # waiting for a coordinator
    approved = "approved"
    rejected = "rejected"
    deactivated = "deactivated"


class Volunteer(SQLModel, table=True):
    """A volunteer pilot's profile. Lists are stored as comma-separated codes."""

    __tablename__ = "volunteers"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(sa_column=_user_fk(unique=True))
    status: str = Field(default=VolunteerStatus.draft, max_length=16)
    # The coordinator's reason for a rejection or deactivation, shown to the volunteer.
    status_reason: str | None = Field(default=None, max_length=300)
    status_changed_at: datetime = Field(sa_column=_utc_column(nullable=False))
    languages: str = Field(default="", max_length=100)  # "de:3,ar:2" (level 1 basic, 2 good, 3 fluent)
    areas: str = Field(default="", max_length=200)
    district: str | None = Field(default=None, max_length=32)  # None: anywhere in town
    times: int = Field(default=0)  # weekly slots as a bitmask (matching.WEEK_SLOTS); 0: any time
    woman: bool = Field(default=False)
    capacity: int = Field(default=1)
    paused: bool = Field(default=False)


class RequestStatus(StrEnum):
    draft = "draft"  # the newcomer is still filling in the form
    waiting = "waiting"  # looking for a pilot (an offer may be out)
    escalated = "escalated"  # nobody fitting was left: the coordinators take over
    matched = "matched"
    done = "done"
    cancelled = "cancelled"


OPEN_REQUEST = (RequestStatus.waiting, RequestStatus.escalated)


class PilotRequest(SQLModel, table=True):
    """A newcomer's request for a personal pilot, and once matched, the pilotage itself."""

    __tablename__ = "pilot_requests"

    id: int | None = Field(default=None, primary_key=True)
    newcomer_id: int = Field(sa_column=_user_fk())
    region: str = Field(max_length=32)
    language: str = Field(max_length=8)  # the newcomer's language, for the statistics
    status: str = Field(default=RequestStatus.draft, max_length=16, index=True)
    languages: str = Field(default="", max_length=100)
    areas: str = Field(default="", max_length=200)
    district: str | None = Field(default=None, max_length=32)
    times: int = Field(default=0)
    wants_woman: bool = Field(default=False)
    note: str | None = Field(default=None, max_length=500)
    created_at: datetime = Field(sa_column=_utc_column(nullable=False))
    submitted_at: datetime | None = Field(default=None, sa_column=_utc_column())
    volunteer_id: int | None = Field(
        default=None, sa_column=Column(ForeignKey("volunteers.id", ondelete="SET NULL"), nullable=True, index=True)
    )
    matched_at: datetime | None = Field(default=None, sa_column=_utc_column())
    ended_at: datetime | None = Field(default=None, sa_column=_utc_column())
    # Both must agree before phone numbers and e-mail addresses pass the relay unmasked.
    newcomer_shares: bool = Field(default=False)
    volunteer_shares: bool = Field(default=False)
    # When the volunteer is asked how the pilotage is going; cleared once asked.
    checkin_at: datetime | None = Field(default=None, sa_column=_utc_column())


class OfferStatus(StrEnum):
    pending = "pending"
    accepted = "accepted"
    declined = "declined"
    expired = "expired"
    taken = "taken"  # someone else accepted first
    withdrawn = "withdrawn"  # the request was cancelled


class Offer(SQLModel, table=True):
    """A request offered to one volunteer, with a deadline. Each volunteer is asked once per request."""

    __tablename__ = "pilot_offers"
    __table_args__ = (UniqueConstraint("request_id", "volunteer_id", name="uq_offer_request_volunteer"),)

    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(
        sa_column=Column(ForeignKey("pilot_requests.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    volunteer_id: int = Field(
        sa_column=Column(ForeignKey("volunteers.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    status: str = Field(default=OfferStatus.pending, max_length=16)
    offered_at: datetime = Field(sa_column=_utc_column(nullable=False))
    expires_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False, index=True))
    answered_at: datetime | None = Field(default=None, sa_column=_utc_column())


class PilotEvent(SQLModel, table=True):
    """One step of a pilot request, for the statistics. ``ref`` is a pseudonym of the request,
    not of the person: it stays when the request and the user are deleted, and then leads nowhere."""

    __tablename__ = "pilot_events"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False, index=True))
    region: str = Field(max_length=32)
    kind: str = Field(max_length=16)
    ref: str = Field(max_length=16)
    language: str = Field(max_length=8)
    detail: str | None = Field(default=None, max_length=32)


class Delivery(StrEnum):
    pending = "pending"  # waiting to be sent (or being sent: see OutboxMessage.claimed_until)
    sent = "sent"
    failed = "failed"  # Telegram refused it for good (400), or it kept failing
    blocked = "blocked"  # the recipient blocked the bot (403)


class OutboxMessage(SQLModel, table=True):
    """A message to someone who did not just write to the bot: written in the same transaction
    as the decision that caused it, sent by the delivery worker (bot/outbox.py).

    ``priority`` orders what is due: 0 for people waiting on each other (offers, relayed
    messages), higher for reminders, highest for broadcasts, so an announcement to the whole
    town never delays an offer. ``ref`` names what the message belongs to (``broadcast:12``) so
    that it can be counted or cancelled. Once sent or given up, the text and buttons are blanked:
    only the fact of the delivery stays, and those rows are pruned after a few weeks.
    """

    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_status_due", "status", "due_at"),  # what is due
        Index("ix_outbox_chat_status", "chat_id", "status", "id"),  # one chat's queue, in order
        Index("ix_outbox_chat_sent", "chat_id", "sent_at"),  # the per-chat pace
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(sa_column=_user_fk())  # the recipient; their pending messages go when they are deleted
    chat_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    kind: str = Field(max_length=16)
    priority: int = Field(default=0)
    ref: str | None = Field(default=None, max_length=32)
    created_at: datetime = Field(sa_column=_utc_column(nullable=False))
    due_at: datetime = Field(sa_column=_utc_column(nullable=False))
    status: str = Field(default=Delivery.pending, max_length=16)
    text: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    buttons: str | None = Field(default=None, sa_column=Column(Text, nullable=True))  # JSON [[label, data], ...]
    # Who caused it, when they must hear that it could not be delivered (a relayed message).
    origin_user_id: int | None = Field(
        default=None, sa_column=Column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    )
    attempts: int = Field(default=0)
    # A worker's claim: another worker skips the row until claimed_until has passed.
    claimed_by: str | None = Field(default=None, max_length=32)
    claimed_until: datetime | None = Field(default=None, sa_column=_utc_column())
    sent_at: datetime | None = Field(default=None, sa_column=_utc_column())
