"""Coordinators: /volunteers (vet: approve, reject, deactivate, with the reason kept and
told to the volunteer) and /match (assign the waiting backlog at once, after confirming).
"""

from __future__ import annotations

import json
from datetime import timedelta

from handlers.buttons import MatchDecision, Vet
from handlers.context import Context
from handlers.pilots.leaving import move_on
from handlers.pilots.offers import helper_of, make_offer, need_of
from handlers.pilots.terms import describe
from handlers.pilots.volunteer_form import number, profile_text
from handlers.routes import cancel_row
from handlers.types import Action, Button, Notice, Reply
from matching import assign, score
from models.tables import OPEN_REQUEST, Volunteer, VolunteerStatus

REASON = "reason"  # the text wait for a rejection's or deactivation's reason; value <no|off>:<volunteer id>
# A /match proposal waits on the user row too (User.awaiting), but for a button, not for text.
PROPOSAL = "match"
PAGE = 5
SHOWN = (VolunteerStatus.pending, VolunteerStatus.approved, VolunteerStatus.rejected, VolunteerStatus.deactivated)
PROPOSAL_VALID = timedelta(hours=1)


def _coordinators_only(ctx: Context) -> list[Action]:
    return [Reply(ctx.t._("This command is for coordinators of the integration office."))]


async def volunteers(ctx: Context, offset: int = 0) -> list[Action]:
    if not ctx.is_coordinator:
        return _coordinators_only(ctx)
    t = ctx.t
    pending = await ctx.pilots.count_volunteers([VolunteerStatus.pending])
    total = await ctx.pilots.count_volunteers(SHOWN)
    if total == 0:
        return [Reply(t._("No volunteer has registered yet."))]
    head = t.n_("%(n)d volunteer waits for approval.", "%(n)d volunteers wait for approval.", pending)
    actions: list[Action] = [Reply(head)]
    for volunteer in await ctx.pilots.volunteers(SHOWN, PAGE, offset):
        vid = volunteer.id or 0
        if volunteer.status == VolunteerStatus.pending:
            keys = (
                (
                    Button("✅ " + t._("Approve"), str(Vet("ok", vid))),
                    Button("✖️ " + t._("Reject"), str(Vet("no", vid))),
                ),
            )
        elif volunteer.status == VolunteerStatus.approved:
            keys = ((Button("⛔ " + t._("Deactivate"), str(Vet("off", vid))),),)
        else:
            keys = ((Button("✅ " + t._("Approve"), str(Vet("ok", vid))),),)
        actions.append(Reply(profile_text(t, volunteer, ctx.lang), keys))
    if offset + PAGE < total:
        more = t._("Show more (%(shown)d of %(total)d)", shown=offset + PAGE, total=total)
        actions.append(Reply("…", ((Button(more, str(Vet("page", offset + PAGE))),),)))
    return actions


async def button(ctx: Context, pressed: Vet) -> list[Action]:
    action = pressed.action
    if action == "page":
        return await volunteers(ctx, pressed.target)
    volunteer = await ctx.pilots.volunteer(pressed.target)
    if volunteer is None:
        return [Reply(ctx.t._("This volunteer has deleted their account."), edit=True)]
    if action == "ok":
        return await _approve(ctx, volunteer)
    if action in ("no", "off"):
        ctx.await_text(REASON, f"{action}:{volunteer.id}")
        prompt = ctx.t._(
            "Please write the reason in one or two sentences. The volunteer %(number)s will read it.",
            number=number(volunteer),
        )
        return [Reply(prompt, (cancel_row(ctx.t),))]
    return [Notice(ctx.t._("This button is no longer active."))]


async def _approve(ctx: Context, volunteer: Volunteer) -> list[Action]:
    if volunteer.status == VolunteerStatus.approved:
        return [Notice(ctx.t._("Already approved."))]
    volunteer.status, volunteer.status_reason, volunteer.status_changed_at = VolunteerStatus.approved, None, ctx.now
    actions: list[Action] = [Reply(ctx.t._("%(number)s is approved.", number=number(volunteer)), edit=True)]
    user = await ctx.pilots.volunteer_user(volunteer.id)
    if user is not None:
        t = ctx.speak(user)
        text = t._(
            "🎉 The integration office has approved you as a volunteer pilot. You will get "
            "requests that fit your languages, topics and times here. /pause stops them for a while."
        )
        actions += ctx.send(user, text)
    return actions


async def reason(ctx: Context, state: str, text: str) -> list[Action]:
    """The reason a coordinator wrote for rejecting or deactivating a volunteer."""
    ctx.clear_awaiting()
    action, _, target = state.partition(":")
    volunteer = await ctx.pilots.volunteer(int(target)) if target.isdigit() else None
    if not ctx.is_coordinator or volunteer is None:
        return [Reply(ctx.t._("This volunteer has deleted their account."))]
    why = " ".join("".join(c if c.isprintable() else " " for c in text).split())[:300]
    if not why:
        return [Reply(ctx.t._("Please write a reason."))]
    volunteer.status = VolunteerStatus.rejected if action == "no" else VolunteerStatus.deactivated
    volunteer.status_reason, volunteer.status_changed_at = why, ctx.now
    actions: list[Action] = [
        Reply(ctx.t._("Done: %(number)s. The reason is kept and sent to the volunteer.", number=number(volunteer)))
    ]
    user = await ctx.pilots.volunteer_user(volunteer.id)
    if user is not None:
        t = ctx.speak(user)
        if action == "no":
            note = t._("The integration office could not approve your registration as a volunteer pilot.")
        else:
            note = t._("The integration office has deactivated your volunteer pilot profile.")
        actions += ctx.send(user, note + "\n" + t._("Reason: %(reason)s", reason=why))
    if action == "off":
        actions += await move_on(ctx, volunteer)
    return actions


async def match(ctx: Context) -> list[Action]:
    """/match: propose an assignment of the whole waiting backlog; offers go out on confirm."""
    if not ctx.is_coordinator:
        return _coordinators_only(ctx)
    t = ctx.t
    backlog = await ctx.pilots.backlog()
    if not backlog:
        return [Reply(t._("No request is waiting for a pilot."))]
    pool = await ctx.pilots.available_volunteers()
    helpers = [helper_of(volunteer, load) for volunteer, load in pool]
    needs = [need_of(request, ctx) for request in backlog]
    asked = await ctx.pilots.asked_pairs([need.id for need in needs])
    pairs = [pair for pair in assign(needs, helpers) if pair not in asked]  # nobody is asked twice
    if not pairs:
        text = t.n_(
            "%(n)d request is waiting, but no available volunteer fits it.",
            "%(n)d requests are waiting, but no available volunteer fits them.",
            len(backlog),
        )
        return [Reply(text)]
    ctx.await_text(PROPOSAL, data=json.dumps(pairs))
    by_need = {n.id: n for n in needs}
    by_helper = {h.id: h for h in helpers}
    fit = sum(score(by_need[r], by_helper[v]) for r, v in pairs) / len(pairs)
    lines = [
        t._(
            "Proposal: %(matched)d of %(waiting)d waiting requests get a volunteer (average fit %(fit)d %%).",
            matched=len(pairs),
            waiting=len(backlog),
            fit=round(fit * 100),
        )
    ]
    requests = {r.id: r for r in backlog}
    numbers = {v.id: number(v) for v, _ in pool}
    for i, (r, v) in enumerate(pairs[:10], 1):
        first = describe(t, requests[r], ctx.lang).split("\n")[0]
        lines.append(f"{i}. {first} → {numbers[v]}")
    if len(pairs) > 10:
        lines.append("…")
    lines.append(t._("Send the offers now? Each volunteer can still accept or decline."))
    keys = (
        (
            Button("📨 " + t._("Send the offers"), str(MatchDecision("go"))),
            Button("✖️ " + t._("Discard"), str(MatchDecision("no"))),
        ),
    )
    return [Reply("\n".join(lines), keys)]


async def match_button(ctx: Context, pressed: MatchDecision) -> list[Action]:
    user = ctx.user
    assert user is not None
    since, proposal = user.awaiting_since, user.awaiting_data
    if (user.awaiting or "").partition(":")[0] != PROPOSAL or since is None or ctx.now - since > PROPOSAL_VALID:
        return [Reply(ctx.t._("This proposal is no longer valid. Send /match for a new one."), edit=True)]
    ctx.clear_awaiting()
    if pressed.answer != "go":
        return [Reply(ctx.t._("Discarded. No offers were sent."), edit=True)]
    pairs = json.loads(proposal or "[]")
    free = {
        volunteer.id: (volunteer, volunteer.capacity - load)
        for volunteer, load in await ctx.pilots.available_volunteers()
    }
    actions: list[Action] = []
    sent = 0
    for request_id, volunteer_id in pairs:
        request = await ctx.pilots.lock_request(request_id)
        volunteer, slots = free.get(volunteer_id, (None, 0))
        if request is None or request.status not in OPEN_REQUEST or volunteer is None or slots <= 0:
            continue  # changed since the proposal: left for the next /match
        # Offered meanwhile, or this volunteer was asked before: left alone.
        if await ctx.pilots.has_pending_offer(request_id) or volunteer_id in await ctx.pilots.asked_volunteers(
            request_id
        ):
            continue
        free[volunteer_id] = (volunteer, slots - 1)
        actions += await make_offer(ctx, request, volunteer)
        sent += 1
    text = ctx.t.n_("%(n)d offer sent.", "%(n)d offers sent.", sent)
    return [Reply(text, edit=True), *actions]
