"""Matching newcomers' pilot requests with volunteer pilots: pure functions, no database, no I/O.

Two paths share one scoring rule:

- online, `rank`: a newcomer asks and is offered the best eligible pilots, in order;
- batch, `assign`: the coordinators' /match pairs all waiting requests at once and maximises the total `value`.
  A helper with capacity c and load l has c - l free *slots*; slot k is worth a little less than slot k - 1
  because the load-spreading term falls with every newcomer the helper already has, so spreading wins over
  piling up when the rest is equal.

`assign` is fast and near-optimal: it computes the whole value matrix with numpy, keeps for every helper only its
best needs (and for every need its best helpers), and solves that sparse assignment exactly. `assign_exact` solves
the dense problem and is the reference for tests and the benchmark; `greedy` simulates the online path.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
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

# assign(): candidate needs kept per helper, its best by value. Measured on bench/matching.py (10,000 x 2,000):
# 32 -> 0.995 of the optimum, 64 -> 0.9994, 128 -> 0.99999, 192 -> exact.
TOP_NEEDS_PER_HELPER = 128
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

    def rows(self, start: int = 0, stop: int | None = None) -> np.ndarray:
        out = self.helper[start:stop] @ self.need
        out += self.language[start:stop, self.group]
        return out


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
    district = np.array([district_ix.get(n.district, -1) for n in needs], dtype=np.intp)  # type: ignore[arg-type]
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


def _candidates(values: _Values, k: int, block: int = 64) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(helper, need, value) of every helper's k best eligible needs.

    Evaluated a block of helpers at a time: the whole matrix would not fit in the CPU caches, and memory traffic,
    not arithmetic, is what costs here.
    """
    n_helpers, n_needs = len(values.helper), len(values.group)
    k = min(k, n_needs)
    needs, found = [], []
    for start in range(0, n_helpers, block):
        rows = values.rows(start, start + block)
        best = np.argpartition(rows, n_needs - k, axis=1)[:, n_needs - k :]
        needs.append(best)
        found.append(np.take_along_axis(rows, best, axis=1))
    edge_h = np.repeat(np.arange(n_helpers), k)
    edge_n, edge_v = np.concatenate(needs).ravel(), np.concatenate(found).ravel()
    keep = edge_v > _ELIGIBLE_ABOVE
    return edge_h[keep], edge_n[keep], edge_v[keep]


def assign(needs: Sequence[Need], helpers: Sequence[Helper]) -> list[tuple[int, int]]:
    """Batch matching for /match: (need id, helper id) pairs maximising the total value, near-optimal and fast.

    Every helper keeps only its TOP_NEEDS_PER_HELPER best needs by value; the optimum over these candidate pairs is
    then found exactly by sparse bipartite matching of slots to needs. Each slot also gets a private "stays free"
    node, so a full matching always exists; costs are 2 - value > 0 because explicit zeros would be no edges.
    """
    helpers = [h for h in helpers if h.capacity > h.load]
    if not needs or not helpers:
        return []
    edge_h, edge_n, edge_v = _candidates(_values(needs, helpers), TOP_NEEDS_PER_HELPER)
    slot_helper, slot_k, slot_loss = _slots(helpers)
    first_slot = np.flatnonzero(slot_k == 0)
    per_edge = np.bincount(slot_helper, minlength=len(helpers))[edge_h]  # an edge for every slot of its helper
    slot = np.repeat(first_slot[edge_h], per_edge) + _counting(per_edge)
    cols = np.repeat(edge_n, per_edge)
    cost = 2.0 - (np.repeat(edge_v, per_edge) - slot_loss[slot])
    n_needs = len(needs)
    n_slots = len(slot_helper)
    stay_free = np.arange(n_slots)
    graph = csr_matrix(
        (
            np.concatenate([cost, np.full(n_slots, 2.0)]),
            (np.concatenate([slot, stay_free]), np.concatenate([cols, n_needs + stay_free])),
        ),
        shape=(n_slots, n_needs + n_slots),
    )
    slot_rows, need_cols = min_weight_full_bipartite_matching(graph)
    real = need_cols < n_needs
    return _pairs(needs, helpers, slot_helper[slot_rows[real]], need_cols[real])


def assign_exact(needs: Sequence[Need], helpers: Sequence[Helper]) -> list[tuple[int, int]]:
    """The exact optimum of assign's objective: linear_sum_assignment on the dense slots x needs value matrix.

    Ineligible pairs are worth 0 and dropped afterwards; every eligible slot is worth more than 0 (its load term is
    positive), so forcing a full matching of the smaller side cannot beat the true optimum.
    """
    helpers = [h for h in helpers if h.capacity > h.load]
    if not needs or not helpers:
        return []
    slot_helper, _, slot_loss = _slots(helpers)
    values = _values(needs, helpers).rows()[slot_helper]
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
    fits = np.ascontiguousarray(_values(needs, helpers, wait_and_load=False).rows().T)  # a need's row is contiguous
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
