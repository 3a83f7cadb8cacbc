"""Small and extreme data: zero and full cells, tiny arms, and the not-evaluable cases.

None of these may end in a silent default (p = 1, an interval of (0, 0)): either a proper
answer, or a not-evaluable result that says why.
"""

from __future__ import annotations

import json
import math

import pytest

from testlearn.domain.analysis import (
    AggregateData,
    AggregateRow,
    AnalysisResult,
    HypothesisSpec,
    UnitData,
    Verdict,
)
from testlearn.errors import InvalidValue
from testlearn.stats import analyse


def _json(result: AnalysisResult) -> dict[str, object]:
    text = json.dumps(result.to_json_dict(), allow_nan=False)
    return dict(json.loads(text))


def _binary(x1: int, n1: int, x2: int, n2: int) -> AggregateData:
    return AggregateData(
        (AggregateRow("pilot", n=n1, successes=x1), AggregateRow("comparator", n=n2, successes=x2))
    )


def _units(pilot: list[float], comparator: list[float]) -> UnitData:
    return UnitData(
        arm=("pilot",) * len(pilot) + ("comparator",) * len(comparator),
        value=tuple(pilot + comparator),
    )


BINARY = HypothesisSpec("binary", "two-group", 0.1, evidence_level=5)
CONTINUOUS = HypothesisSpec("continuous", "two-group", 1.0, evidence_level=5)
COUNT = HypothesisSpec("count", "two-group", 20, evidence_level=5)


def test_zero_events_in_one_arm() -> None:
    units = _units([0.0] * 12, [1.0] * 5 + [0.0] * 7)
    result = analyse(BINARY, units)
    assert result.estimate == pytest.approx(-5 / 12)
    assert -1 < result.ci_low < result.estimate < result.ci_high < 0
    assert result.p_value is not None and 0 < result.p_value < 0.05
    rr = result.extra_estimates[0]
    assert rr.estimate == 0 and rr.ci_low == 0 and 0 < rr.ci_high < 1
    methods = {s.method: s for s in result.sensitivity}
    assert methods["Fisher's exact test"].p_value == pytest.approx(0.0373, abs=5e-4)
    assert methods["Barnard's exact test"].p_value is not None
    assert result.warnings == ()
    _json(result)


def test_all_events_in_one_arm() -> None:
    result = analyse(BINARY, _binary(12, 12, 3, 12))
    assert result.estimate == pytest.approx(0.75)
    assert 0 < result.ci_low < 0.75 < result.ci_high < 1
    assert result.verdict is Verdict.SUCCESS
    assert result.mde_achieved is not None and result.mde_achieved > 0


def test_every_unit_the_same_in_both_arms_is_not_evaluable() -> None:
    result = analyse(BINARY, _binary(0, 20, 0, 25))
    assert result.verdict is Verdict.NOT_EVALUABLE
    assert result.p_value is None and result.ci_low is None
    assert "same outcome" in (result.not_evaluable_reason or "")
    assert result.sentence.startswith("This result cannot be evaluated")
    _json(result)


def test_zero_events_in_the_comparator_leave_the_ratio_unbounded() -> None:
    data = AggregateData(
        (
            AggregateRow("pilot", events=6, exposure=100.0),
            AggregateRow("comparator", events=0, exposure=120.0),
        )
    )
    result = analyse(COUNT, data)
    assert result.estimate == math.inf and result.ci_high == math.inf
    assert 1 < result.ci_low < math.inf
    assert result.mde_achieved is None
    assert any("no events" in w for w in result.warnings)
    out = _json(result)
    assert out["ci_high"] is None and out["estimate"] is None


def test_no_events_at_all_is_not_evaluable() -> None:
    data = AggregateData(
        (
            AggregateRow("pilot", events=0, exposure=100.0),
            AggregateRow("comparator", events=0, exposure=120.0),
        )
    )
    assert analyse(COUNT, data).verdict is Verdict.NOT_EVALUABLE


def test_fewer_than_ten_units_per_arm() -> None:
    result = analyse(CONTINUOUS, _units([5.1, 6.3, 4.8, 7.0], [3.2, 4.1, 2.9, 3.8, 4.4]))
    assert result.df is not None and result.df < 7
    assert any("fewer than 10 units" in w for w in result.warnings)
    methods = {s.method.split(" (")[0]: s for s in result.sensitivity}
    assert methods["Mann-Whitney U test"].p_value == pytest.approx(0.01587, abs=5e-5)
    boot = methods["BCa bootstrap"]
    assert boot.ci_low is not None and boot.ci_high is not None and boot.ci_low < boot.ci_high


@pytest.mark.parametrize(
    ("pilot", "comparator", "reason"),
    [
        ([4.0, 4.0, 4.0], [1.0, 2.0, 3.0], "same"),
        ([4.0], [1.0, 2.0, 3.0], "fewer than 2"),
        ([1.0, 2.0, 3.0], [], "no rows"),
    ],
)
def test_constant_tiny_or_empty_arms_are_not_evaluable(
    pilot: list[float], comparator: list[float], reason: str
) -> None:
    result = analyse(CONTINUOUS, _units(pilot, comparator))
    assert result.verdict is Verdict.NOT_EVALUABLE
    assert reason in (result.not_evaluable_reason or "")
    assert result.p_value is None and result.ci_low is None and result.ci_high is None


def test_sample_ratio_mismatch_is_not_evaluable() -> None:
    spec = HypothesisSpec("binary", "two-group", 0.05, allocation_ratio=1.0)
    result = analyse(spec, _binary(300, 1000, 250, 820))
    assert result.verdict is Verdict.NOT_EVALUABLE
    assert "sample-ratio mismatch" in (result.not_evaluable_reason or "")
    fine = analyse(spec, _binary(300, 1000, 250, 960))
    assert fine.verdict is not Verdict.NOT_EVALUABLE


def test_fewer_than_two_clusters_per_arm_is_not_evaluable() -> None:
    data = UnitData(
        arm=("pilot",) * 4 + ("comparator",) * 4,
        value=(1.0, 2.0, 3.0, 4.0, 2.0, 3.0, 4.0, 5.0),
        cluster=("a", "a", "a", "a", "b", "b", "c", "c"),
    )
    result = analyse(CONTINUOUS, data)
    assert result.verdict is Verdict.NOT_EVALUABLE
    assert "fewer than 2 clusters" in (result.not_evaluable_reason or "")


@pytest.mark.parametrize(
    ("spec", "data", "reason"),
    [
        (HypothesisSpec("continuous", "did", 1.0), _units([1.0, 2.0], [2.0, 3.0]), "period"),
        (HypothesisSpec("continuous", "benchmark", 1.0), _units([1.0, 2.0], []), "benchmark"),
        (
            HypothesisSpec("count", "paired", 10),
            UnitData(("pilot", "comparator"), (1.0, 2.0), unit=("a", "a")),
            "counts",
        ),
        (
            HypothesisSpec("binary", "paired", 0.1),
            AggregateData((AggregateRow("pilot", n=10, successes=4),)),
            "unit rows",
        ),
    ],
)
def test_missing_design_inputs_are_not_evaluable(
    spec: HypothesisSpec, data: UnitData | AggregateData, reason: str
) -> None:
    result = analyse(spec, data)
    assert result.verdict is Verdict.NOT_EVALUABLE
    assert reason in (result.not_evaluable_reason or "")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (UnitData(("pilot", "control"), (1.0, 2.0)), "Data row 2, column arm"),
        (UnitData(("pilot", "comparator"), (1.0, "x")), "Data row 2, column value"),  # type: ignore[arg-type]
        (UnitData(("pilot", "comparator"), (1.0, None)), "Data row 2, column value"),  # type: ignore[arg-type]
        (UnitData(("pilot",), (1.0, 2.0)), "Column arm has 1 rows"),
    ],
)
def test_malformed_input_raises_a_message_naming_row_and_column(
    data: UnitData, message: str
) -> None:
    with pytest.raises(InvalidValue, match=message):
        analyse(CONTINUOUS, data)


def test_binary_values_must_be_zero_or_one() -> None:
    with pytest.raises(InvalidValue, match="Data row 3, column value"):
        analyse(BINARY, _units([1.0, 0.0, 2.0], [0.0, 1.0]))


def test_labels_are_forgiven_their_case_and_spaces() -> None:
    data = UnitData(
        (" Pilot", "pilot", "pilot", "COMPARATOR", "comparator", "comparator"),
        (1.0, 2.0, 3.5, 2.0, 3.0, 4.5),
    )
    assert analyse(CONTINUOUS, data).verdict is not Verdict.NOT_EVALUABLE


def test_paired_binary_uses_mcnemar_and_the_exact_version_when_few_discordant() -> None:
    # 10 pairs: 5 where only the pilot member succeeded, 1 where only the comparator did.
    pilot = [1.0] * 5 + [0.0] + [1.0, 1.0, 0.0, 0.0]
    comparator = [0.0] * 5 + [1.0] + [1.0, 1.0, 0.0, 0.0]
    ids = tuple(str(i) for i in range(10))
    data = UnitData(
        ("pilot",) * 10 + ("comparator",) * 10, tuple(pilot + comparator), unit=ids + ids
    )
    result = analyse(HypothesisSpec("binary", "paired", 0.1), data)
    assert result.estimate == pytest.approx(0.4)
    assert result.p_value == pytest.approx(0.1024704, abs=1e-6)  # chi-square 16/6 on 1 df
    exact = [s for s in result.sensitivity if s.method == "exact McNemar test"]
    assert exact and exact[0].p_value == pytest.approx(0.21875)
