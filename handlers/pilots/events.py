"""The pseudonymous steps of a pilot request, for the statistics: requested, offered,
accepted, declined, timed_out, escalated, cancelled, completed, ended, feedback, checkin."""

from __future__ import annotations

import hashlib

from handlers.context import Context
from models.tables import PilotEvent, PilotRequest


def request_ref(request: PilotRequest) -> str:
    """A pseudonym of the request: stable across its events, and neither a user nor a row id."""
    key = f"{request.id}:{request.created_at.isoformat()}".encode()
    return hashlib.blake2b(key, digest_size=6, person=b"lotse-request").hexdigest()


async def record(ctx: Context, request: PilotRequest, kind: str, detail: str | None = None) -> None:
    await ctx.pilots.record_event(
        PilotEvent(
            at=ctx.now,
            region=request.region,
            kind=kind,
            ref=request_ref(request),
            language=request.language,
            detail=detail,
        )
    )
