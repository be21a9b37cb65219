"""Texts are cut where Telegram cuts: 4096 UTF-16 code units, not code points."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.render import MAX_TEXT, split_text, utf16_len

EMOJI = "🇩🇪"  # two code points, four UTF-16 units


def test_emoji_heavy_text_is_cut_by_utf16_length() -> None:
    text = "\n".join(f"• 12.11.26 [ar] (3×): {EMOJI * 30} كيف أجد شقة؟" for _ in range(60))
    assert len(text) < 2 * MAX_TEXT < utf16_len(text)
    parts = split_text(text)
    assert all(utf16_len(part) <= MAX_TEXT for part in parts)
    assert [part.startswith("• ") for part in parts] == [True] * len(parts)  # cut between lines
    assert "\n".join(parts) == text


def test_a_short_text_stays_whole() -> None:
    assert split_text("Hallo!") == ["Hallo!"]
    assert split_text("   ") == ["…"]


def _squeeze(text: str) -> str:
    return "".join(text.split())


@given(st.lists(st.sampled_from(["a", " ", "\n", "ع", "😀", EMOJI, "é", "word "]), max_size=6_000).map("".join))
def test_every_part_fits_and_nothing_is_lost(text: str) -> None:
    parts = split_text(text)
    assert all(0 < utf16_len(part) <= MAX_TEXT for part in parts)
    assert _squeeze("".join(parts)) == _squeeze(text.strip() or "…")
