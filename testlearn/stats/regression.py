"""The regressions behind clustered contrasts and time series, fitted by statsmodels.

Means and proportions are fitted by ordinary least squares (`OLS`), counts by a Poisson `GLM`
with log exposure as offset. The covariance is the one the contract asks of each design, as
statsmodels computes it:

* clustered unit rows: `cov_type="cluster"` with its default small-sample correction
  G/(G-1) x (N-1)/(N-K) (CR1, Stata's `vce(cluster)`) and `df_correction`, so that with
  `use_t=True` the statistics are referred to t on G - 1 df (the default `use_t=False` would
  use the normal, too liberal with few clusters);
* a baseline adjustment of unclustered unit rows: `cov_type="HC2"`, t on N - K df
  (baseline_adjustment.py says why HC2);
* time series: `cov_type="HAC"` (Bartlett kernel) with `use_correction=True`, the T/(T-K)
  factor of R's `sandwich::NeweyWest(adjust = TRUE)` (statsmodels' default is False), and t on
  T - K df.

statsmodels is imported here, inside the function, not when the engine is imported: a two-group
analysis of a million rows needs none of it and should not wait for it.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

Matrix = NDArray[np.float64]

# The Poisson fit stops when no coefficient moves by more than this: the same rule as the
# engine's earlier Newton iteration, far inside statsmodels' default (a deviance change of 1e-8)
# so that results do not move with the starting point.
POISSON_TOLERANCE = 1e-12


class FitFailed(ValueError):
    """The regression could not be fitted (a Poisson fit that does not converge, a singular
    design)."""


@dataclass(frozen=True)
class RegressionFit:
    """Coefficients, their robust covariance and the df their t statistics are referred to."""

    coef: Matrix
    cov: Matrix
    df: float


def fit(
    x: Matrix,
    y: Matrix,
    *,
    offset: Matrix | None = None,
    clusters: NDArray[np.intp] | None = None,
    hac_lag: int | None = None,
    hc_type: str | None = None,
) -> RegressionFit:
    """Least squares (no offset) or Poisson with log exposure ``offset``, with cluster-robust
    errors over ``clusters``, Newey-West errors at ``hac_lag``, or heteroskedasticity-robust
    errors of ``hc_type`` ("HC2": the baseline adjustment, t on N - K df).

    Raises:
        FitFailed: when the fit does not converge or the design is singular.
    """
    from statsmodels.genmod.families import Poisson
    from statsmodels.genmod.generalized_linear_model import GLM
    from statsmodels.regression.linear_model import OLS
    from statsmodels.tools.sm_exceptions import ConvergenceWarning, PerfectSeparationWarning

    cov: dict[str, Any]
    if clusters is not None:
        cov = {"cov_type": "cluster", "cov_kwds": {"groups": clusters, "df_correction": True}}
    elif hc_type is not None:
        cov = {"cov_type": hc_type}
    else:
        assert hac_lag is not None
        cov = {"cov_type": "HAC", "cov_kwds": {"maxlags": hac_lag, "use_correction": True}}
    if np.linalg.matrix_rank(x) < x.shape[1]:
        raise FitFailed("the design matrix is singular")
    # The fit runs on the worker lane. Warnings are recorded, not turned into errors: the
    # filters are process-wide, and "error" would make a warning on the window's thread raise.
    # numpy's error state is per thread, so a diverging fit's overflow is silenced here only.
    with warnings.catch_warnings(record=True) as caught, np.errstate(all="ignore"):
        warnings.simplefilter("always")
        try:
            if offset is None:
                result = OLS(y, x).fit(use_t=True, **cov)
            else:
                model = GLM(y, x, family=Poisson(), offset=offset)
                result = model.fit(tol=POISSON_TOLERANCE, tol_criterion="params", use_t=True, **cov)
        except (ValueError, np.linalg.LinAlgError) as exc:
            raise FitFailed(str(exc)) from None
    coef = np.asarray(result.params, dtype=np.float64)
    covariance = np.asarray(result.cov_params(), dtype=np.float64)
    unsettled = any(
        issubclass(w.category, (ConvergenceWarning, PerfectSeparationWarning)) for w in caught
    )
    if offset is not None and (unsettled or not result.converged):
        raise FitFailed("the Poisson fit did not converge")
    if not (np.isfinite(coef).all() and np.isfinite(covariance).all()):
        raise FitFailed("the fit gave no finite estimate")
    # statsmodels' own rule for the df of t (cluster: G - 1; otherwise N - K), as in conf_int().
    df = float(getattr(result, "df_resid_inference", result.df_resid))
    return RegressionFit(coef, covariance, df)
