"""Measuring the answerer on a labelled question set (tests/eval/*.jsonl).

Each line: {"q": question, "lang": language it is written in, "topic": topic ID or null}.
Used by the regression test (floors) and by bench/answering.py (figures).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Question:
    q: str
    lang: str
    topic: str | None


@dataclass(frozen=True)
class Outcome:
    topic: str | None
    lang: str  # language the reply is actually written in (after any fallback)


@dataclass
class Report:
    n: int = 0
    in_scope: int = 0
    correct: int = 0
    lang_match: int = 0
    oos_tp: int = 0
    oos_fp: int = 0
    oos_fn: int = 0
    misses: list[tuple[Question, Outcome]] = field(default_factory=list)

    @property
    def top1(self) -> float:
        return self.correct / self.in_scope if self.in_scope else 0.0

    @property
    def oos_f1(self) -> float:
        denominator = 2 * self.oos_tp + self.oos_fp + self.oos_fn
        return 2 * self.oos_tp / denominator if denominator else 0.0

    @property
    def language(self) -> float:
        return self.lang_match / self.n if self.n else 0.0


def load_questions(path: Path) -> list[Question]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [Question(r["q"], r["lang"], r["topic"]) for r in rows]


def evaluate(questions: list[Question], answer: Callable[[Question], Outcome]) -> Report:
    report = Report()
    for question in questions:
        outcome = answer(question)
        report.n += 1
        report.lang_match += outcome.lang == question.lang
        if question.topic is None:
            report.oos_tp += outcome.topic is None
            report.oos_fn += outcome.topic is not None
        else:
            report.in_scope += 1
            report.correct += outcome.topic == question.topic
            report.oos_fp += outcome.topic is None
        if outcome.topic != question.topic or outcome.lang != question.lang:
            report.misses.append((question, outcome))
    return report
