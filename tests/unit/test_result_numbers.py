"""The results table's estimate and interval are the sentence's, digit for digit."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reports import numbers
from testlearn.domain.analysis import AggregateData, AggregateRow, HypothesisSpec
from testlearn.stats import analyse


def _data(outcome: str, a: tuple[int, float], b: tuple[int, float]) -> AggregateData:
    rows = []
    for arm, (n, level) in (("pilot", a), ("comparator", b)):
        if outcome == "binary":
            rows.append(AggregateRow(arm, n=n, successes=round(n * level)))
        elif outcome == "count":
            rows.append(AggregateRow(arm, n=n, events=round(n * level * 3) + 1))
        else:
            rows.append(AggregateRow(arm, n=n, mean=level * 40, sd=12.5))
    return AggregateData(tuple(rows))


arm = st.tuples(st.integers(20, 5_000), st.floats(0.05, 0.95))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(["binary", "count", "continuous"]), arm, arm, st.sampled_from([0.05, 0.1]))
def test_the_table_quotes_the_sentence(
    outcome: str, a: tuple[int, float], b: tuple[int, float], alpha: float
) -> None:
    unit = "minutes" if outcome == "continuous" else ""
    threshold = {"binary": 0.05, "count": 10.0, "continuous": 2.0}[outcome]
    spec = HypothesisSpec(outcome, "two-group", threshold, outcome_unit=unit, alpha=alpha)  # type: ignore[arg-type]
    result = analyse(spec, _data(outcome, a, b), sensitivity=False)
    if result.estimate is None:
        return
    interval = numbers.result_interval(
        result.ci_low, result.ci_high, outcome, unit, level=result.ci_level
    )
    assert interval in result.sentence
    effect = numbers.result_effect(result.estimate, result.ci_low, result.ci_high, outcome, unit)
    if effect == "no change":
        assert "no change" in result.sentence
        return
    sign, amount = effect[0], effect[1:]
    words = "an increase of" if sign == "+" else "a reduction of"
    if outcome == "binary":
        amount = amount.replace(" points", " percentage points")
    assert f"{words} {amount}" in result.sentence


def test_a_proportion_reads_in_points_never_as_a_fraction() -> None:
    assert numbers.result_effect(0.134, 0.052, 0.216, "binary") == "+13.4 points"
    assert numbers.result_interval(0.052, 0.216, "binary") == "95% CI 5.2 to 21.6 points"
    assert numbers.result_interval(1.05, 1.44, "count", level=0.9) == "90% CI 1.05 to 1.44"
