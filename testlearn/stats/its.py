"""Interrupted time series: segmented regression of the pilot's series.

    y_t = b0 + b1 time + b2 post + b3 time_since + e_t     (Wagner et al. 2002)

`post` is 1 from the first after point; `time_since` is 0 before and time minus the last before
time after (1, 2, ... for unit spacing). The level change b2 is the headline, the slope change b3
is reported beside it. Continuous outcomes use the series of means and binary outcomes the series
of proportions, both by least squares; counts use Poisson regression with log exposure as offset,
so the level change is a rate ratio exp(b2). Standard errors are Newey-West (Bartlett kernel,
small-sample correction) and the reference distribution is t with T - 4 df; statsmodels fits
the regression and computes the errors (regression.py).

Reference: Wagner AK, Soumerai SB, Zhang F, Ross-Degnan D (2002) Segmented regression analysis
of interrupted time series studies in medication use research. J Clin Pharm Ther 27:299-309.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from testlearn.domain.analysis import (
    PERIOD_AFTER,
    PERIOD_BEFORE,
    AggregateData,
    ArmSummary,
    Estimate,
    OutcomeType,
)
from testlearn.errors import InvalidValue
from testlearn.stats.fit import Fit, NotEvaluable, critical, two_sided_p, wald_fit
from testlearn.stats.inputs import Units, exposure_of
from testlearn.stats.newey_west import default_lag
from testlearn.stats.regression import FitFailed, fit

FloatArray = NDArray[np.float64]
MIN_POINTS = 3  # per segment; fewer leaves no room to estimate a level and a slope
ADVISED_POINTS = 12  # per segment, Wagner et al. 2002


@dataclass(frozen=True)
class Series:
    """One value (or events and exposure) per time point, in time order."""

    time: FloatArray
    after: NDArray[np.bool_]
    y: FloatArray  # mean, proportion, or events
    exposure: FloatArray | None  # counts only


def _after_flags(
    time: FloatArray, period_after: NDArray[np.bool_] | None, interruption: float | None
) -> NDArray[np.bool_]:
    if interruption is not None:
        return np.asarray(time >= interruption)
    if period_after is None:
        raise NotEvaluable(
            "a time series needs the period of each point, or the time of the interruption"
        )
    return period_after


def series_from_units(
    units: Units, outcome: OutcomeType, interruption: float | None
) -> tuple[Series, int]:
    """The pilot's series from unit rows (comparator rows are not used); also the count of
    comparator rows left out."""
    if units.time is None:
        raise NotEvaluable("a time series needs the time column")
    rows = units.pilot
    time_all = units.time[rows]
    times, inverse = np.unique(time_all, return_inverse=True)
    inverse = inverse.ravel()
    counts = np.bincount(inverse).astype(np.float64)
    sums = np.bincount(inverse, weights=units.value[rows]).astype(np.float64)
    after = None
    if units.after is not None:
        after_rows = units.after[rows].astype(np.float64)
        share = np.bincount(inverse, weights=after_rows) / counts
        mixed = (share > 0) & (share < 1)
        if mixed.any() and interruption is None:
            raise InvalidValue(
                f"Pilot rows at time {times[np.flatnonzero(mixed)[0]]:g} carry both periods "
                "(before and after): give each time point one period, or register the time "
                "of the interruption."
            )
        after = share > 0.5
    flags = _after_flags(times, after, interruption)
    if outcome is OutcomeType.COUNT:
        exposure = counts
        if units.exposure is not None:
            exposure = np.bincount(inverse, weights=units.exposure[rows]).astype(np.float64)
        return Series(times, flags, sums, exposure), int((~rows).sum())
    return Series(times, flags, sums / counts, None), int((~rows).sum())


def series_from_aggregates(
    data: AggregateData, outcome: OutcomeType, interruption: float | None
) -> Series:
    """The pilot's series from aggregate rows with a time each."""
    rows = [r for r in data.rows if r.arm == "pilot"]
    if any(r.time is None for r in rows):
        raise NotEvaluable("a time series needs a time on every aggregate row")
    seen: dict[float, int] = {}
    for number, row in enumerate(data.rows, start=1):  # numbered as check_aggregates does
        if row.arm == "pilot":
            earlier = seen.setdefault(float(row.time), number)  # type: ignore[arg-type]
            if earlier != number:
                raise InvalidValue(
                    f"Aggregate rows {earlier} and {number} both give the pilot series at time "
                    f"{float(row.time):g}: a time series has one row per time point."  # type: ignore[arg-type]
                )
    rows.sort(key=lambda r: float(r.time))  # type: ignore[arg-type]
    time = np.array([float(r.time) for r in rows])  # type: ignore[arg-type]
    period = None
    if all(r.period in (PERIOD_BEFORE, PERIOD_AFTER) for r in rows):
        period = np.array([r.period == PERIOD_AFTER for r in rows])
    flags = _after_flags(time, period, interruption)
    if outcome is OutcomeType.CONTINUOUS:
        y = np.array([float(r.mean) for r in rows])  # type: ignore[arg-type]
        return Series(time, flags, y, None)
    if outcome is OutcomeType.BINARY:
        y = np.array([float(r.successes) / float(r.n) for r in rows])  # type: ignore[arg-type]
        return Series(time, flags, y, None)
    y = np.array([float(r.events) for r in rows])  # type: ignore[arg-type]
    exposure = np.array([exposure_of(r) for r in rows])
    return Series(time, flags, y, exposure)


def its(series: Series, outcome: OutcomeType, alpha: float, lag: int | None) -> Fit:
    """Segmented regression with Newey-West errors."""
    after = series.after
    before_points, after_points = int((~after).sum()), int(after.sum())
    if before_points < MIN_POINTS or after_points < MIN_POINTS:
        raise NotEvaluable(
            f"a time series needs at least {MIN_POINTS} points before and {MIN_POINTS} after "
            f"the interruption; it has {before_points} and {after_points}"
        )
    if after[:before_points].any():
        raise NotEvaluable("some before points come after the first after point")
    t = series.time
    last_before = float(t[~after].max())
    x = np.column_stack(
        [np.ones_like(t), t, after.astype(float), np.where(after, t - last_before, 0)]
    )
    points = int(t.shape[0])
    lag_used = default_lag(points) if lag is None else lag
    ratio = outcome is OutcomeType.COUNT
    offset = None
    method = "segmented least squares"
    if ratio:
        assert series.exposure is not None
        if series.y[~after].sum() == 0 or series.y[after].sum() == 0:
            raise NotEvaluable("a segment of the series has no events")
        offset = np.log(series.exposure)
        method = "Poisson segmented regression (log exposure offset)"
    elif np.ptp(series.y) == 0:
        raise NotEvaluable("the series is constant, so no change can be estimated")
    try:
        result = fit(x, series.y, offset=offset, hac_lag=lag_used)
    except FitFailed:
        raise NotEvaluable(f"the {method} could not be fitted") from None
    coef = result.coef
    df = result.df  # T - 4
    se = np.sqrt(np.diag(result.cov))
    warnings: list[str] = []
    if min(before_points, after_points) < ADVISED_POINTS:
        warnings.append(
            f"The series has {before_points} points before and {after_points} after; "
            f"Wagner et al. (2002) advise at least {ADVISED_POINTS} on each side."
        )
    crit = critical(alpha, df)
    slope, slope_se = float(coef[3]), float(se[3])
    low, high = slope - crit * slope_se, slope + crit * slope_se
    slope_estimate = Estimate(
        name="slope change per time unit" + (" (rate ratio)" if ratio else ""),
        estimate=math.exp(slope) if ratio else slope,
        ci_low=math.exp(low) if ratio else low,
        ci_high=math.exp(high) if ratio else high,
        p_value=two_sided_p(slope / slope_se, df) if slope_se > 0 else None,
        method="same model and errors as the level change",
    )
    segment = [
        ArmSummary("pilot", period, float(mask.sum()), float(series.y[mask].mean()))
        for period, mask in ((PERIOD_BEFORE, ~after), (PERIOD_AFTER, after))
    ]
    return wald_fit(
        method=f"{method}, Newey-West errors (Bartlett, lag {lag_used}), t with T - 4 = "
        f"{points - 4} df",
        estimand="level change at the interruption" + (" (rate ratio)" if ratio else ""),
        estimate=math.exp(coef[2]) if ratio else float(coef[2]),
        se=float(se[2]),
        df=df,
        alpha=alpha,
        arms=tuple(segment),
        n_pilot=float(after_points),
        n_comparator=float(before_points),
        ratio=ratio,
        warnings=tuple(warnings),
        extra_estimates=(slope_estimate,),
    )
