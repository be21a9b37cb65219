"""SQL of the outbox: enqueue, claim what is due, record how a delivery ended.

Claims are leases: a worker sets ``claimed_by`` and ``claimed_until`` on the rows it takes,
chosen with ``FOR UPDATE SKIP LOCKED`` on PostgreSQL so that two instances never take the
same row (SQLite runs one writer at a time, and the claim is one statement). A worker that
dies leaves its claims to run out; then another worker, or the restarted one, takes them.

A chat's messages go out one at a time and in order: a row is claimable only when no earlier
due row of its chat is still pending, and not within the chat's pace of the last delivery.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import case, delete, exists, func, or_, update
from sqlalchemy.orm import aliased
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from models.tables import Delivery, OutboxMessage

# Telegram: about one message per second in a private chat, 20 per minute in a group.
CHAT_GAP = timedelta(seconds=1)
GROUP_GAP = timedelta(seconds=3)


def encode_buttons(rows: Sequence[Sequence[tuple[str, str]]]) -> str | None:
    return json.dumps([[list(b) for b in row] for row in rows], ensure_ascii=False) if rows else None


def decode_buttons(data: str | None) -> list[list[tuple[str, str]]]:
    return [[(label, payload) for label, payload in row] for row in json.loads(data)] if data else []


class OutboxRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, message: OutboxMessage) -> None:
        self.session.add(message)

    async def claim(
        self, worker: str, now: datetime, limit: int, lease: timedelta, paced: bool = True
    ) -> list[OutboxMessage]:
        """Take up to ``limit`` due rows, most urgent first, at most one per chat: the first due
        row of each chat, if nobody holds it and (``paced``) the chat's last delivery is a pace ago.

        The heads are found with a window function, so the cost stays about n log n whatever the
        planner believes about the table (a broadcast adds thousands of rows at once)."""
        queue = (
            select(
                OutboxMessage.id,
                OutboxMessage.chat_id,
                OutboxMessage.claimed_until,
                func.row_number().over(partition_by=OutboxMessage.chat_id, order_by=OutboxMessage.id).label("place"),
            )
            .where(OutboxMessage.status == Delivery.pending, OutboxMessage.due_at <= now)
            .subquery("queue")
        )
        heads = select(queue.c.id).where(
            queue.c.place == 1, or_(queue.c.claimed_until.is_(None), queue.c.claimed_until < now)
        )
        if paced:
            recent = aliased(OutboxMessage)
            gap_start = case((queue.c.chat_id < 0, now - GROUP_GAP), else_=now - CHAT_GAP)
            heads = heads.where(~exists().where(recent.chat_id == queue.c.chat_id, col(recent.sent_at) > gap_start))
        # The conditions that make a row free stand on the locked row itself, not only in the
        # subquery: PostgreSQL checks them again on the newest version of a row it had to wait
        # for, so a row another worker claimed meanwhile is not taken twice.
        row = aliased(OutboxMessage)
        free = (row.status == Delivery.pending, or_(col(row.claimed_until).is_(None), col(row.claimed_until) < now))
        due = (
            select(row.id).where(col(row.id).in_(heads), *free).order_by(row.priority, row.due_at, row.id).limit(limit)
        )
        if self.session.bind.dialect.name == "postgresql":  # type: ignore[union-attr]
            due = due.with_for_update(skip_locked=True, of=row)
        result = await self.session.exec(
            update(OutboxMessage)  # type: ignore[call-overload]
            .where(
                col(OutboxMessage.id).in_(due.scalar_subquery()),
                OutboxMessage.status == Delivery.pending,
                or_(col(OutboxMessage.claimed_until).is_(None), col(OutboxMessage.claimed_until) < now),
            )
            .values(claimed_by=worker, claimed_until=now + lease)
            .returning(OutboxMessage)
        )
        claimed = list(result.scalars())
        return sorted(claimed, key=lambda m: (m.priority, m.due_at, m.id or 0))

    async def finish(self, message_id: int, worker: str, status: Delivery, now: datetime) -> bool:
        """Record the end of a delivery and blank what it said; False if the claim was lost."""
        result = await self.session.exec(
            update(OutboxMessage)  # type: ignore[call-overload]
            .where(OutboxMessage.id == message_id, OutboxMessage.claimed_by == worker)
            .values(
                status=status,
                sent_at=now,
                text=None,
                buttons=None,
                origin_user_id=None,
                claimed_by=None,
                claimed_until=None,
            )
        )
        return result.rowcount == 1

    async def retry(self, message_id: int, worker: str, due: datetime, failed: bool) -> None:
        """Give the row back, due again at ``due``; ``failed`` counts an attempt."""
        await self.session.exec(
            update(OutboxMessage)  # type: ignore[call-overload]
            .where(OutboxMessage.id == message_id, OutboxMessage.claimed_by == worker)
            .values(
                due_at=due,
                attempts=OutboxMessage.attempts + (1 if failed else 0),
                claimed_by=None,
                claimed_until=None,
            )
        )

    async def release(self, worker: str, ids: Sequence[int] | None = None) -> None:
        """Give back the claims of ``worker`` not finished: those of ``ids``, or all (on a stop)."""
        query = update(OutboxMessage).where(
            OutboxMessage.claimed_by == worker, OutboxMessage.status == Delivery.pending
        )
        if ids is not None:
            query = query.where(col(OutboxMessage.id).in_(ids))
        await self.session.exec(query.values(claimed_by=None, claimed_until=None))  # type: ignore[call-overload]

    async def drop_pending(self, chat_id: int, now: datetime) -> None:
        """The chat blocked the bot: what still waits for it is recorded as blocked, unsent."""
        await self.session.exec(
            update(OutboxMessage)  # type: ignore[call-overload]
            .where(OutboxMessage.chat_id == chat_id, OutboxMessage.status == Delivery.pending)
            .values(status=Delivery.blocked, sent_at=now, text=None, buttons=None, origin_user_id=None)
        )

    async def prune(self, before: datetime) -> int:
        """Delete the records of deliveries that ended before ``before``."""
        result = await self.session.exec(
            delete(OutboxMessage).where(  # type: ignore[call-overload]
                OutboxMessage.status != Delivery.pending, col(OutboxMessage.sent_at) < before
            )
        )
        return result.rowcount or 0
