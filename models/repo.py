"""The only code that issues SQL. One Repo per database session (one per incoming event)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import func, update
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from models.tables import Feedback, Question, User


class Repo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def user(self, telegram_id: int) -> User | None:
        result = await self.session.exec(select(User).where(User.telegram_id == telegram_id))
        return result.first()

    async def touch(self, telegram_id: int, now: datetime) -> User | None:
        """The user, marked as seen today and reachable again. Writes at most once a day per
        user, so that the common case, a question, costs one read."""
        user = await self.user(telegram_id)
        today = seen_day(now)
        if user is not None and (user.last_seen_at != today or not user.active):
            user.last_seen_at, user.active = today, True
        return user

    async def add_user(self, telegram_id: int, language: str | None, now: datetime) -> User:
        user = User(telegram_id=telegram_id, language=language, consent_at=now, last_seen_at=seen_day(now))
        self.session.add(user)
        await self.session.flush()
        return user

    async def delete_user(self, user: User) -> None:
        await self.session.delete(user)

    async def user_by_id(self, user_id: int) -> User | None:
        return await self.session.get(User, user_id)

    async def inactive_since(self, before: datetime) -> list[int]:
        """The Telegram ids of everyone not seen since ``before`` (the retention purge)."""
        result = await self.session.exec(select(User.telegram_id).where(User.last_seen_at < before))
        return list(result.all())

    async def record_question(self, question: Question) -> None:
        self.session.add(question)

    async def record_feedback(self, feedback: Feedback) -> None:
        self.session.add(feedback)

    async def unanswered(self, region: str, since: date, limit: int = 20) -> list[tuple[str, str, date, int]]:
        """The latest distinct unanswered questions: (text, language, last asked, how often)."""
        last = func.max(Question.asked_on)
        result = await self.session.exec(
            select(Question.text, Question.language, last, func.count())  # type: ignore[call-overload]
            .where(Question.region == region, Question.topic.is_(None), Question.text.is_not(None))  # type: ignore[union-attr]
            .where(Question.asked_on >= since)
            .group_by(Question.text, Question.language)
            .order_by(last.desc(), func.count().desc())
            .limit(limit)
        )
        return [tuple(row) for row in result.all()]  # type: ignore[misc]

    async def forget_question_texts(self, before: date) -> int:
        """Blank the kept texts of unanswered questions older than ``before``."""
        result = await self.session.exec(
            update(Question).where(Question.asked_on < before, Question.text.is_not(None)).values(text=None)  # type: ignore[call-overload, union-attr]
        )
        return result.rowcount or 0


def seen_day(now: datetime) -> datetime:
    return now.replace(hour=0, minute=0, second=0, microsecond=0)


def retention_cutoff(now: datetime, days: int) -> datetime:
    return now - timedelta(days=days)
