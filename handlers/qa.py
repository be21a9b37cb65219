"""Plain text is a question. Until the content base answers (issue: content and answering),
every question takes the honest path: no answer yet, and the person to ask instead."""

from __future__ import annotations

from handlers.context import Context
from handlers.dates import long_date
from handlers.types import Action, Reply


def office_referral(ctx: Context) -> str:
    region = ctx.region
    lines = [
        ctx.t._(
            "The integration office of %(town)s can help you (in German: "
            "“Integrationsbeauftragte”, the town's officer for integration):",
            town=region.town,
        ),
        *region.office.lines(),
        ctx.t._("Source: %(source)s, as of %(date)s", source=region.source, date=long_date(region.as_of, ctx.lang)),
    ]
    return "\n".join(lines)


async def question(ctx: Context, text: str) -> list[Action]:
    if not text.strip():
        return [Reply(ctx.t._("Please write your question in a few words."))]
    answer = ctx.t._("I don't have an answer to this yet.") + "\n\n" + office_referral(ctx)
    return [Reply(answer)]
