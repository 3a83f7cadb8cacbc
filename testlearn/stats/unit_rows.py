"""Analyses from unit rows: choose the method for the design and outcome, and plan the
sensitivity analyses.

Unclustered rows are summarised into cells and go through exactly the functions aggregates use;
clustered rows get cluster-robust (CR1) errors; paired rows are matched on the unit column.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np

from testlearn.domain.analysis import (
    PERIOD_AFTER,
    PERIOD_BEFORE,
    Design,
    HypothesisSpec,
    OutcomeType,
    UnitData,
)
from testlearn.stats import did as did_module
from testlearn.stats import two_group
from testlearn.stats.benchmark import against_benchmark, benchmark
from testlearn.stats.cluster_robust import clustered_contrast
from testlearn.stats.count_models import (
    POOLED_CLUSTERED_COUNTS,
    CountRows,
    allow_for_dispersion,
    few_clusters_warning,
    negative_binomial,
    rows_from_units,
)
from testlearn.stats.fit import Fit, NotEvaluable
from testlearn.stats.inputs import (
    BoolArray,
    Units,
    cell_from_units,
    units_from,
)
from testlearn.stats.its import its, series_from_units
from testlearn.stats.paired import pair_values, paired
from testlearn.stats.plan import Plan, estimand
from testlearn.stats.sensitivity import (
    RANK_NOT_RUN,
    bootstrap_plan,
    exact_mcnemar,
    exact_two_by_two,
    mann_whitney,
    wilcoxon,
)

_FUNCTIONS = {
    OutcomeType.CONTINUOUS: two_group.continuous,
    OutcomeType.BINARY: two_group.binary,
    OutcomeType.COUNT: two_group.count,
}


def _subset(units: Units, rows: BoolArray) -> Units:
    def take(a: Any) -> Any:
        return None if a is None else a[rows]

    return Units(
        pilot=units.pilot[rows],
        value=units.value[rows],
        after=take(units.after),
        cluster=take(units.cluster),
        unit=take(units.unit),
        time=take(units.time),
        exposure=take(units.exposure),
    )


def _clusters_per_arm(units: Units) -> tuple[int, ...] | None:
    if units.cluster is None:
        return None
    counts = []
    for arm in (True, False):
        rows = units.pilot == arm
        if rows.any():
            counts.append(int(np.unique(units.cluster[rows]).shape[0]))
    return tuple(counts)


def _two_sample(
    spec: HypothesisSpec, units: Units, first: BoolArray, names: tuple[str, str]
) -> Plan:
    """Two independent groups: rows where `first` is true against the others."""
    outcome, alpha = spec.outcome_type, spec.alpha
    if not first.any() or first.all():
        missing = names[1] if first.all() else names[0]
        raise NotEvaluable(f"the {missing} group has no rows")
    period = (PERIOD_AFTER, PERIOD_BEFORE) if names[0] == "after" else (None, None)
    arm_first = "pilot"
    arm_second = "pilot" if names[0] == "after" else "comparator"
    cell_1 = cell_from_units(units, first, arm_first, period[0])
    cell_2 = cell_from_units(units, ~first, arm_second, period[1])
    arms = (cell_1.summary(outcome), cell_2.summary(outcome))
    what = estimand(spec.design, outcome)
    zeros_1 = np.zeros(int(first.sum()), dtype=np.intp)
    zeros_2 = np.zeros(int((~first).sum()), dtype=np.intp)
    x1, x2 = units.value[first], units.value[~first]
    if units.cluster is not None:
        use_periods = names[0] == "after"
        weights: dict[tuple[bool, bool | None], float] = (
            {(True, True): 1.0, (True, False): -1.0}
            if use_periods
            else {
                (True, None): 1.0,
                (False, None): -1.0,
            }
        )
        fit = clustered_contrast(
            units,
            outcome,
            weights,
            alpha,
            estimand=what,
            arms=arms,
            n_pilot=cell_1.n_raw,
            n_comparator=cell_2.n_raw,
            use_periods=use_periods,
        )
        if use_periods:
            fit = replace(fit, clusters_per_arm=(len(np.unique(units.cluster)),))
        if outcome is OutcomeType.COUNT:
            fit = few_clusters_warning(fit)
        sens = None
        if outcome is OutcomeType.CONTINUOUS:
            sens = bootstrap_plan(
                [(x1, zeros_1, units.cluster[first], 1), (x2, zeros_2, units.cluster[~first], 1)],
                [[1.0], [-1.0]],
                alpha,
                (RANK_NOT_RUN,),
            )
        return Plan(fit, _clusters_per_arm(units), sens)
    fit = _FUNCTIONS[outcome](cell_1, cell_2, alpha, names=names, estimand=what, arms=arms)
    if outcome is OutcomeType.CONTINUOUS:
        sens = bootstrap_plan(
            [(x1, zeros_1, None, 1), (x2, zeros_2, None, 1)],
            [[1.0], [-1.0]],
            alpha,
        )
        return Plan(fit, None, lambda r, s, p, c: (mann_whitney(x1, x2), *sens(r, s, p, c)))
    if outcome is OutcomeType.BINARY:
        return Plan(
            fit,
            None,
            lambda r, s, p, c: exact_two_by_two(
                cell_1.successes, cell_1.n, cell_2.successes, cell_2.n
            ),
        )
    return _counts(fit, rows_from_units(units, (first, ~first)), (1.0, -1.0), alpha)


def _counts(fit: Fit, rows: CountRows, weights: tuple[float, ...], alpha: float) -> Plan:
    """A Poisson fit of unclustered count rows, allowing for overdispersion."""
    fit = allow_for_dispersion(fit, rows, weights, alpha)
    if len(rows) <= len(weights):
        return Plan(fit, None)
    return Plan(fit, None, lambda r, s, p, c: (negative_binomial(rows, weights, alpha),))


def _paired(spec: HypothesisSpec, units: Units, first: BoolArray, names: tuple[str, str]) -> Plan:
    a, b, unpaired = pair_values(units, first)
    fit = paired(a, b, spec.outcome_type, spec.alpha, names=names, arms=(), unpaired=unpaired)
    if spec.outcome_type is OutcomeType.CONTINUOUS:
        diff = a - b
        sens = bootstrap_plan(
            [(diff, np.zeros(diff.size, dtype=np.intp), None, 1)],
            [[1.0]],
            spec.alpha,
        )
        return Plan(fit, None, lambda r, s, p, c: (wilcoxon(diff), *sens(r, s, p, c)))
    only_a = int(((a == 1) & (b == 0)).sum())
    only_b = int(((a == 0) & (b == 1)).sum())
    exact = exact_mcnemar(only_a, only_b)
    return Plan(fit, None, lambda r, s, p, c: exact)


def _need_periods(units: Units) -> BoolArray:
    if units.after is None:
        raise NotEvaluable("this design needs the period column (before / after)")
    return units.after


def _did(spec: HypothesisSpec, units: Units) -> Plan:
    after = _need_periods(units)
    outcome = spec.outcome_type
    order = ((True, True), (True, False), (False, True), (False, False))
    cells = tuple(
        cell_from_units(
            units,
            units.mask(p, a),
            "pilot" if p else "comparator",
            PERIOD_AFTER if a else PERIOD_BEFORE,
        )
        for p, a in order
    )
    arms = tuple(c.summary(outcome) for c in cells)
    groups = [
        (
            units.value[units.pilot],
            after[units.pilot].astype(np.intp),
            None if units.cluster is None else units.cluster[units.pilot],
            2,
        ),
        (
            units.value[~units.pilot],
            after[~units.pilot].astype(np.intp),
            None if units.cluster is None else units.cluster[~units.pilot],
            2,
        ),
    ]
    sens = None
    if outcome is OutcomeType.CONTINUOUS:
        sens = bootstrap_plan(groups, [[-1.0, 1.0], [1.0, -1.0]], spec.alpha)
    if units.cluster is not None:
        fit = clustered_contrast(
            units,
            outcome,
            dict(zip(order, did_module.SIGNS, strict=True)),
            spec.alpha,
            estimand=_did_estimand(outcome),
            arms=arms,
            n_pilot=cells[0].n_raw,
            n_comparator=cells[2].n_raw,
            use_periods=True,
        )
        if outcome is OutcomeType.COUNT:
            fit = few_clusters_warning(fit)
        return Plan(fit, _clusters_per_arm(units), sens)
    if outcome is OutcomeType.COUNT and spec.clustered_design:
        raise NotEvaluable(POOLED_CLUSTERED_COUNTS)
    fit = did_module.did(cells, outcome, spec.alpha, arms=arms)  # type: ignore[arg-type]
    if outcome is OutcomeType.COUNT:
        masks = [units.mask(p, a) for p, a in order]
        return _counts(fit, rows_from_units(units, masks), did_module.SIGNS, spec.alpha)
    return Plan(fit, None, sens)


def _did_estimand(outcome: OutcomeType) -> str:
    if outcome is OutcomeType.COUNT:
        return "ratio of rate ratios: (pilot after / before) / (comparator after / before)"
    kind = "means" if outcome is OutcomeType.CONTINUOUS else "proportions"
    return (
        f"difference in differences of {kind}: (pilot after - before) - (comparator after - before)"
    )


def _benchmark(spec: HypothesisSpec, units: Units) -> Plan:
    if spec.benchmark_value is None:
        raise NotEvaluable("the benchmark design needs the benchmark value")
    value, outcome = spec.benchmark_value, spec.outcome_type
    pilot = _subset(units, units.pilot)
    if len(pilot) == 0:
        raise NotEvaluable("the pilot arm has no rows")
    cell = cell_from_units(pilot, np.ones(len(pilot), dtype=bool), "pilot", None)
    arms = (cell.summary(outcome),)
    diff = pilot.value - value
    if pilot.cluster is not None:
        mean_fit = clustered_contrast(
            pilot,
            outcome,
            {(True, None): 1.0},
            spec.alpha,
            estimand="",
            arms=arms,
            n_pilot=cell.n_raw,
            n_comparator=None,
            use_periods=False,
        )
        fit = against_benchmark(mean_fit, value, outcome, spec.alpha)
        sens = None
        if outcome is OutcomeType.CONTINUOUS:
            sens = bootstrap_plan(
                [(diff, np.zeros(diff.size, dtype=np.intp), pilot.cluster, 1)],
                [[1.0]],
                spec.alpha,
                (RANK_NOT_RUN,),
            )
        return Plan(fit, _clusters_per_arm(pilot), sens)
    fit = benchmark(cell, value, outcome, spec.alpha, arms=arms)
    if outcome is OutcomeType.CONTINUOUS:
        sens = bootstrap_plan(
            [(diff, np.zeros(diff.size, dtype=np.intp), None, 1)],
            [[1.0]],
            spec.alpha,
        )
        return Plan(fit, None, lambda r, s, p, c: (wilcoxon(diff), *sens(r, s, p, c)))
    return Plan(fit, None)


def plan_units(spec: HypothesisSpec, data: UnitData) -> Plan:
    """Check the rows and run the design's method on them."""
    units = units_from(data, spec.outcome_type)
    design = spec.design
    if design is Design.TWO_GROUP:
        return _two_sample(spec, units, units.pilot, ("pilot", "comparator"))
    if design is Design.DID:
        return _did(spec, units)
    if design is Design.BENCHMARK:
        return _benchmark(spec, units)
    if design is Design.ITS:
        series, left_out = series_from_units(units, spec.outcome_type, spec.its_interruption)
        fit = its(series, spec.outcome_type, spec.alpha, spec.its_lag)
        if left_out:
            fit = replace(fit, warnings=(*fit.warnings, _left_out(left_out)))
        return Plan(fit, None, sensitivity_note="no sensitivity analysis for a time series")
    if design is Design.PAIRED:
        if units.pilot.all() and units.after is not None:
            return _paired(spec, units, units.after, ("after", "before"))
        return _paired(spec, units, units.pilot, ("pilot", "comparator"))
    # before-after: the pilot's own rows, after against before
    left_out = int((~units.pilot).sum())
    pilot = _subset(units, units.pilot)
    if len(pilot) == 0:
        raise NotEvaluable("the pilot arm has no rows")
    after = _need_periods(pilot)
    repeated = pilot.unit is not None and bool(
        np.intersect1d(pilot.unit[after], pilot.unit[~after]).size
    )
    if repeated and spec.outcome_type is not OutcomeType.COUNT:
        plan = _paired(spec, pilot, after, ("after", "before"))
    else:
        plan = _two_sample(spec, pilot, after, ("after", "before"))
    if left_out:
        plan = replace(
            plan, fit=replace(plan.fit, warnings=(*plan.fit.warnings, _left_out(left_out)))
        )
    return plan


def _left_out(rows: int) -> str:
    return f"{rows:,} comparator rows were left out: this design uses the pilot's rows only."
