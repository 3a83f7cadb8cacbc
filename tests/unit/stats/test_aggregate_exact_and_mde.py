"""Fisher's exact p from binary aggregates, and the achieved MDE from t quantiles.

Reference values were computed with R 4.2.2 (the R call is beside each); R is not needed to run
these tests.
"""

from __future__ import annotations

import pytest

from testlearn.domain.analysis import (
    AggregateData,
    AggregateRow,
    AnalysisResult,
    Design,
    HypothesisSpec,
    UnitData,
)
from testlearn.stats import analyse


def _spec(outcome: str = "binary", threshold: float = 0.1, **extra: object) -> HypothesisSpec:
    return HypothesisSpec(outcome, "two-group", threshold, **extra)  # type: ignore[arg-type]


def _binary_aggregates(x1: int, n1: int, x2: int, n2: int) -> AggregateData:
    return AggregateData(
        (AggregateRow("pilot", n=n1, successes=x1), AggregateRow("comparator", n=n2, successes=x2))
    )


def _binary_units(x1: int, n1: int, x2: int, n2: int) -> UnitData:
    arm = ("pilot",) * n1 + ("comparator",) * n2
    value = (1.0,) * x1 + (0.0,) * (n1 - x1) + (1.0,) * x2 + (0.0,) * (n2 - x2)
    return UnitData(arm=arm, value=value)


def _by_method(result: AnalysisResult) -> dict[str, float | None]:
    return {s.method: s.p_value for s in result.sensitivity}


@pytest.mark.parametrize(
    ("table", "fisher_p"),
    [
        # R: fisher.test(matrix(c(7, 27, 1, 33), 2, byrow = TRUE))$p.value
        # (the Fagerland, Lydersen & Laake 2015 example of docs/methods.md)
        ((7, 34, 1, 34), 0.0544001304950657),
        # Fisher's tea-tasting table, Agresti (2002) Categorical Data Analysis, section 3.5.1:
        # two-sided p = 0.486. R: fisher.test(matrix(c(3, 1, 1, 3), 2, byrow = TRUE))$p.value
        ((3, 4, 1, 4), 0.485714285714286),
        # generated: R fisher.test(matrix(c(2, 28, 8, 23), 2, byrow = TRUE))$p.value
        ((2, 30, 8, 31), 0.0806847959607209),
    ],
)
def test_fisher_p_from_aggregates_matches_r_and_unit_rows(
    table: tuple[int, int, int, int], fisher_p: float
) -> None:
    from_aggregates = analyse(_spec(), _binary_aggregates(*table))
    from_units = analyse(_spec(), _binary_units(*table))
    assert _by_method(from_aggregates)["Fisher's exact test"] == pytest.approx(fisher_p, rel=1e-9)
    # The same table gives the same sensitivity results whichever shape it came in.
    assert from_aggregates.sensitivity == from_units.sensitivity
    assert "Barnard's exact test" in _by_method(from_aggregates)


def test_large_binary_aggregates_need_no_exact_test_and_say_nothing_about_unit_rows() -> None:
    result = analyse(_spec(), _binary_aggregates(120, 400, 100, 400))
    assert result.sensitivity == analyse(_spec(), _binary_units(120, 400, 100, 400)).sensitivity
    assert not any("unit rows" in s.note for s in result.sensitivity)
    assert result.sensitivity == ()  # expected cells 110 and 290 a row: no exact test is run


def test_continuous_aggregates_still_say_the_rank_tests_need_unit_rows() -> None:
    data = AggregateData(
        (AggregateRow("pilot", n=30, mean=5, sd=2), AggregateRow("comparator", n=30, mean=4, sd=2))
    )
    result = analyse(_spec("continuous", 1.0), data)
    assert [s.note for s in result.sensitivity] == [
        "sensitivity analyses need unit rows; aggregates were given"
    ]


def test_clustered_binary_aggregates_say_why_exact_tests_do_not_apply() -> None:
    data = AggregateData(
        (
            AggregateRow("pilot", n=40, successes=2, clusters=4),
            AggregateRow("comparator", n=40, successes=9, clusters=4),
        )
    )
    result = analyse(_spec(icc=0.05), data)
    fisher = [s for s in result.sensitivity if s.method == "Fisher's exact test"]
    assert fisher and fisher[0].p_value is None
    assert "not whole" in fisher[0].note


def test_achieved_mde_of_a_tiny_welch_uses_t_quantiles() -> None:
    # R: r <- t.test(c(10, 12), c(1, 9), var.equal = FALSE)
    #    r$parameter = 1.12451361867704 (df), r$stderr = 4.12310562561766,
    #    r$conf.int = -34.4867578139775 to 46.4867578139775
    #    (qt(0.975, r$parameter) + qt(0.8, r$parameter)) * r$stderr = 45.8308229336951
    #    (the z formula would give 11.5512317734489, well inside the interval)
    data = UnitData(("pilot", "pilot", "comparator", "comparator"), (10.0, 12.0, 1.0, 9.0))
    result = analyse(_spec("continuous", 3.0), data)
    assert result.df == pytest.approx(1.12451361867704, rel=1e-9)
    assert result.se == pytest.approx(4.12310562561766, rel=1e-9)
    assert result.ci_low == pytest.approx(-34.4867578139775, rel=1e-9)
    assert result.mde_achieved == pytest.approx(45.8308229336951, rel=1e-9)
    assert "could detect was 46" in result.sentence


def test_achieved_mde_of_a_normal_method_keeps_the_contract_z_formula() -> None:
    # R: (qnorm(0.975) + qnorm(0.8)) = 2.80158521811197; the score method has no df.
    result = analyse(_spec(), _binary_aggregates(30, 100, 25, 100))
    assert result.df is None
    assert result.se is not None
    assert result.mde_achieved == pytest.approx(2.80158521811197 * result.se, rel=1e-12)


def test_design_mde_at_registration_is_unchanged_z() -> None:
    # The registration-time MDE is the contract's z formula whatever the method: no df yet.
    spec = HypothesisSpec(
        "continuous",
        Design.TWO_GROUP,
        1.0,
        planned_n_pilot=100,
        planned_n_comparator=100,
        assumed_sd=2.0,
    )
    from testlearn.stats.power import design_mde

    # (qnorm(0.975) + qnorm(0.8)) * sqrt(4/100 + 4/100) = 0.792408...
    assert design_mde(spec) == pytest.approx(2.80158521811197 * (0.08**0.5), rel=1e-9)
