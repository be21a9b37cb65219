"""The outbox: messages to others are written with the decision and delivered once by the worker,
through Telegram's errors; on SQLite and PostgreSQL, with two workers on one database."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import timedelta

import pytest
from sqlmodel import select

from bot.app import App
from bot.outbox import LEASE, Outbox
from bot.render import Rows
from bot.sending import Rejected, RetryLater, Transient, Unreachable
from models.db import make_engine, make_sessionmaker
from models.outbox import OutboxRepo
from models.tables import Delivery, OfferStatus, OutboxMessage, User
from tests.clock import FakeClock
from tests.pilot_steps import (
    approved_volunteer,
    ask_for_pilot,
    coordinator,
    data_starting,
    offers,
    rows,
    sends,
)
from tests.test_conversation import onboard, press, say


class FakeTelegram:
    """TelegramOps that records what it sends; ``errors[chat]`` are raised first, in order."""

    def __init__(self) -> None:
        self.sent: list[tuple[int, str]] = []
        self.errors: dict[int, list[Exception]] = {}
        self.blocked: set[int] = set()
        self.down: Exception | None = None

    async def send_text(self, chat_id: int, text: str, keyboard: Rows) -> None:
        await asyncio.sleep(0)
        if self.down is not None:
            raise self.down
        if chat_id in self.blocked:
            raise Unreachable()
        if self.errors.get(chat_id):
            raise self.errors[chat_id].pop(0)
        self.sent.append((chat_id, text))

    async def edit_text(self, chat_id: int, message_id: int, text: str, keyboard: Rows) -> bool:
        return False

    async def answer_button(self, callback_id: str, text: str) -> None:
        return None

    async def send_document(self, chat_id: int, filename: str, content: bytes, caption: str) -> None:
        self.sent.append((chat_id, filename))

    def to(self, chat_id: int) -> list[str]:
        return [text for chat, text in self.sent if chat == chat_id]


def worker(app: App, telegram: FakeTelegram, paced: bool = False) -> Outbox:
    runtime = app.runtime
    return Outbox(
        runtime.sessionmaker,
        telegram,
        rate=1000,
        clock=runtime.clock,
        on_blocked=runtime.recipient_blocked,
        paced=paced,
    )


async def outbox_rows(app: App) -> list[OutboxMessage]:
    return sorted(await rows(app, OutboxMessage), key=lambda m: m.id or 0)


async def test_a_message_to_another_is_queued_with_the_decision_and_sent_once(app: App) -> None:
    await coordinator(app)
    await approved_volunteer(app, 1)
    sent = await ask_for_pilot(app, 50)
    offer = sends(sent, 1)[0]
    [queued] = [m for m in await outbox_rows(app) if m.chat_id == 1 and m.kind == "offer"]
    assert queued.status == Delivery.pending and queued.text == offer.reply.text
    assert data_starting(sent, "offer:a:") in (queued.buttons or "")
    telegram = FakeTelegram()
    await worker(app, telegram).flush(5)
    assert telegram.to(1).count(offer.reply.text) == 1
    done = next(m for m in await outbox_rows(app) if m.id == queued.id)
    assert done.status == Delivery.sent and done.text is None and done.buttons is None  # nothing kept
    await worker(app, telegram).flush(1)
    assert telegram.to(1).count(offer.reply.text) == 1  # not twice


async def test_outage_is_retried_with_backoff_and_delivered_after(app: App, clock: FakeClock) -> None:
    await onboard(app, 1)
    await onboard(app, 2)
    await _enqueue(app, [(1, "first"), (2, "second")])
    telegram = FakeTelegram()
    telegram.down = Transient("502")
    outbox = worker(app, telegram)
    for _ in range(4):  # Telegram answers 5xx for a while
        await outbox.flush(1)
        clock.advance(minutes=2)
    assert telegram.sent == []
    pending = await outbox_rows(app)
    assert all(m.status == Delivery.pending and m.attempts >= 2 for m in pending)  # tried, backing off
    telegram.down = None
    outbox._paused_until = 0  # the slow-down after failures is real time; not what this test waits for
    clock.advance(minutes=10)
    await outbox.flush(5)
    assert sorted(telegram.sent) == [(1, "first"), (2, "second")]


async def test_retry_after_is_waited_out(app: App, clock: FakeClock) -> None:
    await onboard(app, 1)
    await _enqueue(app, [(1, "hello")])
    telegram = FakeTelegram()
    telegram.errors[1] = [RetryLater(3)]
    outbox = worker(app, telegram)
    await outbox.flush(1)
    assert telegram.sent == []
    [row] = await outbox_rows(app)
    assert row.attempts == 0 and row.due_at == clock.now + timedelta(seconds=3)
    clock.advance(seconds=3)
    await asyncio.sleep(0)
    outbox._paused_until = 0
    await outbox.flush(2)
    assert telegram.sent == [(1, "hello")]


async def test_a_refused_message_is_recorded_and_the_queue_goes_on(app: App) -> None:
    await onboard(app, 1)
    await _enqueue(app, [(1, "broken"), (1, "fine")])
    telegram = FakeTelegram()
    telegram.errors[1] = [Rejected("Bad Request: can't parse entities")]
    await worker(app, telegram).flush(3)
    assert telegram.sent == [(1, "fine")]
    assert [m.status for m in await outbox_rows(app)] == [Delivery.failed, Delivery.sent]


async def test_urgent_messages_overtake_announcements(app: App) -> None:
    for uid in range(1, 6):
        await onboard(app, uid)
    await _enqueue(app, [(uid, f"news {uid}") for uid in range(1, 5)], priority=9)
    await _enqueue(app, [(5, "offer")], priority=0)
    telegram = FakeTelegram()
    await worker(app, telegram).flush(3)
    assert telegram.sent[0] == (5, "offer") and len(telegram.sent) == 5


async def test_one_chat_gets_one_message_per_second(app: App) -> None:
    await onboard(app, 1)
    await _enqueue(app, [(1, f"part {i}") for i in range(3)])
    telegram = FakeTelegram()
    outbox = Outbox(
        app.runtime.sessionmaker, telegram, rate=1000, clock=_real_clock, on_blocked=app.runtime.recipient_blocked
    )
    loop = asyncio.get_running_loop()
    start = loop.time()
    while len(telegram.sent) < 3 and loop.time() - start < 10:
        await outbox.flush(0.5)
    assert telegram.to(1) == ["part 0", "part 1", "part 2"]
    assert loop.time() - start >= 2.0  # three messages to one chat take two gaps of a second


async def test_an_offer_to_a_volunteer_who_blocked_the_bot_moves_on_at_once(app: App) -> None:
    await coordinator(app)
    await approved_volunteer(app, 1)
    await approved_volunteer(app, 2)
    sent = await ask_for_pilot(app, 50)
    first = sends(sent)[0].chat_id
    second = 2 if first == 1 else 1
    telegram = FakeTelegram()
    telegram.blocked.add(first)
    await worker(app, telegram).flush(5)
    assert not telegram.to(first)
    offer_text = [t for t in telegram.to(second) if "fit" in t]
    assert offer_text, telegram.sent  # the next volunteer got it in the same minute
    statuses = sorted((o.volunteer_id, o.status) for o in await offers(app))
    assert [s for _, s in statuses].count(OfferStatus.withdrawn) == 1
    blocked = (await rows(app, User, telegram_id=first))[0]
    assert blocked.active is False
    assert {m.status for m in await outbox_rows(app) if m.chat_id == first} == {Delivery.blocked}


async def test_a_relayed_message_to_someone_who_blocked_the_bot_tells_the_sender(app: App) -> None:
    await coordinator(app)
    await approved_volunteer(app, 1)
    sent = await ask_for_pilot(app, 50)
    accepted = await press(app, data_starting(sent, "offer:a:"), 1)
    telegram = FakeTelegram()
    await worker(app, telegram).flush(5)  # the introduction reaches the newcomer
    await press(app, data_starting(accepted, "pil:w:"), 1)
    relayed = await say(app, "Hallo, wann passt es dir?", 1)
    assert sends(relayed, 50)
    telegram.blocked.add(50)
    await worker(app, telegram).flush(5)
    assert any("could not deliver" in text for text in telegram.to(1))
    relay_row = next(m for m in await outbox_rows(app) if m.kind == "relay")
    assert relay_row.status == Delivery.blocked and relay_row.text is None  # the relayed text is not kept


@pytest.mark.parametrize("database_url", ["postgresql", "sqlite"], indirect=True)
async def test_two_instances_send_each_message_exactly_once(app: App, database_url: str) -> None:
    """Two workers with their own engines (as two `lotse run` on one database) share a queue."""
    users = list(range(1, 41))
    for uid in users:
        await onboard(app, uid)
    await _enqueue(app, [(uid, f"m{uid}-{i}") for i in range(3) for uid in users])
    engines = [make_engine(database_url) for _ in range(2)]
    tellers = [FakeTelegram(), FakeTelegram()]
    workers = [
        Outbox(make_sessionmaker(e), t, rate=20, clock=_real_clock, on_blocked=app.runtime.recipient_blocked)
        for e, t in zip(engines, tellers, strict=True)
    ]
    try:
        loop = asyncio.get_running_loop()
        start = loop.time()
        while sum(len(t.sent) for t in tellers) < 120 and loop.time() - start < 30:
            await asyncio.gather(*(w.flush(1) for w in workers))
    finally:
        for engine in engines:
            await engine.dispose()
    delivered = Counter(text for t in tellers for _, text in t.sent)
    assert len(delivered) == 120 and max(delivered.values()) == 1
    for uid in users:  # and each chat's messages came in order
        mine = [text for t in tellers for chat, text in t.sent if chat == uid]
        assert sorted(mine) == [f"m{uid}-{i}" for i in range(3)]


async def test_a_dead_workers_claims_are_taken_over_after_the_lease(app: App, clock: FakeClock) -> None:
    await onboard(app, 1)
    await _enqueue(app, [(1, "in flight when the other instance died")])
    async with app.runtime.sessionmaker() as session:
        claimed = await OutboxRepo(session).claim("dead-instance", clock.now, 10, LEASE)
        await session.commit()
    assert len(claimed) == 1
    telegram = FakeTelegram()
    await worker(app, telegram).flush(1)
    assert telegram.sent == []  # still claimed
    clock.advance(seconds=LEASE.total_seconds() + 1)
    await worker(app, telegram).flush(2)
    assert telegram.sent == [(1, "in flight when the other instance died")]


async def test_a_deleted_users_pending_messages_go_with_them(app: App) -> None:
    await onboard(app, 1)
    await _enqueue(app, [(1, "never sent")])
    await say(app, "/delete", 1)
    await press(app, "delete:yes", 1)
    assert await outbox_rows(app) == []


def _real_clock():  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime

    return datetime.now(UTC)


async def _enqueue(app: App, messages: list[tuple[int, str]], priority: int = 0) -> None:
    async with app.runtime.sessionmaker() as session:
        ids = {u.telegram_id: u.id for u in (await session.exec(select(User))).all()}
        repo = OutboxRepo(session)
        now = app.runtime.clock()
        for chat, text in messages:
            repo.add(
                OutboxMessage(
                    user_id=ids[chat],
                    chat_id=chat,
                    kind="test",
                    priority=priority,
                    created_at=now,
                    due_at=now,
                    text=text,
                )
            )
        await session.commit()


async def test_a_reply_telegram_would_not_take_is_sent_later(app: App, monkeypatch: pytest.MonkeyPatch) -> None:
    from bot import sending
    from bot.events import text_event

    await onboard(app, 1)
    telegram = FakeTelegram()
    telegram.down = Transient("503")
    monkeypatch.setattr(sending, "DIRECT_PATIENCE", 1.0)
    await sending.Responder(app.runtime, telegram).respond(text_event(1, 1, "/help", language_code="en"))
    assert telegram.sent == []
    [deferred] = await outbox_rows(app)
    assert deferred.kind == "reply" and "/language" in (deferred.text or "")
    telegram.down = None
    outbox = worker(app, telegram)
    await outbox.flush(3)
    assert len(telegram.to(1)) == 1 and "/language" in telegram.to(1)[0]
