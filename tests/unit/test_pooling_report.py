"""What the portfolio prints of a pooling across pilots: each pilot's own verdict beside the
pooled average, the numbers a statistician looks for, a sentence that claims no more than a
pooling can, and a forest plot a reader of paper can read."""

from __future__ import annotations

import math
import re

from reports.blocks import Chart, Fields, Table, Text
from reports.portfolio_pooling import measures, pooling_blocks, summary_line
from testlearn.domain.pooling import LeftOut, PilotEstimate, PooledOutcome, Pooling
from testlearn.stats.meta_analysis import meta_analyse
from tests.unit.chart_checks import (
    lines_through_tick_labels,
    numbers_not_described,
    overlapping_labels,
    small_text,
    strings,
    text_past_the_edge,
)

#: Differences in proportions (fractions) with their standard errors and own intervals.
CLEAN = (
    ("T-001", 0.15, 0.033, 0.085, 0.214, "success", "meaningful"),
    ("T-002", 0.025, 0.034, -0.043, 0.092, "non_inferior", "none"),
    ("T-003", -0.1125, 0.035, -0.180, -0.044, "harm", "size_uncertain"),
    ("T-004", 0.05, 0.034, -0.017, 0.117, "non_inferior", "none"),
)


def _clean(k: int = 4) -> PooledOutcome:
    pilots = [
        PilotEstimate(
            ref, "H1", est, se, verdict, 800.0, "primary", "two-group", low, high, grade, 5
        )
        for ref, est, se, low, high, verdict, grade in CLEAN[:k]
    ]
    return PooledOutcome(
        outcome_type="binary",
        design_family="concurrent comparator",
        outcome_name="sites rated clean",
        outcome_unit="",
        analysis=meta_analyse(pilots, scale="difference"),
        left_out=(LeftOut("T-005", "H1", None, "not analysed yet"),),
    )


def _complaints() -> PooledOutcome:
    # Rate ratios 0.50 (0.34 to 0.73) and 0.92 (0.64 to 1.32), pooled as logs.
    pilots = [
        PilotEstimate(
            "T-001",
            "H2",
            math.log(0.5),
            0.194,
            "success",
            None,
            "secondary",
            "two-group",
            math.log(0.34),
            math.log(0.73),
            "meaningful",
            5,
        ),
        PilotEstimate(
            "T-002",
            "H2",
            math.log(0.92),
            0.186,
            "inconclusive",
            None,
            "secondary",
            "two-group",
            math.log(0.64),
            None,
            "none",
            5,
        ),
    ]
    return PooledOutcome(
        outcome_type="count",
        design_family="concurrent comparator",
        outcome_name="complaints",
        outcome_unit="per site-month",
        analysis=meta_analyse(pilots, scale="log ratio"),
    )


def test_each_pilot_keeps_its_own_verdict_beside_the_pooled_average() -> None:
    (shown,) = measures(Pooling((_clean(),)))
    assert shown.pooled
    assert shown.heading == (
        "Sites rated clean (a proportion, against a concurrent comparator): 4 pilots"
    )
    assert [row[0] for row in shown.rows] == ["T-001", "T-002", "T-003", "T-004"]
    assert [row[2] for row in shown.rows] == [
        "Worked",
        "No worse, gain unproven",
        "Loss, size uncertain",
        "No worse, gain unproven",
    ]
    # The pilot's own interval, as its report prints it, in percentage points.
    assert shown.rows[0][3:5] == ("+15.0 points", "8.5 to 21.4 points")
    assert all(row[5].endswith("%") for row in shown.rows)
    facts = dict(shown.facts)
    assert facts["Pilots"] == "4"
    assert facts["Pooled average"].startswith("+3 points (95% CI -8 to 13 points)")
    # Four pilots: the t(2) prediction interval is the one quoted.
    assert "t with 2 degrees of freedom" in facts["A new pilot"]
    assert facts["tau²"] == "how much the pilots' true effects vary: 105 points² (tau 10 points)"
    assert facts["I²"].startswith("90% of the spread") and "p < 0.001" in facts["I²"]
    assert facts["Check"].startswith("DerSimonian-Laird gives +3 points")
    assert shown.left_out == ("Not pooled: T-005 H1: not analysed yet.",)


def test_the_sentence_says_what_an_average_across_pilots_is_and_no_more() -> None:
    (shown,) = measures(Pooling((_clean(),)))
    sentence = shown.sentence
    assert sentence.startswith(
        "Averaged across these 4 pilots, sites rated clean came out 3 points higher than in "
        "their comparison groups (95% CI -8 to 13 points, so the average could be no "
        "difference at all)"
    )
    assert "an average over different places and ways of running the pilot" in sentence
    assert "no verdict of its own" in sentence
    assert (
        "a new pilot like these could find anything from 47 points lower to 53 points higher"
        in (sentence)
    )
    for claim in ("led to", "caused", "worked", "success", "proves", "shows that"):
        assert claim not in sentence.lower()


def test_two_pilots_are_flagged_and_counts_read_as_rate_ratios() -> None:
    (shown,) = measures(Pooling((_complaints(),)))
    facts = dict(shown.facts)
    assert facts["Pilots"] == "2 (two only: the pooling is unreliable, its intervals indicative)"
    assert facts["Pooled average"].startswith("rate ratio 0.68 (95% CI 0.37 to 1.24)")
    assert "indicative only, from two pilots" in facts["A new pilot"]
    assert facts["tau²"].endswith("0.15 on the log rate ratio scale (tau 0.39)")
    assert shown.sentence.startswith("With only two pilots, and so only as an indication:")
    assert "the rate of complaints came out 32% lower" in shown.sentence
    assert "(rate ratio 0.68, 95% CI 0.37 to 1.24" in shown.sentence
    assert any("Two pilots only" in note for note in shown.notes)
    # An interval with no upper limit says so; nothing prints a missing number.
    assert shown.rows[1][4] == "0.64 to no upper limit"
    printed = " ".join([shown.heading, shown.sentence, *sum(shown.rows, ()), *sum(shown.facts, ())])
    assert "None" not in printed and "nan" not in printed and "inf" not in printed


def test_a_measure_with_one_usable_result_is_listed_as_not_pooled() -> None:
    one = _clean(1)
    nothing = PooledOutcome(
        "binary",
        "before and after",
        "repeat visits",
        "",
        None,
        (
            LeftOut("T-001", "H3", None, "not analysed yet"),
            LeftOut("T-002", "H3", None, "not analysed yet"),
        ),
    )
    shown = measures(Pooling((one, nothing)))
    assert [m.pooled for m in shown] == [False, False]
    assert shown[0].heading.endswith(": not pooled")
    assert (
        shown[0].sentence == "Not pooled: only T-001 has a usable result, so its own result stands."
    )
    assert shown[0].chart is None and shown[0].facts == ()
    assert shown[0].rows[0][5] == "-"  # no weight: nothing was weighted
    assert shown[1].sentence == "Not pooled: none of its pilots has a usable result yet."
    assert shown[1].heading == "Repeat visits (a proportion, against before): not pooled"
    blocks = pooling_blocks(Pooling((one, nothing)))
    assert not any(isinstance(b, Chart | Fields) for b in blocks)
    assert summary_line(Pooling((one, nothing))) == (
        "2 outcome measures registered by two or more pilots; 0 are pooled across pilots, each "
        "pilot keeping its own verdict."
    )


def test_the_section_says_so_when_no_two_pilots_share_a_measure() -> None:
    (only,) = pooling_blocks(Pooling())
    assert isinstance(only, Text)
    assert only.text.startswith("No outcome measure was registered by two or more pilots")
    assert summary_line(Pooling()) == ""


def test_the_section_puts_each_measure_under_its_heading_with_table_facts_sentence_and_plot() -> (
    None
):
    blocks = pooling_blocks(Pooling((_clean(), _complaints())))
    kinds = [type(b).__name__ for b in blocks]
    assert kinds == ["Text", *["Table", "Fields", "Text", "Chart", "Bullets"] * 2]
    tables = [b for b in blocks if isinstance(b, Table)]
    assert [t.caption for t in tables] == [
        "Sites rated clean (a proportion, against a concurrent comparator): 4 pilots",
        "Complaints (a rate, against a concurrent comparator): 2 pilots",
    ]


def test_the_forest_plot_is_legible_and_says_every_number_in_words() -> None:
    for outcome in (_clean(), _complaints(), _clean(2)):
        (shown,) = measures(Pooling((outcome,)))
        chart = shown.chart
        assert chart is not None
        assert small_text(chart) == []
        assert overlapping_labels(chart) == []
        assert lines_through_tick_labels(chart) == []
        assert text_past_the_edge(chart) == []
        assert numbers_not_described(chart) == []
        zero = [s for s in strings(chart) if s.text == "0"]
        assert len(zero) == 1 and zero[0].fontName.endswith("Bold")
        texts = [s.text for s in strings(chart)]
        assert "Pooled average" in texts and "A new pilot" in texts
        # Each pilot's own verdict is at the end of its row and in the text alternative.
        for row in shown.rows:
            assert row[2] in texts and f"{row[2]}." in chart.description
        assert re.search(r"Pooled average: .*no verdict of its own\.", chart.description)


def test_many_pilots_are_listed_and_plotted_only_while_a_page_holds_them() -> None:
    from reports.page_breaks import FRAME_HEIGHT
    from reports.portfolio_pooling import MOST_PLOTTED

    def outcome(k: int) -> PooledOutcome:
        pilots = [
            PilotEstimate(f"XG-TL-{i:03d}", "H1", 0.01 * (i % 7 - 3), 0.03, "inconclusive")
            for i in range(k)
        ]
        return PooledOutcome(
            "binary",
            "concurrent comparator",
            "sites rated clean",
            "",
            meta_analyse(pilots, scale="difference"),
        )

    (most,) = measures(Pooling((outcome(MOST_PLOTTED),)))
    assert most.chart is not None and most.chart.height <= FRAME_HEIGHT - 60
    assert small_text(most.chart) == [] and overlapping_labels(most.chart) == []
    (more,) = measures(Pooling((outcome(MOST_PLOTTED + 1),)))
    assert more.chart is None and len(more.rows) == MOST_PLOTTED + 1
    assert f"these {MOST_PLOTTED + 1} are counted by their own verdicts" in more.notes[-1]
    table = next(
        b for b in pooling_blocks(Pooling((outcome(MOST_PLOTTED + 1),))) if isinstance(b, Table)
    )
    assert table.headers == ("Its own verdict", "Pilots", "Which")
    assert sum(int(row[1]) for row in table.rows) == MOST_PLOTTED + 1
    assert table.rows[0][2].endswith(f"and {MOST_PLOTTED + 1 - 6} more")
