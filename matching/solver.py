"""Matching newcomers' pilot requests with volunteer pilots: pure functions, no database, no I/O.

Two paths share one scoring rule:

- online, `rank`: a newcomer asks and is offered the best eligible pilots, in order;
- batch, `assign`: the coordinators' /match pairs all waiting requests at once and maximises the total `value`.
  A helper with capacity c and load l has c - l free *slots*; slot k is worth a little less than slot k - 1
  because the load-spreading term falls with every newcomer the helper already has, so spreading wins over
  piling up when the rest is equal.

`assign` is fast and near-optimal: it computes the whole value matrix with numpy, keeps only candidate pairs (every
helper's best needs, and every need's best helpers when needs are not plenty) and solves that sparse assignment
exactly. `assign_exact` solves the dense problem and is the reference for tests and the benchmark; `greedy`
simulates the online path.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linear_sum_assignment
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

WEEK_SLOTS = 21  # 7 days x (morning, afternoon, evening); bit i = day i//3 (0 = Monday), part i%3
ALL_WEEK = (1 << WEEK_SLOTS) - 1
INTERPRETING = "interpreting"  # the help area of volunteers who can bring an interpreter (working group "Dolmetschen")
MAX_LEVEL = 3  # language levels: 1 basic, 2 good, 3 fluent/native

# Weights of the score; they sum to 1, so a score is in [0, 1].
W_TOPIC = 0.35
W_DISTRICT = 0.20
W_TIME = 0.20
W_LANGUAGE = 0.10
W_LOAD = 0.15
# Bonus for waiting, on top of the score: a request waiting WAIT_FULL_DAYS or longer gets all of it.
W_WAIT = 0.25
WAIT_FULL_DAYS = 30.0

# assign(): candidates kept per helper (its best needs by value) and, unless needs are plenty, per need (its best
# helpers). Measured with bench/matching.py, 2,000 helpers (~3,300 slots): with 10,000 needs 32 per helper reach
# 0.995 of the optimum, 64 0.9994, 128 0.99999; with 2,000-6,000 needs (about as many as slots, the hardest case)
# 128 + 16 reach 0.996-0.9999.
TOP_NEEDS_PER_HELPER = 128
TOP_HELPERS_PER_NEED = 16
TIE_DECIMALS = 9  # scores equal to this many decimals are ties (vectorised and scalar sums differ in the last bits)


@dataclass(frozen=True)
class Need:
    """One waiting pilot request of a newcomer."""

    id: int
    languages: frozenset[str]  # language codes the newcomer speaks, e.g. {"ar", "en"}
    areas: frozenset[str]  # help areas wanted, e.g. {"kita", "housing"}; may be empty (= anything)
    district: str | None  # part of town, None = not said / anywhere
    times: int  # bitmask over WEEK_SLOTS; 0 = any time
    wants_woman: bool  # asked for a woman pilot (hard constraint)
    waiting_days: float  # how long the request has waited


@dataclass(frozen=True)
class Helper:
    """An approved, active, not paused volunteer."""

    id: int
    languages: Mapping[str, int]  # code -> level: 1 basic, 2 good, 3 fluent/native
    areas: frozenset[str]
    district: str | None  # None = anywhere in town
    times: int  # bitmask; 0 = any time
    woman: bool
    capacity: int  # how many newcomers at once
    load: int  # current pilotages + open offers


# ---------------------------------------------------------------------------------------------------------------------
# Scalar rule: the definition. The vectorised code below must agree with it (the tests check that).


def _shared_level(need: Need, helper: Helper) -> int:
    return max((min(helper.languages.get(code, 0), MAX_LEVEL) for code in need.languages), default=0)


def _can_talk(need: Need, helper: Helper) -> bool:
    """A shared language, or the helper brings an interpreter."""
    return _shared_level(need, helper) > 0 or INTERPRETING in helper.areas


def eligible(need: Need, helper: Helper) -> bool:
    """Hard constraints: a free place, a way to talk, and a woman pilot if one was asked for."""
    return helper.load < helper.capacity and _can_talk(need, helper) and (not need.wants_woman or helper.woman)


def _load_share(load: int, capacity: int) -> float:
    return min(max(1.0 - load / capacity, 0.0), 1.0) if capacity > 0 else 0.0


def _wait_bonus(need: Need) -> float:
    return W_WAIT * min(max(need.waiting_days, 0.0) / WAIT_FULL_DAYS, 1.0)


def score(need: Need, helper: Helper, load: int | None = None) -> float:
    """How well the helper fits the need, in [0, 1]; `load` (default helper.load) drives the load-spreading term."""
    topic = len(need.areas & helper.areas) / len(need.areas) if need.areas else 1.0
    district = 0.5 if need.district is None or helper.district is None else float(need.district == helper.district)
    need_times, helper_times = need.times & ALL_WEEK, helper.times & ALL_WEEK
    time = (need_times & helper_times).bit_count() / need_times.bit_count() if need_times and helper_times else 1.0
    language = _shared_level(need, helper) / MAX_LEVEL  # 0 when only the interpreter makes the pair possible
    spread = _load_share(helper.load if load is None else load, helper.capacity)
    return W_TOPIC * topic + W_DISTRICT * district + W_TIME * time + W_LANGUAGE * language + W_LOAD * spread


def value(need: Need, helper: Helper, slot: int = 0) -> float:
    """What one assignment is worth: the score at the slot's load plus a bonus for long waiting requests."""
    return score(need, helper, helper.load + slot) + _wait_bonus(need)


def _tie_key(x: float) -> float:
    return float(np.round(x, TIE_DECIMALS))


def rank(need: Need, helpers: Iterable[Helper], exclude: Collection[int] = ()) -> list[Helper]:
    """The eligible helpers not in `exclude` (ids), best score first; ties: lower load, then lower id."""
    found = [h for h in helpers if h.id not in exclude and eligible(need, h)]
    return sorted(found, key=lambda h: (-_tie_key(score(need, h)), h.load, h.id))


def total_value(needs: Sequence[Need], helpers: Sequence[Helper], pairs: Iterable[tuple[int, int]]) -> float:
    """The objective of `pairs`; a helper's k-th pair uses slot k (only the count matters, not the order)."""
    need_by_id = {n.id: n for n in needs}
    helper_by_id = {h.id: h for h in helpers}
    used: Counter[int] = Counter()
    total = 0.0
    for need_id, helper_id in pairs:
        total += value(need_by_id[need_id], helper_by_id[helper_id], used[helper_id])
        used[helper_id] += 1
    return total


# ---------------------------------------------------------------------------------------------------------------------
# Vectorised rule for the batch paths.

_INELIGIBLE = -4.0  # added to a pair that cannot talk or breaks the woman preference: far below any real value
_ELIGIBLE_ABOVE = -1.0  # real values are >= 0, penalised ones <= 1.25 - 4
_JITTER = 1e-4  # breaks ties between equal needs differently for every helper, see _candidates


@dataclass(frozen=True)
class _Values:
    """The value matrix (helpers x needs) in factored form, so callers can evaluate it a block of helpers at a time.

    Topic, district, time, the woman rule and all per-need and per-helper terms are products of indicator features
    (one matrix product); the language term is a max, so it is tabled once per distinct set of need languages.
    """

    helper: np.ndarray  # helpers x features
    need: np.ndarray  # features x needs
    language: np.ndarray  # helpers x language groups
    group: np.ndarray  # needs -> language group

    def blocks(self, dtype: type = np.float64, by_need: bool = False) -> Iterator[tuple[int, np.ndarray]]:
        """(first row, block of rows) of the matrix, or of its transpose with by_need: one matrix product, then the
        language term a block at a time, so that the caller's passes over a block run in the CPU cache (memory
        traffic, not arithmetic, is the cost here)."""
        left, right = (self.need.T, self.helper.T) if by_need else (self.helper, self.need)
        product = left.astype(dtype) @ right.astype(dtype)
        language = (self.language.T if by_need else self.language).astype(dtype)
        for start in range(0, len(product), 64):
            block = product[start : start + 64]
            if by_need:
                block += language[self.group[start : start + 64]]
            else:
                block += language[start : start + 64].take(self.group, axis=1)
            yield start, block

    def matrix(self, by_need: bool = False) -> np.ndarray:
        return np.concatenate([block for _, block in self.blocks(by_need=by_need)])


def _values(needs: Sequence[Need], helpers: Sequence[Helper], wait_and_load: bool = True) -> _Values:
    """value(need, helper, 0), or with wait_and_load=False the score without its load term, for all pairs.

    Pairs that cannot talk or break the woman preference come out <= _ELIGIBLE_ABOVE (capacity is left to the
    callers).
    """
    area_ix = {a: i for i, a in enumerate(sorted({a for n in needs for a in n.areas}))}
    district_ix = {d: i for i, d in enumerate(sorted({n.district for n in needs if n.district is not None}))}
    times_at = len(area_ix)
    district_at = times_at + WEEK_SLOTS
    woman_at = district_at + len(district_ix)
    need_at = woman_at + 1  # the per-need constant, times a helper-side 1
    helper_at = woman_at + 2  # the per-helper constant, times a need-side 1
    shifts = np.arange(WEEK_SLOTS)

    need_f = np.zeros((len(needs), helper_at + 1))
    rows = [j for j, n in enumerate(needs) for _ in n.areas]
    need_f[rows, [area_ix[a] for n in needs for a in n.areas]] = [
        W_TOPIC / len(n.areas) for n in needs for _ in n.areas
    ]
    week = (np.array([n.times & ALL_WEEK for n in needs], dtype=np.int64)[:, None] >> shifts) & 1
    slots = week.sum(axis=1)
    need_f[:, times_at:district_at] = week * (W_TIME / np.maximum(slots, 1))[:, None]
    district = np.array([-1 if n.district is None else district_ix[n.district] for n in needs], dtype=np.intp)
    said = district >= 0
    need_f[np.flatnonzero(said), district_at + district[said]] = W_DISTRICT
    need_f[:, woman_at] = [_INELIGIBLE * n.wants_woman for n in needs]
    need_const = np.where(slots == 0, W_TIME, 0.0) + np.where(said, 0.0, W_DISTRICT * 0.5)
    need_const += [0.0 if n.areas else W_TOPIC for n in needs]
    if wait_and_load:
        need_const += [_wait_bonus(n) for n in needs]
    need_f[:, need_at] = need_const
    need_f[:, helper_at] = 1.0

    helper_f = np.zeros((len(helpers), helper_at + 1))
    rows = [i for i, h in enumerate(helpers) for a in h.areas if a in area_ix]
    helper_f[rows, [area_ix[a] for h in helpers for a in h.areas if a in area_ix]] = 1.0
    week = (np.array([h.times & ALL_WEEK for h in helpers], dtype=np.int64)[:, None] >> shifts) & 1
    week[week.sum(axis=1) == 0] = 1  # any time covers every slot
    helper_f[:, times_at:district_at] = week
    for i, h in enumerate(helpers):
        if h.district is None:
            helper_f[i, district_at:woman_at] = 0.5
        elif h.district in district_ix:
            helper_f[i, district_at + district_ix[h.district]] = 1.0
    helper_f[:, woman_at] = [not h.woman for h in helpers]
    helper_f[:, need_at] = 1.0
    if wait_and_load:
        load, capacity, _ = _helper_arrays(helpers)
        helper_f[:, helper_at] = W_LOAD * _spread(load, capacity)

    # Language: W_LANGUAGE * best shared level / 3, 0 via an interpreter, _INELIGIBLE with no way to talk.
    code_ix = {c: i for i, c in enumerate(sorted({c for n in needs for c in n.languages}))}
    levels = np.zeros((len(helpers), len(code_ix) + 1), dtype=np.int64)  # last column: "no shared language"
    for i, h in enumerate(helpers):
        for code, level in h.languages.items():
            if code in code_ix:
                levels[i, code_ix[code]] = min(max(level, 0), MAX_LEVEL)
    interpreter = np.array([INTERPRETING in h.areas for h in helpers], dtype=bool)
    groups: dict[frozenset[str], int] = {}
    group_of = np.array([groups.setdefault(n.languages, len(groups)) for n in needs], dtype=np.intp)
    language = np.empty((len(helpers), len(groups)))
    for codes, g in groups.items():
        best = levels[:, [code_ix[c] for c in codes] or [-1]].max(axis=1)
        language[:, g] = np.where(best > 0, W_LANGUAGE * best / MAX_LEVEL, np.where(interpreter, 0.0, _INELIGIBLE))
    return _Values(helper_f, np.ascontiguousarray(need_f.T), language, group_of)


def _helper_arrays(helpers: Sequence[Helper]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(load, capacity, free slots) per helper."""
    load = np.array([h.load for h in helpers], dtype=np.int64)
    capacity = np.array([h.capacity for h in helpers], dtype=np.int64)
    return load, capacity, np.maximum(capacity - load, 0)


def _spread(load: np.ndarray, capacity: np.ndarray) -> np.ndarray:
    """Vectorised _load_share."""
    share = 1.0 - load / np.maximum(capacity, 1)
    return np.where(capacity > 0, np.clip(share, 0.0, 1.0), 0.0)


def _slots(helpers: Sequence[Helper]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Capacity expanded into slots: (helper index, slot number k, value lost at slot k) per slot."""
    _, capacity, free = _helper_arrays(helpers)
    helper = np.repeat(np.arange(len(helpers)), free)
    k = _counting(free)
    return helper, k, W_LOAD * k / np.maximum(capacity[helper], 1)


def _pairs(needs: Sequence[Need], helpers: Sequence[Helper], h: np.ndarray, n: np.ndarray) -> list[tuple[int, int]]:
    return [(needs[j].id, helpers[i].id) for i, j in zip(h.tolist(), n.tolist(), strict=True)]


def _counting(counts: np.ndarray) -> np.ndarray:
    """0, 1, .., counts[0] - 1, 0, 1, .., counts[1] - 1, ..."""
    return np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)


def _top(blocks: Iterable[tuple[int, np.ndarray]], shape: tuple[int, int], k: int) -> tuple[np.ndarray, ...]:
    """(row, column, value) of the k largest values in every row of a matrix given as blocks of rows."""
    n_rows, n_cols = shape
    columns = np.empty((n_rows, k), dtype=np.intp)
    found = np.empty((n_rows, k))
    for start, block in blocks:
        top = np.argpartition(block, n_cols - k, axis=1)[:, n_cols - k :]
        columns[start : start + len(block)] = top
        found[start : start + len(block)] = np.take_along_axis(block, top, axis=1)
    return np.repeat(np.arange(n_rows), k), columns.ravel(), found.ravel()


def _candidates(values: _Values, k: int, k_need: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(helper, need, value) of every helper's k best eligible needs and every need's k_need best eligible helpers.

    Equal needs (same languages, areas, district, times, all waiting 30+ days) are common, and every helper would
    pick the same k of them, leaving the rest unmatched. So the selection sees a tiny helper-specific jitter:
    _JITTER * cos(angle between a random direction of the helper and one of the need), 3 more columns in the
    matrix product; each helper then prefers a different part of a group of equal needs (and the other way round).
    The jitter is taken off the returned values. Big instances are computed in float32 (half the memory traffic;
    its rounding, ~1e-7, is far below what the candidate cut can cost); small ones stay float64, so that assign is
    exact when the candidates are all pairs.
    """
    n_helpers, n_needs = len(values.helper), len(values.group)
    k, k_need = min(k, n_needs), min(k_need, n_helpers)
    dtype = np.float32 if n_helpers * n_needs > 1 << 22 else np.float64
    rng = np.random.default_rng(0)  # fixed: the same input gives the same pairs
    spin_h = rng.normal(size=(n_helpers, 3))
    spin_h *= _JITTER / np.linalg.norm(spin_h, axis=1, keepdims=True)
    spin_n = rng.normal(size=(3, n_needs))
    spin_n /= np.linalg.norm(spin_n, axis=0)
    jittered = _Values(
        np.hstack([values.helper, spin_h]), np.vstack([values.need, spin_n]), values.language, values.group
    )

    edge_h, edge_n, edge_v = _top(jittered.blocks(dtype), (n_helpers, n_needs), k)
    if k_need:
        more_n, more_h, more_v = _top(jittered.blocks(dtype, by_need=True), (n_needs, n_helpers), k_need)
        _, first = np.unique(np.concatenate([edge_h * n_needs + edge_n, more_h * n_needs + more_n]), return_index=True)
        edge_h, edge_n, edge_v = (
            np.concatenate(pair)[first] for pair in ((edge_h, more_h), (edge_n, more_n), (edge_v, more_v))
        )
    keep = edge_v > _ELIGIBLE_ABOVE
    edge_h, edge_n = edge_h[keep], edge_n[keep]
    # Back to the working precision: LAPJVsp runs twice as fast on float32-rounded costs as on float64 noise.
    edge_v = (edge_v[keep] - np.einsum("ij,ji->i", spin_h[edge_h], spin_n[:, edge_n])).astype(dtype)
    return edge_h, edge_n, edge_v


def assign(needs: Sequence[Need], helpers: Sequence[Helper]) -> list[tuple[int, int]]:
    """Batch matching for /match: (need id, helper id) pairs maximising the total value, near-optimal and fast.

    Only candidate pairs are considered: every helper's TOP_NEEDS_PER_HELPER best needs by value and, unless needs
    outnumber the free slots twice over, every need's TOP_HELPERS_PER_NEED best helpers (a need with a rare
    language is nobody's favourite, yet it should be matched when there is room). The optimum over the candidates
    is then found exactly by sparse bipartite matching of slots to needs, where each node of the side that must
    be matched in full gets a private "stays unmatched" partner, so that a full matching always exists; costs are
    2 - value > 0 because explicit zeros would be no edges.
    """
    helpers = [h for h in helpers if h.capacity > h.load]
    if not needs or not helpers:
        return []
    slot_helper, slot_k, slot_loss = _slots(helpers)
    n_needs, n_slots = len(needs), len(slot_helper)
    plenty = n_needs >= 2 * n_slots
    edge_h, edge_n, edge_v = _candidates(
        _values(needs, helpers), TOP_NEEDS_PER_HELPER, 0 if plenty else TOP_HELPERS_PER_NEED
    )
    per_edge = np.bincount(slot_helper, minlength=len(helpers))[edge_h]  # an edge for every slot of its helper
    slot = np.repeat(np.flatnonzero(slot_k == 0)[edge_h], per_edge) + _counting(per_edge)
    need = np.repeat(edge_n, per_edge)
    cost = 2.0 - (np.repeat(edge_v, per_edge) - slot_loss[slot])
    # Measured: LAPJVsp is 2-5x faster with slots as rows when needs are many (1.4 x the slots), else needs as rows.
    by_slot = n_needs >= 1.4 * n_slots
    rows, cols, n_rows, n_cols = (slot, need, n_slots, n_needs) if by_slot else (need, slot, n_needs, n_slots)
    alone = np.arange(n_rows)
    graph = csr_matrix(
        (
            np.concatenate([cost, np.full(n_rows, 2.0)]),
            (np.concatenate([rows, alone]), np.concatenate([cols, n_cols + alone])),
        ),
        shape=(n_rows, n_cols + n_rows),
    )
    matched_rows, matched_cols = min_weight_full_bipartite_matching(graph)
    real = matched_cols < n_cols
    slots, needs_ix = (matched_rows[real], matched_cols[real]) if by_slot else (matched_cols[real], matched_rows[real])
    return _pairs(needs, helpers, slot_helper[slots], needs_ix)


def assign_exact(needs: Sequence[Need], helpers: Sequence[Helper]) -> list[tuple[int, int]]:
    """The exact optimum of assign's objective: linear_sum_assignment on the dense slots x needs value matrix.

    Ineligible pairs are worth 0 and dropped afterwards; every eligible slot is worth more than 0 (its load term is
    positive), so forcing a full matching of the smaller side cannot beat the true optimum.
    """
    helpers = [h for h in helpers if h.capacity > h.load]
    if not needs or not helpers:
        return []
    slot_helper, _, slot_loss = _slots(helpers)
    values = _values(needs, helpers).matrix()[slot_helper]
    ok = values > _ELIGIBLE_ABOVE
    values -= slot_loss[:, None]
    values[~ok] = 0.0
    rows, cols = linear_sum_assignment(values, maximize=True)
    keep = ok[rows, cols]
    return _pairs(needs, helpers, slot_helper[rows[keep]], cols[keep])


def greedy(needs: Sequence[Need], helpers: Sequence[Helper]) -> list[tuple[int, int]]:
    """The online path simulated: longest-waiting need first, each takes rank(need, helpers)[0], loads update."""
    if not needs or not helpers:
        return []
    fits = _values(needs, helpers, wait_and_load=False).matrix(by_need=True)  # needs x helpers
    load, capacity, _ = _helper_arrays(helpers)
    spread = W_LOAD * _spread(load, capacity)
    room = load < capacity
    ids = np.array([h.id for h in helpers])
    pairs = []
    for j in sorted(range(len(needs)), key=lambda j: (-needs[j].waiting_days, needs[j].id)):
        fit = fits[j]
        open_ = room & (fit > _ELIGIBLE_ABOVE)
        if not open_.any():
            continue
        scores = np.where(open_, np.round(fit + spread, TIE_DECIMALS), -np.inf)
        tied = np.flatnonzero(scores == scores.max())
        i = tied[np.lexsort((ids[tied], load[tied]))[0]] if len(tied) > 1 else tied[0]
        load[i] += 1
        spread[i] = W_LOAD * _load_share(int(load[i]), int(capacity[i]))
        room[i] = load[i] < capacity[i]
        pairs.append((needs[j].id, helpers[i].id))
    return pairs
