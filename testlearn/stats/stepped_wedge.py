"""The stepped wedge, analysed as it was run: the switch-on effect adjusted for calendar period
and cluster (Hussey and Hughes 2007).

In a stepped wedge the clusters switch on in turn, so the switched-on periods come later than
the others: a trend over the roll-out would pass for the pilot's effect unless the period is
adjusted for. The headline is the fixed-effects form: least squares (a linear probability model
for proportions) or Poisson regression (counts) with period and cluster fixed effects and
cluster-robust CR1 errors, t on G - 1 df. Two sensitivity results sit beside it: Hussey and
Hughes's linear mixed model (period fixed effects, a random intercept per cluster, on the
cluster-period means weighted by size), and the comparison without any calendar adjustment, so
the reader sees what the adjustment changed. docs/methods.md, "Stepped wedge", says why the
fixed-effects form leads.

statsmodels is imported by `regression.fit` and here inside the mixed model, never when the
engine is imported.
"""

from __future__ import annotations

import math
import warnings

import numpy as np

from testlearn.domain.analysis import (
    ARM_COMPARATOR,
    ARM_PILOT,
    AggregateData,
    ArmSummary,
    Design,
    HypothesisSpec,
    OutcomeType,
    SensitivityResult,
    UnitData,
)
from testlearn.stats.fit import Fit, NotEvaluable, critical, two_sided_p, wald_fit
from testlearn.stats.plan import Plan
from testlearn.stats.regression import FitFailed, Matrix, RegressionFit, fit
from testlearn.stats.stepped_wedge_cells import Cells, from_aggregates, from_units, layout_warnings

#: Fewer clusters than this and a stepped wedge's interval is not to be leaned on (Hemming et
#: al. 2018 report designs of 6 or more; CR1 with t on G - 1 df still over-rejects below).
FEW_STEPPED_CLUSTERS = 6
UNADJUSTED_WARNING = (
    "The pilot was run as a stepped wedge; this analysis does not adjust for calendar time, so "
    "a trend over the roll-out would be counted as the pilot's effect."
)


def respects_run(spec: HypothesisSpec) -> bool:
    """False when the pilot was run as a stepped wedge but the hypothesis is analysed without
    period adjustment: the reading then warns and makes no causal claim."""
    return not (
        spec.evaluation_design == "stepped_wedge" and spec.design is not Design.STEPPED_WEDGE
    )


def _design(cells: Cells, *, adjusted: bool) -> Matrix:
    """Columns: switched on, intercept, then (adjusted) period and cluster dummies."""
    columns = [cells.treated.astype(np.float64), np.ones(len(cells))]
    if adjusted:
        for code in range(1, len(cells.period_names)):
            columns.append((cells.period == code).astype(np.float64))
        for code in range(1, len(cells.cluster_names)):
            columns.append((cells.cluster == code).astype(np.float64))
    return np.column_stack(columns)


def _regression(cells: Cells, outcome: OutcomeType, *, adjusted: bool) -> RegressionFit:
    """Least squares on cell means weighted by n (as rows scaled by sqrt n), or Poisson on cell
    events with log exposure offset; CR1 errors over clusters with the unit-row correction."""
    x = _design(cells, adjusted=adjusted)
    if outcome is OutcomeType.COUNT:
        result = fit(x, cells.total, offset=np.log(cells.exposure), clusters=cells.cluster)
    else:
        root = np.sqrt(cells.n)
        result = fit(x * root[:, None], cells.mean * root, clusters=cells.cluster)
    # statsmodels' CR1 factor is G/(G-1) x (N-1)/(N-K) with N the rows it was given (cells);
    # unit rows give the same score sums with N units, so use that N: both shapes then agree.
    k, rows = x.shape[1], len(cells)
    if cells.units is not None and cells.units > k and rows > k:
        scale = ((cells.units - 1) / (cells.units - k)) / ((rows - 1) / (rows - k))
        result = RegressionFit(result.coef, result.cov * scale, result.df)
    return result


def _words(outcome: OutcomeType) -> tuple[str, str]:
    """(method, estimand) of the headline."""
    adjusted = "adjusted for calendar period and cluster"
    if outcome is OutcomeType.COUNT:
        return (
            "Poisson regression (log exposure offset)",
            f"rate ratio, switched on over not yet switched on, {adjusted}",
        )
    if outcome is OutcomeType.BINARY:
        return (
            "linear probability model",
            f"difference in proportions, switched on minus not yet switched on, {adjusted}",
        )
    return (
        "least squares",
        f"difference in means, switched on minus not yet switched on, {adjusted}",
    )


def _arms(cells: Cells, outcome: OutcomeType) -> tuple[ArmSummary, ...]:
    out = []
    for arm, rows in ((ARM_PILOT, cells.treated), (ARM_COMPARATOR, ~cells.treated)):
        n = float(cells.n[rows].sum())
        total = float(cells.total[rows].sum())
        clusters = int(np.unique(cells.cluster[rows]).shape[0])
        if outcome is OutcomeType.COUNT:
            exposure = float(cells.exposure[rows].sum())
            out.append(
                ArmSummary(
                    arm,
                    None,
                    n if math.isfinite(n) else None,
                    total / exposure,
                    events=total,
                    exposure=exposure,
                    clusters=clusters,
                )
            )
        elif outcome is OutcomeType.BINARY:
            out.append(ArmSummary(arm, None, n, total / n, successes=total, clusters=clusters))
        else:
            out.append(ArmSummary(arm, None, n, total / n, clusters=clusters))
    return tuple(out)


def _headline(spec: HypothesisSpec, cells: Cells) -> Fit:
    outcome = spec.outcome_type
    groups = len(cells.cluster_names)
    if groups < 2:
        raise NotEvaluable("a stepped wedge needs at least 2 clusters")
    if len(cells.period_names) < 2:
        raise NotEvaluable("a stepped wedge needs at least 2 periods")
    if cells.treated.all() or not cells.treated.any():
        missing = "not yet switched on" if cells.treated.all() else "switched on"
        raise NotEvaluable(f"no cluster-period is {missing}")
    if outcome is OutcomeType.COUNT:
        for rows in (cells.treated, ~cells.treated):
            if cells.total[rows].sum() == 0:
                raise NotEvaluable("an arm has no events, so a rate ratio cannot be estimated")
    try:
        result = _regression(cells, outcome, adjusted=True)
    except FitFailed:
        raise NotEvaluable(
            "switching on cannot be told apart from the calendar periods and clusters (the "
            "clusters did not switch on at different times)"
        ) from None
    method, estimand = _words(outcome)
    ratio = outcome is OutcomeType.COUNT
    centre, se = float(result.coef[0]), math.sqrt(float(result.cov[0, 0]))
    arms = _arms(cells, outcome)
    extra: list[str] = layout_warnings(cells)
    if groups < FEW_STEPPED_CLUSTERS:
        extra.append(
            f"Only {groups} clusters in the stepped wedge (fewer than {FEW_STEPPED_CLUSTERS}): "
            "even with cluster-robust errors and t on G - 1 df the interval is unreliable; read "
            "it as a rough guide."
        )
    return wald_fit(
        method=(
            f"stepped wedge: {method} with period and cluster fixed effects, cluster-robust "
            f"(CR1) errors, t on {groups - 1} df (Hussey and Hughes 2007, fixed-effects form)"
        ),
        estimand=estimand,
        estimate=math.exp(centre) if ratio else centre,
        se=se,
        df=result.df,
        alpha=spec.alpha,
        arms=arms,
        n_pilot=arms[0].n,
        n_comparator=arms[1].n,
        ratio=ratio,
        clustering=f"cluster-robust (CR1) errors over {groups} clusters, with period fixed effects",
        clusters_per_arm=(groups,),
        warnings=tuple(extra),
    )


def _shown(outcome: OutcomeType, value: float) -> str:
    # Adding 0.0 turns a rounded -0.0 into 0.0: a zero effect never reads as "-0.0 points".
    if outcome is OutcomeType.BINARY:
        return f"{round(value * 100, 1) + 0.0:+.1f} points"
    if outcome is OutcomeType.COUNT:
        return f"rate ratio {value:.3f}"
    return f"{float(f'{value:.4g}') + 0.0:+.4g}"


def unadjusted(spec: HypothesisSpec, cells: Cells, headline: Fit) -> SensitivityResult:
    """Switched on against not yet switched on with no period or cluster terms (clusters kept
    for the errors): the comparison the calendar adjustment corrects."""
    outcome = spec.outcome_type
    method = (
        "switched on against not yet switched on, no calendar-time adjustment (trend-free "
        "check; cluster-robust CR1 errors)"
    )
    try:
        result = _regression(cells, outcome, adjusted=False)
    except FitFailed:
        return SensitivityResult(method=method, note="could not be fitted")
    centre, se = float(result.coef[0]), math.sqrt(float(result.cov[0, 0]))
    half = critical(spec.alpha, result.df) * se
    low, high = centre - half, centre + half
    estimate = centre
    if outcome is OutcomeType.COUNT:
        estimate, low, high = math.exp(centre), math.exp(low), math.exp(high)
    return SensitivityResult(
        method=method,
        p_value=two_sided_p(centre / se, result.df),
        ci_low=low,
        ci_high=high,
        note=(
            f"estimate {_shown(outcome, estimate)} without adjustment for calendar time, "
            f"against {_shown(outcome, headline.estimate)} with it (the headline)"
        ),
    )


def mixed_model(spec: HypothesisSpec, cells: Cells) -> SensitivityResult:
    """Hussey and Hughes's model: cell mean = period + switched on + cluster intercept + error,
    the error's variance sigma^2 / n, fitted by REML (lme4's `lmer(..., weights = n)`).

    statsmodels' MixedLM takes no weights, so each cell is scaled by sqrt(n): the residual is
    then homoscedastic and the cluster effect enters with coefficient sqrt(n), a random slope on
    that column. The transform is a fixed linear map, so the REML estimates are lmer's.
    """
    method = (
        "linear mixed model (Hussey and Hughes 2007): period fixed effects, random intercept "
        "per cluster, cluster-period means weighted by n, REML, normal reference"
    )
    if spec.outcome_type is OutcomeType.COUNT:
        return SensitivityResult(
            method=method,
            note="not run for counts: the Poisson fixed-effects fit is the headline",
        )
    from statsmodels.regression.mixed_linear_model import MixedLM

    root = np.sqrt(cells.n)
    x = _design(cells, adjusted=False)
    periods = [
        (cells.period == code).astype(np.float64) for code in range(1, len(cells.period_names))
    ]
    x = np.column_stack([x, *periods]) if periods else x
    with warnings.catch_warnings(record=True), np.errstate(all="ignore"):
        warnings.simplefilter("always")
        try:
            model = MixedLM(
                cells.mean * root, x * root[:, None], groups=cells.cluster, exog_re=root[:, None]
            )
            # Powell, not the default L-BFGS: when the between-cluster variance is zero (a
            # singular fit in lme4's words) L-BFGS runs onto the boundary and returns an
            # infinite likelihood and the fixed-effects estimate; Powell finds lmer's optimum.
            result = model.fit(reml=True, method="powell")
        except (ValueError, np.linalg.LinAlgError):
            return SensitivityResult(method=method, note="the mixed model could not be fitted")
    scale = float(result.scale)
    if not (math.isfinite(scale) and scale > 0):
        # Every cell on its period's fitted value (an outcome that never varies): there is
        # no residual variance for the model's weights to divide by.
        return SensitivityResult(
            method=method, note="the mixed model could not be fitted: the outcome does not vary"
        )
    between_var = max(float(np.asarray(result.cov_re)[0, 0]), 0.0)
    centre = float(result.fe_params[0])
    se = _gls_se(x * root[:, None], root, cells.cluster, scale, between_var)
    if not (math.isfinite(result.llf) and math.isfinite(centre) and se > 0):
        return SensitivityResult(method=method, note="the mixed model could not be fitted")
    half = critical(spec.alpha, None) * se
    between = math.sqrt(between_var)
    return SensitivityResult(
        method=method,
        p_value=two_sided_p(centre / se, None),
        ci_low=centre - half,
        ci_high=centre + half,
        note=(
            f"estimate {_shown(spec.outcome_type, centre)}; between-cluster SD "
            f"{between:.4g}, within-cell SD {math.sqrt(float(result.scale)):.4g}"
        ),
    )


def _gls_se(x: Matrix, z: Matrix, groups: object, scale: float, between: float) -> float:
    """The switch-on coefficient's SE as lme4's vcov gives it: (X' V^-1 X)^-1 at the REML
    variances, V = scale I + between z z' per cluster (inverted by Sherman-Morrison).

    statsmodels' own `bse_fe` comes from the Hessian of the whole likelihood and differs from
    lmer's at the boundary, which a stepped wedge with little between-cluster variation meets.
    """
    codes = np.asarray(groups)
    ratio = between / scale
    info = np.zeros((x.shape[1], x.shape[1]))
    for code in np.unique(codes):
        rows = codes == code
        xi, zi = x[rows], z[rows]
        vz = xi.T @ zi
        info += (xi.T @ xi - ratio * np.outer(vz, vz) / (1 + ratio * zi @ zi)) / scale
    try:
        variance = float(np.linalg.inv(info)[0, 0])
    except np.linalg.LinAlgError:
        return float("nan")
    return math.sqrt(variance) if variance > 0 else float("nan")


def _plan(spec: HypothesisSpec, cells: Cells) -> Plan:
    headline = _headline(spec, cells)

    def sensitivity(*_: object) -> tuple[SensitivityResult, ...]:
        return unadjusted(spec, cells, headline), mixed_model(spec, cells)

    return Plan(headline, (len(cells.cluster_names),), sensitivity)


def plan_units(spec: HypothesisSpec, data: UnitData) -> Plan:
    """A stepped wedge from unit rows with cluster and period (calendar step) columns."""
    return _plan(spec, from_units(data, spec.outcome_type))


def plan_aggregates(spec: HypothesisSpec, data: AggregateData) -> Plan:
    """A stepped wedge from cluster-period aggregate rows."""
    return _plan(spec, from_aggregates(data, spec.outcome_type))
