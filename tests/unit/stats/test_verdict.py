"""The verdict table at its boundaries, and its symmetry under a change of direction."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from testlearn.domain.analysis import (
    AggregateData,
    AggregateRow,
    Grade,
    HypothesisSpec,
    Verdict,
)
from testlearn.stats import analyse, decide

S, H = Verdict.SUCCESS, Verdict.HARM
NME, NI, INC = Verdict.NO_MEANINGFUL_EFFECT, Verdict.NON_INFERIOR, Verdict.INCONCLUSIVE
B, HM = 2.0, 1.0  # benefit threshold, harm margin


@pytest.mark.parametrize(
    ("low", "high", "expected"),
    [
        # CI touching 0 from above is not a success; from below not a harm.
        (0.0, 1.5, (NME, None)),
        (-0.5, 0.0, (NME, None)),
        (1e-12, 1.5, (S, Grade.TRIVIAL)),
        (-1.5, -1e-12, (H, Grade.SIZE_UNCERTAIN)),
        # success graded against the benefit threshold B
        (2.0, 3.0, (S, Grade.MEANINGFUL)),  # low == B
        (1.9, 2.0, (S, Grade.SIZE_UNCERTAIN)),  # high == B
        (1.0, 1.99, (S, Grade.TRIVIAL)),
        # harm graded against the harm margin HM
        (-3.0, -1.0, (H, Grade.MEANINGFUL)),  # high == -HM
        (-1.0, -0.5, (H, Grade.SIZE_UNCERTAIN)),  # low == -HM
        (-0.99, -0.5, (H, Grade.TRIVIAL)),
        # inside both margins: no meaningful effect; touching either margin is not
        (-0.99, 1.99, (NME, None)),
        (-0.5, 2.0, (NI, None)),  # high == B: benefit not ruled out
        (-1.0, 1.0, (INC, None)),  # low == -HM: harm not ruled out
        (-0.99, 5.0, (NI, None)),
        (-3.0, 5.0, (INC, None)),
        (-3.0, 0.5, (INC, None)),
    ],
)
def test_verdict_boundaries(
    low: float, high: float, expected: tuple[Verdict, Grade | None]
) -> None:
    assert decide(low, high, B, HM) == expected


def _mirror(verdict: Verdict) -> set[Verdict]:
    return {S: {H}, H: {S}, NME: {NME}, NI: {INC}, INC: {INC, NI}}[verdict]


interval = st.tuples(st.floats(-10, 10, allow_nan=False), st.floats(0, 10, allow_nan=False)).map(
    lambda t: (t[0], t[0] + t[1])
)
margin = st.floats(0.01, 5, allow_nan=False)


@given(interval, margin, margin)
def test_flipping_the_interval_mirrors_the_verdict(
    ci: tuple[float, float], benefit: float, harm: float
) -> None:
    low, high = ci
    verdict, grade = decide(low, high, benefit, harm)
    mirrored, mirrored_grade = decide(-high, -low, harm, benefit)
    assert mirrored in _mirror(verdict)
    if verdict in (S, H):
        assert mirrored_grade is grade


def _binary_spec(direction: str, threshold: float = 0.05) -> HypothesisSpec:
    return HypothesisSpec("binary", "two-group", threshold, direction=direction, evidence_level=5)  # type: ignore[arg-type]


counts = (
    st.tuples(st.integers(1, 400), st.integers(1, 400))
    .flatmap(
        lambda n: st.tuples(
            st.integers(0, n[0]), st.just(n[0]), st.integers(0, n[1]), st.just(n[1])
        )
    )
    .filter(lambda t: not (t[0] / t[1] == t[2] / t[3] and t[0] / t[1] in (0, 1)))
)


@given(counts, st.sampled_from(["increase", "decrease"]))
def test_swapping_arms_flips_the_estimate_and_mirrors_the_verdict(
    table: tuple[int, int, int, int], direction: str
) -> None:
    x1, n1, x2, n2 = table
    forward = AggregateData(
        (AggregateRow("pilot", n=n1, successes=x1), AggregateRow("comparator", n=n2, successes=x2))
    )
    backward = AggregateData(
        (AggregateRow("pilot", n=n2, successes=x2), AggregateRow("comparator", n=n1, successes=x1))
    )
    spec = _binary_spec(direction)
    a = analyse(spec, forward, sensitivity=False)
    b = analyse(spec, backward, sensitivity=False)
    assert b.estimate == pytest.approx(-a.estimate, abs=1e-12)
    assert b.ci_low == pytest.approx(-a.ci_high, abs=1e-9)
    assert b.ci_high == pytest.approx(-a.ci_low, abs=1e-9)
    assert b.p_value == pytest.approx(a.p_value, abs=1e-9)
    if abs(a.ci_low) > 1e-6 and abs(a.ci_high) > 1e-6:  # away from ties at the boundary
        assert b.verdict in _mirror(a.verdict)
    # Swapping the direction instead mirrors the verdict on the same data.
    other = "decrease" if direction == "increase" else "increase"
    c = analyse(_binary_spec(other), forward, sensitivity=False)
    assert c.estimate == a.estimate
    if abs(a.ci_low) > 1e-6 and abs(a.ci_high) > 1e-6:
        assert c.verdict in _mirror(a.verdict)


def test_verdict_through_the_engine_when_the_interval_touches_a_margin() -> None:
    # Welch from aggregates, then thresholds set exactly at the interval's ends.
    data = AggregateData(
        (
            AggregateRow("pilot", n=50, mean=10.0, sd=2.0),
            AggregateRow("comparator", n=50, mean=9.0, sd=2.0),
        )
    )
    base = analyse(HypothesisSpec("continuous", "two-group", 5.0), data, sensitivity=False)
    low, high = base.ci_low, base.ci_high
    assert low > 0
    at_low = analyse(HypothesisSpec("continuous", "two-group", low), data, sensitivity=False)
    assert (at_low.verdict, at_low.grade) == (S, Grade.MEANINGFUL)
    at_high = analyse(HypothesisSpec("continuous", "two-group", high), data, sensitivity=False)
    assert (at_high.verdict, at_high.grade) == (S, Grade.SIZE_UNCERTAIN)
    # Decrease: the same interval is now a harm, graded against the harm margin.
    harm = analyse(
        HypothesisSpec("continuous", "two-group", 1.0, direction="decrease", harm_margin=low),
        data,
        sensitivity=False,
    )
    assert (harm.verdict, harm.grade) == (H, Grade.MEANINGFUL)


def test_ratio_thresholds_are_read_on_the_log_scale() -> None:
    # Rate ratio 0.5 with a tight interval: a 40% reduction threshold is met (ratio < 0.6),
    # a 60% one is not (needs ratio < 0.4).
    data = AggregateData(
        (
            AggregateRow("pilot", events=5000, exposure=1000.0),
            AggregateRow("comparator", events=10000, exposure=1000.0),
        )
    )
    met = analyse(HypothesisSpec("count", "two-group", 40, direction="decrease"), data)
    assert (met.verdict, met.grade) == (S, Grade.MEANINGFUL)
    unmet = analyse(HypothesisSpec("count", "two-group", 60, direction="decrease"), data)
    assert (unmet.verdict, unmet.grade) == (S, Grade.TRIVIAL)
    # The same data with benefit as an increase: a harm, graded against a 40% margin.
    harm = analyse(
        HypothesisSpec("count", "two-group", 10, direction="increase", harm_margin=40), data
    )
    assert (harm.verdict, harm.grade) == (H, Grade.MEANINGFUL)
    assert met.mde_achieved is not None and 0 < met.mde_achieved < 10
