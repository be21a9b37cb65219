"""Keyboards shared by the newcomer's /pilot form and the volunteer's /volunteer form."""

from __future__ import annotations

from collections.abc import Callable

from content.languages import LANGUAGES
from handlers.i18n import Text
from handlers.pilots.terms import AREAS, DISTRICTS, PART_ICONS, area_name, day_names, district_name, level_dots
from handlers.types import Button, Keyboard

Data = Callable[[str], str]  # a choice's value -> the button payload that picks it


def _rows(buttons: list[Button], width: int) -> list[tuple[Button, ...]]:
    return [tuple(buttons[i : i + width]) for i in range(0, len(buttons), width)]


def tick(on: bool, label: str) -> str:
    return ("✓ " if on else "") + label


def next_row(t: Text, data: str) -> tuple[Button, ...]:
    return (Button(t._("Next ▶"), data),)


def language_toggles(data: Data, chosen: dict[str, int], with_levels: bool) -> list[tuple[Button, ...]]:
    """Ten languages; with levels, the dots show basic ●○○ / good ●●○ / fluent ●●●."""
    buttons = []
    for code, language in LANGUAGES.items():
        level = chosen.get(code, 0)
        label = (
            f"{language.native_name} {level_dots(level)}"
            if with_levels and level
            else tick(bool(level), language.native_name)
        )
        buttons.append(Button(label, data(code)))
    return _rows(buttons, 2)


def area_toggles(t: Text, data: Data, chosen: list[str]) -> list[tuple[Button, ...]]:
    return _rows([Button(tick(a in chosen, area_name(t, a)), data(a)) for a in AREAS], 1)


def district_choice(t: Text, data: Data, current: str | None) -> list[tuple[Button, ...]]:
    buttons = [Button(tick(d == current, district_name(t, d)), data(d)) for d in DISTRICTS]
    buttons.append(Button(tick(current is None, district_name(t, None)), data("any")))
    return _rows(buttons, 2)


def week_grid(t: Text, lang: str, data: Data, times: int, next_data: str) -> list[tuple[Button, ...]]:
    """Seven rows (Monday first), morning / afternoon / evening in each; then "any time" and next."""
    days = day_names(lang)
    rows = []
    for day in range(7):
        row = []
        for part in range(3):
            slot = day * 3 + part
            on = bool(times >> slot & 1)
            row.append(Button(tick(on, f"{days[day]} {PART_ICONS[part]}"), data(str(slot))))
        rows.append(tuple(row))
    rows.append((Button(tick(times == 0, t._("Any time")), data("any")),))
    rows.append(next_row(t, next_data))
    return rows


def week_legend(t: Text) -> str:
    return t._("🌅 morning · ☀️ afternoon · 🌙 evening")


def keyboard(*parts: list[tuple[Button, ...]] | tuple[Button, ...]) -> Keyboard:
    rows: list[tuple[Button, ...]] = []
    for part in parts:
        if isinstance(part, tuple):
            rows.append(part)
        else:
            rows.extend(part)
    return tuple(rows)
