"""The words of the pilot forms: help areas, parts of town, language levels, the week grid.

Help areas join the topic catalogue's top levels with the Runder Tisch working groups of
seed 001 (Bildung, Mobilität, Sport, Kultur & Freizeit, Dolmetschen, Erstversorgung,
Kleiderkammer), so that a newcomer's need and a volunteer's offer use one list:
Bildung -> language/school, Sport and Kultur & Freizeit -> leisure, Erstversorgung and
Kleiderkammer -> everyday. Parts of town are compass parts plus the villages, which fit
any town (seed 001 speaks of the "Soester Süden", "Norden", "Westen" and the villages).
"""

from __future__ import annotations

from babel.dates import get_day_names

from content.languages import LANGUAGES
from handlers.i18n import Text
from handlers.questions.answers import hide_contacts
from matching import INTERPRETING, WEEK_SLOTS
from models.tables import PilotRequest

AREAS = (
    "offices",
    "language",
    "kita",
    "school",
    "housing",
    "work",
    "health",
    "leisure",
    "mobility",
    INTERPRETING,
    "everyday",
)
DISTRICTS = ("centre", "north", "east", "south", "west", "villages")
LEVELS = (1, 2, 3)
PART_ICONS = ("🌅", "☀️", "🌙")  # morning, afternoon, evening
ALL_WEEK = (1 << WEEK_SLOTS) - 1


def area_name(t: Text, area: str) -> str:
    names = {
        "offices": t._("Appointments at offices"),
        "language": t._("Learning German"),
        "kita": t._("Kita and child care"),
        "school": t._("School"),
        "housing": t._("Finding a flat"),
        "work": t._("Work and training"),
        "health": t._("Doctors and health"),
        "leisure": t._("Sport, culture and leisure"),
        "mobility": t._("Getting around (bus, bike)"),
        INTERPRETING: t._("Interpreting"),
        "everyday": t._("Everyday life, clothes and first needs"),
    }
    return names.get(area, area)


def district_name(t: Text, district: str | None) -> str:
    names = {
        "centre": t._("City centre"),
        "north": t._("North"),
        "east": t._("East"),
        "south": t._("South"),
        "west": t._("West"),
        "villages": t._("Villages around the town"),
    }
    return names.get(district or "", t._("Anywhere in town"))


def level_name(t: Text, level: int) -> str:
    return {1: t._("basic"), 2: t._("good"), 3: t._("fluent")}.get(level, "")


def level_dots(level: int) -> str:
    return "●" * level + "○" * (3 - level)


def day_names(lang: str) -> list[str]:
    names = get_day_names("abbreviated", locale=lang)
    return [names[day] for day in range(7)]


def times_summary(t: Text, times: int, lang: str) -> str:
    """ "Mon 🌅☀️, Wed 🌙" or "any time"."""
    if times in (0, ALL_WEEK):
        return t._("any time")
    days = day_names(lang)
    parts = []
    for day in range(7):
        icons = "".join(PART_ICONS[p] for p in range(3) if times >> (day * 3 + p) & 1)
        if icons:
            parts.append(f"{days[day]} {icons}")
    return ", ".join(parts)


def toggle(codes: str, code: str) -> str:
    values = [c for c in codes.split(",") if c]
    values = [c for c in values if c != code] if code in values else [*values, code]
    return ",".join(values)


def split(codes: str) -> list[str]:
    return [c for c in codes.split(",") if c]


def parse_levels(codes: str) -> dict[str, int]:
    """ "de:3,ar:2" -> {"de": 3, "ar": 2}; unknown languages and levels are dropped."""
    levels: dict[str, int] = {}
    for part in split(codes):
        code, _, level = part.partition(":")
        if code in LANGUAGES and level.isdigit() and int(level) in LEVELS:
            levels[code] = int(level)
    return levels


def format_levels(levels: dict[str, int]) -> str:
    return ",".join(f"{code}:{level}" for code, level in levels.items())


def languages_summary(codes: list[str]) -> str:
    return ", ".join(LANGUAGES[c].native_name for c in codes if c in LANGUAGES)


def describe(t: Text, request: PilotRequest, lang: str) -> str:
    """The request as a volunteer or coordinator sees it: no name, no contact, the note masked."""
    lines = [
        t._("Languages: %(languages)s", languages=languages_summary(split(request.languages))),
        t._("Help with: %(areas)s", areas=", ".join(area_name(t, a) for a in split(request.areas)) or "–"),
        t._("Part of town: %(district)s", district=district_name(t, request.district)),
        t._("Can meet: %(times)s", times=times_summary(t, request.times, lang)),
    ]
    if request.wants_woman:
        lines.append(t._("Would like a woman as pilot."))
    if request.note:
        lines.append(t._("Note from the newcomer: “%(note)s”", note=hide_contacts(request.note)))
    return "\n".join(lines)
