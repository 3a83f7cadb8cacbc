"""The engine's sentence claims no more than the design allows.

Causal words only at Maryland SMS 3 and above, for every verdict and grade; against a fixed
benchmark the sentence says how far from the benchmark the pilot was, never that the outcome
rose or fell. Wording only: the numbers are the engine's (tests/unit/stats/test_reference_values).
"""

from __future__ import annotations

import math

import pytest

from testlearn.domain.analysis import (
    AggregateData,
    AggregateRow,
    Design,
    Grade,
    HypothesisSpec,
    InconclusiveCause,
    OutcomeType,
    Verdict,
)
from testlearn.stats import analyse
from testlearn.stats.fit import Fit
from testlearn.stats.sentence import Reading, sentence
from testlearn.stats.verdict import Oriented

CAUSAL = ("led to", "caused", "made things worse", "because of", "reduced", "improved", "worked")

#: (verdict, grade, interval on the natural scale, oriented low and high) for a decrease
#: benefit with threshold 2 and harm margin 2: each case is what the engine would draw.
CASES = [
    (Verdict.SUCCESS, Grade.MEANINGFUL, (-6.0, -4.0), (4.0, 6.0)),
    (Verdict.SUCCESS, Grade.SIZE_UNCERTAIN, (-6.0, -0.5), (0.5, 6.0)),
    (Verdict.SUCCESS, Grade.TRIVIAL, (-1.5, -0.5), (0.5, 1.5)),
    (Verdict.HARM, Grade.MEANINGFUL, (4.0, 6.0), (-6.0, -4.0)),
    (Verdict.HARM, Grade.SIZE_UNCERTAIN, (0.5, 6.0), (-6.0, -0.5)),
    (Verdict.HARM, Grade.TRIVIAL, (0.5, 1.5), (-1.5, -0.5)),
    (Verdict.NO_MEANINGFUL_EFFECT, None, (-1.0, 1.0), (-1.0, 1.0)),
    (Verdict.NON_INFERIOR, None, (-3.0, 1.0), (-1.0, 3.0)),
    (Verdict.INCONCLUSIVE, None, (-5.0, 5.0), (-5.0, 5.0)),
]
DESIGNS = (Design.TWO_GROUP, Design.DID, Design.BEFORE_AFTER, Design.ITS, Design.BENCHMARK)


def _sentence(
    verdict: Verdict,
    grade: Grade | None,
    interval: tuple[float, float],
    oriented: tuple[float, float],
    design: Design,
    level: int | None,
) -> str:
    spec = HypothesisSpec(
        OutcomeType.CONTINUOUS,
        design,
        2.0,
        direction="decrease",
        evidence_level=level,
        outcome_name="waiting time",
        outcome_unit="minutes",
        comparator_label="usual clinics",
        benchmark_value=30.0,
    )
    low, high = interval
    fit = Fit(
        "test",
        "difference",
        False,
        (low + high) / 2,
        low,
        high,
        0.01,
        1.0,
        None,
        lambda null: 0.0,
        (),
        100,
        100,
    )
    reading = Reading(
        oriented=Oriented((oriented[0] + oriented[1]) / 2, *oriented, 2.0, -2.0),
        verdict=verdict,
        grade=grade,
        mde_achieved=4.0,
        design_mde=4.0,
        cause=InconclusiveCause.BY_DESIGN if verdict is Verdict.INCONCLUSIVE else None,
        shortfall="",
    )
    return sentence(spec, fit, reading)


@pytest.mark.parametrize("design", DESIGNS)
@pytest.mark.parametrize("level", [None, 1, 2, 3, 4, 5])
@pytest.mark.parametrize(("verdict", "grade", "interval", "oriented"), CASES)
def test_causal_words_only_at_sms_3_and_above(
    verdict: Verdict,
    grade: Grade | None,
    interval: tuple[float, float],
    oriented: tuple[float, float],
    design: Design,
    level: int | None,
) -> None:
    text = _sentence(verdict, grade, interval, oriented, design, level)
    if level is None or level < 3:
        for word in CAUSAL:
            assert word not in text, (verdict, grade, design, level, word, text)
    if verdict is Verdict.HARM and (level is None or level < 3):
        assert "the outcome was worse than" in text
    if verdict is Verdict.HARM and level is not None and level >= 3:
        assert "it made things worse" in text
    if verdict is Verdict.SUCCESS and level is not None and level >= 3:
        assert design is Design.BENCHMARK or "The pilot led to" in text


@pytest.mark.parametrize(("verdict", "grade", "interval", "oriented"), CASES)
def test_a_benchmark_is_a_distance_not_a_change(
    verdict: Verdict,
    grade: Grade | None,
    interval: tuple[float, float],
    oriented: tuple[float, float],
) -> None:
    text = _sentence(verdict, grade, interval, oriented, Design.BENCHMARK, 1)
    assert text.startswith("The pilot was ")
    assert "the benchmark of 30" in text
    for word in ("fell", "rose", "a reduction of", "an increase of", "led to"):
        assert word not in text, (word, text)
    shown = (interval[0] + interval[1]) / 2
    side = "below" if shown < 0 else "above"
    assert math.isclose(shown, 0) or f"{side} the benchmark of 30" in text


def test_a_before_after_harm_at_sms_1_is_worse_than_the_period_before() -> None:
    # DFT-TL-009's shape: a before/after comparison at SMS 1, worse by more than the margin.
    text = _sentence(
        Verdict.HARM, Grade.MEANINGFUL, (4.0, 6.0), (-6.0, -4.0), Design.BEFORE_AFTER, 1
    )
    assert "compared with the period before" in text
    assert "the outcome was worse than in the period before, by more than the harm margin" in text


def test_an_analysed_count_against_a_target_reads_below_the_target() -> None:
    # DESNZ-TL-005 H2: 620 installs against a target of 1,000.
    spec = HypothesisSpec(
        "count", "benchmark", 10, benchmark_value=1000, evidence_level=1, outcome_name="installs"
    )
    result = analyse(spec, AggregateData((AggregateRow("pilot", events=620, exposure=1),)))
    assert result.verdict is Verdict.HARM
    assert result.sentence.startswith(
        "The pilot was 38.0% below the benchmark of 1,000 in installs (rate ratio 0.62"
    )
    assert "the outcome was worse than the benchmark, by more than the harm margin of 10%" in (
        result.sentence
    )
