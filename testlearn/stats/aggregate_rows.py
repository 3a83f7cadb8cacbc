"""Analyses from aggregates: cells from the rows, the design effect when clustered, the method.

With an ICC and cluster counts (the rows' `clusters`, else the planned clusters per arm) each
cell's n, successes, events and exposure are divided by its design effect 1 + (m - 1) ICC.
"""

from __future__ import annotations

from dataclasses import replace

from testlearn.domain.analysis import (
    ARM_COMPARATOR,
    ARM_PILOT,
    PERIOD_AFTER,
    PERIOD_BEFORE,
    AggregateData,
    Design,
    HypothesisSpec,
    OutcomeType,
)
from testlearn.stats import two_group
from testlearn.stats.benchmark import benchmark
from testlearn.stats.clustering import with_design_effect
from testlearn.stats.count_models import (
    POOLED_CLUSTERED_COUNTS,
    allow_for_dispersion,
    negative_binomial,
    rows_from_aggregates,
)
from testlearn.stats.did import SIGNS, did
from testlearn.stats.fit import Fit, NotEvaluable, wald_fit
from testlearn.stats.inputs import Cell, cell_from_rows, check_aggregates, rows_of
from testlearn.stats.its import its, series_from_aggregates
from testlearn.stats.plan import Plan, estimand
from testlearn.stats.sensitivity import exact_two_by_two
from testlearn.stats.t_tests import one_sample

_FUNCTIONS = {
    OutcomeType.CONTINUOUS: two_group.continuous,
    OutcomeType.BINARY: two_group.binary,
    OutcomeType.COUNT: two_group.count,
}
_NO_UNITS = "sensitivity analyses need unit rows; aggregates were given"


def _no_units(outcome: OutcomeType) -> str:
    # Only continuous outcomes have rank tests and a bootstrap that need the units; binary and
    # count rows would get no more from unit rows, so saying so would mislead.
    return _NO_UNITS if outcome is OutcomeType.CONTINUOUS else ""


def _clustered(spec: HypothesisSpec, cells: list[Cell]) -> tuple[list[Cell], str, str]:
    """Apply the design effect where the ICC and cluster counts allow.

    Returns:
        The cells, the clustering description ("none" if not applied), and a method note.
    """
    if spec.icc is None:
        return cells, "none", ""
    out, effects = [], []
    planned = False
    for cell in cells:
        clusters = cell.clusters
        if clusters is None:
            clusters = spec.planned_clusters_per_arm
            planned = True
        if clusters is None or not cell.n_raw > 0:
            return cells, "none", ""
        if clusters < 2:
            raise NotEvaluable(
                f"the {cell.arm} arm has fewer than 2 clusters, so clustering cannot be allowed for"
            )
        adjusted = with_design_effect(cell, spec.icc, clusters)
        out.append(adjusted)
        effects.append(adjusted.design_effect)
    source = "planned cluster counts" if planned else "cluster counts in the data"
    shown = ", ".join(f"{d:.2f}" for d in effects)
    description = (
        f"design effect 1 + (m - 1) x ICC with ICC {spec.icc:g} and {source}: {shown}; "
        "n divided by it (effective sample size)"
    )
    return out, description, f" on effective sample sizes (design effect {shown})"


def _clusters_known(data: AggregateData) -> tuple[int, ...] | None:
    counts = []
    for arm in (ARM_PILOT, ARM_COMPARATOR):
        rows = rows_of(data, arm, None)
        if not rows:
            continue
        if any(r.clusters is None for r in rows):
            return None
        # Rows of one arm in several periods usually describe the same clusters: take the most.
        by_period: dict[str | None, int] = {}
        for r in rows:
            by_period[r.period] = by_period.get(r.period, 0) + int(r.clusters or 0)
        counts.append(max(by_period.values()))
    return tuple(counts) if counts else None


def plan_aggregates(spec: HypothesisSpec, data: AggregateData) -> Plan:
    """Check the rows and run the design's method on them."""
    outcome, alpha, design = spec.outcome_type, spec.alpha, spec.design
    check_aggregates(data, outcome, series=design is Design.ITS)
    known = _clusters_known(data)
    if design is Design.ITS:
        fit = its(
            series_from_aggregates(data, outcome, spec.its_interruption),
            outcome,
            alpha,
            spec.its_lag,
        )
        return Plan(fit, None, sensitivity_note="no sensitivity analysis for a time series")
    if design is Design.PAIRED:
        return Plan(_paired_differences(spec, data), known, sensitivity_note=_no_units(outcome))
    keys: tuple[tuple[str, str | None], ...]
    if design is Design.DID:
        keys = (
            (ARM_PILOT, PERIOD_AFTER),
            (ARM_PILOT, PERIOD_BEFORE),
            (ARM_COMPARATOR, PERIOD_AFTER),
            (ARM_COMPARATOR, PERIOD_BEFORE),
        )
    elif design is Design.BEFORE_AFTER:
        keys = ((ARM_PILOT, PERIOD_AFTER), (ARM_PILOT, PERIOD_BEFORE))
    elif design is Design.BENCHMARK:
        keys = ((ARM_PILOT, None),)
    else:
        keys = ((ARM_PILOT, None), (ARM_COMPARATOR, None))
    raw = []
    for arm, period in keys:
        rows = rows_of(data, arm, period)
        if not rows:
            where = arm if period is None else f"{arm} {period}"
            raise NotEvaluable(f"there is no aggregate row for the {where} group")
        raw.append(cell_from_rows(rows, arm, period))
    if outcome is OutcomeType.COUNT:
        for cell in raw:
            if cell.n_raw != cell.n_raw and spec.icc is not None:  # n missing (NaN)
                raise NotEvaluable("a design effect for counts needs n (units) on every row")
    cells, clustering, note = _clustered(spec, raw)
    pooled = outcome is OutcomeType.COUNT and design is Design.DID and clustering == "none"
    if pooled and spec.clustered_design:
        raise NotEvaluable(POOLED_CLUSTERED_COUNTS)
    arms = tuple(c.summary(outcome) for c in cells)
    if design is Design.DID:
        fit = did(tuple(cells), outcome, alpha, arms=arms, method_note=note)  # type: ignore[arg-type]
    elif design is Design.BENCHMARK:
        if spec.benchmark_value is None:
            raise NotEvaluable("the benchmark design needs the benchmark value")
        fit = benchmark(cells[0], spec.benchmark_value, outcome, alpha, arms=arms)
        fit = replace(fit, method=fit.method + note)
    else:
        names = ("after", "before") if design is Design.BEFORE_AFTER else ("pilot", "comparator")
        fit = _FUNCTIONS[outcome](
            cells[0],
            cells[1],
            alpha,
            names=names,
            estimand=estimand(design, outcome),
            arms=arms,
            method_note=note,
        )
    if clustering != "none":
        fit = replace(
            fit,
            clustering=clustering,
            clusters_per_arm=tuple(c.clusters for c in cells if c.clusters is not None),
        )
    if outcome is OutcomeType.COUNT and clustering == "none" and design is not Design.BENCHMARK:
        # Several rows to a group (one per month, say) show the variation beyond Poisson.
        weights = SIGNS if design is Design.DID else (1.0, -1.0)
        by_row = rows_from_aggregates([rows_of(data, arm, period) for arm, period in keys])
        fit = allow_for_dispersion(fit, by_row, weights, alpha)
        if len(by_row) > len(weights):
            return Plan(fit, known, lambda r, s, p, c: (negative_binomial(by_row, weights, alpha),))
    if outcome is OutcomeType.BINARY and len(cells) == 2:
        # The 2x2 counts are all Fisher's and Barnard's tests need: the same table gives the
        # same exact p as aggregates as it does as unit rows.
        # Run only when sensitivity analyses are asked for: Barnard's test takes a while.
        first, second = cells
        return Plan(
            fit,
            known,
            lambda r, s, p, c: exact_two_by_two(
                first.successes, first.n, second.successes, second.n
            ),
        )
    return Plan(fit, known, sensitivity_note=_no_units(outcome))


def _paired_differences(spec: HypothesisSpec, data: AggregateData) -> Fit:
    """A paired t from one row holding the within-pair differences (mean, sd, n)."""
    rows = list(data.rows)
    if spec.outcome_type is not OutcomeType.CONTINUOUS or len(rows) != 1:
        raise NotEvaluable(
            "a paired analysis from aggregates needs one row with the n, mean and sd of the "
            "within-pair differences (continuous outcomes); for proportions give unit rows"
        )
    row = rows[0]
    n, mean, sd = float(row.n or 0), float(row.mean or 0.0), float(row.sd or 0.0)
    se, df = one_sample(mean, sd * sd, n)
    return wald_fit(
        method="paired t-test (from the differences' summary)",
        estimand="mean within-pair difference, pilot minus comparator",
        estimate=mean,
        se=se,
        df=df,
        alpha=spec.alpha,
        arms=(),
        n_pilot=n,
        n_comparator=n,
    )
