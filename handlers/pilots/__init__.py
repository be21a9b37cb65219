"""Volunteer pilots: the newcomer's /pilot form, the volunteer's /volunteer form, vetting and
/match for coordinators, offers, the running pilotage with its relay, and leaving.

The assignment itself is the pure ``matching`` package; this feature feeds it from the database.
"""

from __future__ import annotations

from datetime import timedelta

from handlers import buttons
from handlers.context import Context
from handlers.pilots import offers, pilotage, request_form, vetting, volunteer_form
from handlers.pilots.leaving import farewell, unreachable
from handlers.pilots.terms import describe
from handlers.pilots.volunteer_form import profile_text
from handlers.routes import Routes, Wait
from handlers.types import Action

ROUTES = Routes(
    commands={
        "pilot": request_form.pilot,
        "volunteer": volunteer_form.volunteer_command,
        "pause": volunteer_form.pause,
        "requests": volunteer_form.requests,
        "done": pilotage.done_command,
        "volunteers": vetting.volunteers,
        "match": vetting.match,
    },
    buttons={
        buttons.PilotForm: request_form.button,
        buttons.VolunteerForm: volunteer_form.button,
        buttons.OfferAnswer: offers.answer,
        buttons.Pilotage: pilotage.button,
        buttons.PilotageFeedback: pilotage.feedback,
        buttons.Checkin: pilotage.checkin_answer,
        buttons.Vet: vetting.button,
        buttons.MatchDecision: vetting.match_button,
    },
    waits={
        # A message to the other side is written right after pressing "write"; a question
        # typed later is a question.
        pilotage.RELAY: Wait(pilotage.relay, timedelta(minutes=30)),
        request_form.NOTE: Wait(request_form.note, timedelta(hours=2)),
        vetting.REASON: Wait(vetting.reason, timedelta(hours=1)),
    },
)


async def tick(ctx: Context) -> list[Action]:
    """The scheduler's round for pilots: deadlines, waiting requests, check-ins."""
    return [*await offers.tick(ctx), *await pilotage.checkins_due(ctx)]


__all__ = ["ROUTES", "describe", "farewell", "profile_text", "tick", "unreachable"]
