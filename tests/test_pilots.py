"""Volunteer pilots end to end on the runtime (SQLite and PostgreSQL): registration, vetting,
the /pilot form, offers, accept / decline / timeout, escalation, the relay, /done, /match."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta

import pytest

from bot.app import App
from handlers.bidi import FSI
from handlers.types import Notice, Reply
from models.tables import Offer, PilotEvent, PilotRequest, User, Volunteer
from tests.clock import FakeClock
from tests.pilot_steps import (
    COORDINATOR,
    approve,
    approved_volunteer,
    ask_for_pilot,
    coordinator,
    data_starting,
    offers,
    register,
    requests,
    rows,
    sends,
    volunteer_of,
)
from tests.test_conversation import onboard, press, say, texts


async def events(app: App) -> list[str]:
    return [e.kind + (f":{e.detail}" if e.detail else "") for e in await rows(app, PilotEvent)]


async def test_volunteer_registers_is_vetted_and_approved(app: App) -> None:
    await coordinator(app)
    done = await register(app, 1, languages=("ar",), areas=("kita", "housing"), capacity=2)
    assert "L-" in texts(done)
    note = sends(done, COORDINATOR)
    assert note and "/volunteers" in note[0].reply.text
    volunteer = await volunteer_of(app, 1)
    assert volunteer.status == "pending" and volunteer.capacity == 2
    assert volunteer.languages == "en:3,ar:1" and volunteer.areas == "kita,housing" and volunteer.district == "south"

    listing = await say(app, "/volunteers", COORDINATOR)
    assert "1 volunteer waits for approval" in texts(listing)
    assert data_starting(listing, "vet:ok:") == f"vet:ok:{volunteer.id}"
    approved = await approve(app, 1)
    assert "approved" in sends(approved, 1)[0].reply.text
    assert (await volunteer_of(app, 1)).status == "approved"

    # Not for volunteers: the coordinator commands and buttons.
    assert "coordinators" in texts(await say(app, "/volunteers", 1))
    assert "coordinators" in texts(await press(app, f"vet:off:{volunteer.id}", 1))


async def test_reject_and_deactivate_keep_the_reason_and_tell_the_volunteer(app: App) -> None:
    await coordinator(app)
    await register(app, 1)
    volunteer = await volunteer_of(app, 1)
    await press(app, f"vet:no:{volunteer.id}", COORDINATOR)
    told = await say(app, "No training certificate yet.", COORDINATOR)
    assert "No training certificate yet." in sends(told, 1)[0].reply.text
    stored = await volunteer_of(app, 1)
    assert stored.status == "rejected" and stored.status_reason == "No training certificate yet."
    assert "No training certificate yet." in texts(await say(app, "/volunteer", 1))

    # Deactivating a pilot with a running pilotage: the newcomer is told and looked after again.
    await approve(app, 1)
    await register(app, 2)
    await approve(app, 2)
    sent = await ask_for_pilot(app, 50)
    offer_to = sends(sent)[0].chat_id
    await press(app, data_starting(sent, "offer:a:"), offer_to)
    holder = await volunteer_of(app, offer_to)
    await press(app, f"vet:off:{holder.id}", COORDINATOR)
    moved = await say(app, "Complaint received.", COORDINATOR)
    assert sends(moved, 50), "the newcomer hears that the pilot cannot continue"
    other = 2 if offer_to == 1 else 1
    assert data_starting(sends(moved, other), "offer:a:")
    request = (await requests(app))[0]
    assert request.status == "waiting" and request.volunteer_id is None


async def test_pilot_request_offer_accept_relay_and_done(app: App) -> None:
    await coordinator(app)
    await register(app, 1, languages=("ar",), areas=("kita",), district="south")
    await approve(app, 1)
    sent = await ask_for_pilot(app, 50, lang="ar", areas=("kita",), note="Ich habe zwei Kinder, Tel 0171 2345678")
    assert "Thank you" not in texts(sent)  # the newcomer is answered in Arabic
    offer = sends(sent, 1)
    assert offer, "the fitting volunteer gets the offer"
    assert "[…]" in offer[0].reply.text and "2345678" not in offer[0].reply.text  # note masked
    accept = data_starting(sent, "offer:a:")

    accepted = await press(app, accept, 1)
    assert "pilot of this newcomer" in texts(accepted)
    intro = sends(accepted, 50)
    assert intro and intro[0].rtl and FSI in intro[0].reply.text  # Arabic, left-to-right parts isolated
    request = (await requests(app))[0]
    assert request.status == "matched" and request.checkin_at is not None

    # The relay: phone numbers are hidden until both agree.
    write = data_starting(accepted, "pil:w:")
    await press(app, write, 1)
    relayed = await say(app, "Hello, I am Anna. Call me: 0171 9876543", 1)
    message = sends(relayed, 50)[0].reply.text
    assert "Hello, I am Anna" in message and "9876543" not in message
    assert "hidden" in texts(relayed)
    await press(app, f"pil:s:{request.id}", 1)
    await press(app, f"pil:s:{request.id}", 50, "ar")
    await press(app, write, 1)
    relayed = await say(app, "Call me: 0171 9876543", 1)
    assert "0171 9876543" in sends(relayed, 50)[0].reply.text
    # After one relayed message, text is a question again.
    assert not sends(await say(app, "Kita", 1))

    # A stranger cannot write into the pilotage.
    await onboard(app, 60)
    assert "not running" in texts(await press(app, write, 60))

    ended = await say(app, "/done", 1)
    end = data_starting(ended, "pil:e:")
    confirm = await press(app, end, 1)
    # Both sides press "end" at the same moment: it ends once, the other press is told so.
    end = data_starting(confirm, "pil:E:")
    presses = await asyncio.gather(press(app, end, 1), press(app, end, 50, "ar"))
    enders = [r for r in presses if sends(r)]
    assert len(enders) == 1 and any(isinstance(a, Notice) for r in presses for a in r)
    assert data_starting(enders[0], "pfb:") == f"pfb:{request.id}:good"  # both get the feedback row
    await press(app, f"pfb:{request.id}:good", 1)
    await press(app, f"pfb:{request.id}:ok", 50, "ar")
    assert (await requests(app))[0].status == "done"
    assert await events(app) == [
        "requested",
        "offered",
        "accepted",
        "completed",
        "feedback:volunteer:good",
        "feedback:newcomer:ok",
    ]
    refs = {e.ref for e in await rows(app, PilotEvent)}
    assert len(refs) == 1 and str(request.newcomer_id) not in refs


async def test_decline_moves_on_and_nobody_left_escalates(app: App) -> None:
    await coordinator(app)
    await register(app, 1, areas=("kita",))
    await register(app, 2, areas=("housing",))
    await approve(app, 1)
    await approve(app, 2)
    sent = await ask_for_pilot(app, 50, areas=("kita",))
    assert sends(sent, 1), "the better topic fit is asked first"
    declined = await press(app, data_starting(sent, "offer:d:"), 1)
    assert "another volunteer" in texts(declined)
    second = sends(declined, 2)
    assert second
    escalated = await press(app, data_starting(second, "offer:d:"), 2)
    assert "/match" in sends(escalated, COORDINATOR)[0].reply.text
    assert sends(escalated, 50), "the newcomer is told honestly"
    assert (await requests(app))[0].status == "escalated"
    assert await events(app) == ["requested", "offered", "declined", "offered", "declined", "escalated"]
    # /match does not ask the two again: they declined this request.
    assert "no available volunteer fits it" in texts(await say(app, "/match", COORDINATOR))
    # The declined offer's button again: nothing changes.
    again = await press(app, data_starting(sent, "offer:a:"), 1)
    assert "declined" in texts(again)
    assert (await requests(app))[0].status == "escalated"


async def test_hard_constraints_language_and_woman(app: App) -> None:
    await coordinator(app)
    await register(app, 1, languages=("uk",), lang="de")  # speaks de and uk, not Arabic
    await approve(app, 1)
    await register(app, 2, languages=("ar",), woman=False)
    await approve(app, 2)
    sent = await ask_for_pilot(app, 50, lang="ar", woman=True)
    assert not sends(sent, 1) and not sends(sent, 2)
    assert (await requests(app))[0].status == "escalated"
    await register(app, 3, languages=("ar",), woman=True)
    await approve(app, 3)
    proposal = await say(app, "/match", COORDINATOR)
    assert "1 of 1" in texts(proposal)
    go = await press(app, "match:go", COORDINATOR)
    assert "1 offer sent" in texts(go)
    assert sends(go, 3)


async def test_timeout_moves_the_offer_on(app: App, clock: FakeClock) -> None:
    await coordinator(app)
    await approved_volunteer(app, 1)
    await approved_volunteer(app, 2)
    sent = await ask_for_pilot(app, 50)
    first = sends(sent)[0].chat_id
    second = 2 if first == 1 else 1
    assert await app.runtime.wake() == []  # nothing due yet
    clock.advance(hours=24, minutes=1)
    woken = await app.runtime.wake()
    assert sends(woken, first) and data_starting(sends(woken, second), "offer:a:")
    late = await press(app, data_starting(sent, "offer:a:"), first)
    assert "expired" in texts(late)
    assert await events(app) == ["requested", "offered", "timed_out", "offered"]
    assert [o.status for o in sorted(await offers(app), key=lambda o: o.id)] == ["expired", "pending"]


async def test_two_volunteers_accepting_at_once_exactly_one_wins(app: App) -> None:
    await coordinator(app)
    for uid in (1, 2):
        await register(app, uid, capacity=5)
        await approve(app, uid)
    await onboard(app, 50, "ar")
    newcomer = (await rows(app, User, telegram_id=50))[0]
    one, two = await volunteer_of(app, 1), await volunteer_of(app, 2)
    for round_ in range(5):  # each round: a fresh request offered to both (as after a /match)
        now = datetime.now(UTC)
        async with app.runtime.sessionmaker() as session:
            request = PilotRequest(
                newcomer_id=newcomer.id, region="soest", language="ar", languages="ar", status="waiting", created_at=now
            )
            session.add(request)
            await session.flush()
            pair = [
                Offer(request_id=request.id, volunteer_id=v.id, offered_at=now, expires_at=now + timedelta(hours=1))
                for v in (one, two)
            ]
            session.add_all(pair)
            await session.commit()
            presses = [press(app, f"offer:a:{pair[0].id}", 1), press(app, f"offer:a:{pair[1].id}", 2)]
        results = await asyncio.gather(*(presses if round_ % 2 else reversed(presses)))
        won = [r for r in results if "pilot of this newcomer" in texts(r)]
        lost = [r for r in results if "Another volunteer has already taken" in texts(r)]
        assert len(won) == 1 and len(lost) == 1, [texts(r) for r in results]
        stored = (await rows(app, PilotRequest, id=request.id))[0]
        assert stored.status == "matched" and stored.volunteer_id in (one.id, two.id)
        statuses = sorted(o.status for o in await rows(app, Offer, request_id=request.id))
        assert statuses == ["accepted", "taken"]
    assert (await events(app)).count("accepted") == 5


async def test_stale_foreign_and_cancelled_buttons_change_nothing(app: App) -> None:
    await coordinator(app)
    await approved_volunteer(app, 1)
    await approved_volunteer(app, 2, languages=("uk",))
    sent = await ask_for_pilot(app, 50)
    accept = data_starting(sent, "offer:a:")
    holder = sends(sent)[0].chat_id
    stranger = 2 if holder == 1 else 1
    foreign = await press(app, accept, stranger)
    assert isinstance(foreign[0], Notice) and "not offered to you" in foreign[0].text
    for garbage in ("offer:a:xyz", "offer:q:1", "pf:999:send:", "pil:w:abc", "vet:ok:1", "pfb:1:great", "match:go"):
        result = await press(app, garbage, holder)
        assert result and all(isinstance(a, Notice | Reply) for a in result)
    assert (await requests(app))[0].status == "waiting"

    # The newcomer withdraws: the volunteer is told, and the button then refuses.
    status = await say(app, "/pilot", 50, "ar")
    ask = await press(app, data_starting(status, "pf:"), 50, "ar")
    withdrawn = await press(app, data_starting(ask, "pf:"), 50, "ar")
    assert sends(withdrawn, holder)
    assert (await requests(app))[0].status == "cancelled"
    late = await press(app, accept, holder)
    assert "withdrawn" in texts(late)
    assert (await requests(app))[0].status == "cancelled"
    assert "cancelled" in await events(app)


async def test_volunteer_deleting_account_moves_offers_on(app: App) -> None:
    await coordinator(app)
    await approved_volunteer(app, 1)
    await approved_volunteer(app, 2)
    sent = await ask_for_pilot(app, 50)
    holder = sends(sent)[0].chat_id
    other = 2 if holder == 1 else 1
    await say(app, "/delete", holder)
    gone = await press(app, "delete:yes", holder)
    assert data_starting(sends(gone, other), "offer:a:")
    assert len(await rows(app, Volunteer)) == 1
    assert [o.status for o in await offers(app)] == ["pending"]


async def test_match_assigns_the_backlog_after_confirmation(app: App) -> None:
    await coordinator(app)
    for uid in range(50, 54):
        await ask_for_pilot(app, uid, areas=("kita",))
    assert {r.status for r in await requests(app)} == {"escalated"}
    for uid in (1, 2):
        await register(app, uid, capacity=2)
        await approve(app, uid)
    proposal = await say(app, "/match", COORDINATOR)
    assert "4 of 4" in texts(proposal)
    assert not sends(proposal), "nothing goes out before the coordinator confirms"
    go = await press(app, "match:go", COORDINATOR)
    assert "4 offers sent" in texts(go)
    assert len(sends(go)) == 4
    assert "proposal" in texts(await press(app, "match:go", COORDINATOR))  # used up
    assert "No request is waiting" in texts(await say(app, "/match", COORDINATOR))


async def test_checkin_after_the_configured_days(app: App, clock: FakeClock) -> None:
    await coordinator(app)
    await approved_volunteer(app, 1)
    sent = await ask_for_pilot(app, 50)
    await press(app, data_starting(sent, "offer:a:"), 1)
    assert await app.runtime.wake() == []
    clock.advance(days=14, minutes=1)
    woken = await app.runtime.wake()
    assert "14 days" in sends(woken, 1)[0].reply.text
    assert await app.runtime.wake() == []  # asked once
    helped = await press(app, data_starting(woken, "chk:").rsplit(":", 1)[0] + ":help", 1)
    assert sends(helped, COORDINATOR)
    assert "checkin:help" in await events(app)


async def test_pause_and_requests(app: App) -> None:
    await coordinator(app)
    await approved_volunteer(app, 1)
    assert "Paused" in texts(await say(app, "/pause", 1))
    sent = await ask_for_pilot(app, 50)
    assert not sends(sent, 1)
    assert "again" in texts(await say(app, "/pause", 1))
    assert "No open requests" in texts(await say(app, "/requests", 1))
    await press(app, "pf:0:x:y", 1)  # garbage changes nothing
    await app.runtime.wake()  # the escalated request stays with the coordinators
    assert "No open requests" in texts(await say(app, "/requests", 1))


async def test_relayed_texts_and_notes_do_not_reach_the_log(app: App, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    caplog.set_level(logging.DEBUG, logger="lotse")
    await coordinator(app)
    await approved_volunteer(app, 1)
    sent = await ask_for_pilot(app, 50, note="Geheimnis Notiz 0171 1111111")
    accepted = await press(app, data_starting(sent, "offer:a:"), 1)
    await press(app, data_starting(accepted, "pil:w:"), 1)
    await say(app, "Vertraulich 0172 2222222", 1)
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "Geheimnis" not in logged and "Vertraulich" not in logged and "2222222" not in logged


async def test_newcomer_leaving_ends_the_pilotage_and_mydata_shows_the_forms(app: App) -> None:
    await coordinator(app)
    await approved_volunteer(app, 1)
    sent = await ask_for_pilot(app, 50, note="Zwei Kinder")
    assert "L-" in texts(await say(app, "/mydata", 1))
    assert "Zwei Kinder" in texts(await say(app, "/mydata", 50, "ar"))
    await press(app, data_starting(sent, "offer:a:"), 1)
    await say(app, "/delete", 50, "ar")
    gone = await press(app, "delete:yes", 50, "ar")
    assert "left lotse" in sends(gone, 1)[0].reply.text
    assert await requests(app) == []
    assert (await events(app))[-1] == "completed:newcomer-left"
    assert "No open requests" in texts(await say(app, "/requests", 1))
