"""Checked numpy views of the two input shapes, and the per-cell summaries both reduce to.

Unit rows and aggregates go through the same door: unit rows are summarised into `Cell`s (one per
arm and period) and every unclustered method works on cells only, which is what makes the two
input shapes give identical results. Clustered unit rows and time series keep their arrays.
Malformed input (unknown labels, non-numbers, mismatched columns) raises `InvalidValue` naming
the row and column. The engine sees data, not files: "data row 2" is the second row of data
(the file reader, which knows the file, names file lines itself and catches these first). A
well-formed input that cannot answer the question is the engine's business (a not-evaluable
result), not an error.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from testlearn.domain.analysis import (
    ARM_COMPARATOR,
    ARM_PILOT,
    PERIOD_AFTER,
    PERIOD_BEFORE,
    AggregateData,
    AggregateRow,
    ArmSummary,
    OutcomeType,
    UnitData,
)
from testlearn.errors import InvalidValue

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]
IntArray = NDArray[np.intp]


@dataclass(frozen=True)
class Units:
    """Unit rows as arrays. `after` is None when the data carry no period column."""

    pilot: BoolArray
    value: FloatArray
    after: BoolArray | None
    cluster: IntArray | None
    unit: IntArray | None
    time: FloatArray | None
    exposure: FloatArray | None

    def __len__(self) -> int:
        return int(self.value.shape[0])

    def mask(self, pilot: bool, after: bool | None) -> BoolArray:
        """Rows of one arm, optionally of one period."""
        rows = self.pilot if pilot else ~self.pilot
        if after is not None:
            if self.after is None:
                raise ValueError("no period column")
            rows = rows & (self.after if after else ~self.after)
        return rows


@dataclass(frozen=True)
class Cell:
    """Sufficient statistics of one arm (and period).

    `n`, `successes`, `events` and `exposure` are effective values once a design effect has been
    applied (they are then no longer whole numbers); `n_raw` keeps what was observed.
    """

    arm: str
    period: str | None
    n: float
    n_raw: float
    mean: float = float("nan")
    var: float = float("nan")
    successes: float = float("nan")
    events: float = float("nan")
    exposure: float = float("nan")
    clusters: int | None = None
    design_effect: float = 1.0

    @property
    def proportion(self) -> float:
        return self.successes / self.n if self.n > 0 else float("nan")

    @property
    def rate(self) -> float:
        return self.events / self.exposure if self.exposure > 0 else float("nan")

    def summary(self, outcome: OutcomeType) -> ArmSummary:
        """The user-facing summary of this cell, in observed (not effective) numbers."""
        deff = self.design_effect
        n_eff = self.n if deff != 1.0 else None
        n_shown = None if np.isnan(self.n_raw) else self.n_raw
        if outcome is OutcomeType.CONTINUOUS:
            return ArmSummary(
                self.arm,
                self.period,
                n_shown,
                self.mean,
                float(np.sqrt(self.var)),
                clusters=self.clusters,
                n_effective=n_eff,
            )
        if outcome is OutcomeType.BINARY:
            return ArmSummary(
                self.arm,
                self.period,
                n_shown,
                self.proportion,
                successes=self.successes * deff,
                clusters=self.clusters,
                n_effective=n_eff,
            )
        return ArmSummary(
            self.arm,
            self.period,
            n_shown,
            self.rate,
            events=self.events * deff,
            exposure=self.exposure * deff,
            clusters=self.clusters,
            n_effective=n_eff,
        )


def _first_bad(mask: BoolArray) -> int:
    return int(np.flatnonzero(mask)[0]) + 1


def _labels(column: Sequence[str], name: str, allowed: tuple[str, str]) -> BoolArray:
    """True where the label is allowed[0]; raise on anything outside `allowed`."""
    arr = np.asarray(column, dtype=object if not isinstance(column, np.ndarray) else None)
    first = arr == allowed[0]
    second = arr == allowed[1]
    bad = ~(first | second)
    if bad.any():
        # Be forgiving about case and spaces before calling it an error.
        norm = np.array([str(x).strip().lower() for x in arr], dtype=object)
        first, second = norm == allowed[0], norm == allowed[1]
        bad = ~(first | second)
        if bad.any():
            row = _first_bad(bad)
            raise InvalidValue(
                f"Data row {row}, column {name}: {arr[row - 1]!r} is not one of "
                f"{allowed[0]!r} or {allowed[1]!r}."
            )
    return np.asarray(first, dtype=bool)


def _numbers(column: Sequence[float], name: str) -> FloatArray:
    try:
        values = np.asarray(column, dtype=np.float64)
    except (TypeError, ValueError):
        for i, item in enumerate(column):
            try:
                float(item)
            except (TypeError, ValueError):
                raise InvalidValue(
                    f"Data row {i + 1}, column {name}: {item!r} is not a number."
                ) from None
        raise
    bad = ~np.isfinite(values)
    if bad.any():
        raise InvalidValue(f"Data row {_first_bad(bad)}, column {name}: a number is missing.")
    return values


def _codes(column: Sequence[str]) -> IntArray:
    """Integer codes for cluster or unit labels, in order of first appearance.

    A dictionary pass over the labels: sorting a million strings (``np.unique`` on text) costs
    several times more, and the codes only need to tell groups apart.
    """
    lookup: dict[object, int] = {}
    codes = np.fromiter(
        (lookup.setdefault(str(label), len(lookup)) for label in column),
        dtype=np.intp,
        count=len(column),
    )
    return codes


def units_from(data: UnitData, outcome: OutcomeType) -> Units:
    """Check unit rows and turn them into arrays."""
    n = len(data.value)
    if n == 0:
        raise InvalidValue("There are no rows of data.")
    for name in ("arm", "period", "cluster", "unit", "time", "exposure"):
        column = getattr(data, name)
        if column is not None and len(column) != n:
            raise InvalidValue(f"Column {name} has {len(column)} rows but column value has {n}.")
    pilot = _labels(data.arm, "arm", (ARM_PILOT, ARM_COMPARATOR))
    value = _numbers(data.value, "value")
    if outcome is OutcomeType.BINARY:
        bad = (value != 0) & (value != 1)
        if bad.any():
            row = _first_bad(bad)
            raise InvalidValue(f"Data row {row}, column value: a binary outcome must be 0 or 1.")
    if outcome is OutcomeType.COUNT:
        bad = value < 0
        if bad.any():
            raise InvalidValue(
                f"Data row {_first_bad(bad)}, column value: a count cannot be negative."
            )
    after = None
    if data.period is not None:
        after = _labels(data.period, "period", (PERIOD_AFTER, PERIOD_BEFORE))
    exposure = None
    if data.exposure is not None:
        exposure = _numbers(data.exposure, "exposure")
        bad = exposure <= 0
        if bad.any():
            raise InvalidValue(
                f"Data row {_first_bad(bad)}, column exposure: exposure must be above 0."
            )
    return Units(
        pilot=pilot,
        value=value,
        after=after,
        cluster=None if data.cluster is None else _codes(data.cluster),
        unit=None if data.unit is None else _codes(data.unit),
        time=None if data.time is None else _numbers(data.time, "time"),
        exposure=exposure,
    )


def cell_from_units(units: Units, rows: BoolArray, arm: str, period: str | None) -> Cell:
    """Summarise the selected rows. Two-pass variance, for accuracy on large data."""
    values = units.value[rows]
    count = float(values.shape[0])
    clusters = None
    if units.cluster is not None:
        clusters = int(np.unique(units.cluster[rows]).shape[0])
    if count == 0:
        return Cell(arm, period, 0.0, 0.0, clusters=clusters, exposure=0.0, events=0.0)
    mean = float(values.mean())
    var = float(((values - mean) ** 2).sum() / (count - 1)) if count > 1 else float("nan")
    exposure = count if units.exposure is None else float(units.exposure[rows].sum())
    total = float(values.sum())
    return Cell(
        arm,
        period,
        count,
        count,
        mean=mean,
        var=var,
        successes=total,
        events=total,
        exposure=exposure,
        clusters=clusters,
    )


def aggregate_number(value: float | None, row: int, column: str, *, minimum: float = 0.0) -> float:
    """An aggregate row's value, refused with its row and column when missing or too small."""
    if value is None:
        raise InvalidValue(f"Aggregate row {row}, column {column}: a value is required.")
    number = float(value)
    if not np.isfinite(number) or number < minimum:
        raise InvalidValue(
            f"Aggregate row {row}, column {column}: {value!r} must be a number of at "
            f"least {minimum:g}."
        )
    return number


def _check_row(row: AggregateRow, i: int, outcome: OutcomeType, series: bool) -> None:
    if row.arm not in (ARM_PILOT, ARM_COMPARATOR):
        raise InvalidValue(
            f"Aggregate row {i}, column arm: {row.arm!r} is not 'pilot' or 'comparator'."
        )
    if row.period not in (None, PERIOD_BEFORE, PERIOD_AFTER):
        raise InvalidValue(
            f"Aggregate row {i}, column period: {row.period!r} is not 'before' or 'after'."
        )
    if outcome is OutcomeType.CONTINUOUS:
        aggregate_number(row.mean, i, "mean", minimum=-np.inf)
        if not series:  # a time series needs only the mean of each point
            aggregate_number(row.n, i, "n", minimum=1)
            aggregate_number(row.sd, i, "sd")
    elif outcome is OutcomeType.BINARY:
        n = aggregate_number(row.n, i, "n", minimum=1)
        if aggregate_number(row.successes, i, "successes") > n:
            raise InvalidValue(f"Aggregate row {i}, column successes: more successes than n.")
    else:
        aggregate_number(row.events, i, "events")
        if row.exposure is not None:
            aggregate_number(row.exposure, i, "exposure", minimum=np.nextafter(0, 1))


def check_aggregates(data: AggregateData, outcome: OutcomeType, *, series: bool = False) -> None:
    """Raise InvalidValue on the first malformed aggregate row.

    Args:
        data: the rows.
        outcome: what each row must carry.
        series: rows are the points of a time series (a continuous point needs only its mean).
    """
    if not data.rows:
        raise InvalidValue("There are no aggregate rows.")
    for i, row in enumerate(data.rows, start=1):
        _check_row(row, i, outcome, series)


def cell_from_rows(rows: Sequence[AggregateRow], arm: str, period: str | None) -> Cell:
    """Combine the aggregate rows of one cell (several rows, e.g. one per site, are pooled)."""
    if not rows:
        return Cell(arm, period, 0.0, 0.0, exposure=0.0, events=0.0)
    ns = np.array([np.nan if r.n is None else float(r.n) for r in rows])
    n = float(ns.sum())
    mean = var = float("nan")
    if all(r.mean is not None and r.sd is not None for r in rows) and n > 0:
        means = np.array([float(r.mean) for r in rows])  # type: ignore[arg-type]
        sds = np.array([float(r.sd) for r in rows])  # type: ignore[arg-type]
        mean = float((ns * means).sum() / n)
        # Pooled variance of the union: within-row plus between-row sums of squares.
        within = ((ns - 1) * sds**2).sum()
        between = (ns * (means - mean) ** 2).sum()
        var = float((within + between) / (n - 1)) if n > 1 else float("nan")
    successes = _total([r.successes for r in rows])
    events = _total([r.events for r in rows])
    exposure = sum(exposure_of(r) for r in rows)
    cluster_counts = [r.clusters for r in rows]
    clusters = (
        sum(c for c in cluster_counts if c is not None)
        if all(c is not None for c in cluster_counts)
        else None
    )
    return Cell(
        arm,
        period,
        n,
        n,
        mean=mean,
        var=var,
        successes=successes,
        events=events,
        exposure=exposure,
        clusters=clusters,
    )


def exposure_of(row: AggregateRow) -> float:
    """A row's exposure: as given, else its n (one unit of exposure per unit, as for unit
    rows without an exposure column), else 1."""
    if row.exposure is not None:
        return float(row.exposure)
    return 1.0 if row.n is None else float(row.n)


def _total(values: list[float | None]) -> float:
    """Sum of a column over rows; NaN when any row lacks it."""
    if any(v is None for v in values):
        return float("nan")
    return sum(float(v) for v in values if v is not None)


def rows_of(data: AggregateData, arm: str, period: str | None) -> list[AggregateRow]:
    """The aggregate rows of one arm; `period=None` takes the arm's rows whatever their period."""
    return [r for r in data.rows if r.arm == arm and (period is None or r.period == period)]
