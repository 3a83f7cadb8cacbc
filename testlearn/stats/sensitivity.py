"""Sensitivity analyses, shown beside the headline and never instead of it.

* continuous, two groups: Mann-Whitney U (two-sided) and the BCa bootstrap interval of the
  difference in means; one group (paired, benchmark): Wilcoxon signed-rank and the BCa interval
  of the mean; did: the BCa interval of the difference in differences.
* binary, two independent groups: Fisher's and Barnard's exact p when any expected cell is below
  5; paired: the exact (binomial) McNemar p when fewer than 25 pairs are discordant.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from testlearn.domain.analysis import SensitivityResult
from testlearn.stats.bootstrap import Cancel, Progress, Stratum, bca_interval, strata_from_cells
from testlearn.stats.distributions import norm_sf
from testlearn.stats.plan import SensitivityRun

FloatArray = NDArray[np.float64]
#: scipy's own rule: with more than 8 values in each sample, the normal approximation.
ASYMPTOTIC_ABOVE = 8
BARNARD_MAX_N = 1000  # Barnard's test enumerates tables; beyond this it takes minutes
# The bootstrap costs resamples x units; past this many units it would take minutes, and the
# question it answers (is the t interval misled by skew or outliers?) has been settled by the
# central limit theorem long before: the two intervals agree to the precision reported.
BOOTSTRAP_MAX_UNITS = 100_000
RANK_NOT_RUN = SensitivityResult(
    method="rank test", note="not run: a rank test would ignore the clustering"
)


def bootstrap_result(
    strata: list[Stratum],
    alpha: float,
    *,
    resamples: int,
    seed: int,
    progress: Progress | None,
    should_cancel: Cancel | None,
) -> SensitivityResult:
    """The BCa interval as a sensitivity result."""
    low, high = bca_interval(
        strata,
        alpha,
        resamples=resamples,
        seed=seed,
        progress=progress,
        should_cancel=should_cancel,
    )
    note = (
        "resampling whole clusters within arms"
        if any((s.counts.sum(axis=1) > 1).any() for s in strata)
        else "resampling units within arms"
    )
    return SensitivityResult(
        method=f"BCa bootstrap ({resamples} resamples, seed {seed})",
        ci_low=low,
        ci_high=high,
        note=note,
    )


def mann_whitney(first: FloatArray, second: FloatArray) -> SensitivityResult:
    """Two-sided Mann-Whitney U test (exact for small untied samples, else normal with ties)."""
    if first.size > ASYMPTOTIC_ABOVE and second.size > ASYMPTOTIC_ABOVE:
        u_first, p_value = _mann_whitney_normal(first, second)
    else:
        from scipy import stats as sps  # imported when needed: see stats/distributions.py

        result = sps.mannwhitneyu(first, second, alternative="two-sided")
        u_first, p_value = float(result.statistic), float(result.pvalue)
    share = u_first / (first.size * second.size)
    return SensitivityResult(
        method="Mann-Whitney U test",
        p_value=p_value,
        note=f"probability that a pilot value exceeds a comparator value: {share:.3f}",
    )


def _mann_whitney_normal(first: FloatArray, second: FloatArray) -> tuple[float, float]:
    """U of ``first`` and the two-sided p, by the normal approximation with the tie correction.

    What ``scipy.stats.mannwhitneyu`` computes when both samples have more than 8 values (its
    "asymptotic" method, with the continuity correction), without importing ``scipy.stats``
    and without ranking the pooled sample: U counts, for each value of ``first``, the values
    of ``second`` below it and half of those equal to it. Agreement with scipy and with R's
    ``wilcox.test(exact = FALSE)`` is tested (tests/unit/test_distributions.py).
    """
    # Both sorted: searching sorted values walks ``below`` in order, several times faster
    # than searching in the file's order, and the pooled sort below reuses both runs.
    ordered = np.sort(first)
    below = np.sort(second)
    left = np.searchsorted(below, ordered, side="left")
    right = np.searchsorted(below, ordered, side="right")
    u_first = float(np.sum(left, dtype=np.int64) + np.sum(right, dtype=np.int64)) / 2
    n1, n2 = first.size, second.size
    n = n1 + n2
    # Pooled and sorted: the two sorted runs merge in linear time (timsort finds the runs).
    pooled = np.sort(np.concatenate([ordered, below]), kind="stable")
    starts = np.flatnonzero(np.concatenate([[True], pooled[1:] != pooled[:-1], [True]]))
    ties = np.diff(starts).astype(np.float64)
    tie_term = float(np.sum(ties**3 - ties))
    spread = np.sqrt(n1 * n2 / 12 * ((n + 1) - tie_term / (n * (n - 1))))
    u = max(u_first, n1 * n2 - u_first)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (u - n1 * n2 / 2 - 0.5) / spread
    return u_first, min(1.0, max(0.0, 2 * norm_sf(float(z))))


def wilcoxon(differences: FloatArray) -> SensitivityResult:
    """Two-sided Wilcoxon signed-rank test of the differences against 0."""
    from scipy import stats as sps  # imported when needed: see stats/distributions.py

    if not np.any(differences != 0):
        return SensitivityResult(
            method="Wilcoxon signed-rank test", note="all differences are zero: not computable"
        )
    result = sps.wilcoxon(differences, alternative="two-sided")
    return SensitivityResult(
        method="Wilcoxon signed-rank test",
        p_value=float(result.pvalue),
        note="zero differences dropped (Wilcoxon's convention)",
    )


def exact_two_by_two(x1: float, n1: float, x2: float, n2: float) -> tuple[SensitivityResult, ...]:
    """Fisher's and Barnard's exact p when any expected cell is below 5."""
    from scipy import stats as sps  # imported when needed: see stats/distributions.py

    whole = all(float(v).is_integer() for v in (x1, n1, x2, n2))
    table = np.array([[x1, n1 - x1], [x2, n2 - x2]])
    expected = table.sum(axis=1, keepdims=True) * table.sum(axis=0, keepdims=True) / table.sum()
    if not (expected < 5).any():
        return ()
    if not whole:
        return (
            SensitivityResult(
                method="Fisher's exact test",
                note="an expected cell is below 5, but the counts are effective (design "
                "effect applied) and not whole, so exact tests do not apply",
            ),
        )
    ints = table.astype(np.int64)
    out = [
        SensitivityResult(
            method="Fisher's exact test",
            p_value=float(sps.fisher_exact(ints).pvalue),
            note="run because an expected cell is below 5",
        )
    ]
    if n1 + n2 <= BARNARD_MAX_N:
        out.append(
            SensitivityResult(
                method="Barnard's exact test",
                p_value=float(sps.barnard_exact(ints).pvalue),
                note="run because an expected cell is below 5",
            )
        )
    else:
        out.append(
            SensitivityResult(
                method="Barnard's exact test",
                note=f"not run: more than {BARNARD_MAX_N} units make it too slow; Fisher's "
                "test is shown",
            )
        )
    return tuple(out)


def exact_mcnemar(only_first: int, only_second: int) -> tuple[SensitivityResult, ...]:
    """Exact McNemar p (binomial on the discordant pairs) when fewer than 25 are discordant."""
    from scipy import stats as sps  # imported when needed: see stats/distributions.py

    discordant = only_first + only_second
    if discordant == 0 or discordant >= 25:
        return ()
    return (
        SensitivityResult(
            method="exact McNemar test",
            p_value=float(sps.binomtest(only_first, discordant, 0.5).pvalue),
            note="run because fewer than 25 pairs are discordant",
        ),
    )


def bootstrap_plan(
    groups: list[tuple[FloatArray, NDArray[np.intp], NDArray[np.intp] | None, int]],
    weights: list[list[float]],
    alpha: float,
    extra: tuple[SensitivityResult, ...] = (),
) -> SensitivityRun:
    """A sensitivity run giving `extra` then the BCa interval of the weighted cell means."""

    def run(
        resamples: int, seed: int, progress: Progress | None, cancel: Cancel | None
    ) -> tuple[SensitivityResult, ...]:
        units = sum(int(group[0].size) for group in groups)
        if units > BOOTSTRAP_MAX_UNITS:
            skipped = SensitivityResult(
                method="BCa bootstrap",
                note=f"not run: with {units:,} units the t interval is already reliable "
                f"(resampling is run up to {BOOTSTRAP_MAX_UNITS:,} units)",
            )
            return (*extra, skipped)
        strata = strata_from_cells(groups, [np.array(w, dtype=np.float64) for w in weights])
        boot = bootstrap_result(
            strata,
            alpha,
            resamples=resamples,
            seed=seed,
            progress=progress,
            should_cancel=cancel,
        )
        return (*extra, boot)

    return run
