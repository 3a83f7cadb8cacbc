"""The stepped wedge analysed as it was run: period and cluster adjusted (Hussey and Hughes 2007).

Reference values were computed with R 4.2.2 (sandwich 3.0, lme4 1.1) on the generated roll-out in
CELLS (8 authorities, 5 two-month periods, two authorities switching on at each of periods 2-5,
authority a7's first period missing). Unit rows are rebuilt from each cell exactly as `_units`
does. R is not needed to run these tests. The R code, with `cells` read from CELLS as a data frame
(cluster, period, arm, n, successes, base, events; treat = arm == "pilot"):

    u <- do.call(rbind, lapply(seq_len(nrow(cells)), function(i) {
      c <- cells[i, ]; j <- 0:(c$n - 1)
      data.frame(cluster = c$cluster, period = c$period, treat = c$treat,
                 y = as.numeric(j < c$successes), cont = c$base + ((j * 37) %% 11 - 5) * 0.4,
                 cnt = (c$events + j) %/% c$n)}))
    f <- lm(y ~ treat + factor(period) + factor(cluster), data = u)        # and cont
    V <- vcovCL(f, cluster = ~cluster, type = "HC1")                       # CR1
    # interval: coef +/- qt(0.975, 7) * sqrt(V["treat", "treat"]); p on t(7)
    f0 <- lm(y ~ treat, data = u); vcovCL(f0, cluster = ~cluster, type = "HC1")
    g <- glm(cnt ~ treat + factor(period) + factor(cluster), family = poisson, data = u,
             control = glm.control(epsilon = 1e-14, maxit = 100)); vcovCL(g, ~cluster, "HC1")
    gc <- glm(events ~ treat + factor(period) + factor(cluster) + offset(log(n)),
              family = poisson, data = cells, control = glm.control(epsilon = 1e-14))
    cm <- aggregate(cbind(y, cont) ~ cluster + period + treat, data = u, FUN = mean)  # + n
    m <- lmer(y ~ treat + factor(period) + (1 | cluster), weights = n, data = cm, REML = TRUE)
    # interval: fixef +/- qnorm(0.975) * sqrt(vcov(m)["treat", "treat"])

Output (est, se, lower, upper, p):

    y FE          0.0698834337770528 0.0451161413810414 -0.0367992882708465 0.176566155824952
                  p = 0.165319567065188
    y unadjusted  0.156577055100091  0.0324481343801818  0.079849409625772  0.233304700574411
                  p = 0.0019094247735499
    cont FE       1.22628982916078   0.00957013395729521 1.20366005831437   1.24891960000719
                  p = 4.65022024239204e-13
    cont unadj.   2.42332909944052   0.0811701475887153
    cnt FE (log)  0.240269505952231  0.139491608283181   (t on 7 df; p = 0.128658678943421
                  at R's default tolerance, whose se 0.139493539679609 is 1e-5 looser)
    cnt unadj.    0.32342964386164   0.0602564085309401
    cnt FE, cells (N = 39 cells in the CR1 factor): 0.240269505952232 0.168056289846394
    y HH          0.0962878474855126 0.0349723483234499  0.027743304316761  0.164832390654264
                  p = 0.0059005635039503 (singular fit: between-cluster SD 0, sigma 0.5357475903)
    cont HH       1.22670086851125   0.0127860135064952  1.20164074253267   1.25176099448982
                  between-cluster SD 0.2833165169, sigma 0.1434399146

The mixed model is iterative (REML), so it is held to rel 1e-6; the closed forms to 1e-9.
"""

from __future__ import annotations

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
from testlearn.stats.stepped_wedge import UNADJUSTED_WARNING

# cluster, period, arm (p = switched on, c = not yet), n, successes, continuous base, events
CELLS = (
    ("a1", 1, "c", 48, 26, 10.6, 15),
    ("a1", 2, "p", 56, 28, 12.4, 34),
    ("a1", 3, "p", 53, 34, 13.0, 25),
    ("a1", 4, "p", 35, 22, 13.6, 24),
    ("a1", 5, "p", 36, 26, 14.2, 16),
    ("a2", 1, "c", 59, 22, 10.71, 23),
    ("a2", 2, "p", 53, 30, 12.51, 28),
    ("a2", 3, "p", 57, 38, 13.11, 35),
    ("a2", 4, "p", 50, 41, 13.71, 35),
    ("a2", 5, "p", 37, 27, 14.31, 29),
    ("a3", 1, "c", 49, 23, 10.11, 11),
    ("a3", 2, "c", 47, 21, 10.71, 24),
    ("a3", 3, "p", 47, 31, 12.51, 23),
    ("a3", 4, "p", 45, 29, 13.11, 30),
    ("a3", 5, "p", 45, 27, 13.71, 27),
    ("a4", 1, "c", 59, 23, 10.41, 21),
    ("a4", 2, "c", 26, 9, 11.01, 19),
    ("a4", 3, "p", 39, 22, 12.81, 18),
    ("a4", 4, "p", 28, 20, 13.41, 22),
    ("a4", 5, "p", 48, 35, 14.01, 29),
    ("a5", 1, "c", 58, 28, 10.55, 20),
    ("a5", 2, "c", 47, 26, 11.15, 19),
    ("a5", 3, "c", 41, 20, 11.75, 16),
    ("a5", 4, "p", 36, 20, 13.55, 18),
    ("a5", 5, "p", 34, 24, 14.15, 21),
    ("a6", 1, "c", 48, 28, 10.88, 27),
    ("a6", 2, "c", 45, 22, 11.48, 13),
    ("a6", 3, "c", 51, 26, 12.08, 27),
    ("a6", 4, "p", 28, 21, 13.88, 13),
    ("a6", 5, "p", 50, 38, 14.48, 29),
    ("a7", 2, "c", 59, 25, 10.86, 34),
    ("a7", 3, "c", 36, 24, 11.46, 15),
    ("a7", 4, "c", 56, 27, 12.06, 25),
    ("a7", 5, "p", 56, 31, 13.86, 31),
    ("a8", 1, "c", 33, 14, 10.09, 20),
    ("a8", 2, "c", 40, 21, 10.69, 17),
    ("a8", 3, "c", 29, 19, 11.29, 10),
    ("a8", 4, "c", 47, 27, 11.89, 10),
    ("a8", 5, "p", 35, 18, 13.69, 13),
)
Cell = tuple[str, int, str, int, int, float, int]
ARM = {"p": "pilot", "c": "comparator"}


def _spec(outcome: str = "binary", threshold: float = 0.05, **extra: object) -> HypothesisSpec:
    return HypothesisSpec(outcome, "stepped-wedge", threshold, **extra)  # type: ignore[arg-type]


def _units(outcome: str, cells: tuple[Cell, ...] = CELLS) -> UnitData:
    arm, value, period, cluster = [], [], [], []
    for name, step, side, n, successes, base, events in cells:
        for j in range(n):
            arm.append(ARM[side])
            period.append(str(step))
            cluster.append(name)
            if outcome == "binary":
                value.append(1.0 if j < successes else 0.0)
            elif outcome == "continuous":
                value.append(base + ((j * 37) % 11 - 5) * 0.4)
            else:
                value.append(float((events + j) // n))  # sums to the cell's events
    return UnitData(arm=arm, value=value, period=period, cluster=cluster)


def _aggregates(
    outcome: str, cells: tuple[Cell, ...] = CELLS, *, with_n: bool = True
) -> AggregateData:
    rows = []
    for name, step, side, n, successes, base, events in cells:
        common = {"arm": ARM[side], "period": str(step), "cluster": name}
        if outcome == "binary":
            rows.append(AggregateRow(n=n, successes=successes, **common))  # type: ignore[arg-type]
        elif outcome == "continuous":
            values = [base + ((j * 37) % 11 - 5) * 0.4 for j in range(n)]
            mean = sum(values) / n
            sd = math.sqrt(sum((v - mean) ** 2 for v in values) / (n - 1))
            rows.append(AggregateRow(n=n, mean=mean, sd=sd, **common))  # type: ignore[arg-type]
        else:
            rows.append(
                AggregateRow(n=n if with_n else None, events=events, exposure=n, **common)  # type: ignore[arg-type]
            )
    return AggregateData(tuple(rows))


def _sensitivity(result: AnalysisResult, starts: str) -> tuple[float | None, float | None]:
    (found,) = [s for s in result.sensitivity if s.method.startswith(starts)]
    return found.ci_low, found.ci_high


@pytest.mark.parametrize("shape", ["units", "aggregates"])
def test_binary_fixed_effects_matches_r_lm_with_cr1(shape: str) -> None:
    data = _units("binary") if shape == "units" else _aggregates("binary")
    result = analyse(_spec(), data)
    assert result.estimate == pytest.approx(0.0698834337770528, rel=1e-9)
    assert result.se == pytest.approx(0.0451161413810414, rel=1e-9)
    assert result.df == 7
    assert result.ci_low == pytest.approx(-0.0367992882708465, rel=1e-9)
    assert result.ci_high == pytest.approx(0.176566155824952, rel=1e-9)
    assert result.p_value == pytest.approx(0.165319567065188, rel=1e-9)
    assert "period and cluster fixed effects" in result.method
    assert result.clustering.startswith("cluster-robust (CR1) errors over 8 clusters")
    # The trend-free check: the plain after-against-before comparison, R lm(y ~ treat) + CR1.
    low, high = _sensitivity(result, "switched on against not yet")
    assert low == pytest.approx(0.079849409625772, rel=1e-9)
    assert high == pytest.approx(0.233304700574411, rel=1e-9)
    # Hussey and Hughes's mixed model, R lmer(..., weights = n) (a singular fit).
    low, high = _sensitivity(result, "linear mixed model")
    assert low == pytest.approx(0.027743304316761, rel=1e-6)
    assert high == pytest.approx(0.164832390654264, rel=1e-6)


@pytest.mark.parametrize("shape", ["units", "aggregates"])
def test_continuous_matches_r_lm_and_lmer(shape: str) -> None:
    data = _units("continuous") if shape == "units" else _aggregates("continuous")
    result = analyse(_spec("continuous", 5.0), data)
    assert result.estimate == pytest.approx(1.22628982916078, rel=1e-9)
    assert result.se == pytest.approx(0.00957013395729521, rel=1e-9)
    assert result.ci_low == pytest.approx(1.20366005831437, rel=1e-9)
    assert result.p_value == pytest.approx(4.65022024239204e-13, rel=1e-6)
    low, high = _sensitivity(result, "switched on against not yet")
    assert (low + high) / 2 == pytest.approx(2.42332909944052, rel=1e-9)  # type: ignore[operator]
    low, high = _sensitivity(result, "linear mixed model")
    assert low == pytest.approx(1.20164074253267, rel=1e-6)
    assert high == pytest.approx(1.25176099448982, rel=1e-6)
    (mixed,) = [s for s in result.sensitivity if s.method.startswith("linear mixed")]
    assert "between-cluster SD 0.2833" in mixed.note


@pytest.mark.parametrize("shape", ["units", "aggregates"])
def test_counts_poisson_with_period_and_cluster_effects_matches_r_glm(shape: str) -> None:
    data = _units("count") if shape == "units" else _aggregates("count")
    result = analyse(_spec("count", 10.0), data)
    assert math.log(result.estimate or 0) == pytest.approx(0.240269505952231, rel=1e-9)
    assert result.se == pytest.approx(0.139491608283181, rel=1e-7)
    assert result.estimand.startswith("rate ratio, switched on over not yet switched on")
    low, high = _sensitivity(result, "switched on against not yet")
    assert math.log(low * high) / 2 == pytest.approx(0.32342964386164, rel=1e-7)  # type: ignore[operator]


def test_count_cells_without_n_use_the_cells_in_the_small_sample_factor() -> None:
    # R glm on the 39 cells with offset(log(n)): vcovCL HC1 then counts cells, not units.
    result = analyse(_spec("count", 10.0), _aggregates("count", with_n=False))
    assert math.log(result.estimate or 0) == pytest.approx(0.240269505952232, rel=1e-9)
    assert result.se == pytest.approx(0.168056289846394, rel=1e-7)


def test_unit_rows_and_aggregates_give_the_same_result() -> None:
    for outcome, threshold in (("binary", 0.05), ("continuous", 5.0), ("count", 10.0)):
        a = analyse(_spec(outcome, threshold), _units(outcome))
        b = analyse(_spec(outcome, threshold), _aggregates(outcome))
        assert (a.verdict, a.sentence, a.arms) == (b.verdict, b.sentence, b.arms)
        assert a.estimate == pytest.approx(b.estimate, rel=1e-12)
        assert a.se == pytest.approx(b.se, rel=1e-12)
        assert [s.note for s in a.sensitivity] == [s.note for s in b.sensitivity]


def _trend_cells(effect: float) -> tuple[Cell, ...]:
    """12 authorities, 5 periods, three switching on at each of periods 2-5; the share rises
    5 points a period whatever the pilot does, 1,000 applications a cell, give or take up to
    two points of cell-to-cell noise."""
    cells = []
    for a in range(12):
        wave, level = 2 + a // 3, 0.01 * (a % 4)
        for step in range(1, 6):
            on = step >= wave
            noise = 0.01 * ((a * 7 + step * 3) % 5 - 2)
            share = 0.40 + level + 0.05 * step + noise + (effect if on else 0.0)
            cells.append((f"la{a}", step, "p" if on else "c", 1000, round(1000 * share), 0.0, 0))
    return tuple(cells)


def test_a_strong_secular_trend_biases_the_unadjusted_comparison_but_not_the_adjusted() -> None:
    result = analyse(
        _spec(threshold=0.03, harm_margin=0.02), _aggregates("binary", _trend_cells(0.0))
    )
    assert result.estimate is not None and abs(result.estimate) < 0.01
    assert result.ci_low is not None and result.ci_high is not None
    assert result.ci_low < 0 < result.ci_high
    assert result.verdict is Verdict.NO_MEANINGFUL_EFFECT
    low, high = _sensitivity(result, "switched on against not yet")
    # The trend passes for an effect of about 10 points, its interval far from no effect.
    assert low is not None and high is not None and low > 0.05 and (low + high) / 2 > 0.09
    (check,) = [s for s in result.sensitivity if s.method.startswith("switched on against")]
    assert check.note == (
        "estimate +9.7 points without adjustment for calendar time, against +0.0 points with "
        "it (the headline)"
    )
    with_effect = analyse(_spec(threshold=0.03), _aggregates("binary", _trend_cells(0.04)))
    assert with_effect.estimate == pytest.approx(0.04, abs=0.01)


def test_fewer_than_six_clusters_draw_a_warning() -> None:
    few = tuple(c for c in CELLS if c[0] in ("a1", "a3", "a5", "a7", "a8"))
    result = analyse(_spec(), _aggregates("binary", few))
    assert any("Only 5 clusters in the stepped wedge (fewer than 6)" in w for w in result.warnings)
    assert result.df == 4
    full = analyse(_spec(), _aggregates("binary"))
    assert not any("fewer than 6" in w for w in full.warnings)


def test_missing_cluster_periods_are_said_and_the_rest_analysed() -> None:
    result = analyse(_spec(), _aggregates("binary"))
    assert any(w.startswith("1 of the 40 cluster-periods") for w in result.warnings)
    thinner = tuple(c for c in CELLS if not (c[0] == "a2" and c[1] in (3, 4)))
    again = analyse(_spec(), _units("binary", thinner))
    assert any(w.startswith("3 of the 40 cluster-periods") for w in again.warnings)
    assert again.verdict is not Verdict.NOT_EVALUABLE


def test_a_roll_out_that_is_not_staggered_is_not_evaluable() -> None:
    # Every authority switches on at period 3: switching on is the calendar.
    together = tuple(
        (name, step, "p" if step >= 3 else "c", n, s, b, e) for name, step, _, n, s, b, e in CELLS
    )
    result = analyse(_spec(), _aggregates("binary", together))
    assert result.verdict is Verdict.NOT_EVALUABLE
    assert "cannot be told apart from the calendar periods" in (result.not_evaluable_reason or "")


def test_rows_without_cluster_or_period_are_not_evaluable_and_duplicates_are_refused() -> None:
    rows = _aggregates("binary").rows
    no_cluster = AggregateData(
        tuple(AggregateRow(r.arm, n=r.n, successes=r.successes, period=r.period) for r in rows)
    )
    result = analyse(_spec(), no_cluster)
    assert "aggregate row 1 has no cluster" in (result.not_evaluable_reason or "")
    units = _units("binary")
    no_period = UnitData(arm=units.arm, value=units.value, cluster=units.cluster)
    assert "needs the period column" in (analyse(_spec(), no_period).not_evaluable_reason or "")
    with pytest.raises(InvalidValue, match="Aggregate rows 1 and 40 are both cluster 'a1'"):
        analyse(_spec(), AggregateData((*rows, rows[0])))


def test_a_stepped_wedge_pilot_analysed_without_period_adjustment_says_so() -> None:
    two_group = AggregateData(
        (
            AggregateRow("pilot", n=5840, successes=4561),
            AggregateRow("comparator", n=6120, successes=4431),
        )
    )
    spec = HypothesisSpec(
        "binary", "two-group", 0.03, evidence_level=4, evaluation_design="stepped_wedge"
    )
    result = analyse(spec, two_group)
    assert UNADJUSTED_WARNING in result.warnings
    assert "led to" not in result.sentence and "was associated with" in result.sentence
    adjusted = analyse(
        _spec(evidence_level=4, evaluation_design="stepped_wedge"), _aggregates("binary")
    )
    assert UNADJUSTED_WARNING not in adjusted.warnings
    plain = analyse(HypothesisSpec("binary", "two-group", 0.03, evidence_level=4), two_group)
    assert UNADJUSTED_WARNING not in plain.warnings and "led to" in plain.sentence
