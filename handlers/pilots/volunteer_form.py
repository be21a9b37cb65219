"""/volunteer (register or edit the profile), /pause and /requests for volunteer pilots.

A new profile is a ``draft`` while the form runs, then ``pending`` until a coordinator
approves it (/volunteers). Edits of a registered profile apply at once.
"""

from __future__ import annotations

from content.languages import LANGUAGES
from handlers.buttons import VolunteerForm
from handlers.context import Context
from handlers.i18n import Text
from handlers.pilots import form_keys as forms
from handlers.pilots.offers import offer_buttons
from handlers.pilots.pilotage import pilotage_buttons
from handlers.pilots.terms import (
    AREAS,
    DISTRICTS,
    WEEK_SLOTS,
    area_name,
    describe,
    district_name,
    format_levels,
    level_name,
    parse_levels,
    split,
    times_summary,
    toggle,
)
from handlers.types import Action, Button, Notice, Reply
from models.tables import Role, Volunteer, VolunteerStatus

ORDER = ("lang", "area", "dist", "time", "cap", "woman")
MAX_CAPACITY = 5


def _key(field: str, value: str = "") -> str:
    return str(VolunteerForm(field, value))  # type: ignore[arg-type]


def number(volunteer: Volunteer) -> str:
    """What the volunteer and the office call the profile: no name is stored."""
    return f"L-{volunteer.id}"


def status_line(t: Text, volunteer: Volunteer) -> str:
    lines = {
        VolunteerStatus.draft: t._("Registration not finished."),
        VolunteerStatus.pending: t._("Waiting for approval by the integration office."),
        VolunteerStatus.approved: t._("Approved: you can receive pilot requests."),
        VolunteerStatus.rejected: t._("Not approved."),
        VolunteerStatus.deactivated: t._("Deactivated by the integration office."),
    }
    line = lines.get(volunteer.status, volunteer.status)
    if volunteer.status_reason and volunteer.status in (VolunteerStatus.rejected, VolunteerStatus.deactivated):
        line += " " + t._("Reason: %(reason)s", reason=volunteer.status_reason)
    if volunteer.paused:
        line += "\n" + t._("⏸ Paused: you receive no new requests.")
    return line


def profile_text(t: Text, volunteer: Volunteer, lang: str) -> str:
    levels = parse_levels(volunteer.languages)
    languages = ", ".join(f"{LANGUAGES[c].native_name} ({level_name(t, lv)})" for c, lv in levels.items())
    return "\n".join(
        [
            t._("Volunteer number: %(number)s", number=number(volunteer)),
            status_line(t, volunteer),
            "",
            t._("Languages: %(languages)s", languages=languages or "–"),
            t._("Help with: %(areas)s", areas=", ".join(area_name(t, a) for a in split(volunteer.areas)) or "–"),
            t._("Part of town: %(district)s", district=district_name(t, volunteer.district)),
            t._("Can meet: %(times)s", times=times_summary(t, volunteer.times, lang)),
            t.n_(
                "Accompanies at most %(n)d newcomer at a time.",
                "Accompanies at most %(n)d newcomers at a time.",
                volunteer.capacity,
            ),
            t._("Woman pilot: %(answer)s", answer=t._("yes") if volunteer.woman else t._("no")),
        ]
    )


def profile(ctx: Context, volunteer: Volunteer, edit: bool = False) -> Reply:
    t = ctx.t
    keys = (
        (Button("✏️ " + t._("Languages"), _key("go", "lang")), Button("✏️ " + t._("Topics"), _key("go", "area"))),
        (Button("✏️ " + t._("Part of town"), _key("go", "dist")), Button("✏️ " + t._("Times"), _key("go", "time"))),
        (Button("✏️ " + t._("How many"), _key("go", "cap")), Button("✏️ " + t._("Woman pilot"), _key("go", "woman"))),
        (Button(("▶️ " + t._("Resume")) if volunteer.paused else ("⏸ " + t._("Pause")), _key("pause")),),
    )
    return Reply(profile_text(t, volunteer, ctx.lang), keys, edit=edit)


async def volunteer_command(ctx: Context) -> list[Action]:
    if ctx.user is None:
        return [Reply(ctx.t._("Please send /start first."))]
    volunteer = await ctx.pilots.volunteer_of(ctx.user.id or 0)
    if volunteer is None:
        volunteer = await ctx.pilots.add_volunteer(ctx.user.id or 0, ctx.now)
        volunteer.languages = format_levels({ctx.lang: 3})
        if ctx.user.role != Role.coordinator:
            ctx.user.role = Role.volunteer
        intro = ctx.t._(
            "Thank you for wanting to accompany newcomers as a volunteer pilot "
            "(in German: “Integrationslotse”)! Please answer a few questions. Then the "
            "integration office checks your registration."
        )
        return [Reply(intro), step(ctx, volunteer, "lang")]
    if volunteer.status == VolunteerStatus.draft:
        return [step(ctx, volunteer, "lang")]
    return [profile(ctx, volunteer)]


def _following(volunteer: Volunteer, name: str) -> str:
    """Registration walks through all steps; an edit returns to the profile."""
    if volunteer.status != VolunteerStatus.draft:
        return "profile"
    index = ORDER.index(name)
    return ORDER[index + 1] if index + 1 < len(ORDER) else "finish"


def step(ctx: Context, volunteer: Volunteer, name: str, edit: bool = False) -> Reply:
    t = ctx.t
    go = _key("go", _following(volunteer, name))
    if name == "lang":
        text = t._(
            "Which languages do you speak? Tap a language again to change the level: "
            "●○○ basic, ●●○ good, ●●● fluent; a fourth tap removes it."
        )
        keys = forms.keyboard(
            forms.language_toggles(lambda v: _key("lang", v), parse_levels(volunteer.languages), True),
            forms.next_row(t, go),
        )
    elif name == "area":
        text = t._("What can you help with? Tap all that apply.")
        keys = forms.keyboard(
            forms.area_toggles(t, lambda v: _key("area", v), split(volunteer.areas)), forms.next_row(t, go)
        )
    elif name == "dist":
        text = t._("In which part of town can you accompany newcomers?")
        keys = forms.keyboard(forms.district_choice(t, lambda v: _key("dist", v), volunteer.district))
    elif name == "time":
        text = t._("When do you usually have time? Tap all that apply, or choose “any time”.")
        keys = forms.keyboard(forms.week_grid(t, ctx.lang, lambda v: _key("time", v), volunteer.times, go))
        text += "\n" + forms.week_legend(t)
    elif name == "cap":
        text = t._("How many newcomers can you accompany at the same time?")
        keys = (
            tuple(
                Button(forms.tick(n == volunteer.capacity, str(n)), _key("cap", str(n)))
                for n in range(1, MAX_CAPACITY + 1)
            ),
        )
    else:
        text = t._(
            "Some newcomers, often women, ask for a woman as pilot. Should we offer you such "
            "requests? (Answer only if you like; it is used for nothing else.)"
        )
        keys = (
            (Button(t._("Yes, I am a woman"), _key("woman", "yes")),),
            (Button(t._("No / I prefer not to say"), _key("woman", "no")),),
        )
    return Reply(text, keys, edit=edit)


async def button(ctx: Context, pressed: VolunteerForm) -> list[Action]:
    field, choice = pressed.field, pressed.value
    volunteer = await ctx.pilots.volunteer_of(ctx.user.id or 0) if ctx.user else None
    if volunteer is None:
        return [Notice(ctx.t._("This form is no longer active. Send /volunteer to start again."))]
    if field == "lang" and choice in LANGUAGES:
        levels = parse_levels(volunteer.languages)
        level = (levels.get(choice, 0) + 1) % 4
        if level:
            levels[choice] = level
        elif len(levels) > 1:  # at least one language stays
            levels.pop(choice)
        volunteer.languages = format_levels(levels)
        return [step(ctx, volunteer, "lang", edit=True)]
    if field == "area" and choice in AREAS:
        volunteer.areas = toggle(volunteer.areas, choice)
        return [step(ctx, volunteer, "area", edit=True)]
    if field == "dist" and (choice in DISTRICTS or choice == "any"):
        volunteer.district = None if choice == "any" else choice
        return await _go(ctx, volunteer, _following(volunteer, "dist"))
    if field == "time":
        if choice == "any":
            volunteer.times = 0
        elif choice.isdigit() and int(choice) < WEEK_SLOTS:
            volunteer.times ^= 1 << int(choice)
        return [step(ctx, volunteer, "time", edit=True)]
    if field == "cap" and choice.isdigit() and 1 <= int(choice) <= MAX_CAPACITY:
        volunteer.capacity = int(choice)
        return await _go(ctx, volunteer, _following(volunteer, "cap"))
    if field == "woman" and choice in ("yes", "no"):
        volunteer.woman = choice == "yes"
        return await _go(ctx, volunteer, _following(volunteer, "woman"))
    if field == "go":
        return await _go(ctx, volunteer, choice)
    if field == "pause":
        return [_set_pause(ctx, volunteer, not volunteer.paused, edit=True)]
    return [Notice(ctx.t._("This form is no longer active. Send /volunteer to start again."))]


async def _go(ctx: Context, volunteer: Volunteer, name: str) -> list[Action]:
    if name in ORDER:
        return [step(ctx, volunteer, name, edit=True)]
    if name == "finish" and volunteer.status == VolunteerStatus.draft:
        return await _finish(ctx, volunteer)
    return [profile(ctx, volunteer, edit=True)]


async def _finish(ctx: Context, volunteer: Volunteer) -> list[Action]:
    volunteer.status, volunteer.status_changed_at = VolunteerStatus.pending, ctx.now
    text = ctx.t._(
        "Thank you! Your registration is complete. Your volunteer number is %(number)s. The "
        "integration office will check it and get back to you; please mention the number "
        "when you talk to them.",
        number=number(volunteer),
    )
    actions: list[Action] = [Reply(text, edit=True), profile(ctx, volunteer)]
    for coordinator in await ctx.pilots.coordinators():
        t = ctx.speak(coordinator)
        note = t._(
            "🆕 A new volunteer registered and waits for approval: %(number)s. See /volunteers.",
            number=number(volunteer),
        )
        actions += ctx.send(coordinator, note)
    return actions


def _set_pause(ctx: Context, volunteer: Volunteer, paused: bool, edit: bool = False) -> Reply:
    volunteer.paused = paused
    if paused:
        text = ctx.t._("⏸ Paused. You will receive no new requests until you resume. Running pilotages continue.")
    else:
        text = ctx.t._("▶️ Welcome back! You can receive pilot requests again.")
    return Reply(text + "\n\n" + profile_text(ctx.t, volunteer, ctx.lang), profile(ctx, volunteer).buttons, edit=edit)


async def pause(ctx: Context) -> list[Action]:
    volunteer = await ctx.pilots.volunteer_of(ctx.user.id or 0) if ctx.user else None
    if volunteer is None or volunteer.status == VolunteerStatus.draft:
        return [Reply(ctx.t._("You are not registered as a volunteer pilot yet. Send /volunteer to register."))]
    return [_set_pause(ctx, volunteer, not volunteer.paused)]


async def requests(ctx: Context) -> list[Action]:
    """/requests: the offers waiting for my answer and my running pilotages."""
    volunteer = await ctx.pilots.volunteer_of(ctx.user.id or 0) if ctx.user else None
    if volunteer is None or volunteer.status == VolunteerStatus.draft:
        return [Reply(ctx.t._("You are not registered as a volunteer pilot yet. Send /volunteer to register."))]
    t = ctx.t
    actions: list[Action] = []
    for offer, request in await ctx.pilots.pending_offers(volunteer.id or 0):
        if offer.expires_at > ctx.now:
            text = t._("🧭 Request waiting for your answer:") + "\n\n" + describe(t, request, ctx.lang)
            actions.append(Reply(text, offer_buttons(t, offer)))
    for request in await ctx.pilots.pilotages(volunteer.id or 0):
        text = t._("🤝 You accompany this newcomer:") + "\n\n" + describe(t, request, ctx.lang)
        actions.append(Reply(text, pilotage_buttons(t, request.id or 0, True)))
    if not actions:
        return [Reply(t._("No open requests for you right now. Thank you for being there!"))]
    return actions
