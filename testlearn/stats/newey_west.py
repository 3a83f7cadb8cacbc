"""Newey-West heteroskedasticity- and autocorrelation-consistent covariance.

    V = T/(T-K) * B (sum_{l=-L..L} w_l sum_t s_t s_{t-l}') B,   w_l = 1 - |l| / (L + 1)

with B = (X'WX)^-1, s_t the score of time point t and Bartlett weights w_l. The T/(T-K) factor
is the small-sample correction (R: `sandwich::NeweyWest(..., prewhite = FALSE, adjust = TRUE)`;
statsmodels: `cov_type="HAC"` with `use_correction=True`). The default lag is
floor(4 (T/100)^(2/9)) (Newey and West 1994), the rule the contract names.

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
    """The HAC covariance of the coefficients.

    Args:
        bread: (X'WX)^-1.
        scores: T x K score contributions in time order.
        lag: truncation lag L (0 gives the White covariance).
        small_sample: multiply by T/(T-K).
    """
    t, k = scores.shape
    meat = scores.T @ scores
    for lag_l in range(1, min(lag, t - 1) + 1):
        weight = 1.0 - lag_l / (lag + 1.0)
        gamma = scores[lag_l:].T @ scores[:-lag_l]
        meat += weight * (gamma + gamma.T)
    cov = bread @ meat @ bread
    if small_sample:
        cov *= t / (t - k)
    return cov
