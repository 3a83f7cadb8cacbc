"""Contrasts of cell means (or log rates) from clustered unit rows, with CR1 errors.

Two-group, before-after and difference-in-differences are all contrasts of cell means: the
regression `y ~ arm * period` is saturated, so its interaction coefficient is exactly
(pilot after - pilot before) - (comparator after - comparator before). Fitting the cell-mean
parametrisation and taking the contrast gives the same estimate and the same CR1 variance as the
usual dummy coding, with one code path for every design. statsmodels fits the regression and
computes the CR1 covariance (regression.py).
"""

from __future__ import annotations

import math

import numpy as np

from testlearn.domain.analysis import ArmSummary, OutcomeType
from testlearn.stats.clustering import cell_design
from testlearn.stats.fit import Fit, NotEvaluable, wald_fit
from testlearn.stats.inputs import Units
from testlearn.stats.regression import FitFailed, fit


def clustered_contrast(
    units: Units,
    outcome: OutcomeType,
    weights: dict[tuple[bool, bool | None], float],
    alpha: float,
    *,
    estimand: str,
    arms: tuple[ArmSummary, ...],
    n_pilot: float,
    n_comparator: float | None,
    use_periods: bool,
) -> Fit:
    """Estimate sum_j w_j theta_j with a CR1 sandwich and t on G - 1 df.

    Args:
        units: the rows taking part (already restricted to the design's cells).
        outcome: continuous and binary use OLS (a linear probability model for binary); count
            uses Poisson with log exposure as offset, and the contrast is of log rates.
        weights: contrast weight per (pilot?, after?) cell.
        alpha: for the (1 - alpha) interval.
        estimand: what the estimate is.
        arms: per-arm summaries to carry.
        n_pilot: units on the pilot side.
        n_comparator: units on the comparator side.
        use_periods: whether cells are split by period.

    Raises:
        NotEvaluable: fewer than two clusters in an arm, or a fit that cannot be made.
    """
    assert units.cluster is not None
    after = units.after if use_periods else None
    x, cells = cell_design(units.pilot, after)
    missing = [cell for cell in weights if cell not in cells]
    if missing:
        raise NotEvaluable("a group the design needs has no rows")
    for arm in {cell[0] for cell in weights}:
        in_arm = units.pilot == arm
        if np.unique(units.cluster[in_arm]).shape[0] < 2:
            raise NotEvaluable(
                f"the {'pilot' if arm else 'comparator'} arm has fewer than 2 clusters, so "
                "cluster-robust errors cannot be estimated"
            )
    contrast = np.array([weights.get(cell, 0.0) for cell in cells])
    y = units.value
    codes = np.unique(units.cluster, return_inverse=True)[1].ravel()
    offset = None
    method = "least squares with cluster-robust (CR1) errors"
    if outcome is OutcomeType.BINARY:
        method = "linear probability model with cluster-robust (CR1) errors"
    if outcome is OutcomeType.COUNT:
        exposure = units.exposure if units.exposure is not None else np.ones_like(y)
        for j, cell in enumerate(cells):
            if weights.get(cell, 0.0) and y[x[:, j] == 1].sum() == 0:
                raise NotEvaluable(
                    "a group had no events, so its log rate (and a cluster-robust ratio) "
                    "does not exist"
                )
        offset = np.log(exposure)
        method = "Poisson regression (log exposure offset) with cluster-robust (CR1) errors"
    try:
        result = fit(x, y, offset=offset, clusters=codes)
    except FitFailed:
        raise NotEvaluable("the cluster-robust regression could not be fitted") from None
    groups = int(result.df) + 1
    estimate = float(contrast @ result.coef)
    se = math.sqrt(float(contrast @ result.cov @ contrast))
    df = result.df
    ratio = outcome is OutcomeType.COUNT
    return wald_fit(
        method=f"{method}, t with G - 1 = {groups - 1} df",
        estimand=estimand,
        estimate=math.exp(estimate) if ratio else estimate,
        se=se,
        df=df,
        alpha=alpha,
        arms=arms,
        n_pilot=n_pilot,
        n_comparator=n_comparator,
        ratio=ratio,
        clustering=f"cluster-robust (CR1) errors over {groups} clusters",
        clusters_per_arm=tuple(
            int(np.unique(units.cluster[units.pilot == arm]).shape[0])
            for arm in sorted({cell[0] for cell in weights}, reverse=True)
        ),
    )
