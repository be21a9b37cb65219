"""The languages lotse speaks and how a Telegram language tag maps onto them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Language:
    code: str
    native_name: str
    rtl: bool = False


LANGUAGES: dict[str, Language] = {
    lang.code: lang
    for lang in (
        Language("de", "Deutsch"),
        Language("en", "English"),
        Language("ar", "العربية", rtl=True),
        Language("uk", "Українська"),
        Language("fa", "فارسی", rtl=True),
        Language("ru", "Русский"),
        Language("tr", "Türkçe"),
        Language("ps", "پښتو", rtl=True),
        Language("ku", "Kurmancî"),
        Language("ti", "ትግርኛ"),
    )
}
DEFAULT_LANGUAGE = "en"

# Tags Telegram clients send that mean one of our languages under another code.
_ALIASES = {"kmr": "ku", "prs": "fa", "pes": "fa", "pbu": "ps", "pus": "ps", "per": "fa", "ara": "ar"}


def supported(tag: str | None) -> str | None:
    """Our language code for an IETF tag such as ``uk``, ``ar-SY`` or ``de_AT``; None if we lack it."""
    if not tag:
        return None
    base = tag.replace("_", "-").split("-")[0].strip().lower()
    base = _ALIASES.get(base, base)
    return base if base in LANGUAGES else None


def is_rtl(code: str) -> bool:
    lang = LANGUAGES.get(code)
    return bool(lang and lang.rtl)
