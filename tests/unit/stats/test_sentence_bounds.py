"""Sentences never print an interval that touches no effect when the verdict excludes it, and
say unbounded ratios in words.

The three cases are those of the issue: an event-free comparator; a success whose upper bound
(benefit is a decrease) is -0.037; a harm whose lower bound is +0.09 points.
"""

from __future__ import annotations

import pytest

from testlearn.domain.analysis import (
    AggregateData,
    AggregateRow,
    Grade,
    HypothesisSpec,
    Verdict,
)
from testlearn.stats import analyse


def test_an_event_free_comparator_gives_words_not_no_limit_per_cent() -> None:
    spec = HypothesisSpec(
        "count", "two-group", 10, outcome_name="complaints", comparator_label="comparison sites"
    )
    data = AggregateData(
        (
            AggregateRow("pilot", events=12, exposure=100),
            AggregateRow("comparator", events=0, exposure=100),
        )
    )
    result = analyse(spec, data)
    assert result.verdict is Verdict.SUCCESS
    assert result.ci_high == float("inf")
    assert "no limit" not in result.sentence
    assert result.sentence.startswith(
        "The pilot was associated with an increase in complaints compared with comparison sites "
        "(rate ratio not finite, as comparison sites had no events; 95% CI 3.12 to no upper "
        "limit)"
    )


def test_a_success_just_clear_of_zero_prints_a_bound_clear_of_zero() -> None:
    # Welch: pilot mean m, comparator 0, n 20 and sd 2.2 each; m chosen so that the upper
    # bound is -0.037 (benefit is a reduction). At the interval's own precision (one decimal
    # for a half-width of 1.4) it would print "-3.0 to 0.0".
    spec = HypothesisSpec(
        "continuous",
        "two-group",
        2.0,
        direction="decrease",
        outcome_unit="minutes",
        outcome_name="waiting time",
    )
    m = -1.4453732167810944
    data = AggregateData(
        (
            AggregateRow("pilot", n=20, mean=m, sd=2.2),
            AggregateRow("comparator", n=20, mean=0.0, sd=2.2),
        )
    )
    result = analyse(spec, data)
    assert result.ci_high == pytest.approx(-0.037, abs=1e-9)
    assert (result.verdict, result.grade) == (Verdict.SUCCESS, Grade.SIZE_UNCERTAIN)
    assert "(95% CI -2.85 to -0.04 minutes)" in result.sentence
    assert "could be as small as 0.04 minutes" in result.sentence
    assert " 0.0 " not in result.sentence and "0.0)" not in result.sentence


def test_a_harm_just_clear_of_zero_prints_a_lower_bound_above_zero() -> None:
    # Miettinen-Nurminen for 9/25 against 3/25: lower bound 0.00089 (0.09 points), upper
    # 0.463; benefit is a decrease, so this is a harm. At 0 decimals it would print "0 to 46".
    spec = HypothesisSpec(
        "binary", "two-group", 0.1, direction="decrease", outcome_name="repeat referrals"
    )
    data = AggregateData(
        (AggregateRow("pilot", n=25, successes=9), AggregateRow("comparator", n=25, successes=3))
    )
    result = analyse(spec, data)
    assert result.verdict is Verdict.HARM
    assert result.ci_low == pytest.approx(0.00089, abs=1e-5)
    assert "(95% CI 0.1 to 46.3 points)" in result.sentence


def test_a_rate_ratio_just_clear_of_one_prints_clear_of_one() -> None:
    # Rate ratio score interval for 1,130 against 1,000 events over equal exposure: the lower
    # bound is about 1.0004, which two decimals would print as 1.00.
    spec = HypothesisSpec("count", "two-group", 5, outcome_name="visits")
    data = AggregateData(
        (
            AggregateRow("pilot", events=1090, exposure=1000),
            AggregateRow("comparator", events=1000, exposure=1000),
        )
    )
    result = analyse(spec, data)
    assert result.ci_low is not None and 1.0 < result.ci_low < 1.005
    low_text = result.sentence.split("95% CI ")[1].split(" to ")[0]
    assert float(low_text) > 1.0
