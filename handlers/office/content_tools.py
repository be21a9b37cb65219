"""Coordinators' content tools: the questions lotse could not answer, and reloading the content."""

from __future__ import annotations

from datetime import timedelta

from handlers.context import Context
from handlers.dates import short_date
from handlers.types import Action, Reply

UNANSWERED_DAYS = 30


def _refused(ctx: Context) -> list[Action]:
    return [Reply(ctx.t._("This command is only for coordinators of the integration office."))]


async def unanswered(ctx: Context) -> list[Action]:
    if not ctx.is_coordinator:
        return _refused(ctx)
    since = ctx.now.date() - timedelta(days=UNANSWERED_DAYS)
    rows = await ctx.repo.unanswered(ctx.region.id, since)
    if not rows:
        none = ctx.t.n_(
            "No unanswered questions in the last %(n)d day.",
            "No unanswered questions in the last %(n)d days.",
            UNANSWERED_DAYS,
        )
        return [Reply(none)]
    lines = [
        ctx.t.n_("%(n)d unanswered question (newest first):", "%(n)d unanswered questions (newest first):", len(rows))
    ]
    for text, language, asked_on, count in rows:
        times = f" ({count}×)" if count > 1 else ""
        lines.append(f"• {short_date(asked_on, ctx.lang)} [{language}]{times}: {text}")
    return [Reply("\n".join(lines))]


async def reload(ctx: Context) -> list[Action]:
    if not ctx.is_coordinator:
        return _refused(ctx)
    pack = ctx.library.reload()
    text = ctx.t.n_("Content reloaded: %(n)d topic.", "Content reloaded: %(n)d topics.", len(pack.topics))
    if pack.problems:
        text += "\n" + ctx.t._("Problems (these files were left out):") + "\n" + "\n".join(pack.problems)
    return [Reply(text)]
