"""Right-to-left rendering: keep left-to-right runs (numbers, names, commands) readable.

Telegram clients lay out a paragraph by the Unicode bidi algorithm. In an Arabic or
Persian sentence a phone number, a German office name or "/start" can be reordered
with the neighbouring punctuation. Wrapping each such run in FIRST STRONG ISOLATE /
POP DIRECTIONAL ISOLATE (U+2068 / U+2069) makes it one neutral unit for the paragraph
and lays it out on its own inside.
"""

from __future__ import annotations

import re

FSI, PDI = "\u2068", "\u2069"

# A run starts with a Latin letter, digit, "/", "+" or "@" and may contain spaces and
# typical punctuation of addresses and phone numbers, but ends on a letter or digit.
_LTR_RUN = re.compile(r"[/+@]?[0-9A-Za-zÀ-ɏ](?:[0-9A-Za-zÀ-ɏ _.,:/@+\-()&]*[0-9A-Za-zÀ-ɏ)])?")


def isolate(value: str) -> str:
    return f"{FSI}{value}{PDI}"


def isolate_ltr_runs(text: str) -> str:
    """Wrap every left-to-right run of an RTL text in an isolate. Apply once, to the final text."""
    return _LTR_RUN.sub(lambda m: isolate(m.group(0)), text)


def strip_isolates(text: str) -> str:
    return text.replace(FSI, "").replace(PDI, "")
