"""Unit rows and aggregates of the same data give the same result (statistics contract, 2)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from testlearn.domain.analysis import (
    AggregateData,
    AggregateRow,
    AnalysisResult,
    HypothesisSpec,
    UnitData,
)
from testlearn.stats import analyse

CELLS = {
    "two-group": (("pilot", None), ("comparator", None)),
    "did": (
        ("pilot", "before"),
        ("pilot", "after"),
        ("comparator", "before"),
        ("comparator", "after"),
    ),
    "before-after": (("pilot", "before"), ("pilot", "after")),
    "benchmark": (("pilot", None),),
}


def _aggregate(outcome: str, cells: dict[tuple[str, str | None], list[float]]) -> AggregateData:
    rows = []
    for (arm, period), values in cells.items():
        v = np.asarray(values, dtype=float)
        if outcome == "continuous":
            rows.append(
                AggregateRow(
                    arm, n=v.size, period=period, mean=float(v.mean()), sd=float(v.std(ddof=1))
                )
            )
        elif outcome == "binary":
            rows.append(AggregateRow(arm, n=v.size, period=period, successes=float(v.sum())))
        else:
            # One row per unit, as unit rows are: the rows' spread is what the quasi-Poisson
            # interval reads (count_models.py), and a single total per cell would hide it.
            # No exposure given: it defaults to n, one per unit, like unit rows without it.
            rows.extend(AggregateRow(arm, n=1, period=period, events=float(x)) for x in v)
    return AggregateData(tuple(rows))


def _units(cells: dict[tuple[str, str | None], list[float]], with_period: bool) -> UnitData:
    arm: list[str] = []
    value: list[float] = []
    period: list[str] = []
    for (a, p), values in cells.items():
        arm += [a] * len(values)
        value += values
        period += [p or "after"] * len(values)
    return UnitData(
        arm=tuple(arm), value=tuple(value), period=tuple(period) if with_period else None
    )


def _same(a: AnalysisResult, b: AnalysisResult) -> None:
    assert a.verdict == b.verdict
    assert a.not_evaluable_reason == b.not_evaluable_reason
    if a.estimate is None:
        return
    for name in ("estimate", "ci_low", "ci_high", "p_value", "se", "tost_p", "mde_achieved"):
        x, y = getattr(a, name), getattr(b, name)
        if x is None or y is None:
            assert x is y, name
        else:
            assert x == pytest.approx(y, rel=1e-9, abs=1e-11), name
    assert a.sentence == b.sentence


continuous_values = st.lists(
    st.floats(-50, 50, allow_nan=False).map(lambda v: round(v, 3)), min_size=3, max_size=40
)
binary_values = st.lists(st.sampled_from([0.0, 1.0]), min_size=3, max_size=60)
count_values = st.lists(st.integers(0, 9).map(float), min_size=3, max_size=40)
VALUES = {"continuous": continuous_values, "binary": binary_values, "count": count_values}
THRESHOLD = {"continuous": 2.0, "binary": 0.1, "count": 20.0}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(["continuous", "binary", "count"]),
    st.sampled_from(list(CELLS)),
    st.data(),
)
def test_unit_rows_and_aggregates_agree(outcome: str, design: str, data: st.DataObject) -> None:
    cells = {cell: data.draw(VALUES[outcome]) for cell in CELLS[design]}
    benchmark = {"continuous": 1.0, "binary": 0.4, "count": 3.0}[outcome]
    spec = HypothesisSpec(
        outcome,
        design,
        THRESHOLD[outcome],
        evidence_level=3,  # type: ignore[arg-type]
        benchmark_value=benchmark if design == "benchmark" else None,
    )
    from_units = analyse(spec, _units(cells, design in ("did", "before-after")), sensitivity=False)
    from_aggregates = analyse(spec, _aggregate(outcome, cells), sensitivity=False)
    _same(from_units, from_aggregates)


def test_aggregate_rows_of_one_cell_are_pooled_exactly() -> None:
    # Two rows per arm (say, two sites) pool to the same result as one row per arm.
    rng = np.random.default_rng(1)
    a, b, c = rng.normal(5, 2, 30), rng.normal(6, 2, 25), rng.normal(5, 3, 40)
    spec = HypothesisSpec("continuous", "two-group", 1.0)

    def row(values: np.ndarray) -> AggregateRow:
        return AggregateRow("pilot", n=values.size, mean=values.mean(), sd=values.std(ddof=1))

    comparator = AggregateRow("comparator", n=c.size, mean=c.mean(), sd=c.std(ddof=1))
    split = analyse(spec, AggregateData((row(a), row(b), comparator)), sensitivity=False)
    joined = analyse(
        spec, AggregateData((row(np.concatenate([a, b])), comparator)), sensitivity=False
    )
    _same(split, joined)
