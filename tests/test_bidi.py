"""Right-to-left layout: left-to-right parts are isolated, nothing else changes."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from handlers.bidi import FSI, PDI, isolate_ltr_runs, strip_isolates


def test_isolates_names_commands_and_grouped_numbers() -> None:
    text = "اتصل على 02921 103 2218 أو اكتب /help في Soest (Am Vreithof 8)."
    assert isolate_ltr_runs(text) == (
        f"اتصل على {FSI}02921 103 2218{PDI} أو اكتب {FSI}/help{PDI} في {FSI}Soest (Am Vreithof 8){PDI}."
    )


def test_leaves_lone_numbers_and_babel_dates_alone() -> None:
    assert isolate_ltr_runs("بعد 3 أيام") == "بعد 3 أيام"
    assert isolate_ltr_runs("23\u200f/11\u200f/2026، 11:23") == "23\u200f/11\u200f/2026، 11:23"


def test_closing_parenthesis_of_the_rtl_text_stays_outside() -> None:
    assert isolate_ltr_runs("(تاريخ: Juni 2019)") == f"(تاريخ: {FSI}Juni 2019{PDI})"


@given(st.text(alphabet=st.sampled_from(list("ابت سلام 0123 /-():.,AbcßÄ\n")), max_size=80))
def test_only_adds_balanced_isolates(text: str) -> None:
    out = isolate_ltr_runs(text)
    assert strip_isolates(out) == text
    depth = 0
    for ch in out:
        depth += (ch == FSI) - (ch == PDI)
        assert depth in (0, 1)
    assert depth == 0
