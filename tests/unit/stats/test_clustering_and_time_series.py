"""Cluster-robust and time-series results against statsmodels run the careful way (CR1 with
t on G - 1 df, HAC with the small-sample correction and t), which the published checks in
test_reference_values.py tie to Petersen's and R's numbers."""

from __future__ import annotations

import numpy as np
import pytest
import statsmodels.api as sm

from testlearn.domain.analysis import (
    AggregateData,
    AggregateRow,
    HypothesisSpec,
    UnitData,
    Verdict,
)
from testlearn.stats import analyse
from testlearn.stats.newey_west import default_lag


def _clustered(seed: int, clusters: int = 30, size: int = 20) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    cluster = np.repeat(np.arange(2 * clusters), size)
    pilot = cluster < clusters
    after = np.tile(np.arange(size) % 2 == 1, 2 * clusters)
    effect = rng.normal(0, 1.0, 2 * clusters)[cluster]
    y = (
        10
        + 0.5 * pilot
        + 0.3 * after
        + 0.4 * (pilot & after)
        + effect
        + rng.normal(0, 2, cluster.size)
    )
    return {"cluster": cluster, "pilot": pilot, "after": after, "y": y}


def _unit_data(d: dict[str, np.ndarray], with_period: bool) -> UnitData:
    return UnitData(
        arm=np.where(d["pilot"], "pilot", "comparator"),  # type: ignore[arg-type]
        value=d["y"],  # type: ignore[arg-type]
        period=np.where(d["after"], "after", "before") if with_period else None,  # type: ignore[arg-type]
        cluster=d["cluster"].astype(str),  # type: ignore[arg-type]
    )


def test_two_group_cluster_robust_matches_statsmodels_cr1() -> None:
    d = _clustered(3)
    result = analyse(
        HypothesisSpec("continuous", "two-group", 1.0), _unit_data(d, False), sensitivity=False
    )
    x = sm.add_constant(d["pilot"].astype(float))
    ref = sm.OLS(d["y"], x).fit(cov_type="cluster", cov_kwds={"groups": d["cluster"]}, use_t=True)
    assert result.estimate == pytest.approx(ref.params[1], rel=1e-10)
    assert result.se == pytest.approx(ref.bse[1], rel=1e-10)
    assert result.df == 59
    assert result.p_value == pytest.approx(ref.pvalues[1], rel=1e-8)
    low, high = ref.conf_int()[1]
    assert (result.ci_low, result.ci_high) == pytest.approx((low, high), rel=1e-10)
    assert "cluster-robust" in result.clustering
    assert not any("clustering" in w for w in result.warnings)


def test_did_cluster_robust_matches_statsmodels_interaction() -> None:
    d = _clustered(4)
    result = analyse(
        HypothesisSpec("continuous", "did", 1.0), _unit_data(d, True), sensitivity=False
    )
    p, a = d["pilot"].astype(float), d["after"].astype(float)
    x = np.column_stack([np.ones_like(p), p, a, p * a])
    ref = sm.OLS(d["y"], x).fit(cov_type="cluster", cov_kwds={"groups": d["cluster"]}, use_t=True)
    assert result.estimate == pytest.approx(ref.params[3], rel=1e-10)
    assert result.se == pytest.approx(ref.bse[3], rel=1e-10)
    assert result.p_value == pytest.approx(ref.pvalues[3], rel=1e-8)


def test_clustered_counts_use_poisson_with_cluster_robust_errors() -> None:
    rng = np.random.default_rng(5)
    cluster = np.repeat(np.arange(40), 25)
    pilot = cluster < 20
    exposure = rng.uniform(0.5, 2.0, cluster.size)
    rate = np.exp(0.2 + 0.3 * pilot + rng.normal(0, 0.3, 40)[cluster])
    y = rng.poisson(rate * exposure).astype(float)
    data = UnitData(
        np.where(pilot, "pilot", "comparator"),
        y,
        cluster=cluster.astype(str),  # type: ignore[arg-type]
        exposure=exposure,
    )  # type: ignore[arg-type]
    result = analyse(HypothesisSpec("count", "two-group", 10), data, sensitivity=False)
    x = sm.add_constant(pilot.astype(float))
    ref = sm.GLM(y, x, family=sm.families.Poisson(), offset=np.log(exposure)).fit(
        cov_type="cluster", cov_kwds={"groups": cluster}, use_t=True
    )
    assert np.log(result.estimate) == pytest.approx(ref.params[1], rel=1e-9)
    # statsmodels applies the same G/(G-1) (N-1)/(N-K) factor to GLMs.
    assert result.se == pytest.approx(ref.bse[1], rel=1e-8)
    assert result.df == 39


def test_aggregates_with_icc_use_the_design_effect() -> None:
    spec = HypothesisSpec("continuous", "two-group", 1.0, icc=0.1)
    rows = (
        AggregateRow("pilot", n=600, mean=5.0, sd=2.0, clusters=30),
        AggregateRow("comparator", n=600, mean=4.8, sd=2.0, clusters=30),
    )
    clustered = analyse(spec, AggregateData(rows))
    plain = analyse(HypothesisSpec("continuous", "two-group", 1.0), AggregateData(rows))
    deff = 1 + (20 - 1) * 0.1
    assert clustered.se == pytest.approx(plain.se * np.sqrt(deff), rel=1e-12)
    assert clustered.arms[0].n_effective == pytest.approx(600 / deff)
    assert any("does not account" in w for w in plain.warnings)  # clusters given, no ICC


def _series(seed: int, before: int = 24, after: int = 24) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    t = np.arange(1, before + after + 1, dtype=float)
    post = t > before
    noise = np.zeros(t.size)
    for i in range(1, t.size):  # AR(1) errors, the case Newey-West is for
        noise[i] = 0.5 * noise[i - 1] + rng.normal(0, 1)
    y = 50 + 0.2 * t + 3 * post + 0.1 * np.where(post, t - before, 0) + noise
    return t, y


def test_its_matches_statsmodels_hac_with_correction_and_t() -> None:
    t, y = _series(6)
    before = 24
    rows = tuple(
        AggregateRow(
            "pilot", time=ti, mean=yi, n=1, sd=0.0, period="after" if ti > before else "before"
        )
        for ti, yi in zip(t, y, strict=True)
    )
    result = analyse(HypothesisSpec("continuous", "its", 1.0), AggregateData(rows))
    post = (t > before).astype(float)
    x = np.column_stack([np.ones_like(t), t, post, np.where(post == 1, t - before, 0)])
    lag = default_lag(t.size)
    ref = sm.OLS(y, x).fit(
        cov_type="HAC", cov_kwds={"maxlags": lag, "use_correction": True}, use_t=True
    )
    assert result.estimate == pytest.approx(ref.params[2], rel=1e-10)
    assert result.se == pytest.approx(ref.bse[2], rel=1e-8)
    assert result.df == t.size - 4
    assert result.p_value == pytest.approx(ref.pvalues[2], rel=1e-6)
    slope = result.slope_change
    assert slope is not None and slope.estimate == pytest.approx(ref.params[3], rel=1e-10)
    assert f"lag {lag}" in result.method


def test_its_from_unit_rows_equals_its_from_the_series() -> None:
    t, y = _series(7, 12, 12)
    times = np.repeat(t, 5)
    values = np.repeat(y, 5) + np.tile([-2.0, -1.0, 0.0, 1.0, 2.0], t.size)  # means are y
    spec = HypothesisSpec("continuous", "its", 1.0, its_interruption=13)
    units = analyse(
        spec,
        UnitData(("pilot",) * times.size, values, time=times),  # type: ignore[arg-type]
        sensitivity=False,
    )
    series = analyse(
        spec,
        AggregateData(
            tuple(
                AggregateRow("pilot", time=ti, mean=yi, n=5, sd=1.0)
                for ti, yi in zip(t, y, strict=True)
            )
        ),
        sensitivity=False,
    )
    assert units.estimate == pytest.approx(series.estimate, rel=1e-10)
    assert units.se == pytest.approx(series.se, rel=1e-8)
    assert not any("Wagner" in w for w in units.warnings)  # 12 points each side suffice


def test_its_count_series_uses_poisson_with_an_offset() -> None:
    rng = np.random.default_rng(9)
    t = np.arange(1.0, 41.0)
    post = t > 20
    exposure = rng.uniform(900, 1100, t.size)
    events = rng.poisson(exposure * 0.02 * np.exp(-0.3 * post)).astype(float)
    rows = tuple(
        AggregateRow("pilot", time=ti, events=e, exposure=x, period="after" if p else "before")
        for ti, e, x, p in zip(t, events, exposure, post, strict=True)
    )
    result = analyse(HypothesisSpec("count", "its", 10, direction="decrease"), AggregateData(rows))
    x = np.column_stack([np.ones_like(t), t, post.astype(float), np.where(post, t - 20, 0)])
    ref = sm.GLM(events, x, family=sm.families.Poisson(), offset=np.log(exposure)).fit()
    assert np.log(result.estimate) == pytest.approx(ref.params[2], rel=1e-8)
    assert result.verdict is not Verdict.NOT_EVALUABLE


def test_its_needs_three_points_each_side() -> None:
    rows = tuple(
        AggregateRow(
            "pilot", time=float(i), mean=float(i % 3), period="after" if i > 4 else "before"
        )
        for i in range(1, 7)
    )
    result = analyse(HypothesisSpec("continuous", "its", 1.0), AggregateData(rows))
    assert result.verdict is Verdict.NOT_EVALUABLE
    assert "at least 3 points" in (result.not_evaluable_reason or "")
