"""Newey-West heteroskedasticity- and autocorrelation-consistent covariance.

    V = T/(T-K) * B (sum_{l=-L..L} w_l sum_t s_t s_{t-l}') B,   w_l = 1 - |l| / (L + 1)

with B = (X'WX)^-1, s_t the score of time point t and Bartlett weights w_l. The T/(T-K) factor
is the small-sample correction (R: `sandwich::NeweyWest(..., prewhite = FALSE, adjust = TRUE)`;
statsmodels: `cov_type="HAC"` with `use_correction=True`, which computes it here). The
default lag is floor(4 (T/100)^(2/9)) (Newey and West 1994), the rule the contract names.

Reference: Newey WK, West KD (1987) A simple, positive semi-definite, heteroskedasticity and
autocorrelation consistent covariance matrix. Econometrica 55:703-708.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

Matrix = NDArray[np.float64]


def default_lag(n_points: int) -> int:
    """floor(4 (T/100)^(2/9))."""
    lag: int = math.floor(4 * (n_points / 100) ** (2 / 9))
    return lag


def newey_west(bread: Matrix, scores: Matrix, lag: int, *, small_sample: bool = True) -> Matrix:
    """The HAC covariance of the coefficients, from a fit's arrays.

    statsmodels' `cov_hac` on the (scores, bread) pair, the function its `fit(cov_type="HAC")`
    calls on a fitted model (regression.py); the array form lets R's matrix be checked on the
    estimator itself.

    Args:
        bread: (X'WX)^-1.
        scores: T x K score contributions in time order.
        lag: truncation lag L (0 gives the White covariance).
        small_sample: multiply by T/(T-K).
    """
    from statsmodels.stats.sandwich_covariance import cov_hac

    cov = cov_hac((scores, bread), nlags=lag, use_correction=small_sample)
    return np.asarray(cov, dtype=np.float64)
