"""Multiplicity: a confirmatory secondary's verdict uses its Holm-adjusted decision.

Twelve hypotheses (a primary and eleven secondaries, as in the pilot the issue was found on) plus
an exploratory one. Each arm has n = 50 and sd = 1, so every p is R's Welch p and the Holm values
can be checked against R 4.2.2 (R is not needed to run this test):

    d <- c(0.8, 0.7, 0.6, 0.5, -0.45, 0.42, 0.40, 0.3, 0.2, 0.1, 0.05)
    se <- sqrt(2/50); p <- 2 * pt(-abs(d/se), 98)
    p.adjust(p, method = "holm")
"""

from __future__ import annotations

import pytest

from testlearn.domain.analysis import (
    AggregateData,
    AggregateRow,
    HypothesisSpec,
    Role,
    Verdict,
)
from testlearn.stats import analyse, analyse_pilot

DIFFERENCES = (0.8, 0.7, 0.6, 0.5, -0.45, 0.42, 0.40, 0.3, 0.2, 0.1, 0.05)
R_RAW = (
    0.000122997377734075,
    0.000701761770719711,
    0.003423264463729619,
    0.014079755374771970,
    0.026685227138194274,
    0.038296972695903965,
    0.048267771949367586,
    0.136829224106081837,
    0.319773287508588466,
    0.618195947936694967,
    0.803110664432115762,
)
R_HOLM = (
    0.00135297115507482,
    0.00701761770719711,
    0.03080938017356657,
    0.11263804299817576,
    0.18679658996735993,
    0.22978183617542380,
    0.24133885974683794,
    0.54731689642432735,
    0.95931986252576540,
    1.0,
    1.0,
)


def _data(difference: float) -> AggregateData:
    return AggregateData(
        (
            AggregateRow("pilot", n=50, mean=difference, sd=1.0),
            AggregateRow("comparator", n=50, mean=0.0, sd=1.0),
        )
    )


def _spec(role: Role, label: str) -> HypothesisSpec:
    return HypothesisSpec(
        "continuous", "two-group", 0.3, role=role, label=label, outcome_name="the score"
    )


def _pilot() -> list[tuple[HypothesisSpec, AggregateData]]:
    family = [(_spec(Role.PRIMARY, "H1"), _data(0.2))]
    family += [
        (_spec(Role.SECONDARY, f"H{i}"), _data(d)) for i, d in enumerate(DIFFERENCES, start=2)
    ]
    family.append((_spec(Role.EXPLORATORY, "H13"), _data(0.5)))
    return family


def test_holm_values_match_r() -> None:
    results = analyse_pilot(_pilot(), sensitivity=False).results
    secondaries = [r for r in results if r.role is Role.SECONDARY]
    assert [r.p_value for r in secondaries] == pytest.approx(R_RAW, rel=1e-9)
    assert [r.p_adjusted for r in secondaries] == pytest.approx(R_HOLM, rel=1e-9)


def test_a_secondary_is_a_success_only_when_holm_still_rules_out_no_effect() -> None:
    results = {r.label: r for r in analyse_pilot(_pilot(), sensitivity=False).results}
    # Adjusted p below 0.05: the unadjusted interval's verdict stands.
    assert results["H2"].verdict is Verdict.SUCCESS
    assert results["H4"].verdict is Verdict.SUCCESS  # adjusted p = 0.0308
    # Unadjusted intervals above 0 (0.103 to 0.897, and 0.003 to 0.797) but Holm p 0.113 and
    # 0.241: not a success; harm is still ruled out, a worthwhile gain is not shown.
    for label, holm_p in (("H5", "0.113"), ("H8", "0.241")):
        result = results[label]
        assert result.ci_low is not None and result.ci_low > 0
        assert result.verdict is Verdict.NON_INFERIOR, label
        assert f"adjusted p = {holm_p}" in result.sentence
        assert "not claimed" in result.sentence
        assert "the interval is not adjusted for multiplicity" in result.sentence
        assert any("verdict uses the adjusted decision" in w for w in result.warnings)
    # A harm whose interval (-0.847 to -0.053) reaches past the harm margin, Holm p 0.187:
    # with no effect not ruled out and a loss beyond the margin possible, inconclusive.
    assert results["H6"].verdict is Verdict.INCONCLUSIVE
    assert "worsening the unadjusted interval suggests is not claimed" in results["H6"].sentence


def test_the_primary_and_exploratory_hypotheses_are_not_adjusted() -> None:
    results = {r.label: r for r in analyse_pilot(_pilot(), sensitivity=False).results}
    assert results["H1"].p_adjusted is None
    exploratory = results["H13"]
    assert exploratory.p_adjusted is None
    assert exploratory.verdict is Verdict.SUCCESS  # raw p 0.014: exploratory, so not adjusted
    assert exploratory.sentence.startswith("Exploratory result")
    assert any(w.startswith("Exploratory hypothesis") for w in exploratory.warnings)
    alone = analyse(_spec(Role.EXPLORATORY, "H13"), _data(0.5), sensitivity=False)
    assert alone.sentence == exploratory.sentence


def test_a_single_secondary_is_its_own_family() -> None:
    pilot = [(_spec(Role.PRIMARY, "H1"), _data(0.2)), (_spec(Role.SECONDARY, "H2"), _data(0.5))]
    second = analyse_pilot(pilot, sensitivity=False).results[1]
    assert second.p_adjusted == pytest.approx(second.p_value)
    assert second.verdict is Verdict.SUCCESS
    assert "not adjusted for multiplicity" not in second.sentence
