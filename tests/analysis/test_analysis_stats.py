"""Means, average ranks and Spearman's rho: hand-worked cases and an independent reference."""

from __future__ import annotations

import math
import statistics

import pytest
from hypothesis import given
from hypothesis import strategies as st

from runlog.analysis.stats import average_ranks, mean, pearson, rank_correlation, spearman


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([1, None, 3], 2.0),
        ([4], 4.0),
        ([None, 2.5, None, 3.5], 3.0),
        ([], None),
        ([None, None], None),
        ((value for value in (1, 2)), 1.5),  # any iterable
    ],
)
def test_mean_ignores_none(values, expected):
    assert mean(values) == expected


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([], []),
        ([7], [1.0]),
        ([30, 10, 20], [3.0, 1.0, 2.0]),
        # 20 and 20 take positions 2 and 3 -> both rank (2 + 3) / 2 = 2.5.
        ([10, 20, 20, 30], [1.0, 2.5, 2.5, 4.0]),
        # Sorted: 1 (pos 1), 2 (pos 2), 3 3 3 (pos 3, 4, 5 -> rank 4).
        ([3, 1, 3, 3, 2], [4.0, 1.0, 4.0, 4.0, 2.0]),
        # All tied: positions 1..4 -> rank 2.5 each.
        ([5, 5, 5, 5], [2.5, 2.5, 2.5, 2.5]),
        ([2.5, -1.0, 2.5], [2.5, 1.0, 2.5]),
    ],
)
def test_average_ranks(values, expected):
    assert average_ranks(values) == expected


def test_spearman_perfect_monotone_is_one_and_reverse_is_minus_one():
    xs = [1, 2, 3, 4, 5]
    assert spearman(xs, [2, 4, 6, 8, 100]) == 1.0
    assert spearman(xs, [100, 8, 6, 4, 2]) == -1.0


def test_spearman_with_ties_hand_worked():
    # xs ranks: 1, 2.5, 2.5, 4, 5          ys ranks: 1, 3, 2, 5, 4 (both mean 3)
    # dx: -2, -0.5, -0.5, 1, 2              dy: -2, 0, -1, 2, 1
    # Σdx·dy = 4 + 0 + 0.5 + 2 + 2 = 8.5; Σdx² = 9.5; Σdy² = 10
    # r = 8.5 / √95 = 0.872081599…
    r = spearman([1, 2, 2, 3, 4], [1, 3, 2, 5, 4])
    assert r == pytest.approx(8.5 / math.sqrt(95))
    assert r == pytest.approx(0.8720816, abs=1e-7)


def test_spearman_with_heavy_ties_hand_worked():
    # xs ranks: 2, 2, 2, 4.5, 4.5 (mean 3) -> dx: -1, -1, -1, 1.5, 1.5; Σdx² = 7.5
    # ys ranks: 1..5 -> dy: -2, -1, 0, 1, 2; Σdy² = 10
    # Σdx·dy = 2 + 1 + 0 + 1.5 + 3 = 7.5 -> r = 7.5 / √75 = √3 / 2
    assert spearman([1, 1, 1, 2, 2], [1, 2, 3, 4, 5]) == pytest.approx(math.sqrt(3) / 2)


def test_spearman_tie_free_matches_classic_formula_by_hand():
    # ranks x: 1 2 3 4 5 6; ranks y: 2 1 4 3 6 5 -> d² = 1 each, Σd² = 6
    # rho = 1 - 6·6 / (6·35) = 1 - 36/210 = 29/35
    assert spearman([1, 2, 3, 4, 5, 6], [20, 10, 40, 30, 60, 50]) == pytest.approx(29 / 35)


@pytest.mark.parametrize(
    ("xs", "ys"),
    [
        ([1, 2, 3, 4], [1, 2, 3, 4]),  # n = 4 < 5
        ([], []),
        ([1, 2, 3, 4, 5], [3, 3, 3, 3, 3]),  # no variance in ys
        ([7, 7, 7, 7, 7], [1, 2, 3, 4, 5]),  # no variance in xs
        ([1, 2, 3, 4, None], [1, 2, 3, 4, 5]),  # a None drops the pair: n = 4
        ([1, 2, 3, 4, 5, 6], [1, None, 3, None, 5, 6]),  # n = 4 after dropping
    ],
)
def test_spearman_is_none_without_enough_pairs_or_variance(xs, ys):
    assert spearman(xs, ys) is None


def test_spearman_drops_incomplete_pairs():
    # The (None, 9) and (3, None) pairs drop; the rest is perfectly monotone.
    xs = [1, 2, None, 3, 4, 5, 6]
    ys = [10, 20, 9, None, 40, 50, 60]
    assert spearman(xs, ys) == 1.0
    assert rank_correlation(xs, ys) == {"r": 1.0, "n": 5}


def test_rank_correlation_reports_n_even_when_r_is_none():
    assert rank_correlation([1, 2, 3], [3, 2, 1]) == {"r": None, "n": 3}


def test_unequal_lengths_are_a_programming_error():
    with pytest.raises(ValueError):
        spearman([1, 2, 3, 4, 5], [1, 2, 3, 4])
    with pytest.raises(ValueError):
        pearson([1, 2], [1])


def test_pearson_hand_worked():
    # x: 1 2 3 (mean 2), y: 1 3 2 (mean 2): Σdxdy = 1 + 0 + 0 = 1, Σdx² = 2, Σdy² = 2 -> 0.5
    assert pearson([1, 2, 3], [1, 3, 2]) == pytest.approx(0.5)
    assert pearson([1], [1]) is None


# --- an independent implementation to compare against ------------------------------------


def reference_ranks(values):
    """Average rank by counting: (number smaller) + (number equal + 1) / 2."""
    return [
        sum(1 for other in values if other < value)
        + (sum(1 for other in values if other == value) + 1) / 2
        for value in values
    ]


def reference_spearman(xs, ys):
    if len(xs) < 5:
        return None
    try:
        return statistics.correlation(reference_ranks(xs), reference_ranks(ys))
    except statistics.StatisticsError:  # a constant side
        return None


small_ints = st.integers(min_value=-3, max_value=3)  # a narrow range forces many ties


@given(st.lists(st.tuples(small_ints, small_ints), max_size=25))
def test_spearman_matches_reference_with_ties(pairs):
    xs = [x for x, _ in pairs]
    ys = [y for _, y in pairs]
    expected = reference_spearman(xs, ys)
    actual = spearman(xs, ys)
    if expected is None:
        assert actual is None
    else:
        assert actual == pytest.approx(expected, abs=1e-9)
        assert -1.0 <= actual <= 1.0


@given(st.lists(st.floats(-1e6, 1e6), min_size=5, max_size=30, unique=True), st.randoms())
def test_spearman_tie_free_matches_classic_formula(xs, rng):
    ys = [float(value) for value in range(len(xs))]
    rng.shuffle(ys)
    n = len(xs)
    rank_x = {value: rank for rank, value in enumerate(sorted(xs), start=1)}
    rank_y = {value: rank for rank, value in enumerate(sorted(ys), start=1)}
    d_squared = sum((rank_x[x] - rank_y[y]) ** 2 for x, y in zip(xs, ys))
    classic = 1 - 6 * d_squared / (n * (n * n - 1))
    assert spearman(xs, ys) == pytest.approx(classic, abs=1e-9)


@given(st.lists(st.tuples(small_ints, small_ints), min_size=5, max_size=20))
def test_spearman_is_symmetric_and_ignores_monotone_rescaling(pairs):
    xs = [x for x, _ in pairs]
    ys = [y for _, y in pairs]
    r = spearman(xs, ys)
    assert spearman(ys, xs) == (None if r is None else pytest.approx(r))
    rescaled = [x**3 + 7 for x in xs]  # strictly increasing: ranks unchanged
    assert spearman(rescaled, ys) == (None if r is None else pytest.approx(r))
