"""Database tables. Every change here needs an Alembic migration in models/migrations/versions."""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum

from sqlalchemy import BigInteger, Column, DateTime, TypeDecorator
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
