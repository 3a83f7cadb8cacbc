"""Counts analysed as they were run: quasi-Poisson for overdispersion, CR1 for clustered DiD.

R references: R 4.2.2 with sandwich and MASS; R's code and output are recorded beside each
value, so R is not needed to run the tests. Fits use `glm.control(epsilon = 1e-14)`. The
quasi-Poisson and CR1 fits are the same method as R's and agree to rel 1e-9; the negative
binomial's theta is an iterative maximum likelihood in both (Newton in statsmodels, R's
alternation in glm.nb), so it agrees to rel 1e-6.

The generated data were drawn once with numpy (seed 20261201): 14 clusters (7 a side) of
Poisson counts with cluster effects (normal, sd 0.6), and 33 gamma-mixed Poisson counts.
"""

from __future__ import annotations

import math

import pytest

from testlearn.domain.analysis import (
    AggregateData,
    AggregateRow,
    Grade,
    HypothesisSpec,
    UnitData,
    Verdict,
)
from testlearn.stats import analyse

A = AggregateRow

# DFT-TL-009's months (the demo's figures): journeys and subsidy (GBP thousands).
FIXED_ROUTE = [8150, 8620, 8480, 7930, 7120, 8890, 9160, 8710, 7560, 7790, 8240, 9850]
ON_DEMAND = [4210, 4480, 4950, 5120, 5060, 4390, 4620, 4870, 5400, 5610, 5480, 5610]
FIXED_SUBSIDY = [34.3] * 11 + [34.7]
ON_DEMAND_SUBSIDY = [58.8] * 11 + [59.2]
BUS = HypothesisSpec(
    "count",
    "before-after",
    10,
    harm_margin=10,
    evidence_level=1,
    outcome_name="passenger journeys per £1,000 of subsidy",
    pilot_label="the demand-responsive service",
)


def _months() -> AggregateData:
    before = [
        A("pilot", period="before", time=i + 1, events=e, exposure=x)
        for i, (e, x) in enumerate(zip(FIXED_ROUTE, FIXED_SUBSIDY, strict=True))
    ]
    after = [
        A("pilot", period="after", time=i + 13, events=e, exposure=x)
        for i, (e, x) in enumerate(zip(ON_DEMAND, ON_DEMAND_SUBSIDY, strict=True))
    ]
    return AggregateData((*before, *after))


def test_monthly_counts_allow_for_overdispersion_as_r_quasipoisson() -> None:
    # R: q <- glm(journeys ~ after + offset(log(subsidy)), family = quasipoisson)
    # summary(q)$dispersion 54.58488629840056; after -1.057743954686260 (SE 0.03815657135706791)
    # exp(b) 0.3472383126858624; exp(b +/- qt(0.975, 22) se) 0.3208197498908146 to
    # 0.3758323664237009; Pr(>|t|) 1.322410229174530e-18.
    result = analyse(BUS, _months())
    assert result.estimate == pytest.approx(0.3472383126858624, rel=1e-10)
    assert result.ci_low == pytest.approx(0.3208197498908146, rel=1e-9)
    assert result.ci_high == pytest.approx(0.3758323664237009, rel=1e-9)
    assert result.p_value == pytest.approx(1.322410229174530e-18, rel=1e-6)
    assert result.se == pytest.approx(0.03815657135706791, rel=1e-9)
    assert result.df == 22
    assert "quasi-Poisson" in result.method
    assert any("dispersion 54.58" in w and "7.39 times as wide" in w for w in result.warnings)
    assert (result.verdict, result.grade) == (Verdict.HARM, Grade.MEANINGFUL)
    assert "(rate ratio 0.35, 95% CI 0.32 to 0.38)" in result.sentence
    poisson, negative_binomial = result.sensitivity
    # The Poisson score interval, today's headline, is kept beside it: 0.34 to 0.35.
    assert "Poisson" in poisson.method and "no allowance for overdispersion" in poisson.note
    assert (poisson.ci_low, poisson.ci_high) == pytest.approx((0.34374, 0.35077), abs=5e-6)
    # R: nb <- MASS::glm.nb(journeys ~ after + offset(log(subsidy))); nb$theta
    # 131.8493631809361; after -1.057652918191579 (SE 0.03592692964133114); exp(b) ...
    # exp(b +/- qnorm(0.975) se) 0.3236578284201293 to 0.3726046168388883;
    # Pr(>|z|) 1.741096367415131e-190.
    assert "negative binomial" in negative_binomial.method
    assert "theta 131.8 " in negative_binomial.note
    assert negative_binomial.ci_low == pytest.approx(0.3236578284201293, rel=1e-6)
    assert negative_binomial.ci_high == pytest.approx(0.3726046168388883, rel=1e-6)


def test_the_same_months_as_unit_rows_give_the_same_result() -> None:
    months = _months().rows
    units = UnitData(
        arm=["pilot"] * len(months),
        value=[float(r.events or 0) for r in months],
        period=[str(r.period) for r in months],
        exposure=[float(r.exposure or 0) for r in months],
    )
    from_units, from_rows = analyse(BUS, units), analyse(BUS, _months())
    for name in ("estimate", "ci_low", "ci_high", "p_value", "se", "df", "sentence", "warnings"):
        assert getattr(from_units, name) == getattr(from_rows, name), name
    # The Poisson score interval sums the exposure in another order: equal to rounding.
    for a, b in zip(from_units.sensitivity, from_rows.sensitivity, strict=True):
        assert (a.method, a.note) == (b.method, b.note)
        assert (a.ci_low, a.ci_high) == pytest.approx((b.ci_low, b.ci_high), rel=1e-12)


def test_one_row_per_period_says_the_interval_assumes_poisson() -> None:
    totals = AggregateData(
        (
            A("pilot", period="before", events=100_500, exposure=412),
            A("pilot", period="after", events=59_800, exposure=706),
        )
    )
    result = analyse(BUS, totals)
    assert "score interval" in result.method
    assert (round(result.ci_low, 2), round(result.ci_high, 2)) == (0.34, 0.35)
    assert any("assumes Poisson variation and is likely too narrow" in w for w in result.warnings)


def test_counts_steadier_than_chance_keep_the_poisson_width() -> None:
    # Every month the same: Pearson chi-square 0, dispersion 0. The interval is not narrowed
    # below Poisson: it is the Wald interval with SE sqrt(1/e1 + 1/e0), on t with 6 df.
    rows = AggregateData(
        tuple(A("pilot", period="before", events=100, exposure=1) for _ in range(4))
        + tuple(A("pilot", period="after", events=80, exposure=1) for _ in range(4))
    )
    result = analyse(HypothesisSpec("count", "before-after", 10, direction="decrease"), rows)
    assert result.se == pytest.approx(math.sqrt(1 / 400 + 1 / 320), rel=1e-12)
    assert result.df == 6
    assert any("kept at Poisson width, not narrowed" in w for w in result.warnings)


def test_overdispersed_unit_counts_match_r_on_generated_data() -> None:
    # R: glm(events ~ pilot + offset(log(exposure)), family = quasipoisson): dispersion
    # 4.001199589747303; exp(b) 1.346426736342666; exp(b +/- qt(0.975, 31) se)
    # 0.7729610846703432 to 2.345350875085159; Pr(>|t|) 0.2827621961772772.
    # MASS::glm.nb: theta 2.468102017059338; exp(b +/- qnorm(0.975) se) 0.7536249883759416 to
    # 2.137707318294535; Pr(>|z|) 0.3700015969315399.
    pilot = [7, 12, 1, 23, 20, 4, 3, 7, 15, 2, 2, 13, 1, 5, 7]
    comparator = [6, 1, 2, 2, 4, 4, 1, 3, 2, 17, 13, 1, 17, 3, 2, 4, 13, 2]
    exposure = [1.11, 1.58, 1.22, 1.42, 1.54, 0.86, 1.44, 0.87, 1.82, 0.62, 0.65, 1.97, 0.92]
    exposure += [1.47, 1.37, 1.66, 0.56, 1.26, 1.8, 0.75, 1.21, 0.5, 0.73, 0.56, 1.48, 1.99]
    exposure += [0.89, 1.79, 1.1, 1.77, 0.57, 0.7, 0.87]
    data = UnitData(
        arm=["pilot"] * 15 + ["comparator"] * 18,
        value=[float(v) for v in pilot + comparator],
        exposure=exposure,
    )
    result = analyse(HypothesisSpec("count", "two-group", 10), data)
    assert result.estimate == pytest.approx(1.346426736342666, rel=1e-10)
    assert result.ci_low == pytest.approx(0.7729610846703432, rel=1e-9)
    assert result.ci_high == pytest.approx(2.345350875085159, rel=1e-9)
    assert result.p_value == pytest.approx(0.2827621961772772, rel=1e-9)
    assert any("dispersion 4.00" in w for w in result.warnings)
    nb = result.sensitivity[-1]
    assert "theta 2.468 " in nb.note
    assert nb.ci_low == pytest.approx(0.7536249883759416, rel=1e-6)
    assert nb.ci_high == pytest.approx(2.137707318294535, rel=1e-6)
    assert nb.p_value == pytest.approx(0.3700015969315399, rel=1e-6)


# MHCLG-TL-008's boroughs (the demo's figures): families in B&B beyond six weeks, a year each.
BOROUGHS = {
    ("pilot", "Eastbridge"): (71, 20),
    ("pilot", "Hallfield"): (58, 28),
    ("pilot", "Millbank Green"): (47, 16),
    ("pilot", "Southmere"): (36, 17),
    ("comparator", "Ashcombe"): (102, 100),
    ("comparator", "Kingsreach"): (88, 55),
    ("comparator", "Northolt Vale"): (79, 72),
    ("comparator", "Riverside East"): (66, 42),
    ("comparator", "Westmarsh"): (55, 39),
}
TA = HypothesisSpec(
    "count",
    "did",
    25,
    direction="decrease",
    harm_margin=10,
    evidence_level=3,
    outcome_name="families in B&B for more than six weeks",
    pilot_label="pilot boroughs",
    comparator_label="comparison boroughs",
)


def _boroughs() -> UnitData:
    arm, value, period, cluster = [], [], [], []
    for (side, borough), counts in BOROUGHS.items():
        for when, events in zip(("before", "after"), counts, strict=True):
            arm.append(side)
            value.append(float(events))
            period.append(when)
            cluster.append(borough)
    return UnitData(arm, value, period=period, cluster=cluster, exposure=[1.0] * len(arm))


def test_borough_rows_give_a_cluster_robust_ratio_of_rate_ratios_as_r() -> None:
    # R: g <- glm(families ~ pilot * after, family = poisson)
    # v <- sandwich::vcovCL(g, cluster = ~borough, type = "HC1")
    # exp(b) 0.4837968635138446; se 0.1795244890201679; exp(b +/- qt(0.975, 8) se)
    # 0.3197952352335692 to 0.7319039790410991; 2 pt(-|b/se|, 8) 0.003712363251721188.
    result = analyse(TA, _boroughs())
    assert result.estimate == pytest.approx(0.4837968635138446, rel=1e-10)
    assert result.se == pytest.approx(0.1795244890201679, rel=1e-9)
    assert result.ci_low == pytest.approx(0.3197952352335692, rel=1e-9)
    assert result.ci_high == pytest.approx(0.7319039790410991, rel=1e-9)
    assert result.p_value == pytest.approx(0.003712363251721188, rel=1e-8)
    assert result.df == 8
    assert "cluster-robust (CR1) errors over 9 clusters" in result.clustering
    # Pooled, the same totals gave 0.36 to 0.65: the boroughs differ more than Poisson allows.
    assert (round(result.ci_low, 2), round(result.ci_high, 2)) == (0.32, 0.73)
    assert (result.verdict, result.grade) == (Verdict.SUCCESS, Grade.MEANINGFUL)
    few = [w for w in result.warnings if w.startswith("Only 9 clusters in all")]
    assert few and "4 pilot and 5 comparator" in few[0] and "Cameron and Miller 2015" in few[0]
    assert "can still be too narrow" in few[0]


def test_clusters_without_events_are_analysed_as_r_does() -> None:
    # Clusters 4 (pilot) and 11 (comparator) had no events in either period; cluster 3 none
    # after. R: glm(events ~ pilot * after + offset(log(exposure)), family = poisson) with
    # vcovCL(type = "HC1"): exp(b) 0.4938044561181053, se 0.5061988121639545,
    # exp(b +/- qt(0.975, 13) se) 0.16543254907248 to 1.473971369293622, p 0.1867030587678826.
    events = [1, 2, 2, 4, 2, 0, 0, 0, 1, 0, 2, 2, 2, 0, 2, 1, 3, 2, 5, 0, 0, 0, 19, 25, 1, 2, 3, 6]
    exposure = [1.78, 1.85, 1.83, 2.49, 2.76, 0.74, 0.82, 2.67, 2.08, 1.65, 1.3, 1.37, 0.89]
    exposure += [1.43, 1.8, 2.59, 1.71, 1.07, 2.8, 0.55, 1.74, 0.85, 2.39, 1.96, 1.42, 0.98]
    exposure += [2.62, 2.38]
    data = UnitData(
        arm=["pilot"] * 14 + ["comparator"] * 14,
        value=[float(e) for e in events],
        period=["before", "after"] * 14,
        cluster=[str(1 + i // 2) for i in range(28)],
        exposure=exposure,
    )
    result = analyse(HypothesisSpec("count", "did", 10, direction="decrease"), data)
    assert result.estimate == pytest.approx(0.4938044561181053, rel=1e-9)
    assert result.se == pytest.approx(0.5061988121639545, rel=1e-8)
    assert result.ci_low == pytest.approx(0.16543254907248, rel=1e-8)
    assert result.ci_high == pytest.approx(1.473971369293622, rel=1e-8)
    assert result.p_value == pytest.approx(0.1867030587678826, rel=1e-8)
    assert not any("clusters in all" in w for w in result.warnings)  # 14: not few


def test_a_clustered_count_did_from_pooled_rows_is_not_evaluated() -> None:
    spec = HypothesisSpec(**{**TA.to_json_dict(), "clustered_design": True})  # type: ignore[arg-type]
    pooled = AggregateData(
        (
            A("pilot", period="before", events=212, exposure=1),
            A("pilot", period="after", events=81, exposure=1),
            A("comparator", period="before", events=390, exposure=1),
            A("comparator", period="after", events=308, exposure=1),
        )
    )
    result = analyse(spec, pooled)
    assert result.verdict is Verdict.NOT_EVALUABLE
    assert "pooled over the clusters" in result.sentence
    assert "one row per cluster and period" in result.sentence
    # Unregistered as clustered, the same rows are analysed, with the Poisson caveat.
    plain = analyse(TA, pooled)
    assert plain.verdict is Verdict.SUCCESS
    assert any("assumes Poisson variation" in w for w in plain.warnings)
    # The borough rows of the same registration are analysed.
    assert analyse(spec, _boroughs()).verdict is Verdict.SUCCESS
