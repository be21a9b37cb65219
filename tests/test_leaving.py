"""The retention purge deletes people through the same path as /delete: offers move on and the
other side is told (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.app import App, build
from bot.config import Settings
from handlers.i18n import Translator
from models.tables import Offer, OfferStatus, OutboxMessage, PilotRequest, RequestStatus, User
from tests.clock import FakeClock
from tests.pilot_steps import (
    COORDINATOR,
    approved_volunteer,
    ask_for_pilot,
    coordinator,
    data_starting,
    rows,
    sends,
)
from tests.test_conversation import press, say

RETENTION = 30
T = Translator()


@pytest.fixture
async def app(database_url: str, clock: FakeClock) -> AsyncIterator[App]:
    settings = Settings(database_url=database_url, coordinators=frozenset({COORDINATOR}), retention_days=RETENTION)
    application = await build(settings, migrate=True, clock=clock)
    yield application
    await application.close()


async def _only_stale(app: App, clock: FakeClock, stale: int, *active: int) -> None:
    """Time passes; everyone but ``stale`` uses lotse again."""
    clock.advance(days=RETENTION + 1)
    for uid in (COORDINATOR, *active):
        await say(app, "/help", uid)


async def queued_to(app: App, chat: int) -> list[str]:
    return [m.text or "" for m in await rows(app, OutboxMessage, chat_id=chat)]


async def test_purged_newcomer_with_an_open_request_withdraws_the_offer(app: App, clock: FakeClock) -> None:
    await coordinator(app)
    await approved_volunteer(app, 1)
    sent = await ask_for_pilot(app, 50)
    assert sends(sent, 1)
    await _only_stale(app, clock, 50, 1)
    assert await app.runtime.purge_inactive() == 1
    assert await rows(app, User, telegram_id=50) == []
    assert await rows(app, PilotRequest) == [] and await rows(app, Offer) == []
    assert any("withdrawn" in text for text in await queued_to(app, 1))


async def test_purged_volunteer_with_a_pending_offer_passes_it_on(app: App, clock: FakeClock) -> None:
    await coordinator(app)
    await approved_volunteer(app, 1)
    await approved_volunteer(app, 2)
    sent = await ask_for_pilot(app, 50)
    first = sends(sent)[0].chat_id
    second = 2 if first == 1 else 1
    await _only_stale(app, clock, first, second, 50)
    assert await app.runtime.purge_inactive() == 1
    [offer] = await rows(app, Offer)  # the purged volunteer's offer went with them
    assert offer.status == OfferStatus.pending
    assert any("fit well" in text for text in await queued_to(app, second))


async def test_purged_pilot_in_a_running_pilotage_hands_the_newcomer_back(app: App, clock: FakeClock) -> None:
    await coordinator(app)
    await approved_volunteer(app, 1)
    sent = await ask_for_pilot(app, 50)
    await press(app, data_starting(sent, "offer:a:"), 1)
    await _only_stale(app, clock, 1, 50)
    assert await app.runtime.purge_inactive() == 1
    [request] = await rows(app, PilotRequest)
    assert request.status in (RequestStatus.waiting, RequestStatus.escalated) and request.volunteer_id is None
    gone = T("ar")._("Your pilot can no longer accompany you. We are looking for a new pilot for you.")
    assert gone in await queued_to(app, 50)


async def test_purged_newcomer_in_a_running_pilotage_is_said_goodbye_to(app: App, clock: FakeClock) -> None:
    await coordinator(app)
    await approved_volunteer(app, 1)
    sent = await ask_for_pilot(app, 50)
    await press(app, data_starting(sent, "offer:a:"), 1)
    await _only_stale(app, clock, 50, 1)
    assert await app.runtime.purge_inactive() == 1
    assert await rows(app, PilotRequest) == []
    assert any("has left lotse" in text for text in await queued_to(app, 1))


async def test_who_came_back_is_not_purged(app: App, clock: FakeClock) -> None:
    await coordinator(app)
    await approved_volunteer(app, 1)
    clock.advance(days=RETENTION + 1)
    await say(app, "/help", 1)
    assert await app.runtime.purge_inactive() == 1  # only the coordinator, who did not come back
    assert await rows(app, User, telegram_id=1)
