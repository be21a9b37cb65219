"""The matching core: hard constraints, score parts, ranking, and the batch assignment against exact optima."""

from __future__ import annotations

import dataclasses
import itertools
import random
from collections import Counter

import pytest

from matching import solver as matching
from matching.solver import (
    INTERPRETING,
    W_WAIT,
    Helper,
    Need,
    assign,
    assign_exact,
    eligible,
    greedy,
    rank,
    score,
    total_value,
    value,
)

MONDAY_MORNING, MONDAY_EVENING, TUESDAY_MORNING = 1 << 0, 1 << 2, 1 << 3


def need(**kw: object) -> Need:
    base: dict = dict(
        id=1,
        languages=frozenset({"ar"}),
        areas=frozenset({"kita"}),
        district="sued",
        times=0,
        wants_woman=False,
        waiting_days=0.0,
    )
    return Need(**(base | kw))


def helper(**kw: object) -> Helper:
    base: dict = dict(
        id=100,
        languages={"de": 3, "ar": 2},
        areas=frozenset({"kita"}),
        district="sued",
        times=0,
        woman=False,
        capacity=2,
        load=0,
    )
    return Helper(**(base | kw))


def random_instance(rng: random.Random, n_needs: int, n_helpers: int) -> tuple[list[Need], list[Helper]]:
    """Small and rough on purpose: few languages (so many pairs are ineligible), empty areas, full helpers."""
    codes, areas, districts = ["ar", "uk", "fa", "en", "de"], ["kita", "housing", "work", INTERPRETING], ["a", "b"]
    needs = [
        Need(
            id=j,
            languages=frozenset(rng.sample(codes[:4], rng.randint(0, 2))),
            areas=frozenset(rng.sample(areas[:3], rng.randint(0, 2))),
            district=rng.choice([*districts, None]),
            times=rng.choice([0, rng.getrandbits(matching.WEEK_SLOTS)]),
            wants_woman=rng.random() < 0.3,
            waiting_days=rng.choice([0.0, 45.0, rng.uniform(0, 60)]),
        )
        for j in range(n_needs)
    ]
    helpers = []
    for i in range(n_helpers):
        capacity = rng.randint(0, 3)
        helpers.append(
            Helper(
                id=1000 + i,
                languages={c: rng.randint(1, 3) for c in rng.sample(codes, rng.randint(1, 3))},
                areas=frozenset(rng.sample(areas, rng.randint(1, 3))),
                district=rng.choice([*districts, None]),
                times=rng.choice([0, rng.getrandbits(matching.WEEK_SLOTS)]),
                woman=rng.random() < 0.5,
                capacity=capacity,
                load=rng.randint(0, capacity),
            )
        )
    return needs, helpers


def check_valid(needs: list[Need], helpers: list[Helper], pairs: list[tuple[int, int]]) -> None:
    need_by_id, helper_by_id = {n.id: n for n in needs}, {h.id: h for h in helpers}
    assert len({n for n, _ in pairs}) == len(pairs), "a need is matched twice"
    for need_id, helper_id in pairs:
        assert eligible(need_by_id[need_id], helper_by_id[helper_id])
    for helper_id, used in Counter(h for _, h in pairs).items():
        h = helper_by_id[helper_id]
        assert used <= h.capacity - h.load


# --- hard constraints


def test_eligible_for_a_plain_pair() -> None:
    assert eligible(need(), helper())


def test_a_full_helper_is_not_eligible() -> None:
    assert not eligible(need(), helper(capacity=2, load=2))
    assert not eligible(need(), helper(capacity=0, load=0))


def test_no_shared_language_is_not_eligible() -> None:
    assert not eligible(need(languages=frozenset({"ti"})), helper())
    assert not eligible(need(languages=frozenset()), helper())


def test_the_interpreter_route_makes_a_pair_eligible() -> None:
    interpreter = helper(areas=frozenset({"kita", INTERPRETING}))
    assert eligible(need(languages=frozenset({"ti"})), interpreter)
    # ... but counts nothing for language
    no_language = score(need(languages=frozenset({"ti"})), interpreter)
    native = score(need(), dataclasses.replace(interpreter, languages={"ar": 3}))
    assert native - no_language == pytest.approx(matching.W_LANGUAGE)


def test_a_woman_pilot_when_asked_for() -> None:
    assert not eligible(need(wants_woman=True), helper(woman=False))
    assert eligible(need(wants_woman=True), helper(woman=True))
    assert eligible(need(wants_woman=False), helper(woman=True))


# --- score parts


def test_a_perfect_pair_scores_one_and_scores_stay_in_range() -> None:
    assert score(need(), helper(languages={"ar": 3})) == pytest.approx(1.0)
    needs, helpers = random_instance(random.Random(5), 40, 20)
    assert all(0.0 <= score(n, h) <= 1.0 for n in needs for h in helpers)


def test_district_same_beats_unknown_beats_different() -> None:
    same = score(need(), helper(district="sued"))
    anywhere = score(need(), helper(district=None))
    unsaid = score(need(district=None), helper(district="nord"))
    other = score(need(), helper(district="nord"))
    assert same > anywhere == unsaid > other
    assert same - other == pytest.approx(matching.W_DISTRICT)


def test_topic_overlap_counts_the_share_of_wanted_areas() -> None:
    wants = need(areas=frozenset({"kita", "housing"}))
    both = score(wants, helper(areas=frozenset({"kita", "housing", "work"})))
    one = score(wants, helper(areas=frozenset({"kita"})))
    none = score(wants, helper(areas=frozenset({"work"})))
    assert both - one == pytest.approx(one - none) == pytest.approx(matching.W_TOPIC / 2)
    assert score(need(areas=frozenset()), helper(areas=frozenset({"work"}))) == both  # no wish: anything fits


def test_time_overlap_counts_the_share_of_the_newcomers_slots() -> None:
    wants = need(times=MONDAY_MORNING | MONDAY_EVENING)
    both = score(wants, helper(times=MONDAY_MORNING | MONDAY_EVENING | TUESDAY_MORNING))
    half = score(wants, helper(times=MONDAY_MORNING))
    never = score(wants, helper(times=TUESDAY_MORNING))
    assert both - half == pytest.approx(half - never) == pytest.approx(matching.W_TIME / 2)
    assert score(wants, helper(times=0)) == both  # any time
    assert score(need(times=0), helper(times=TUESDAY_MORNING)) == both


def test_load_spreading_lowers_the_score() -> None:
    h = helper(capacity=3)
    assert score(need(), h, load=0) > score(need(), h, load=1) > score(need(), h, load=2)
    assert score(need(), dataclasses.replace(h, load=1)) == score(need(), h, load=1)


def test_value_adds_a_capped_waiting_bonus_and_slots_cost_load() -> None:
    h = helper(capacity=3)
    assert value(need(waiting_days=15), h) - value(need(), h) == pytest.approx(W_WAIT / 2)
    assert value(need(waiting_days=90), h) == value(need(waiting_days=30), h)
    assert value(need(), h, slot=1) == score(need(), h, load=1)


# --- the online path


def test_rank_orders_by_score_and_respects_exclude() -> None:
    near = helper(id=1, languages={"ar": 3})
    fluent_elsewhere = helper(id=2, languages={"ar": 3}, district="nord")
    basic = helper(id=3, languages={"ar": 1})
    full = helper(id=4, languages={"ar": 3}, load=2)
    mute = helper(id=5, languages={"de": 3})
    ranked = rank(need(), [mute, basic, fluent_elsewhere, full, near])
    assert [h.id for h in ranked] == [1, 3, 2]
    assert [score(need(), h) for h in ranked] == sorted((score(need(), h) for h in ranked), reverse=True)
    assert [h.id for h in rank(need(), [basic, fluent_elsewhere, near], exclude={1, 2})] == [3]


def test_rank_breaks_ties_by_load_then_id() -> None:
    # capacity 4, load 2 and capacity 2, load 1 spread the same; the score is equal
    busy = helper(id=1, capacity=4, load=2)
    light = helper(id=9, capacity=2, load=1)
    twin = helper(id=5, capacity=2, load=1)
    assert score(need(), busy) == score(need(), light)
    assert [h.id for h in rank(need(), [busy, light, twin])] == [5, 9, 1]


# --- the batch paths


def test_empty_inputs() -> None:
    needs, helpers = random_instance(random.Random(1), 5, 3)
    for solve in (assign, assign_exact, greedy):
        assert solve([], []) == []
        assert solve(needs, []) == []
        assert solve([], helpers) == []
    assert rank(needs[0], []) == []
    assert total_value(needs, helpers, []) == 0.0


def test_needs_without_helpers_and_full_helpers_stay_unmatched() -> None:
    lonely = need(id=1, languages=frozenset({"ti"}))
    matched = need(id=2)
    full = helper(id=10, languages={"ti": 3}, capacity=1, load=1)
    free = helper(id=11, capacity=1, load=0)
    for solve in (assign, assign_exact, greedy):
        assert solve([lonely, matched], [full, free]) == [(2, 11)]


def test_a_helper_takes_no_more_than_its_free_places() -> None:
    needs = [need(id=j, waiting_days=j) for j in range(6)]
    for solve in (assign, assign_exact, greedy):
        pairs = solve(needs, [helper(capacity=3, load=1)])
        assert len(pairs) == 2
        assert {n for n, _ in pairs} == {5, 4}  # the longest waiting


@pytest.mark.parametrize("seed", range(8))
def test_assign_is_optimal_on_small_instances(seed: int) -> None:
    needs, helpers = random_instance(random.Random(seed), 60, 15)
    fast, exact, online = assign(needs, helpers), assign_exact(needs, helpers), greedy(needs, helpers)
    for pairs in (fast, exact, online):
        check_valid(needs, helpers, pairs)
    best = total_value(needs, helpers, exact)
    assert best > 0
    assert total_value(needs, helpers, fast) == pytest.approx(best, rel=1e-9)
    assert total_value(needs, helpers, online) <= best + 1e-9


def test_assign_exact_equals_brute_force() -> None:
    rng = random.Random(7)
    for _ in range(20):
        needs, helpers = random_instance(rng, 5, 3)
        best = 0.0
        for choice in itertools.product([None, *helpers], repeat=len(needs)):
            pairs = [(n.id, h.id) for n, h in zip(needs, choice, strict=True) if h is not None]
            used = Counter(h.id for h in choice if h is not None)
            if all(used[h.id] <= h.capacity - h.load for h in helpers) and all(
                eligible(n, h) for n, h in zip(needs, choice, strict=True) if h is not None
            ):
                best = max(best, total_value(needs, helpers, pairs))
        assert total_value(needs, helpers, assign_exact(needs, helpers)) == pytest.approx(best, rel=1e-12)
        assert total_value(needs, helpers, assign(needs, helpers)) == pytest.approx(best, rel=1e-12)


def test_the_vectorised_values_agree_with_the_scalar_rule() -> None:
    needs, helpers = random_instance(random.Random(3), 50, 30)
    values = matching._values(needs, helpers).matrix()
    fits = matching._values(needs, helpers, wait_and_load=False).matrix(by_need=True)
    for i, h in enumerate(helpers):
        for j, n in enumerate(needs):
            talks = matching._can_talk(n, h) and (not n.wants_woman or h.woman)
            assert (values[i, j] > matching._ELIGIBLE_ABOVE) == talks
            if talks:
                assert values[i, j] == pytest.approx(value(n, h), abs=1e-12)
                assert fits[j, i] == pytest.approx(
                    score(n, h) - matching.W_LOAD * matching._load_share(h.load, h.capacity), abs=1e-12
                )


def test_greedy_is_the_online_path() -> None:
    needs, helpers = random_instance(random.Random(11), 60, 15)
    current = {h.id: h for h in helpers}
    expected = []
    for n in sorted(needs, key=lambda n: (-n.waiting_days, n.id)):
        ranked = rank(n, current.values())
        if ranked:
            best = ranked[0]
            current[best.id] = dataclasses.replace(best, load=best.load + 1)
            expected.append((n.id, best.id))
    assert greedy(needs, helpers) == expected


def test_assign_stays_near_optimal_when_candidates_are_cut() -> None:
    """More needs than the candidate lists hold: the approximation is at work."""
    for n_needs, n_helpers in ((1000, 400), (300, 300)):  # 286 / 214 free slots: needs plenty / about as many
        needs, helpers = random_instance(random.Random(n_needs), n_needs, n_helpers)
        fast = assign(needs, helpers)
        check_valid(needs, helpers, fast)
        assert total_value(needs, helpers, fast) >= 0.99 * total_value(needs, helpers, assign_exact(needs, helpers))


def test_equal_needs_are_spread_over_all_helpers() -> None:
    """Every helper's best needs would be the same few of a crowd of equal needs, were ties not broken per helper."""
    needs = [need(id=j, waiting_days=40) for j in range(1000)]
    helpers = [helper(id=10_000 + i, capacity=3) for i in range(100)]
    pairs = assign(needs, helpers)
    check_valid(needs, helpers, pairs)
    assert len(pairs) == 300
