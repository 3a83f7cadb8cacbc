"""Clustering: cluster-robust (CR1) sandwich errors for unit rows, design effects for aggregates.

Unit rows with a cluster column are fitted as a regression of the outcome on cell indicators
(arm, or arm x period): ordinary least squares for means and proportions, Poisson with a log
exposure offset for counts. The contrast of interest gets the CR1 sandwich variance

    V = c * (X'WX)^-1 (sum_g s_g s_g') (X'WX)^-1,   c = G/(G-1) * (N-1)/(N-K),

(s_g the summed score of cluster g) and is referred to t with G - 1 degrees of freedom, as
Stata's `regress, vce(cluster)` and statsmodels' `cov_type="cluster"` with `use_t=True` do
(statsmodels' default `use_t=False` would use the normal, too liberal with few clusters).

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
    """Coefficients, residuals and (X'X)^-1 of an ordinary least squares fit."""
    xtx_inv = np.asarray(np.linalg.inv(x.T @ x), dtype=np.float64)
    coef = xtx_inv @ (x.T @ y)
    return coef, y - x @ coef, xtx_inv


def poisson(
    x: Matrix, y: Matrix, offset: Matrix, *, max_iter: int = 100
) -> tuple[Matrix, Matrix, Matrix]:
    """Coefficients, fitted means and inverse information of a Poisson log-linear fit (IRLS).

    Raises:
        ValueError: when the fit does not converge (e.g. a cell with no events).
    """
    # Start from the log of the overall rate; Newton steps converge in a handful of iterations.
    coef = np.zeros(x.shape[1])
    rate = max(float(y.sum()) / float(np.exp(offset).sum()), 1e-300)
    coef[0] = np.log(rate) if np.allclose(x[:, 0], 1.0) else 0.0
    for _ in range(max_iter):
        eta = x @ coef + offset
        mu = np.exp(eta)
        info = x.T @ (x * mu[:, None])
        step = np.linalg.solve(info, x.T @ (y - mu))
        coef = coef + step
        if np.max(np.abs(step)) < 1e-12:
            mu = np.exp(x @ coef + offset)
            bread = np.asarray(np.linalg.inv(x.T @ (x * mu[:, None])), dtype=np.float64)
            return np.asarray(coef, dtype=np.float64), mu, bread
    raise ValueError("the Poisson fit did not converge")


def cluster_covariance(
    bread: Matrix, scores: Matrix, clusters: NDArray[np.intp]
) -> tuple[Matrix, int]:
    """CR1 covariance and the number of clusters G.

    Args:
        bread: (X'WX)^-1.
        scores: per-row score contributions, N x K (x_i * residual_i).
        clusters: cluster code per row (0..G-1).
    """
    n, k = scores.shape
    groups = int(clusters.max()) + 1 if clusters.size else 0
    summed = np.column_stack(
        [np.bincount(clusters, weights=scores[:, j], minlength=groups) for j in range(k)]
    )
    g = int((np.bincount(clusters, minlength=groups) > 0).sum())
    meat = summed.T @ summed
    correction = g / (g - 1) * (n - 1) / (n - k)
    return correction * bread @ meat @ bread, g


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
