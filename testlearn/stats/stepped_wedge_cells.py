"""The cluster-period cells of a stepped wedge, from unit rows or from aggregates.

A stepped wedge is analysed on one cell per cluster, calendar period and arm: its n and the sum
of the outcome (or events and exposure). Every regressor of the analysis (switched on or not,
the period, the cluster) is constant within a cell, so least squares on cell means weighted by n
gives the unit-row estimate exactly, and the cluster-robust score (a cluster's sum of x times
residual) is the same sum either way: unit rows and aggregates give one answer.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from testlearn.domain.analysis import (
    ARM_COMPARATOR,
    ARM_PILOT,
    AggregateData,
    OutcomeType,
    UnitData,
)
from testlearn.errors import InvalidValue
from testlearn.stats.fit import NotEvaluable
from testlearn.stats.inputs import (
    BoolArray,
    FloatArray,
    IntArray,
    aggregate_number,
    exposure_of,
    units_from,
)


@dataclass(frozen=True)
class Cells:
    """One row per cluster x period x arm.

    Attributes:
        cluster: cluster code per cell (index into `cluster_names`).
        period: period code per cell, in calendar order (index into `period_names`).
        treated: the cell is switched on (arm "pilot").
        n: units in the cell (NaN for counts given without n).
        total: sum of the outcome (successes for proportions, events for counts).
        exposure: exposure of a count cell; n otherwise.
        cluster_names: the clusters as labelled in the data.
        period_names: the periods as labelled, in calendar order.
        units: units behind all cells (for the small-sample factor); None if unknown.
    """

    cluster: IntArray
    period: IntArray
    treated: BoolArray
    n: FloatArray
    total: FloatArray
    exposure: FloatArray
    cluster_names: tuple[str, ...]
    period_names: tuple[str, ...]
    units: float | None

    @property
    def mean(self) -> FloatArray:
        """Cell means (proportions for a binary outcome)."""
        return self.total / self.n

    def __len__(self) -> int:
        return int(self.n.shape[0])


def period_order(labels: list[str]) -> list[str]:
    """Calendar order: by number when every label is a number ("1", "2", "10"), else as text
    (ISO dates such as "2025-06" sort as text)."""
    try:
        return sorted(labels, key=float)
    except ValueError:
        return sorted(labels)


def _codes(labels: list[str], order: list[str]) -> IntArray:
    position = {label: i for i, label in enumerate(order)}
    return np.array([position[label] for label in labels], dtype=np.intp)


def from_units(data: UnitData, outcome: OutcomeType) -> Cells:
    """Sum unit rows into cells. Rows need a cluster and a period (the calendar step)."""
    for name in ("cluster", "period"):
        if getattr(data, name) is None:
            raise NotEvaluable(f"a stepped wedge needs the {name} column; the rows have none")
    # Arm, value and exposure are checked as for any unit rows; the period here is a calendar
    # step, not before/after, so it is read below.
    units = units_from(replace(data, period=None), outcome)
    assert data.period is not None and data.cluster is not None and units.cluster is not None
    periods = [str(p).strip() for p in data.period]
    for i, label in enumerate(periods, start=1):
        if not label or label.lower() in ("nan", "none"):
            raise InvalidValue(f"Data row {i}, column period: the period is missing.")
    order = period_order(sorted(set(periods)))
    period = _codes(periods, order)
    names: dict[str, int] = {}
    for label in data.cluster:
        names.setdefault(str(label), len(names))
    n_periods = len(order)
    key = (units.cluster * n_periods + period) * 2 + units.pilot.astype(np.intp)
    cells, inverse = np.unique(key, return_inverse=True)
    size = cells.shape[0]
    exposure = (
        np.bincount(inverse, minlength=size).astype(np.float64)
        if units.exposure is None
        else np.bincount(inverse, weights=units.exposure, minlength=size).astype(np.float64)
    )
    return Cells(
        cluster=(cells // 2) // n_periods,
        period=(cells // 2) % n_periods,
        treated=(cells % 2).astype(bool),
        n=np.bincount(inverse, minlength=size).astype(np.float64),
        total=np.bincount(inverse, weights=units.value, minlength=size).astype(np.float64),
        exposure=exposure,
        cluster_names=tuple(names),
        period_names=tuple(order),
        units=float(len(units)),
    )


def from_aggregates(data: AggregateData, outcome: OutcomeType) -> Cells:
    """Check cluster-period aggregate rows (one per cluster, period and arm) and take them as
    cells."""
    if not data.rows:
        raise InvalidValue("There are no aggregate rows.")
    seen: dict[tuple[str, str, str], int] = {}
    clusters, periods, treated, ns, totals, exposures = [], [], [], [], [], []
    for i, row in enumerate(data.rows, start=1):
        if row.arm not in (ARM_PILOT, ARM_COMPARATOR):
            raise InvalidValue(
                f"Aggregate row {i}, column arm: {row.arm!r} is not 'pilot' or 'comparator'."
            )
        for column in ("cluster", "period"):
            if not str(getattr(row, column) or "").strip():
                raise NotEvaluable(
                    f"aggregate row {i} has no {column}: a stepped wedge needs one row per "
                    "cluster and period, naming both"
                )
        cluster, period = str(row.cluster).strip(), str(row.period).strip()
        first = seen.setdefault((cluster, period, row.arm), i)
        if first != i:
            raise InvalidValue(
                f"Aggregate rows {first} and {i} are both cluster {cluster!r}, period "
                f"{period!r}, arm {row.arm!r}: give one row per cluster, period and arm."
            )
        if outcome is OutcomeType.COUNT:
            n = np.nan if row.n is None else aggregate_number(row.n, i, "n", minimum=0)
            total = aggregate_number(row.events, i, "events", minimum=0)
            exposure = exposure_of(row)
            if not exposure > 0:
                raise InvalidValue(f"Aggregate row {i}, column exposure: must be above 0.")
        else:
            n = aggregate_number(row.n, i, "n", minimum=1)
            exposure = n
            if outcome is OutcomeType.BINARY:
                total = aggregate_number(row.successes, i, "successes", minimum=0)
                if total > n:
                    raise InvalidValue(
                        f"Aggregate row {i}, column successes: more successes than n."
                    )
            else:
                total = n * aggregate_number(row.mean, i, "mean", minimum=-np.inf)
        clusters.append(cluster)
        periods.append(period)
        treated.append(row.arm == ARM_PILOT)
        ns.append(n)
        totals.append(total)
        exposures.append(exposure)
    names: dict[str, int] = {}
    for label in clusters:
        names.setdefault(label, len(names))
    order = period_order(sorted(set(periods)))
    n_array = np.array(ns, dtype=np.float64)
    return Cells(
        cluster=np.array([names[c] for c in clusters], dtype=np.intp),
        period=_codes(periods, order),
        treated=np.array(treated, dtype=bool),
        n=n_array,
        total=np.array(totals, dtype=np.float64),
        exposure=np.array(exposures, dtype=np.float64),
        cluster_names=tuple(names),
        period_names=tuple(order),
        units=float(n_array.sum()) if np.isfinite(n_array).all() else None,
    )


def layout_warnings(cells: Cells) -> list[str]:
    """What the reader should know about the roll-out the cells show: cluster-periods with no
    data, and clusters switched off again."""
    out = []
    n_clusters, n_periods = len(cells.cluster_names), len(cells.period_names)
    present = set(zip(cells.cluster.tolist(), cells.period.tolist(), strict=True))
    missing = n_clusters * n_periods - len(present)
    if missing:
        out.append(
            f"{missing} of the {n_clusters * n_periods} cluster-periods ({n_clusters} clusters "
            f"x {n_periods} periods) have no data; the analysis uses those present, and the "
            "switch-on comparison rests on fewer periods where they are missing."
        )
    back = []
    for code, name in enumerate(cells.cluster_names):
        rows = cells.cluster == code
        steps = sorted(zip(cells.period[rows].tolist(), cells.treated[rows].tolist(), strict=True))
        on = False
        for _period, treated in steps:
            if on and not treated:
                back.append(name)
                break
            on = on or treated
    if back:
        out.append(
            f"{len(back)} cluster(s) return to the comparator after switch-on ("
            + ", ".join(back[:3])
            + ("..." if len(back) > 3 else "")
            + "): a stepped wedge does not switch off; check the arm of those rows."
        )
    return out
