"""Text normalization shared by the index and the query, so that spelling variants meet.

One function for every language, because a question's language is not known for sure
before it is matched, and the folds below never merge two words of the same language
that users keep apart when they type on a phone:

- Arabic script: diacritics and tatweel dropped; hamza/madda forms of alef → ا; ة → ه;
  ى, ی, ې, ۍ → ي; ک → ك; ZWNJ (Persian half-space) dropped; Pashto letters that phone
  keyboards lack → their nearest Persian/Arabic letter; Arabic-Indic digits → 0-9;
  the article ال (also with و/ب/ف/ك/ل before it) split off long words.
- Latin: accents dropped (ä→a, ş→s, ç→c, ê→e), ß → ss, Turkish ı/İ → i.
- Cyrillic: ё → е, й → и (the same fold on both sides keeps Russian and Ukrainian apart).
- Everything: NFKC, case-folded, control and format characters dropped.
"""

from __future__ import annotations

import re
import unicodedata

_ARABIC_SCRIPT = str.maketrans(
    {
        "ى": "ي",
        "ی": "ي",
        "ې": "ي",
        "ۍ": "ي",
        "ئ": "ي",
        "ة": "ه",
        "ۀ": "ه",
        "ە": "ه",
        "ک": "ك",
        "ګ": "گ",
        "ټ": "ت",
        "ډ": "د",
        "ړ": "ر",
        "ږ": "ژ",
        "ښ": "ش",
        "ڼ": "ن",
        "ؤ": "و",
        "ٱ": "ا",
        "ـ": None,
        "\u200c": None,
        "\u200d": None,
        "ı": "i",
        "ß": "ss",
    }
)
# Bidi controls separate words; other invisible format characters (soft hyphen) join them.
_ARABIC_SCRIPT.update(dict.fromkeys(range(0x202A, 0x202F), " ") | dict.fromkeys(range(0x2066, 0x206A), " "))
_DIGITS = {ord(c): str(unicodedata.digit(c)) for c in "٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹"}
_ARTICLE = re.compile(r"^(?:[وفبكل]?ال|لل)(?=[\u0621-\u064a\u067e-\u06d5]{3,})")
_WORD = re.compile(r"\w+")


def normalize(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).translate(_DIGITS).replace("İ", "i")
    text = text.casefold().translate(_ARABIC_SCRIPT)
    decomposed = unicodedata.normalize("NFD", text)
    kept = (" " if cat == "Cc" else "" if cat in ("Mn", "Cf") else c for c, cat in _categories(decomposed))
    return unicodedata.normalize("NFC", "".join(kept))


def _categories(text: str):
    return ((c, unicodedata.category(c)) for c in text)


def words(text: str) -> list[str]:
    """Normalized word tokens; the Arabic article is split off so ال+كيتا meets كيتا."""
    return [_ARTICLE.sub("", w) for w in _WORD.findall(normalize(text))]


def char_grams(tokens: list[str], n: int = 4) -> list[str]:
    """Character n-grams of each word, padded at both ends; short words stay whole.

    They let a typo ("integrazionskurs") or an inflected form ("Kitaya", "садочок")
    still share most of its grams with the indexed word.
    """
    grams: list[str] = []
    for token in tokens:
        padded = f"<{token}>"
        if len(padded) <= n:
            grams.append(padded)
            continue
        grams.extend(padded[i : i + n] for i in range(len(padded) - n + 1))
    return grams
