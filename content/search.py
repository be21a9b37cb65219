"""Ranking topics for a question: BM25 (bm25s) over words and over character 4-grams.

Every topic is indexed as many short units in every language: its title, each question
phrasing, its keywords and each line of its answer. A question is scored against all units
by both indexes, the two scores are fused, and a topic scores as its best unit. Because the
units of all languages share one index, a question in Arabic that only says "Kita" still
meets the Kita topic through the German loan word in the Arabic phrasings.

The confidence (0..1) is how much of the question the topic covers (anything it says, in
any language), each word weighted by how few topics use it: a question about the weather
shares only common words with the content and gets a low confidence, whatever its BM25
rank. Among the best-ranked topics, BM25 score and confidence together decide the order.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

import bm25s
import numpy as np

from content.normalize import char_grams, words
from content.schema import Topic

# How much a match on a unit kind counts: phrasings and titles say what a topic is about;
# answer lines also mention neighbouring subjects.
KIND_WEIGHT = {"question": 1.0, "title": 1.0, "keywords": 1.0, "answer": 0.75}
WORD_SHARE = 0.3  # the word index's share of the fused score; the rest is the 4-gram index
MIN_WEIGHT = 0.5  # a question of only common words ("what can you do") covers nothing
RERANK = 10  # best-scoring topics whose coverage is computed
RANK_SHARE = 0.3  # share of the BM25 score in the final order; the rest is the coverage


@dataclass(frozen=True)
class Unit:
    topic: str
    lang: str
    kind: str
    words: frozenset[str]
    grams: frozenset[str]


@dataclass(frozen=True)
class Hit:
    topic: str
    score: float
    confidence: float
    lang: str  # language of the unit that matched best


class _Field:
    """One bm25s index over the units, and what each token says about the topic.

    A token weighs by how few topics use it (in any language): "what" or "how" appear in
    every topic and say nothing, "WBS" appears in two and says a lot.
    """

    def __init__(self, docs: list[list[str]], topics: list[str]) -> None:
        self.bm25 = bm25s.BM25()
        self.bm25.index(docs, show_progress=False)
        self.vocab = self.bm25.vocab_dict
        self.bags: dict[str, set[str]] = {}
        for doc, topic in zip(docs, topics, strict=True):
            self.bags.setdefault(topic, set()).update(doc)
        spread = Counter(token for bag in self.bags.values() for token in bag)
        n = len(self.bags)
        self.weight = {token: math.log((n + 1) / (count + 0.5)) for token, count in spread.items()}
        self.unknown = math.log((n + 1) / 0.5)

    def scores(self, tokens: list[str]) -> np.ndarray:
        known = [t for t in tokens if t in self.vocab]
        if not known:
            return np.zeros(self.bm25.scores["num_docs"], dtype=np.float32)
        return self.bm25.get_scores(known)

    def coverage(self, query: set[str], topic: str) -> float:
        """Share of the question's weight found anywhere in the topic, in any language:
        a long question spreads over several phrasings, and people mix languages."""
        weights = {t: max(self.weight.get(t, self.unknown), 0.0) for t in query}
        total = sum(weights.values())
        if total < MIN_WEIGHT:
            return 0.0
        bag = self.bags[topic]
        return sum(w for t, w in weights.items() if t in bag) / total


class SearchIndex:
    def __init__(self, topics: Iterable[Topic], pseudo: dict[str, dict[str, list[str]]] | None = None) -> None:
        """``pseudo``: phrasings of things that are not topics (out of scope, small talk), by name and language."""
        self.units: list[Unit] = []
        for name, by_lang in (pseudo or {}).items():
            for lang, phrasings in by_lang.items():
                self._add(name, lang, [("question", text) for text in phrasings])
        for topic in topics:
            for lang, block in topic.texts.items():
                texts = [("title", block.title), ("keywords", " ".join(block.keywords))]
                texts += [("question", q) for q in block.questions]
                texts += [("answer", line) for line in block.answer.splitlines()]
                self._add(topic.id, lang, texts)
        self.topic_ids = sorted({u.topic for u in self.units})
        position = {topic: i for i, topic in enumerate(self.topic_ids)}
        self._unit_topic = np.array([position[u.topic] for u in self.units], dtype=np.int64)
        self._unit_weight = np.array([KIND_WEIGHT[u.kind] for u in self.units], dtype=np.float32)
        topics = [u.topic for u in self.units]
        self._words = _Field([sorted(u.words) for u in self.units], topics)
        self._grams = _Field([sorted(u.grams) for u in self.units], topics)

    def _add(self, topic: str, lang: str, texts: list[tuple[str, str]]) -> None:
        for kind, text in texts:
            tokens = words(text)
            if tokens:
                self.units.append(Unit(topic, lang, kind, frozenset(tokens), frozenset(char_grams(tokens))))

    def search(self, text: str, limit: int = 5) -> list[Hit]:
        query_words = words(text)
        if not query_words:
            return []
        query_grams = char_grams(query_words)
        word_scores = self._words.scores(query_words)
        gram_scores = self._grams.scores(query_grams)
        fused = WORD_SHARE * _scaled(word_scores) + (1 - WORD_SHARE) * _scaled(gram_scores)
        fused *= self._unit_weight
        best_unit = np.full(len(self.topic_ids), -1, dtype=np.int64)
        best_score = np.zeros(len(self.topic_ids), dtype=np.float32)
        order = np.argsort(-fused, kind="stable")
        for unit in order[: max(200, limit * 20)]:
            if fused[unit] <= 0:
                break
            topic = self._unit_topic[unit]
            if best_unit[topic] < 0:
                best_unit[topic] = unit
                best_score[topic] = fused[unit]
        candidates = [int(t) for t in np.argsort(-best_score, kind="stable") if best_unit[t] >= 0][:RERANK]
        query_word_set, query_gram_set = set(query_words), set(query_grams)
        hits = []
        for t in candidates:
            unit = self.units[best_unit[t]]
            word_cover = self._words.coverage(query_word_set, unit.topic)
            gram_cover = self._grams.coverage(query_gram_set, unit.topic)
            confidence = WORD_SHARE * word_cover + (1 - WORD_SHARE) * gram_cover
            hits.append(Hit(self.topic_ids[t], float(best_score[t]), round(confidence, 3), unit.lang))
        # BM25 finds the candidates; how much of the question each covers decides between them.
        hits.sort(key=lambda h: -(RANK_SHARE * h.score + (1 - RANK_SHARE) * h.confidence))
        return hits[:limit]


def _scaled(scores: np.ndarray) -> np.ndarray:
    top = float(scores.max(initial=0.0))
    return scores / top if top > 0 else scores
