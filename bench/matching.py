"""Batch matching: speed and quality of assign() against the exact optimum and the online greedy path.

Generates a realistic instance (newcomers' languages, volunteers' languages, areas, districts, weekly times) with a
fixed seed and prints, for assign, assign_exact and greedy: wall time, pairs, total value and the ratio to the exact
optimum. assign is timed best and median of 3 runs. A mid-size instance (1/5 of the size) runs first.

    .venv/bin/python -m bench.matching [--needs 10000] [--helpers 2000] [--seed 1]

The dense exact solver needs some seconds and about 1 GiB of memory at the default size.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable, Sequence

import numpy as np

from handlers.pilots.terms import AREAS, DISTRICTS
from matching.solver import WEEK_SLOTS, Helper, Need, assign, assign_exact, greedy, total_value

NEWCOMER_LANGUAGES = {"ar": 30, "uk": 25, "fa": 12, "ru": 8, "tr": 8, "ps": 5, "ku": 5, "ti": 4, "en": 3}
# (code, share of volunteers, level) besides everybody's German at 3
VOLUNTEER_LANGUAGES = [("en", 0.70, 2), ("ar", 0.15, 3), ("ru", 0.10, 3), ("uk", 0.08, 3), ("tr", 0.05, 3)]
VOLUNTEER_LANGUAGES += [("fa", 0.03, 3), ("fr", 0.05, 2), ("ku", 0.01, 3), ("ps", 0.005, 3), ("ti", 0.005, 3)]
NEED_AREA_WEIGHTS = (16, 12, 10, 8, 16, 10, 10, 4, 4, 2, 8)  # offices and housing lead, interpreting is rare
NEED_DISTRICT_WEIGHTS = (12, 14, 12, 38, 12, 12)  # newcomers live mostly in "south"


def _weights(w: Sequence[float]) -> np.ndarray:
    return np.asarray(w, dtype=float) / sum(w)


def _week(rng: np.random.Generator) -> int:
    """A few weekly slots, or any time (0) for ~15 %."""
    if rng.random() < 0.15:
        return 0
    return sum(1 << int(s) for s in rng.choice(WEEK_SLOTS, size=rng.integers(2, 7), replace=False))


def generate(n_needs: int = 10_000, n_helpers: int = 2_000, seed: int = 1) -> tuple[list[Need], list[Helper]]:
    """A town's waiting requests and active volunteers, drawn with the shares in the module's tables."""
    rng = np.random.default_rng(seed)
    codes, shares = list(NEWCOMER_LANGUAGES), _weights(list(NEWCOMER_LANGUAGES.values()))
    need_areas = list(AREAS)
    helper_areas = [a for a in AREAS if a != "interpreting"]
    needs = []
    for i in range(n_needs):
        languages = {str(rng.choice(codes, p=shares))}
        if rng.random() < 0.25:
            languages.add("en")
        if rng.random() < 0.20:
            languages.add("de")
        k = int(rng.integers(1, 4))
        areas = frozenset(str(a) for a in rng.choice(need_areas, size=k, replace=False, p=_weights(NEED_AREA_WEIGHTS)))
        district = None if rng.random() < 0.2 else str(rng.choice(DISTRICTS, p=_weights(NEED_DISTRICT_WEIGHTS)))
        needs.append(
            Need(
                id=i + 1,
                languages=frozenset(languages),
                areas=areas,
                district=district,
                times=_week(rng),
                wants_woman=bool(rng.random() < 0.15),
                waiting_days=float(rng.uniform(0, 90)),
            )
        )
    helpers = []
    for i in range(n_helpers):
        languages = {"de": 3} | {code: level for code, share, level in VOLUNTEER_LANGUAGES if rng.random() < share}
        areas = {str(a) for a in rng.choice(helper_areas, size=int(rng.integers(2, 6)), replace=False)}
        if rng.random() < 0.05:
            areas.add("interpreting")
        capacity = int(rng.integers(1, 4))
        helpers.append(
            Helper(
                id=100_000 + i,
                languages=languages,
                areas=frozenset(areas),
                district=None if rng.random() < 0.15 else str(rng.choice(DISTRICTS)),
                times=_week(rng),
                woman=bool(rng.random() < 0.6),
                capacity=capacity,
                load=int(rng.integers(0, min(2, capacity))),
            )
        )
    return needs, helpers


Solver = Callable[[Sequence[Need], Sequence[Helper]], list[tuple[int, int]]]


def _timed(solver: Solver, needs: list[Need], helpers: list[Helper], runs: int) -> tuple[list[float], list]:
    times, pairs = [], []
    for _ in range(runs):
        start = time.perf_counter()
        pairs = solver(needs, helpers)
        times.append(time.perf_counter() - start)
    return times, pairs


def report(n_needs: int, n_helpers: int, seed: int) -> None:
    needs, helpers = generate(n_needs, n_helpers, seed)
    slots = sum(h.capacity - h.load for h in helpers)
    print(f"instance: {n_needs} needs x {n_helpers} helpers, {slots} free slots (seed {seed})")
    times, pairs = _timed(assign, needs, helpers, 3)
    fast = total_value(needs, helpers, pairs)
    best, median = min(times), statistics.median(times)
    print(f"  assign        best {best:7.3f} s  median {median:7.3f} s  pairs {len(pairs):6d}  value {fast:.4f}")
    times, pairs = _timed(assign_exact, needs, helpers, 1)
    exact = total_value(needs, helpers, pairs)
    print(f"  assign_exact       {times[0]:7.3f} s                   pairs {len(pairs):6d}  value {exact:.4f}")
    print(f"  assign / exact = {fast / exact:.6f}")
    times, pairs = _timed(greedy, needs, helpers, 1)
    online = total_value(needs, helpers, pairs)
    print(f"  greedy             {times[0]:7.3f} s                   pairs {len(pairs):6d}  value {online:.4f}")
    print(f"  greedy / exact = {online / exact:.6f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--needs", type=int, default=10_000)
    parser.add_argument("--helpers", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    report(max(args.needs // 5, 1), max(args.helpers // 5, 1), args.seed)
    report(args.needs, args.helpers, args.seed)


if __name__ == "__main__":
    main()
