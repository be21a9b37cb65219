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


def _isolate_run(match: re.Match[str]) -> str:
    run, tail = match.group(0), ""
    # In "(… 2019)" the closing parenthesis belongs to the surrounding right-to-left text.
    while run.endswith(")") and run.count(")") > run.count("("):
        stripped = run[:-1].rstrip()
        run, tail = stripped, run[len(stripped) :] + tail
    # A lone number ("3", "23/11/2026" as Babel writes it, "11:30") stays as it is: digits
    # already read left to right. Words, commands and grouped numbers ("02921 103 2218") are isolated.
    if not re.search(r"[A-Za-zÀ-ɏ]|\d\s+\d", run):
        return run + tail
    return isolate(run) + tail


def isolate_ltr_runs(text: str) -> str:
    """Wrap every left-to-right run of an RTL text in an isolate. Apply once, to the final text."""
    return _LTR_RUN.sub(_isolate_run, text)


def strip_isolates(text: str) -> str:
    return text.replace(FSI, "").replace(PDI, "")
