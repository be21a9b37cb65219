"""The catalogs are complete, consistent with the code, and their plural rules are right."""

from __future__ import annotations

import re
import subprocess
import sys
from gettext import c2py
from pathlib import Path

import pytest
from babel.messages.checkers import python_format
from babel.messages.pofile import read_po

from content.languages import LANGUAGES

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ROOT / "locales"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")
COMMAND = re.compile(r"(?<![\w/])/[a-z]+")


def catalog(lang: str):  # type: ignore[no-untyped-def]
    with (LOCALES / lang / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        return read_po(fh)


def test_template_matches_the_code(tmp_path: Path) -> None:
    fresh = tmp_path / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            str(LOCALES / "babel.cfg"),
            "-k",
            "_",
            "-k",
            "n_:1,2",
            "-o",
            str(fresh),
            str(ROOT / "handlers"),
        ],
        check=True,
        capture_output=True,
    )
    with fresh.open("rb") as fh:
        in_code = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(fh) if m.id}
    with (LOCALES / "messages.pot").open("rb") as fh:
        in_template = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(fh) if m.id}
    assert in_code == in_template, "run locales/update.sh"


@pytest.mark.parametrize("lang", sorted(LANGUAGES))
def test_catalog_is_complete_and_consistent(lang: str) -> None:
    with (LOCALES / "messages.pot").open("rb") as fh:
        template = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(fh) if m.id}
    cat = catalog(lang)
    entries = {m.id if isinstance(m.id, str) else m.id[0]: m for m in cat if m.id}
    assert set(entries) == template
    for msgid, message in entries.items():
        assert not message.fuzzy, msgid
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        assert len(forms) == (cat.num_plurals if message.pluralizable else 1), msgid
        python_format(cat, message)
        for form in forms:
            assert form.strip(), f"{lang}: untranslated {msgid!r}"
            assert sorted(PLACEHOLDER.findall(form)) == sorted(set(PLACEHOLDER.findall(msgid))) or (
                message.pluralizable and set(PLACEHOLDER.findall(form)) <= set(PLACEHOLDER.findall(msgid))
            ), f"{lang}: placeholders differ in {msgid!r}"
            assert set(COMMAND.findall(form)) == set(COMMAND.findall(msgid)), f"{lang}: commands differ in {msgid!r}"
            assert form.count("\n") == msgid.count("\n"), f"{lang}: line breaks differ in {msgid!r}"
        if lang != "en":
            assert forms[0] != msgid or len(msgid) < 12, f"{lang}: left in English: {msgid!r}"


def test_plural_rules() -> None:
    ar = catalog("ar")
    assert ar.num_plurals == 6
    # CLDR order: zero, one, two, few (3-10), many (11-99), other (100-102)
    plural = c2py(ar.plural_expr)
    pick = {n: plural(n) for n in (0, 1, 2, 5, 11, 102)}
    assert pick == {0: 0, 1: 1, 2: 2, 5: 3, 11: 4, 102: 5}
    assert catalog("uk").num_plurals == 3 and catalog("ru").num_plurals == 3


def test_persian_uses_persian_letters() -> None:
    for message in catalog("fa"):
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        for form in forms:
            assert "ي" not in form and "ك" not in form, form
