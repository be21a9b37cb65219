"""Answering quality and latency on the evaluation sets, lotse against a plain BM25 baseline.

    python -m bench.answering [--set tests/eval/test.jsonl] [--misses]

Prints, per set: top-1 accuracy (in-scope questions), out-of-scope F1, answer-language
rate and latency p50/p99 per question; for lotse and for plain BM25 (bm25s's own
tokenizer, no normalization, no character grams, same content units, its score threshold
chosen as the best one on the set itself, which flatters the baseline); then lotse's latency
with the content replicated ten times.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import bm25s
import numpy as np

from content.answering import Answerer
from content.evaluation import Outcome, Question, Report, evaluate, load_questions
from content.pack import ContentPack, load_pack
from content.schema import Topic

SETS = [Path("tests/eval/dev.jsonl"), Path("tests/eval/test.jsonl")]


def lotse(answerer: Answerer, timings: list[float]):
    def answer(question: Question) -> Outcome:
        start = time.perf_counter()
        match = answerer.match(question.q)
        lang = match.lang
        if match.topic is not None:
            _, lang = answerer.pack.text(answerer.pack.topics[match.topic], match.lang)
        timings.append(time.perf_counter() - start)
        return Outcome(match.topic, lang)

    return answer


class PlainBM25:
    """bm25s out of the box over the same units; answers in the language of the best unit."""

    def __init__(self, pack: ContentPack) -> None:
        self.units: list[tuple[str, str]] = []
        texts = []
        for topic in pack.topics.values():
            for lang, block in topic.texts.items():
                for text in [block.title, " ".join(block.keywords), *block.questions, *block.answer.splitlines()]:
                    if text.strip():
                        self.units.append((topic.id, lang))
                        texts.append(text)
        self.retriever = bm25s.BM25()
        self.retriever.index(bm25s.tokenize(texts, stopwords=None, show_progress=False), show_progress=False)

    def best(self, text: str) -> tuple[str, str, float]:
        tokens = bm25s.tokenize([text], stopwords=None, show_progress=False)
        vocab = {v: k for k, v in tokens.vocab.items()}
        words = [vocab[i] for i in tokens.ids[0] if vocab[i] in self.retriever.vocab_dict]
        if not words:
            return "", "en", 0.0
        scores = self.retriever.get_scores(words)
        unit = int(np.argmax(scores))
        topic, lang = self.units[unit]
        return topic, lang, float(scores[unit])


def baseline_report(plain: PlainBM25, questions: list[Question], timings: list[float]) -> tuple[Report, float]:
    results = []
    for q in questions:
        start = time.perf_counter()
        results.append(plain.best(q.q))
        timings.append(time.perf_counter() - start)
    best: tuple[float, Report, float] | None = None
    by_question = dict(zip([id(q) for q in questions], results, strict=True))
    for threshold in sorted({score for _, _, score in results} | {0.0}):

        def answer(q: Question, threshold: float = threshold) -> Outcome:
            topic, lang, score = by_question[id(q)]
            return Outcome(topic if score > threshold else None, lang)

        report = evaluate(questions, answer)
        quality = report.top1 + report.oos_f1
        if best is None or quality > best[0]:
            best = (quality, report, threshold)
    assert best is not None
    return best[1], best[2]


def replicated(pack: ContentPack, times: int) -> ContentPack:
    topics: dict[str, Topic] = dict(pack.topics)
    for copy in range(1, times):
        for topic in pack.topics.values():
            clone = topic.model_copy(update={"id": f"{topic.id}-copy{copy}"})
            topics[clone.id] = clone
    return ContentPack(pack.region, topics, pack.groups)


def percentile(values: list[float], p: float) -> float:
    return float(np.percentile(np.array(values) * 1000, p))


def line(name: str, report: Report, timings: list[float]) -> str:
    return (
        f"  {name:<22} top-1 {report.top1:.3f}  out-of-scope F1 {report.oos_f1:.3f}  "
        f"language {report.language:.3f}  p50 {percentile(timings, 50):.2f} ms  p99 {percentile(timings, 99):.2f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--set", type=Path, action="append", help="evaluation set(s); default dev and test")
    parser.add_argument("--region", default="soest")
    parser.add_argument("--misses", action="store_true", help="list lotse's wrong answers")
    args = parser.parse_args()
    pack = load_pack(args.region)
    answerer = Answerer(pack)
    plain = PlainBM25(pack)
    all_questions: list[Question] = []
    for path in args.set or SETS:
        questions = load_questions(path)
        all_questions += questions
        lotse_timings: list[float] = []
        report = evaluate(questions, lotse(answerer, lotse_timings))
        base_timings: list[float] = []
        base, threshold = baseline_report(plain, questions, base_timings)
        print(f"{path} ({report.n} questions, {report.in_scope} in scope, {report.n - report.in_scope} out of scope)")
        print(line("lotse", report, lotse_timings))
        print(line(f"plain BM25 (>{threshold:.1f})", base, base_timings))
        if args.misses:
            for q, o in report.misses:
                print(f"    {q.lang} {q.topic} -> {o.topic} [{o.lang}]  {q.q[:90]}")
    big = Answerer(replicated(pack, 10))
    timings: list[float] = []
    for _ in range(3):
        for q in all_questions:
            start = time.perf_counter()
            big.match(q.q)
            timings.append(time.perf_counter() - start)
    print(
        f"content x10 ({len(big.pack.topics)} topics, {len(big.index.units)} units): "
        f"p50 {percentile(timings, 50):.2f} ms  p99 {percentile(timings, 99):.2f} ms  "
        f"mean {statistics.mean(timings) * 1000:.2f} ms over {len(timings)} questions"
    )


if __name__ == "__main__":
    main()
