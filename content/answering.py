"""From a question to a decision: which topic (or none), how sure, and in which language.

The wording of the reply (source line, fallback note, "I don't know") belongs to the
handlers, which have the UI catalogs; this module only decides.
"""

from __future__ import annotations

from dataclasses import dataclass

from content.langid import detect
from content.languages import DEFAULT_LANGUAGE
from content.normalize import words
from content.pack import OUT_OF_SCOPE, SMALL_TALK, ContentPack
from content.search import Hit, SearchIndex

# Below this confidence lotse says it does not know. Chosen on tests/eval/dev.jsonl and
# checked on tests/eval/test.jsonl (see bench/answering.py).
THRESHOLD = 0.15
# An emergency must never end in "I don't know": a weaker match on it is enough when it
# ranks first, and it also wins from second or third place over an answer too weak to give.
EMERGENCY = "emergency"
EMERGENCY_THRESHOLD = 0.15
EMERGENCY_RUNNER_UP = 0.3
# How much the language of the best-matching phrasing counts next to the detector.
MATCH_LANGUAGE_WEIGHT = 0.3


@dataclass(frozen=True)
class Match:
    topic: str | None  # None: lotse does not know
    confidence: float
    lang: str  # the language to answer in
    hits: tuple[Hit, ...] = ()
    small_talk: bool = False  # a greeting or thanks: answer with what lotse can do


class Answerer:
    """The search index of one content pack; rebuilt as a whole when the content is reloaded."""

    def __init__(self, pack: ContentPack) -> None:
        self.pack = pack
        self.index = SearchIndex(pack.topics.values(), pack.pseudo)
        self.loan_words = frozenset(
            word
            for topic in pack.topics.values()
            for keyword in topic.german.keywords
            for word in words(keyword)
            if len(word) >= 4 and not word.isdigit()
        )

    def match(self, text: str, *, chosen: str | None = None) -> Match:
        """``chosen``: the language the user chose (in the chat it always wins over the text)."""
        hits = tuple(self.index.search(text))
        lang = chosen or asker_language(text, hits, self.loan_words) or DEFAULT_LANGUAGE
        if not hits:
            return Match(None, 0.0, lang, hits)
        best = hits[0]
        if best.topic == EMERGENCY and best.confidence >= EMERGENCY_THRESHOLD:
            return Match(EMERGENCY, best.confidence, lang, hits)
        if best.topic == SMALL_TALK:
            return Match(None, best.confidence, lang, hits, small_talk=True)
        if best.topic != OUT_OF_SCOPE and best.confidence >= THRESHOLD:
            return Match(best.topic, best.confidence, lang, hits)
        emergency = next((h for h in hits[1:3] if h.topic == EMERGENCY), None)
        if (
            best.topic not in (OUT_OF_SCOPE, SMALL_TALK)
            and emergency is not None
            and emergency.confidence >= EMERGENCY_RUNNER_UP
        ):
            return Match(EMERGENCY, emergency.confidence, lang, hits)
        return Match(None, best.confidence, lang, hits)


def asker_language(text: str, hits: tuple[Hit, ...] = (), loan_words: frozenset[str] = frozenset()) -> str | None:
    """The detector's view, nudged by the language of the phrasing that matched best."""
    scores = dict(detect(text, loan_words))
    if not scores:
        return None
    if hits and hits[0].lang in scores:  # only a language of the text's own script
        scores[hits[0].lang] += MATCH_LANGUAGE_WEIGHT * hits[0].confidence
    return max(scores, key=scores.__getitem__)
