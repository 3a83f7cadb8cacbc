"""Power at registration, the achieved MDE, inconclusive causes, Holm across secondaries,
seeded resampling with progress and cancel, and speed on a million rows."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from testlearn.domain.analysis import (
    AggregateData,
    AggregateRow,
    AnalysisResult,
    HypothesisSpec,
    InconclusiveCause,
    SensitivityResult,
    UnitData,
    Verdict,
)
from testlearn.stats import (
    AnalysisCancelled,
    analyse,
    analyse_pilot,
    design_mde,
    holm,
    planned_design_effect,
    required_n,
)

Z_SUM = stats.norm.ppf(0.975) + stats.norm.ppf(0.8)


def test_design_mde_of_means_is_the_textbook_formula() -> None:
    spec = HypothesisSpec(
        "continuous",
        "two-group",
        0.5,
        assumed_sd=1.0,
        planned_n_pilot=100,
        planned_n_comparator=100,
    )
    assert design_mde(spec) == pytest.approx(Z_SUM * np.sqrt(2 / 100))
    # Clustering: 10 clusters of 10 per arm with ICC 0.05 inflate the variance by 1.45.
    clustered = HypothesisSpec(
        **{
            **spec.to_json_dict(),
            "icc": 0.05,  # type: ignore[arg-type]
            "planned_clusters_per_arm": 10,
        }
    )
    assert planned_design_effect(clustered) == pytest.approx(1.45)
    assert design_mde(clustered) == pytest.approx(Z_SUM * np.sqrt(2 / 100 * 1.45))


def test_required_n_matches_statsmodels_normal_power() -> None:
    from statsmodels.stats.power import NormalIndPower

    spec = HypothesisSpec("continuous", "two-group", 0.5, assumed_sd=1.0)
    size = required_n(spec)
    assert size is not None
    expected = NormalIndPower().solve_power(effect_size=0.5, alpha=0.05, power=0.8, ratio=1.0)
    assert size.n_comparator == int(np.ceil(expected)) == size.n_pilot
    # 2:1 allocation
    uneven = required_n(
        HypothesisSpec("continuous", "two-group", 0.5, assumed_sd=1.0, allocation_ratio=2.0)
    )
    expected2 = NormalIndPower().solve_power(effect_size=0.5, alpha=0.05, power=0.8, ratio=0.5)
    assert uneven is not None and uneven.n_pilot == int(np.ceil(expected2))


@pytest.mark.parametrize(
    "spec",
    [
        HypothesisSpec("binary", "two-group", 0.05, baseline_value=0.3),
        HypothesisSpec("binary", "did", 0.05, baseline_value=0.3, direction="decrease"),
        HypothesisSpec("count", "two-group", 15, baseline_value=0.2),
        HypothesisSpec("count", "benchmark", 15, benchmark_value=0.2, direction="decrease"),
        HypothesisSpec("continuous", "paired", 0.3, assumed_sd=1.2),
    ],
)
def test_required_n_reaches_the_threshold(spec: HypothesisSpec) -> None:
    size = required_n(spec)
    assert size is not None
    at = HypothesisSpec(
        **{
            **spec.to_json_dict(),
            "planned_n_pilot": size.n_pilot,  # type: ignore[arg-type]
            "planned_n_comparator": size.n_comparator,
        }
    )
    below = HypothesisSpec(
        **{
            **spec.to_json_dict(),
            "planned_n_pilot": size.n_pilot - 2,  # type: ignore[arg-type]
            "planned_n_comparator": (size.n_comparator or 3) - 2,
        }
    )
    assert design_mde(at) <= spec.benefit_threshold + 1e-12  # type: ignore[operator]
    assert design_mde(below) > spec.benefit_threshold  # type: ignore[operator]


def test_design_mde_is_none_without_the_registration_inputs() -> None:
    assert (
        design_mde(
            HypothesisSpec(
                "continuous", "two-group", 1.0, planned_n_pilot=50, planned_n_comparator=50
            )
        )
        is None
    )
    assert (
        design_mde(HypothesisSpec("continuous", "its", 1.0, assumed_sd=1.0, planned_n_pilot=50))
        is None
    )


def test_achieved_mde_of_a_t_method_is_the_t_sum_times_se() -> None:
    # A t method's achieved MDE uses t quantiles at its df (docs/methods.md, amending the
    # contract's z formula for t methods). R 4.2.2:
    #   v1 <- 9/80; v2 <- 3.5^2/90; se <- sqrt(v1 + v2)
    #   df <- (v1 + v2)^2 / (v1^2/79 + v2^2/89)            # 167.788410935132
    #   (qt(0.975, df) + qt(0.8, df)) * se                  # 1.40506667971218
    data = AggregateData(
        (
            AggregateRow("pilot", n=80, mean=10.0, sd=3.0),
            AggregateRow("comparator", n=90, mean=9.5, sd=3.5),
        )
    )
    result = analyse(HypothesisSpec("continuous", "two-group", 1.0), data)
    assert result.df == pytest.approx(167.788410935132, rel=1e-9)
    assert result.mde_achieved == pytest.approx(1.40506667971218, rel=1e-9)
    assert result.mde_achieved > Z_SUM * result.se


def _inconclusive(**plan: object) -> tuple[InconclusiveCause | None, str]:
    spec = HypothesisSpec("continuous", "two-group", 1.0, harm_margin=0.5, assumed_sd=4.0, **plan)  # type: ignore[arg-type]
    data = AggregateData(
        (
            AggregateRow("pilot", n=60, mean=10.0, sd=4.0),
            AggregateRow("comparator", n=60, mean=10.2, sd=4.0),
        )
    )
    result = analyse(spec, data)
    assert result.verdict is Verdict.INCONCLUSIVE
    assert result.mde_achieved is not None and result.mde_achieved > 1.0
    return result.inconclusive_cause, result.sentence


def test_inconclusive_says_whether_by_design_or_by_shortfall() -> None:
    cause, sentence = _inconclusive(planned_n_pilot=60, planned_n_comparator=60)
    assert cause is InconclusiveCause.BY_DESIGN and "too small by design" in sentence
    cause, sentence = _inconclusive(planned_n_pilot=800, planned_n_comparator=800)
    assert cause is InconclusiveCause.BY_SHORTFALL and "60 of 800 planned" in sentence
    cause, _ = _inconclusive(planned_n_pilot=100, planned_n_comparator=100)
    assert cause is InconclusiveCause.BY_DESIGN_AND_SHORTFALL
    cause, _ = _inconclusive()
    assert cause is InconclusiveCause.UNKNOWN


def test_holm_across_secondaries_only() -> None:
    def data(pilot: int) -> AggregateData:
        return AggregateData(
            (
                AggregateRow("pilot", n=500, successes=pilot),
                AggregateRow("comparator", n=500, successes=100),
            )
        )

    primary = HypothesisSpec("binary", "two-group", 0.05)
    secondary = HypothesisSpec("binary", "two-group", 0.05, role="secondary")
    exploratory = HypothesisSpec("binary", "two-group", 0.05, role="exploratory")
    pilot = analyse_pilot(
        [
            (primary, data(130)),
            (secondary, data(127)),
            (secondary, data(129)),
            (secondary, data(160)),
            (exploratory, data(125)),
        ]
    )
    first, *secondaries, last = pilot.results
    assert first.p_adjusted is None and last.p_adjusted is None
    raw = [r.p_value for r in secondaries]
    assert [r.p_adjusted for r in secondaries] == pytest.approx(holm(raw))  # type: ignore[arg-type]
    for r in secondaries:
        lost = r.p_value < 0.05 <= r.p_adjusted  # type: ignore[operator]
        assert lost == any("Holm" in w for w in r.warnings)
    assert any(r.p_value < 0.05 <= r.p_adjusted for r in secondaries)  # type: ignore[operator]
    assert any("Exploratory" in w for w in last.warnings)


def _continuous_units(n: int, seed: int = 1) -> UnitData:
    rng = np.random.default_rng(seed)
    arm = np.where(np.arange(n) % 2 == 0, "pilot", "comparator")
    value = rng.normal(10, 3, n) + (arm == "pilot") * 0.5
    return UnitData(arm=arm, value=value)  # type: ignore[arg-type]


def test_bootstrap_is_reproducible_from_its_seed_and_reports_progress() -> None:
    data = _continuous_units(200)
    spec = HypothesisSpec("continuous", "two-group", 1.0)
    seen: list[float] = []
    a = analyse(spec, data, seed=11, bootstrap_resamples=500, progress=seen.append)
    b = analyse(spec, data, seed=11, bootstrap_resamples=500)
    c = analyse(spec, data, seed=12, bootstrap_resamples=500)

    def bca(result: AnalysisResult) -> SensitivityResult:
        return next(s for s in result.sensitivity if s.method.startswith("BCa"))

    boot = bca(a)
    assert boot == bca(b)
    assert boot != bca(c)
    assert a.seed == 11 and a.input_hash == b.input_hash != ""
    assert seen and seen[-1] == 1.0 and seen == sorted(seen)
    # The BCa interval sits close to Welch's for well-behaved data.
    assert boot.ci_low == pytest.approx(a.ci_low, abs=0.3)
    assert boot.ci_high == pytest.approx(a.ci_high, abs=0.3)


def test_bootstrap_can_be_cancelled() -> None:
    with pytest.raises(AnalysisCancelled):
        analyse(
            HypothesisSpec("continuous", "two-group", 1.0),
            _continuous_units(100),
            should_cancel=lambda: True,
        )


def test_input_hash_depends_on_the_data_and_not_on_its_container() -> None:
    spec = HypothesisSpec("continuous", "two-group", 1.0)
    as_tuple = UnitData(("pilot", "pilot", "comparator", "comparator"), (1.0, 2.0, 3.0, 4.5))
    as_array = UnitData(
        np.array(["pilot", "pilot", "comparator", "comparator"]),  # type: ignore[arg-type]
        np.array([1.0, 2.0, 3.0, 4.5]),
    )  # type: ignore[arg-type]
    changed = UnitData(("pilot", "pilot", "comparator", "comparator"), (1.0, 2.0, 3.0, 4.6))
    h1 = analyse(spec, as_tuple, sensitivity=False).input_hash
    assert h1 == analyse(spec, as_array, sensitivity=False).input_hash
    assert h1 != analyse(spec, changed, sensitivity=False).input_hash


def test_welch_handles_a_million_rows() -> None:
    # How fast is measured in benchmarks/bench_analyse.py, against a named baseline; a
    # timed assertion here would only measure how busy the machine is.
    data = _continuous_units(1_000_000)
    spec = HypothesisSpec("continuous", "two-group", 1.0)
    result = analyse(spec, data, sensitivity=False)
    assert result.verdict is not Verdict.NOT_EVALUABLE
    assert result.n_pilot is not None and result.n_comparator is not None
    assert result.n_pilot + result.n_comparator == 1_000_000
