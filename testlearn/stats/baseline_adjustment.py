"""Regression adjustment for a baseline measure registered in advance (ANCOVA, CUPED).

When a hypothesis registers a baseline covariate (the same measure, one value per unit, taken
before the pilot), the headline is the arm coefficient of the least-squares fit

    value ~ 1 + pilot + (baseline - mean(baseline))

for a continuous outcome, and of the same linear probability model for a binary one (the
adjusted difference in proportions). Centring the baseline leaves the arm coefficient where it
is and makes the intercept the comparator's mean at the average baseline, as CUPED writes it
(Deng et al. 2013). Errors are heteroskedasticity-robust HC2, with t on the residual N - 3 df;
with a cluster column, cluster-robust CR1 with t on G - 1 df, as every clustered contrast of the
engine. The unadjusted comparison (the engine's own method for the design: Welch, or the
Miettinen-Nurminen score interval) is reported beside it as a sensitivity result, never
instead of it.

Why HC2 and not HC1: in the unadjusted two-group regression HC2 is exactly the Welch (Neyman)
variance s1^2/n1 + s2^2/n2, so the adjusted interval grows out of the engine's unadjusted one,
and HC2 is the least biased of the sandwich estimators in small samples (it is unbiased under
homoskedasticity; Imbens and Kolesar 2016 recommend it for randomised comparisons, and Lin 2013
shows the sandwich valid for the adjusted estimator whatever the true regression).

Missing baselines are refused, naming the data row: dropping units would change the
comparison that allocation made (missingness may differ by arm), and the plan registered one
value per unit. Aggregates have no unit-level values at all, so the registered plan cannot be
followed and the result is not evaluable with that reason; likewise for designs and outcomes
the adjustment is not defined for here.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from testlearn.domain.analysis import (
    AggregateData,
    Design,
    Estimate,
    HypothesisSpec,
    OutcomeType,
    SensitivityResult,
    UnitData,
)
from testlearn.errors import InvalidValue
from testlearn.stats.fit import Fit, NotEvaluable, critical, two_sided_p, wald_fit
from testlearn.stats.inputs import FloatArray, Units, units_from
from testlearn.stats.plan import Plan, estimand
from testlearn.stats.regression import FitFailed, fit
from testlearn.stats.unit_rows import plan_units

#: The sandwich of an unclustered adjustment (see the module docstring for why HC2).
HC_TYPE = "HC2"


def adjusted_plan(spec: HypothesisSpec, data: UnitData | AggregateData) -> Plan:
    """The registered baseline adjustment of ``data``, with the unadjusted result beside it.

    Raises:
        NotEvaluable: the registered adjustment cannot be followed (aggregates, no baseline
            column, a design or outcome it does not apply to, a baseline that does not vary).
        InvalidValue: a malformed row (a missing or non-numeric baseline names its data row).
    """
    name = spec.baseline_covariate
    assert name is not None
    if isinstance(data, AggregateData):
        raise NotEvaluable(
            f"the registered plan adjusts for the baseline {name}, which needs one row per unit "
            "with its baseline column; aggregates (one row per arm) cannot carry it, so the "
            "registered analysis cannot be run on them"
        )
    if spec.design is not Design.TWO_GROUP:
        raise NotEvaluable(
            f"the registered plan adjusts for the baseline {name}, but the baseline adjustment "
            f"is defined for the two-group design only, not for {spec.design.value}"
        )
    if spec.outcome_type is OutcomeType.COUNT:
        raise NotEvaluable(
            f"the registered plan adjusts for the baseline {name}, but the baseline adjustment "
            "is defined for continuous and binary outcomes only, not for counts"
        )
    units = units_from(data, spec.outcome_type)
    if data.baseline is None:
        raise NotEvaluable(
            f"the registered plan adjusts for the baseline {name}, but the data have no "
            "baseline column: import the file again with the baseline column mapped"
        )
    baseline = baseline_values(data.baseline, len(units), name)
    unadjusted = plan_units(replace(spec, baseline_covariate=None), data)
    headline = _fit(spec, units, baseline, unadjusted.fit)
    return Plan(
        headline,
        unadjusted.clusters_known,
        unadjusted.sensitivity,
        unadjusted.sensitivity_note,
    )


def baseline_values(column: Sequence[float | None], rows: int, name: str) -> FloatArray:
    """The baseline column as numbers; the first missing or non-numeric value is refused."""
    if len(column) != rows:
        raise InvalidValue(f"Column baseline has {len(column)} rows but column value has {rows}.")
    try:
        values = np.asarray(column, dtype=np.float64)
    except (TypeError, ValueError):
        for i, item in enumerate(column):
            if item is None:
                raise InvalidValue(_missing(i + 1, name)) from None
            try:
                float(item)
            except (TypeError, ValueError):
                raise InvalidValue(
                    f"Data row {i + 1}, column baseline: {item!r} is not a number."
                ) from None
        raise
    bad = ~np.isfinite(values)
    if bad.any():
        raise InvalidValue(_missing(int(np.flatnonzero(bad)[0]) + 1, name))
    return values


def _missing(row: int, name: str) -> str:
    return (
        f"Data row {row}, column baseline: the baseline {name} is missing. The registered "
        "adjustment needs it for every unit (units are not dropped: that would change the "
        "comparison the allocation made)."
    )


def _fit(spec: HypothesisSpec, units: Units, baseline: FloatArray, unadjusted: Fit) -> Fit:
    name = spec.baseline_covariate
    if float(np.ptp(baseline)) == 0.0:
        raise NotEvaluable(
            f"the baseline {name} is the same for every unit, so there is nothing to adjust for"
        )
    pilot = units.pilot.astype(np.float64)
    x = np.column_stack([np.ones_like(pilot), pilot, baseline - baseline.mean()])
    binary = spec.outcome_type is OutcomeType.BINARY
    model = "linear probability model" if binary else "least squares"
    clusters = None
    if units.cluster is not None:
        for arm in (True, False):
            if np.unique(units.cluster[units.pilot == arm]).shape[0] < 2:
                raise NotEvaluable(
                    f"the {'pilot' if arm else 'comparator'} arm has fewer than 2 clusters, "
                    "so cluster-robust errors cannot be estimated"
                )
        clusters = np.unique(units.cluster, return_inverse=True)[1].ravel()
    try:
        result = fit(x, units.value, clusters=clusters, hc_type=HC_TYPE)
    except FitFailed:
        raise NotEvaluable(
            f"the regression adjusted for the baseline {name} could not be fitted (the "
            "baseline cannot be told apart from the arm, or an arm is too small)"
        ) from None
    df = result.df
    if clusters is None:
        errors = f"{HC_TYPE} robust errors, t with N - 3 = {df:g} df"
        clustering = "none"
        per_arm = None
    else:
        errors = f"cluster-robust (CR1) errors, t with G - 1 = {df:g} df"
        clustering = f"cluster-robust (CR1) errors over {int(df) + 1} clusters"
        per_arm = tuple(
            int(np.unique(units.cluster[units.pilot == arm]).shape[0])  # type: ignore[index]
            for arm in (True, False)
        )
    slope, slope_se = float(result.coef[2]), math.sqrt(float(result.cov[2, 2]))
    crit = critical(spec.alpha, df)
    slope_estimate = Estimate(
        name=f"baseline slope: change in the outcome per unit of the baseline {name}",
        estimate=slope,
        ci_low=slope - crit * slope_se,
        ci_high=slope + crit * slope_se,
        p_value=two_sided_p(slope / slope_se, df) if slope_se > 0 else None,
        method=f"{model}, {errors}",
    )
    return wald_fit(
        method=f"{model} adjusted for the baseline {name} (ANCOVA), {errors}",
        estimand=f"{estimand(spec.design, spec.outcome_type)}, adjusted for the baseline {name}",
        estimate=float(result.coef[1]),
        se=math.sqrt(float(result.cov[1, 1])),
        df=df,
        alpha=spec.alpha,
        arms=unadjusted.arms,
        n_pilot=unadjusted.n_pilot,
        n_comparator=unadjusted.n_comparator,
        clustering=clustering,
        clusters_per_arm=per_arm,
        warnings=unadjusted.warnings,
        extra_estimates=(slope_estimate,),  # the unadjusted risk ratio would read as adjusted
        sensitivity=(_unadjusted(unadjusted), *unadjusted.sensitivity),
    )


def _unadjusted(unadjusted: Fit) -> SensitivityResult:
    """The comparison without the adjustment, by the engine's own method for the design."""
    return SensitivityResult(
        method=f"unadjusted: {unadjusted.method}",
        p_value=unadjusted.p_value,
        ci_low=unadjusted.ci_low,
        ci_high=unadjusted.ci_high,
        note=(
            f"the same comparison without the baseline adjustment: estimate "
            f"{unadjusted.estimate:.6g} ({unadjusted.estimand})"
        ),
    )
