"""Database tables. Every change here needs an Alembic migration in models/migrations/versions."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import BigInteger, Column, DateTime
from sqlmodel import Field, SQLModel


class Role(StrEnum):
    newcomer = "newcomer"
    volunteer = "volunteer"
    coordinator = "coordinator"


def _utc_column(nullable: bool = True) -> Column:  # type: ignore[type-arg]
    return Column(DateTime(timezone=True), nullable=nullable)


class User(SQLModel, table=True):
    """Someone who agreed to lotse's privacy terms. Nobody is stored before consent."""

    __tablename__ = "users"

    id: int | None = Field(default=None, primary_key=True)
    telegram_id: int = Field(sa_column=Column(BigInteger, unique=True, nullable=False))
    role: str | None = Field(default=None, max_length=16)
    language: str | None = Field(default=None, max_length=8)
    consent_at: datetime = Field(sa_column=_utc_column(nullable=False))
    last_seen_at: datetime = Field(sa_column=_utc_column(nullable=False))
    # False once Telegram says the user blocked the bot: nothing more is sent to them.
    active: bool = Field(default=True)
