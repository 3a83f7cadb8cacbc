"""Clustering: cluster-robust (CR1) sandwich errors for unit rows, design effects for aggregates.

Unit rows with a cluster column are fitted as a regression of the outcome on cell indicators
(arm, or arm x period): ordinary least squares for means and proportions, Poisson with a log
exposure offset for counts. The contrast of interest gets the CR1 sandwich variance

    V = c * (X'WX)^-1 (sum_g s_g s_g') (X'WX)^-1,   c = G/(G-1) * (N-1)/(N-K),

(s_g the summed score of cluster g) and is referred to t with G - 1 degrees of freedom, as
Stata's `regress, vce(cluster)` and statsmodels' `cov_type="cluster"` with `use_t=True` do
(statsmodels' default `use_t=False` would use the normal, too liberal with few clusters).
statsmodels does the fitting and the sandwich (regression.py).

Aggregates with an ICC get the design effect 1 + (m - 1) ICC, m the mean cluster size, and their
n (and successes, events, exposure) are divided by it: an effective sample size.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from numpy.typing import NDArray

from testlearn.stats.inputs import Cell

Matrix = NDArray[np.float64]


def ols(x: Matrix, y: Matrix) -> tuple[Matrix, Matrix, Matrix]:
    """Coefficients, residuals and (X'X)^-1 of an ordinary least squares fit (statsmodels)."""
    from statsmodels.regression.linear_model import OLS

    result = OLS(y, x).fit()
    return (
        np.asarray(result.params, dtype=np.float64),
        np.asarray(result.resid, dtype=np.float64),
        np.asarray(result.normalized_cov_params, dtype=np.float64),
    )


def cluster_covariance(
    bread: Matrix, scores: Matrix, clusters: NDArray[np.intp]
) -> tuple[Matrix, int]:
    """CR1 covariance and the number of clusters G, from a fit's arrays.

    This is statsmodels' `cov_cluster` on the (scores, bread) pair, the function its
    `fit(cov_type="cluster")` calls on a fitted model (regression.py): the array form lets a
    published covariance (Petersen's) be checked on the estimator itself.

    Args:
        bread: (X'WX)^-1.
        scores: per-row score contributions, N x K (x_i * residual_i).
        clusters: cluster code per row (0..G-1).
    """
    from statsmodels.stats.sandwich_covariance import cov_cluster

    groups = int(np.unique(clusters).shape[0])
    cov = cov_cluster((scores, bread), clusters, use_correction=True)
    return np.asarray(cov, dtype=np.float64), groups


def cell_design(
    pilot: NDArray[np.bool_], after: NDArray[np.bool_] | None
) -> tuple[Matrix, list[tuple[bool, bool | None]]]:
    """Indicator columns, one per non-empty cell (arm, or arm x period), and their labels."""
    cells: list[tuple[bool, bool | None]] = []
    columns = []
    periods: list[bool | None] = [None] if after is None else [False, True]
    for arm in (False, True):
        for period in periods:
            rows = pilot == arm
            if after is not None and period is not None:
                rows = rows & (after == period)
            if rows.any():
                cells.append((arm, period))
                columns.append(rows.astype(np.float64))
    return np.column_stack(columns), cells


def design_effect(icc: float, n: float, clusters: int) -> float:
    """1 + (m - 1) ICC with m = n / clusters."""
    return 1.0 + (n / clusters - 1.0) * icc


def with_design_effect(cell: Cell, icc: float, clusters: int) -> Cell:
    """The cell with n, successes, events and exposure divided by its design effect."""
    deff = design_effect(icc, cell.n, clusters)
    return replace(
        cell,
        n=cell.n / deff,
        successes=cell.successes / deff,
        events=cell.events / deff,
        exposure=cell.exposure / deff,
        clusters=clusters,
        design_effect=deff,
    )
