"""Seeded BCa bootstrap interval for a contrast of cell means.

Resampling units (rows, or whole clusters when the data are clustered) are drawn with
replacement within their stratum (arm), keeping each stratum's size. Each unit carries its sums
and counts per cell, so a resample's cell means are ratios of summed sums to summed counts and
clusters stay whole. The interval is the bias-corrected and accelerated percentile interval
(Efron 1987); the acceleration comes from the leave-one-unit-out jackknife within strata,
computed in closed form.

Reference: Efron B, Tibshirani RJ (1993) An Introduction to the Bootstrap, ch. 14.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from testlearn.errors import TestlearnError
from testlearn.stats.distributions import norm_cdf, norm_ppf

Matrix = NDArray[np.float64]
Progress = Callable[[float], None]
Cancel = Callable[[], bool]


class AnalysisCancelled(TestlearnError):
    """The user cancelled a long analysis; nothing was stored."""


@dataclass(frozen=True)
class Stratum:
    """Resampling units of one arm: sums and counts per cell (units x cells), cell weights."""

    sums: Matrix
    counts: Matrix
    weights: NDArray[np.float64]


def _estimate(strata: list[Stratum], sums: list[Matrix], counts: list[Matrix]) -> Matrix:
    total = np.zeros(sums[0].shape[0])
    for stratum, s, c in zip(strata, sums, counts, strict=True):
        total = total + (s / c) @ stratum.weights
    return total


def _acceleration(strata: list[Stratum], full_s: list[Matrix], full_c: list[Matrix]) -> float:
    num = den = 0.0
    for i, stratum in enumerate(strata):
        n = stratum.sums.shape[0]
        if n < 2:
            continue
        others = sum(
            float((full_s[k][0] / full_c[k][0]) @ strata[k].weights)
            for k in range(len(strata))
            if k != i
        )
        left_s = full_s[i][0][None, :] - stratum.sums
        left_c = full_c[i][0][None, :] - stratum.counts
        with np.errstate(divide="ignore", invalid="ignore"):
            jack = (left_s / left_c) @ stratum.weights + others
        jack = jack[np.isfinite(jack)]
        if jack.size < 2:
            continue
        u = (n - 1) * (jack.mean() - jack)
        num += float((u**3).sum()) / n**3
        den += float((u**2).sum()) / n**2
    return 0.0 if den == 0 else num / (6 * den**1.5)


def bca_interval(
    strata: list[Stratum],
    alpha: float,
    *,
    resamples: int,
    seed: int,
    progress: Progress | None = None,
    should_cancel: Cancel | None = None,
) -> tuple[float, float]:
    """The (1 - alpha) BCa interval of sum over strata of weights . cell means.

    Raises:
        AnalysisCancelled: when `should_cancel()` turns true.
    """
    rng = np.random.Generator(np.random.PCG64(seed))
    full_s = [s.sums.sum(axis=0, keepdims=True) for s in strata]
    full_c = [s.counts.sum(axis=0, keepdims=True) for s in strata]
    theta = float(_estimate(strata, full_s, full_c)[0])
    draws = np.empty(resamples)
    batch = max(1, min(resamples, 2_000_000 // max(1, max(s.sums.shape[0] for s in strata))))
    done = 0
    while done < resamples:
        if should_cancel is not None and should_cancel():
            raise AnalysisCancelled("The bootstrap was cancelled.")
        size = min(batch, resamples - done)
        sums, counts = [], []
        for stratum in strata:
            n = stratum.sums.shape[0]
            idx = rng.integers(0, n, size=(size, n))
            sums.append(stratum.sums[idx].sum(axis=1))
            counts.append(stratum.counts[idx].sum(axis=1))
        with np.errstate(divide="ignore", invalid="ignore"):
            draws[done : done + size] = _estimate(strata, sums, counts)
        done += size
        if progress is not None:
            progress(done / resamples)
    draws = draws[np.isfinite(draws)]
    share = (np.sum(draws < theta) + 0.5 * np.sum(draws == theta)) / draws.size
    z0 = norm_ppf(float(np.clip(share, 1 / (2 * draws.size), 1 - 1 / (2 * draws.size))))
    a = _acceleration(strata, full_s, full_c)
    levels = []
    for z_alpha in (norm_ppf(alpha / 2), norm_ppf(1 - alpha / 2)):
        shifted = z0 + (z0 + z_alpha) / (1 - a * (z0 + z_alpha))
        levels.append(norm_cdf(shifted))
    low, high = np.quantile(draws, levels)
    return float(low), float(high)


def strata_from_cells(
    groups: list[tuple[NDArray[np.float64], NDArray[np.intp], NDArray[np.intp] | None, int]],
    weights: list[NDArray[np.float64]],
) -> list[Stratum]:
    """Build strata from (values, cell index, cluster codes or None, number of cells) per arm."""
    strata = []
    for (values, cell, cluster, cells), w in zip(groups, weights, strict=True):
        if cluster is None:
            unit = np.arange(values.shape[0])
        else:
            unit = np.unique(cluster, return_inverse=True)[1].ravel()
        units = int(unit.max()) + 1 if unit.size else 0
        flat = unit * cells + cell
        sums = np.bincount(flat, weights=values, minlength=units * cells).astype(np.float64)
        sums = sums.reshape(units, cells)
        counts = np.bincount(flat, minlength=units * cells).astype(np.float64)
        counts = counts.reshape(units, cells)
        strata.append(Stratum(sums, counts, w))
    return strata
