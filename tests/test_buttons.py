"""Typed button payloads, the role check before any handler, and text waits that let go."""

from __future__ import annotations

import dataclasses
import typing

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.app import App
from handlers import buttons
from handlers.dispatch import ROUTES
from handlers.i18n import Translator
from models.tables import OutboxMessage, PilotRequest, Volunteer
from tests.clock import FakeClock
from tests.pilot_steps import (
    COORDINATOR,
    approved_volunteer,
    ask_for_pilot,
    coordinator,
    data_starting,
    register,
    rows,
    sends,
    volunteer_of,
)
from tests.test_conversation import press, say, texts


def _values(cls: type[buttons.Payload]) -> st.SearchStrategy[buttons.Payload]:
    hints = typing.get_type_hints(cls)
    parts = {}
    for spec in dataclasses.fields(cls):  # type: ignore[arg-type]
        kind = hints[spec.name]
        if kind is int:
            parts[spec.name] = st.integers(0, 10**11)
        elif typing.get_origin(kind) is typing.Literal:
            parts[spec.name] = st.sampled_from(typing.get_args(kind))
        elif issubclass(cls, buttons._LanguageCode):
            parts[spec.name] = st.sampled_from(["ar", "uk", "de", "ti"])
        else:
            parts[spec.name] = st.from_regex(r"[a-z0-9.-]{0,24}", fullmatch=True)
    return st.builds(cls, **parts)


@given(st.sampled_from(list(buttons.KINDS.values())).flatmap(_values))
def test_every_payload_survives_the_round_trip(payload: buttons.Payload) -> None:
    data = str(payload)
    assert len(data.encode()) <= 64
    assert buttons.parse(data) == payload


@pytest.mark.parametrize(
    "data",
    [
        "",
        "nonsense",
        "offer:a",
        "offer:x:1",
        "offer:a:1:2",
        "offer:a:-1",
        "lang:xx",
        "vet:ok:1e3",
        "pil:w:١٢",
        "fb:y:a:b",
        "topic:" + "x" * 70,
        "pf:1:evil:",
    ],
)
def test_malformed_payloads_are_not_ours(data: str) -> None:
    assert buttons.parse(data) is None


def test_every_payload_has_a_handler() -> None:
    assert set(ROUTES.buttons) == set(buttons.KINDS.values())


def test_a_payload_over_64_bytes_cannot_be_built() -> None:
    with pytest.raises(ValueError):
        str(buttons.ShowTopic("x" * 60))


async def _snapshot(app: App) -> tuple:
    volunteers = [(v.id, v.status, v.paused) for v in await rows(app, Volunteer)]
    requests = [(r.id, r.status, r.volunteer_id) for r in await rows(app, PilotRequest)]
    return volunteers, requests, len(await rows(app, OutboxMessage))


async def test_forged_and_foreign_buttons_change_nothing(app: App) -> None:
    await coordinator(app)
    await register(app, 1)  # pending, not approved
    await approved_volunteer(app, 2)
    sent = await ask_for_pilot(app, 50)
    offer = data_starting(sent, "offer:a:")
    pending = await volunteer_of(app, 1)
    before = await _snapshot(app)
    forged = {
        50: [f"vet:ok:{pending.id}", "match:go", offer, "chk:1:help"],  # a newcomer as coordinator or volunteer
        1: [f"vet:ok:{pending.id}", offer.replace("offer:a", "offer:d"), "pil:E:1"],  # someone else's offer
        2: [f"vet:no:{pending.id}", "match:go", "pf:1:send:", "delete:yes:now"],
        COORDINATOR: [offer, "pil:E:1", "pfb:1:good"],
    }
    for uid, payloads in forged.items():
        for data in payloads:
            answer = await press(app, data, uid)
            assert all(not sends([a]) for a in answer)
    assert await _snapshot(app) == before
    refusal = await press(app, f"vet:ok:{pending.id}", 50)
    assert texts(refusal) == Translator()("ar")._("This command is for coordinators of the integration office.")


async def test_write_to_the_pilot_can_be_cancelled(app: App) -> None:
    await coordinator(app)
    await approved_volunteer(app, 1)
    sent = await ask_for_pilot(app, 50)
    accepted = await press(app, data_starting(sent, "offer:a:"), 1)
    prompt = await press(app, data_starting(accepted, "pil:w:"), 1)
    cancel = data_starting(prompt, "wait:")
    assert "Cancelled" in texts(await press(app, cancel, 1))
    reply = await say(app, "Wie melde ich mein Kind in der Kita an?", 1)
    assert not sends(reply, 50)  # a question, answered, not relayed
    assert "Kita" in texts(reply)


async def test_a_question_typed_after_the_wait_ran_out_is_answered(app: App, clock: FakeClock) -> None:
    await coordinator(app)
    await approved_volunteer(app, 1)
    sent = await ask_for_pilot(app, 50)
    accepted = await press(app, data_starting(sent, "offer:a:"), 1)
    await press(app, data_starting(accepted, "pil:w:"), 1)
    clock.advance(hours=3)
    reply = await say(app, "how do I register my child for a Kita", 1)
    assert not sends(reply, 50)
    assert "Kita" in texts(reply)
    # within the wait it is relayed
    await press(app, data_starting(accepted, "pil:w:"), 1)
    clock.advance(minutes=5)
    assert sends(await say(app, "Hallo!", 1), 50)
