"""Dates and times in the user's language and the town's time zone (Babel)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime


def long_date(value: date, lang: str) -> str:
    return format_date(value, format="long", locale=lang)


def date_time(value: datetime, lang: str, timezone: str) -> str:
    return format_datetime(value, format="medium", tzinfo=ZoneInfo(timezone), locale=lang)


def short_date(value: date, lang: str) -> str:
    return format_date(value, format="short", locale=lang)
