"""Steps for the pilot tests: register volunteers, approve them, ask for a pilot."""

from __future__ import annotations

from sqlmodel import select

from bot.app import App
from handlers.types import Action, Button, Reply, Send
from models.tables import Offer, PilotRequest, User, Volunteer
from tests.conftest import COORDINATOR
from tests.test_conversation import onboard, press, say


def buttons(actions: list[Action]) -> list[Button]:
    found = []
    for action in actions:
        reply = action.reply if isinstance(action, Send) else action
        if isinstance(reply, Reply):
            found += [b for row in reply.buttons for b in row]
    return found


def data_starting(actions: list[Action], prefix: str) -> str:
    return next(b.data for b in buttons(actions) if b.data.startswith(prefix))


def sends(actions: list[Action], to: int | None = None) -> list[Send]:
    return [a for a in actions if isinstance(a, Send) and (to is None or a.chat_id == to)]


async def rows(app: App, model: type, **where: object) -> list:  # type: ignore[type-arg]
    async with app.runtime.sessionmaker() as session:
        query = select(model)
        for name, value in where.items():
            query = query.where(getattr(model, name) == value)
        return list((await session.exec(query)).all())


async def volunteer_of(app: App, telegram_id: int) -> Volunteer:
    user = (await rows(app, User, telegram_id=telegram_id))[0]
    return (await rows(app, Volunteer, user_id=user.id))[0]


async def coordinator(app: App) -> None:
    await onboard(app, COORDINATOR, "en")


async def register(
    app: App,
    uid: int,
    languages: tuple[str, ...] = ("ar",),
    areas: tuple[str, ...] = ("kita",),
    district: str = "south",
    woman: bool = False,
    capacity: int = 2,
    lang: str = "en",
) -> list[Action]:
    """A volunteer goes through /volunteer; returns the actions of the last step."""
    await onboard(app, uid, lang, "volunteer")
    await say(app, "/volunteer", uid, lang)
    for code in languages:
        await press(app, f"vf:lang:{code}", uid, lang)
    await press(app, "vf:go:area", uid, lang)
    for area in areas:
        await press(app, f"vf:area:{area}", uid, lang)
    await press(app, "vf:go:dist", uid, lang)
    await press(app, f"vf:dist:{district}", uid, lang)
    await press(app, "vf:go:cap", uid, lang)
    await press(app, f"vf:cap:{capacity}", uid, lang)
    return await press(app, f"vf:woman:{'yes' if woman else 'no'}", uid, lang)


async def approve(app: App, uid: int) -> list[Action]:
    volunteer = await volunteer_of(app, uid)
    return await press(app, f"vet:ok:{volunteer.id}", COORDINATOR)


async def approved_volunteer(app: App, uid: int, **profile: object) -> None:
    await register(app, uid, **profile)  # type: ignore[arg-type]
    await approve(app, uid)


async def ask_for_pilot(
    app: App,
    uid: int,
    lang: str = "ar",
    areas: tuple[str, ...] = ("kita",),
    district: str = "south",
    woman: bool = False,
    note: str | None = None,
) -> list[Action]:
    """A newcomer fills in /pilot and sends it; returns the actions of sending."""
    await onboard(app, uid, lang)
    first = await say(app, "/pilot", uid, lang)
    rid = data_starting(first, "pf:").split(":")[1]
    await press(app, f"pf:{rid}:go:area", uid, lang)
    for area in areas:
        await press(app, f"pf:{rid}:area:{area}", uid, lang)
    await press(app, f"pf:{rid}:go:dist", uid, lang)
    await press(app, f"pf:{rid}:dist:{district}", uid, lang)
    await press(app, f"pf:{rid}:go:pref", uid, lang)
    await press(app, f"pf:{rid}:pref:{'woman' if woman else 'none'}", uid, lang)
    if note is not None:
        await say(app, note, uid, lang)
    else:
        await press(app, f"pf:{rid}:go:review", uid, lang)
    return await press(app, f"pf:{rid}:send:", uid, lang)


async def offers(app: App) -> list[Offer]:
    return await rows(app, Offer)


async def requests(app: App) -> list[PilotRequest]:
    return await rows(app, PilotRequest)
