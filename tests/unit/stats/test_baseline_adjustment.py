"""Regression adjustment for a registered baseline measure (ANCOVA, CUPED).

Reference values were computed with R 4.2.2 and sandwich 3.0 (the R calls are beside each) on
the data below, which were generated once (normal baselines, the outcome a noisy line in the
baseline plus an arm effect) and rounded; R is not needed to run these tests. The method is
the same as R's (OLS with the same sandwich), so agreement is to rel 1e-8.
"""

from __future__ import annotations

import pytest

from testlearn.domain.analysis import (
    AggregateData,
    AggregateRow,
    HypothesisSpec,
    UnitData,
    Verdict,
)
from testlearn.errors import InvalidValue
from testlearn.stats import analyse
from testlearn.stats.reproducibility import input_hash


def _numbers(text: str) -> list[float]:
    return [float(x) for x in text.split()]


# arm alternates pilot, comparator (R: arm = rep(c(1, 0), 12)).
CONT_BASE = _numbers(
    "68.3 19.2 59.6 50.7 63.2 53.9 68.3 50.3 44.8 55.8 54.3 46.4 47.5 57.2 57.0 45.1 "
    "46.3 31.9 66.8 47.8 63.4 54.2 69.4 65.4 "
)
CONT_VALUE = _numbers(
    "58.9 21.3 46.9 45.6 47.6 44.5 61.9 41.1 37.4 41.4 45.1 41.3 44.6 44.7 43.6 38.8 "
    "34.2 23.4 53.5 41.2 54.7 45.2 59.6 49.6 "
)
BIN_BASE = _numbers(
    "0.54 1.41 -0.04 0.63 -0.13 1.03 0.67 0.88 0.35 1.64 -0.36 -0.33 -0.59 0.61 -0.62 "
    "-0.64 0.73 1.16 0.57 -2.68 -0.95 -1.07 -1.21 -0.41 1.82 -0.31 -0.74 0.7 0.07 "
    "0.12 -0.69 0.0 0.43 -1.91 -1.61 1.08 0.84 -0.51 -1.02 -0.19 "
)
BIN_VALUE = _numbers(
    "1 1 1 1 0 1 1 0 1 1 0 0 0 1 0 0 1 1 1 0 0 0 0 0 1 0 0 1 1 0 0 0 1 0 0 1 1 0 1 1 "
)
# Eight sites of five units; sites 0, 2, 4, 6 ran the pilot (R: cluster = rep(0:7, each = 5)).
CL_BASE = _numbers(
    "19.0 16.1 24.7 19.1 22.4 13.1 21.9 30.0 18.6 24.0 20.2 25.5 25.3 20.3 17.2 21.4 "
    "20.2 16.9 22.3 22.2 15.6 19.4 34.6 24.1 20.5 32.6 17.7 7.6 10.5 12.4 21.3 24.9 "
    "9.1 25.6 13.9 21.3 22.3 22.2 20.0 20.9 "
)
CL_VALUE = _numbers(
    "9.2 10.6 16.3 13.4 18.4 7.3 11.0 16.9 8.4 8.0 7.0 16.6 15.1 13.2 9.3 10.7 13.2 "
    "8.4 8.2 9.5 8.2 5.1 9.7 5.0 5.2 23.1 14.2 7.5 7.9 11.2 14.2 15.2 7.9 15.1 14.4 "
    "6.1 11.6 9.3 11.6 10.2 "
)


def _alternating(values: list[float], baseline: list[float]) -> UnitData:
    arm = ["pilot" if i % 2 == 0 else "comparator" for i in range(len(values))]
    return UnitData(arm=arm, value=[float(v) for v in values], baseline=baseline)


def _clustered() -> UnitData:
    sites = [i // 5 for i in range(40)]
    return UnitData(
        arm=["pilot" if s % 2 == 0 else "comparator" for s in sites],
        value=CL_VALUE,
        cluster=[f"site {s}" for s in sites],
        baseline=CL_BASE,
    )


def _spec(outcome: str = "continuous", threshold: float = 2.0, **extra: object) -> HypothesisSpec:
    return HypothesisSpec(
        outcome,  # type: ignore[arg-type]
        "two-group",
        threshold,
        baseline_covariate="attainment the year before",
        **extra,  # type: ignore[arg-type]
    )


def test_continuous_matches_r_lm_with_hc2() -> None:
    # R: d$xc <- d$baseline - mean(d$baseline); fit <- lm(value ~ arm + xc, data = d)
    #    coeftest(fit, vcov = vcovHC(fit, type = "HC2"))
    #      arm  0.91839448  1.53290353  0.59912  0.5555 ;  xc 0.75480356 0.08000186
    #    coefci(fit, vcov = vcovHC(fit, type = "HC2"))  arm -2.2694529186 4.1062418724
    result = analyse(_spec(), _alternating(CONT_VALUE, CONT_BASE), sensitivity=False)
    assert result.estimate == pytest.approx(0.91839448, rel=1e-8)
    assert result.se == pytest.approx(1.53290353, rel=1e-8)
    assert result.df == 21
    assert (result.ci_low, result.ci_high) == pytest.approx((-2.2694529186, 4.1062418724), rel=1e-9)
    assert result.p_value == pytest.approx(0.5555, abs=5e-5)
    slope = result.extra_estimates[0]
    assert slope.estimate == pytest.approx(0.75480356, rel=1e-8)
    assert (slope.ci_low, slope.ci_high) == pytest.approx((0.5884305842, 0.9211765346), rel=1e-9)
    assert "HC2" in result.method


def test_binary_linear_probability_model_matches_r() -> None:
    # R: fit <- lm(value ~ arm + xc, data = d); coeftest(fit, vcov = vcovHC(fit, type = "HC2"))
    #      arm  0.157809510 0.116178772 1.35833 0.18258
    #    coefci(...)  arm -0.07759104294 0.3932100631
    result = analyse(_spec("binary", 0.1), _alternating(BIN_VALUE, BIN_BASE), sensitivity=False)
    assert result.estimate == pytest.approx(0.157809510, rel=1e-8)
    assert result.se == pytest.approx(0.116178772, rel=1e-8)
    assert (result.ci_low, result.ci_high) == pytest.approx(
        (-0.07759104294, 0.3932100631), rel=1e-9
    )
    assert result.p_value == pytest.approx(0.18258, abs=5e-6)
    assert result.method.startswith("linear probability model adjusted for the baseline")
    assert result.estimand.startswith("difference in proportions")


def test_clustered_rows_get_cr1_on_clusters_minus_one_df() -> None:
    # R: V <- vcovCL(fit, cluster = ~cluster, type = "HC1")   # G/(G-1) (N-1)/(N-K): CR1
    #    coeftest(fit, vcov = V, df = 7)  arm 0.39924566 2.03135605 0.19654 0.849771
    #    coefci(fit, vcov = V, df = 7)    arm -4.40414811885 5.2026394392
    result = analyse(_spec(), _clustered(), sensitivity=False)
    assert result.estimate == pytest.approx(0.39924566, rel=1e-8)
    assert result.se == pytest.approx(2.03135605, rel=1e-8)
    assert result.df == 7
    assert (result.ci_low, result.ci_high) == pytest.approx(
        (-4.40414811885, 5.2026394392), rel=1e-9
    )
    assert result.clustering == "cluster-robust (CR1) errors over 8 clusters"


def test_unadjusted_result_stands_beside_the_headline_and_the_interval_narrows() -> None:
    # The unadjusted sensitivity is the engine's own method for the design (Welch here).
    # R: t.test(value[arm == 1], value[arm == 0])$conf.int  1.76223472 16.55443195,
    #    p 0.01754390085; sqrt(vcovHC(lm(value ~ arm), type = "HC2")[2, 2]) = 3.566265731,
    #    the Welch standard error: HC2 without the baseline is Welch's variance.
    result = analyse(_spec(), _alternating(CONT_VALUE, CONT_BASE), bootstrap_resamples=100)
    unadjusted = result.sensitivity[0]
    assert unadjusted.method == "unadjusted: Welch two-sample t-test"
    assert (unadjusted.ci_low, unadjusted.ci_high) == pytest.approx(
        (1.76223472, 16.55443195), rel=1e-8
    )
    assert unadjusted.p_value == pytest.approx(0.01754390085, rel=1e-8)
    assert unadjusted.ci_low is not None and unadjusted.ci_high is not None
    assert result.ci_low is not None and result.ci_high is not None
    adjusted_width = result.ci_high - result.ci_low
    assert adjusted_width < 0.5 * (unadjusted.ci_high - unadjusted.ci_low)
    # The achieved MDE comes from the adjusted SE: (t(0.975, 21) + t(0.8, 21)) x 1.5329.
    # R: (qt(0.975, 21) + qt(0.8, 21)) * 1.53290353 = 4.5047250247
    assert result.mde_achieved == pytest.approx(4.5047250247, rel=1e-8)
    assert any(s.method == "Mann-Whitney U test" for s in result.sensitivity)


def test_sentence_says_what_it_was_adjusted_for() -> None:
    result = analyse(_spec(), _alternating(CONT_VALUE, CONT_BASE), sensitivity=False)
    assert "adjusted for the baseline attainment the year before (95% CI" in result.sentence


def test_aggregates_cannot_follow_a_registered_adjustment() -> None:
    rows = AggregateData(
        (
            AggregateRow("pilot", n=12, mean=45.2, sd=9.1),
            AggregateRow("comparator", n=12, mean=40.1, sd=8.4),
        )
    )
    result = analyse(_spec(), rows)
    assert result.verdict is Verdict.NOT_EVALUABLE
    assert result.not_evaluable_reason is not None
    assert "baseline attainment the year before" in result.not_evaluable_reason
    assert "aggregates" in result.not_evaluable_reason
    assert result.sentence.startswith("This result cannot be evaluated")


def test_unit_rows_without_the_baseline_column_are_not_evaluable() -> None:
    data = UnitData(arm=["pilot", "comparator"] * 12, value=[float(v) for v in CONT_VALUE])
    result = analyse(_spec(), data)
    assert result.verdict is Verdict.NOT_EVALUABLE
    assert "no baseline column" in (result.not_evaluable_reason or "")


def test_a_missing_baseline_is_refused_naming_the_row() -> None:
    baseline: list[float | None] = list(CONT_BASE)
    baseline[6] = None
    data = UnitData(
        arm=["pilot", "comparator"] * 12, value=[float(v) for v in CONT_VALUE], baseline=baseline
    )
    with pytest.raises(InvalidValue, match=r"Data row 7, column baseline: the baseline"):
        analyse(_spec(), data)
    baseline[6] = float("nan")
    with pytest.raises(InvalidValue, match="Data row 7, column baseline"):
        analyse(_spec(), data)


def test_a_baseline_that_does_not_vary_is_not_evaluable() -> None:
    data = _alternating(CONT_VALUE, [50.0] * 24)
    result = analyse(_spec(), data)
    assert result.verdict is Verdict.NOT_EVALUABLE
    assert "nothing to adjust for" in (result.not_evaluable_reason or "")


@pytest.mark.parametrize(
    ("design", "outcome", "said"),
    [("did", "continuous", "two-group design only"), ("two-group", "count", "not for counts")],
)
def test_designs_the_adjustment_is_not_defined_for_say_so(
    design: str, outcome: str, said: str
) -> None:
    spec = HypothesisSpec(
        outcome,  # type: ignore[arg-type]
        design,  # type: ignore[arg-type]
        10.0,
        baseline_covariate="visits before",
    )
    data = UnitData(
        arm=["pilot", "comparator"] * 12,
        value=[float(round(v)) for v in CONT_VALUE],
        period=["before", "after"] * 12 if design == "did" else None,
        baseline=CONT_BASE,
    )
    result = analyse(spec, data)
    assert result.verdict is Verdict.NOT_EVALUABLE
    assert said in (result.not_evaluable_reason or "")


def test_without_a_registered_baseline_nothing_changes() -> None:
    spec = HypothesisSpec("continuous", "two-group", 2.0)  # type: ignore[arg-type]
    plain = analyse(spec, _alternating(CONT_VALUE, CONT_BASE), sensitivity=False)
    without = analyse(
        spec, UnitData(arm=["pilot", "comparator"] * 12, value=CONT_VALUE), sensitivity=False
    )
    assert plain.method == "Welch two-sample t-test"
    assert (plain.ci_low, plain.ci_high) == (without.ci_low, without.ci_high)
    # A spec and data without the field hash as they did before it existed (the hash
    # computed by the engine before the baseline adjustment was added).
    assert "baseline_covariate" not in spec.to_json_dict()
    before = UnitData(arm=["pilot", "comparator"] * 2, value=[58.9, 21.3, 46.9, 45.6])
    assert input_hash(spec, before) == (
        "43e481b64ac7b27f135aac548cafa135226e293f668816809dde22742452f1ae"
    )
