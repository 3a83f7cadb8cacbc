"""Every hypothesis of the ten demo pilots, analysed as a careful evaluator would read it.

Inputs are built from the demo pilots' figures. Where the demo gives no benefit threshold, the
one used here is stated beside it.
"""

from __future__ import annotations

import json

import pytest

from testlearn.domain.analysis import (
    AggregateData,
    AggregateRow,
    AnalysisResult,
    Grade,
    HypothesisSpec,
    Role,
    UnitData,
    Verdict,
)
from testlearn.stats import analyse, analyse_pilot

A = AggregateRow


CONTRACT_FIELDS = {
    "method",
    "estimand",
    "estimate",
    "ci_low",
    "ci_high",
    "ci_level",
    "p_value",
    "verdict",
    "grade",
    "mde_achieved",
    "sentence",
    "warnings",
}


def _check(result: AnalysisResult) -> None:
    out = json.loads(json.dumps(result.to_json_dict(), allow_nan=False))
    assert set(out) >= CONTRACT_FIELDS
    assert out["verdict"] in {v.value for v in Verdict}
    assert result.input_hash and result.engine_version


def _p1_data(clusters: int | None = 6) -> AggregateData:
    # Pilot 58.9% of 46,200 before, 63.4% of 48,100 after; comparison 59.6% of 51,300 before,
    # 61.0% of 52,700 after; 6 trusts per arm.
    def row(arm: str, period: str, share: float, n: int) -> AggregateRow:
        return A(arm, period=period, n=n, successes=round(share * n), clusters=clusters)

    return AggregateData(
        (
            row("pilot", "before", 0.589, 46200),
            row("pilot", "after", 0.634, 48100),
            row("comparator", "before", 0.596, 51300),
            row("comparator", "after", 0.610, 52700),
        )
    )


P1 = HypothesisSpec(
    "binary",
    "did",
    0.02,
    evidence_level=3,
    clustered_design=True,  # threshold: 2 points
    outcome_name="the share of pathways completed within 18 weeks",
    pilot_label="pilot trusts",
    comparator_label="comparison trusts",
)


def test_p1_did_warns_that_clustering_matters() -> None:
    result = analyse(P1, _p1_data())
    _check(result)
    assert result.estimate == pytest.approx(0.031, abs=5e-4)  # 4.5 - 1.4 points
    assert result.clustering == "none"
    assert any("Only 6 clusters" in w for w in result.warnings)
    assert any("does not account for clustering" in w for w in result.warnings)
    assert "clustering not allowed for" in result.sentence
    # With even a small trust-level ICC, the design effect (about 8,000 patients per trust)
    # swamps the apparent precision: the naive 'success' does not survive.
    clustered = analyse(
        HypothesisSpec(**{**P1.to_json_dict(), "icc": 0.01}),  # type: ignore[arg-type]
        _p1_data(),
    )
    assert "design effect" in clustered.clustering
    assert (clustered.ci_high - clustered.ci_low) > 5 * (result.ci_high - result.ci_low)
    assert clustered.verdict is not Verdict.SUCCESS
    assert any("Only 6 clusters" in w for w in clustered.warnings)


def test_p2_stepped_wedge_warns_about_clustering() -> None:
    spec = HypothesisSpec(
        "binary",
        "two-group",
        0.03,
        evidence_level=4,
        clustered_design=True,  # 3 points
        planned_clusters_per_arm=12,
        outcome_name="the share of minor applications decided within 8 weeks",
        pilot_label="intervention periods",
        comparator_label="control periods",
    )
    result = analyse(
        spec,
        AggregateData(
            (A("pilot", n=5840, successes=4561), A("comparator", n=6120, successes=4431))
        ),
    )
    _check(result)
    assert result.estimate == pytest.approx(4561 / 5840 - 4431 / 6120)
    assert result.verdict is Verdict.SUCCESS
    assert any("does not account for clustering" in w for w in result.warnings)


def test_p3_drones_primary_and_secondary() -> None:
    h1 = HypothesisSpec(
        "continuous",
        "two-group",
        2.0,
        direction="decrease",
        evidence_level=5,  # 2 minutes
        outcome_name="minutes to first visual on scene",
        outcome_unit="minutes",
        comparator_label="shifts without drones",
        label="H1",
    )
    h2 = HypothesisSpec(
        "binary",
        "two-group",
        0.05,
        role="secondary",
        evidence_level=5,  # 5 points
        outcome_name="calls resolved without officer attendance",
        comparator_label="shifts without drones",
        label="H2",
    )
    pilot = analyse_pilot(
        [
            (
                h1,
                AggregateData(
                    (
                        A("pilot", n=1214, mean=3.6, sd=2.4),
                        A("comparator", n=1187, mean=9.8, sd=6.1),
                    )
                ),
            ),
            (
                h2,
                AggregateData(
                    (A("pilot", n=1214, successes=328), A("comparator", n=1187, successes=285))
                ),
            ),
        ]
    )
    first, second = pilot.results
    assert pilot.primary is first
    assert (first.verdict, first.grade) == (Verdict.SUCCESS, Grade.MEANINGFUL)
    assert first.estimate == pytest.approx(-6.2)
    assert "led to a reduction of 6.20 minutes" in first.sentence
    assert first.p_adjusted is None
    # The secondary did not show that faster visuals freed officer time.
    assert second.role is Role.SECONDARY
    assert second.verdict in (Verdict.NON_INFERIOR, Verdict.INCONCLUSIVE)
    assert second.p_adjusted == pytest.approx(second.p_value)  # one secondary: Holm is p
    assert "was associated with" in second.sentence


def test_p4_cluster_rct_headline_is_the_cluster_adjusted_interval() -> None:
    spec = HypothesisSpec(
        "binary",
        "two-group",
        0.043,
        evidence_level=5,
        icc=0.05,
        clustered_design=True,
        planned_n_pilot=4400,
        planned_n_comparator=4400,
        planned_clusters_per_arm=150,
        baseline_value=0.684,
        allocation_ratio=1.0,
        outcome_name="the share of pupils reaching a good level of development",
        pilot_label="pilot schools",
        comparator_label="comparison schools",
    )
    data = AggregateData(
        (
            A("pilot", n=4410, successes=3043, clusters=150),
            A("comparator", n=4380, successes=2996, clusters=150),
        )
    )
    result = analyse(spec, data)
    _check(result)
    assert result.design_mde == pytest.approx(0.043, abs=0.0015)  # registered MDE ~4.3 points
    assert "design effect" in result.clustering
    assert result.estimate == pytest.approx(0.006, abs=5e-4)
    assert result.ci_low == pytest.approx(-0.024, abs=5e-4)
    assert result.ci_high == pytest.approx(0.036, abs=5e-4)
    assert result.verdict is Verdict.NO_MEANINGFUL_EFFECT
    assert result.tost_p is not None and result.tost_p < 0.05
    assert "(95% CI -2.4 to 3.6 points)" in result.sentence
    assert (
        "rules out a gain larger than 3.6 points, below the 4.3-point gain it was "
        "designed to detect" in result.sentence
    )
    assert not any("clustering" in w for w in result.warnings)


def test_p5_heat_pumps() -> None:
    h1 = HypothesisSpec(
        "continuous",
        "two-group",
        0.1,
        evidence_level=3,  # 0.1 SCOP
        outcome_name="mean in-situ SCOP",
        outcome_unit="SCOP",
        comparator_label="standard grant-scheme installs",
    )
    r1 = analyse(
        h1,
        AggregateData(
            (A("pilot", n=412, mean=3.21, sd=0.48), A("comparator", n=1030, mean=2.94, sd=0.55))
        ),
    )
    assert (r1.verdict, r1.grade) == (Verdict.SUCCESS, Grade.MEANINGFUL)
    assert "led to an increase of 0.270 SCOP" in r1.sentence
    # H2: 620 installs against a target of 1,000 (a count against a fixed benchmark).
    h2 = HypothesisSpec(
        "count",
        "benchmark",
        10,
        role="secondary",
        benchmark_value=1000,
        evidence_level=1,
        outcome_name="installs",
    )
    r2 = analyse(h2, AggregateData((A("pilot", events=620, exposure=1),)))
    assert (r2.verdict, r2.grade) == (Verdict.HARM, Grade.MEANINGFUL)
    assert r2.estimate == pytest.approx(0.62)


def test_p6_employment_support_is_an_informative_null() -> None:
    spec = HypothesisSpec(
        "binary",
        "two-group",
        0.05,
        evidence_level=5,  # 5 points
        outcome_name="sustained employment",
        comparator_label="usual Jobcentre support",
    )
    result = analyse(
        spec,
        AggregateData((A("pilot", n=2400, successes=514), A("comparator", n=2390, successes=473))),
    )
    assert result.verdict is Verdict.NO_MEANINGFUL_EFFECT
    assert result.tost_p is not None and result.tost_p < 0.01
    assert "rules out a gain larger than 3.9 points" in result.sentence


def test_p7_alcohol_tags_reduce_reoffending_by_an_uncertain_amount() -> None:
    spec = HypothesisSpec(
        "binary",
        "two-group",
        0.02,
        direction="decrease",
        evidence_level=3,  # 2 points
        outcome_name="proven domestic-abuse reoffending within 12 months",
        comparator_label="matched offenders",
    )
    result = analyse(
        spec,
        AggregateData((A("pilot", n=1046, successes=149), A("comparator", n=1046, successes=187))),
    )
    assert (result.verdict, result.grade) == (Verdict.SUCCESS, Grade.SIZE_UNCERTAIN)
    assert "led to a reduction of 3.6 percentage points" in result.sentence


def test_p8_temporary_accommodation_clustered_by_borough() -> None:
    # One row per borough and year (4 pilot, 5 comparison boroughs), totals 212 -> 81 and
    # 390 -> 308 as before; Poisson with errors clustered by borough (CR1, t on 8 df).
    spec = HypothesisSpec(
        "count",
        "did",
        10,
        direction="decrease",
        evidence_level=3,  # a 10% fall
        outcome_name="families in bed-and-breakfast for more than 6 weeks",
        comparator_label="comparison boroughs",
    )
    boroughs = {
        "pilot": ((71, 20), (58, 28), (47, 16), (36, 17)),
        "comparator": ((102, 100), (88, 55), (79, 72), (66, 42), (55, 39)),
    }
    arm, value, period, cluster = [], [], [], []
    for side, counts in boroughs.items():
        for i, pair in enumerate(counts):
            for when, events in zip(("before", "after"), pair, strict=True):
                arm.append(side)
                value.append(float(events))
                period.append(when)
                cluster.append(f"{side} {i}")
    result = analyse(spec, UnitData(arm, value, period=period, cluster=cluster))
    assert result.estimate == pytest.approx((81 / 212) / (308 / 390))
    assert "cluster-robust (CR1) errors over 9 clusters" in result.clustering
    assert (round(result.ci_low, 2), round(result.ci_high, 2)) == (0.32, 0.73)  # pooled 0.36-0.65
    assert (result.verdict, result.grade) == (Verdict.SUCCESS, Grade.MEANINGFUL)
    assert "a reduction of 51.6%" in result.sentence
    assert any(w.startswith("Only 9 clusters in all") for w in result.warnings)


def test_p9_rural_bus_costs_more_per_journey() -> None:
    # Subsidy per journey is the reciprocal of journeys per 1,000 GBP of subsidy, which is a
    # count (journeys) over an exposure (subsidy): 100,500 journeys for 412k before, 59,800 for
    # 706k after, one row a month. Benefit is more journeys per pound.
    spec = HypothesisSpec(
        "count",
        "before-after",
        10,
        evidence_level=1,
        outcome_name="passenger journeys per 1,000 GBP of subsidy",
    )
    before = [8150, 8620, 8480, 7930, 7120, 8890, 9160, 8710, 7560, 7790, 8240, 9850]
    after = [4210, 4480, 4950, 5120, 5060, 4390, 4620, 4870, 5400, 5610, 5480, 5610]
    data = AggregateData(
        tuple(
            A("pilot", period="before", events=e, exposure=34.7 if i == 11 else 34.3)
            for i, e in enumerate(before)
        )
        + tuple(
            A("pilot", period="after", events=e, exposure=59.2 if i == 11 else 58.8)
            for i, e in enumerate(after)
        )
    )
    result = analyse(spec, data)
    assert result.estimate == pytest.approx((59800 / 706) / (100500 / 412))
    assert 1 / result.estimate == pytest.approx((706 / 59.8) / (412 / 100.5))  # ~2.9x cost
    assert "quasi-Poisson" in result.method  # months vary far beyond Poisson (dispersion 55)
    assert (round(result.ci_low, 2), round(result.ci_high, 2)) == (0.32, 0.38)  # was 0.34-0.35
    assert (result.verdict, result.grade) == (Verdict.HARM, Grade.MEANINGFUL)
    assert "was associated with" in result.sentence
    assert any("SMS 1" in w for w in result.warnings)


def test_p10_solar_aggregation_is_associated_with_lower_cost() -> None:
    spec = HypothesisSpec(
        "continuous",
        "two-group",
        50,
        direction="decrease",
        evidence_level=2,  # 50 GBP/kWp
        outcome_name="installed cost",
        outcome_unit="GBP per kWp",
        comparator_label="historic individual procurements",
    )
    result = analyse(
        spec,
        AggregateData(
            (A("pilot", n=64, mean=1048, sd=142), A("comparator", n=41, mean=1312, sd=231))
        ),
    )
    assert (result.verdict, result.grade) == (Verdict.SUCCESS, Grade.MEANINGFUL)
    assert result.estimate == pytest.approx(-264)
    assert "was associated with a reduction of 264 GBP per kWp" in result.sentence
    assert "led to" not in result.sentence
    assert any("SMS 2" in w for w in result.warnings)
