"""Small statistics for the mood review: means that skip gaps, average ranks, Spearman's rho.

Written out here rather than pulled from scipy/numpy: the sums are tiny and those imports
would cost more start-up time than every report they serve.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

# Below this many pairs a rank correlation says more about chance than about the runner.
MIN_CORRELATION_PAIRS = 5


def mean(values: Iterable[float | None]) -> float | None:
    """The arithmetic mean of the values that are not None; None when there are none."""
    present = [value for value in values if value is not None]
    if not present:
        return None
    return math.fsum(present) / len(present)


def average_ranks(values: Sequence[float]) -> list[float]:
    """1-based ranks of `values` in their original order; tied values share the mean of
    the positions they occupy (so [10, 20, 20, 30] ranks as [1, 2.5, 2.5, 4])."""
    order = sorted(range(len(values)), key=lambda index: values[index])
    ranks = [0.0] * len(values)
    group_start = 0
    while group_start < len(order):
        group_end = group_start
        while (
            group_end + 1 < len(order)
            and values[order[group_end + 1]] == values[order[group_start]]
        ):
            group_end += 1
        # Positions group_start..group_end (0-based) are 1-based ranks start+1..end+1.
        shared_rank = (group_start + group_end) / 2 + 1
        for position in range(group_start, group_end + 1):
            ranks[order[position]] = shared_rank
        group_start = group_end + 1
    return ranks


def pearson(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """Pearson's correlation of two equally long sequences; None when n < 2 or either
    side has no variance (the coefficient is undefined, not zero)."""
    if len(xs) != len(ys):
        raise ValueError(f"pearson needs equally long sequences, got {len(xs)} and {len(ys)}")
    n = len(xs)
    if n < 2:
        return None
    mean_x = math.fsum(xs) / n
    mean_y = math.fsum(ys) / n
    sum_xy = math.fsum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys))
    sum_xx = math.fsum((x - mean_x) ** 2 for x in xs)
    sum_yy = math.fsum((y - mean_y) ** 2 for y in ys)
    if sum_xx == 0 or sum_yy == 0:
        return None
    r = sum_xy / math.sqrt(sum_xx * sum_yy)
    # Rounding can push a perfect correlation a hair past ±1; callers print and compare it.
    return max(-1.0, min(1.0, r))


def complete_pairs(
    xs: Sequence[float | None], ys: Sequence[float | None]
) -> tuple[list[float], list[float]]:
    """The pairs where both sides have a value (a run without a mood after drops out)."""
    if len(xs) != len(ys):
        raise ValueError(f"pairs need equally long sequences, got {len(xs)} and {len(ys)}")
    kept = [(x, y) for x, y in zip(xs, ys) if x is not None and y is not None]
    return [x for x, _ in kept], [y for _, y in kept]


def spearman(xs: Sequence[float | None], ys: Sequence[float | None]) -> float | None:
    """Spearman's rank correlation: Pearson's r of the average ranks (ties share a rank).

    Pairs with a None on either side are dropped first. None when fewer than 5 complete
    pairs remain or either side has no variance (SPEC §5).
    """
    kept_xs, kept_ys = complete_pairs(xs, ys)
    if len(kept_xs) < MIN_CORRELATION_PAIRS:
        return None
    return pearson(average_ranks(kept_xs), average_ranks(kept_ys))


def rank_correlation(xs: Sequence[float | None], ys: Sequence[float | None]) -> dict:
    """`{"r": spearman or None, "n": complete pairs}` — the shape `mood --json` carries."""
    kept_xs, kept_ys = complete_pairs(xs, ys)
    return {"r": spearman(kept_xs, kept_ys), "n": len(kept_xs)}
