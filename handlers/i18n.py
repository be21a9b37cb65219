"""UI strings through Babel gettext catalogs, bound to one user's language at a time.

Catalogs live as ``locales/<lang>/LC_MESSAGES/messages.po`` and are compiled in memory
when the bot starts, so there is no build step and no stale ``.mo`` file.
"""

from __future__ import annotations

import gettext
import io
from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from content.languages import DEFAULT_LANGUAGE, LANGUAGES, is_rtl

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"


class Text:
    """Translations for one language: ``t._(msgid, **params)`` and ``t.n_(singular, plural, n)``."""

    def __init__(self, lang: str, translations: gettext.NullTranslations) -> None:
        self.lang = lang
        self.rtl = is_rtl(lang)
        self._tr = translations

    def _finish(self, text: str, params: dict[str, Any]) -> str:
        return text % params if params else text

    def _(self, msgid: str, **params: Any) -> str:
        return self._finish(self._tr.gettext(msgid), params)

    def n_(self, singular: str, plural: str, n: int, **params: Any) -> str:
        return self._finish(self._tr.ngettext(singular, plural, n), {"n": n, **params})


class Translator:
    """Holds every language's catalog; ``translator(lang)`` gives the ``Text`` of one."""

    def __init__(self, locales_dir: Path = LOCALES_DIR) -> None:
        self._texts: dict[str, Text] = {}
        for code in LANGUAGES:
            po = locales_dir / code / "LC_MESSAGES" / "messages.po"
            translations: gettext.NullTranslations = gettext.NullTranslations()
            if po.exists():
                translations = compile_catalog(po)
            self._texts[code] = Text(code, translations)

    def languages(self) -> list[str]:
        return list(self._texts)

    def __call__(self, lang: str | None) -> Text:
        return self._texts.get(lang or DEFAULT_LANGUAGE) or self._texts[DEFAULT_LANGUAGE]


def compile_catalog(po: Path) -> gettext.GNUTranslations:
    with po.open("rb") as fh:
        catalog = read_po(fh)
    buf = io.BytesIO()
    write_mo(buf, catalog, use_fuzzy=False)
    buf.seek(0)
    return gettext.GNUTranslations(buf)
