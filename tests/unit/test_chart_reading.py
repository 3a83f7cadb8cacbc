"""Each chart read as a reader would: no label over another or struck through, zero on
every axis, and every number it prints stated in its text alternative."""

from __future__ import annotations

from typing import Any

import pytest
from reportlab.graphics.shapes import Line

from reports import charts
from tests.unit import chart_checks as check
from tests.unit.portfolios import portfolio_of

ROWS = [
    charts.ResultRow(
        label="H1: in-situ seasonal efficiency",
        outcome_type="continuous",
        unit="SCOP points",
        direction="increase",
        estimate=0.27,
        ci_low=0.21,
        ci_high=0.33,
        benefit_threshold=0.2,
        harm_margin=0.1,
        verdict="success",
        words="Worked",
    ),
    charts.ResultRow(
        label="H2: heat pumps installed",
        outcome_type="count",
        unit="",
        direction="increase",
        estimate=0.62,
        ci_low=0.572,
        ci_high=0.671,
        benefit_threshold=5.0,
        harm_margin=10.0,
        verdict="harm",
        words="Loss (association only)",
    ),
    charts.ResultRow(
        label="H3: pathways completed within 18 weeks",
        outcome_type="binary",
        unit="",
        direction="increase",
        estimate=0.031,
        ci_low=-0.08,
        ci_high=0.142,
        benefit_threshold=0.03,
        harm_margin=0.01,
        verdict="inconclusive",
        words="Could not tell",
    ),
]

#: Levels near 60%, pilot and comparator less than a point apart before (DHSC-TL-001).
CLOSE = [
    charts.PeriodPoint("pilot", "before", 0.589),
    charts.PeriodPoint("pilot", "after", 0.634),
    charts.PeriodPoint("comparator", "before", 0.596),
    charts.PeriodPoint("comparator", "after", 0.610),
]
#: A level that falls most of the way to zero, with no comparator (DFT-TL-009).
FALLING = [
    charts.PeriodPoint("pilot", "before", 244.0),
    charts.PeriodPoint("pilot", "after", 84.7),
]


def _slopes(points: list[charts.PeriodPoint], outcome_type: str, unit: str = "") -> Any:
    return charts.outcome_over_time_chart(
        points,
        outcome="the outcome",
        outcome_type=outcome_type,
        unit=unit,
        labels={"pilot": "the demand-responsive service", "comparator": "matched trusts"},
    )


def _every_chart() -> list[Any]:
    return [
        charts.results_chart(ROWS),
        charts.results_chart(ROWS[2:]),
        _slopes(CLOSE, "binary"),
        _slopes(FALLING, "continuous", "journeys per £1,000"),
        charts.results_by_mission_chart(
            portfolio_of(
                ("GROWTH", "success", "meaningful", 4),
                ("GROWTH", "success", "size_uncertain", 3),
                ("GROWTH", "harm", "meaningful", 1),
                ("NHS", "inconclusive", None, 4),
                ("NHS", "no_meaningful_effect", None, 3),
            ),
            {"GROWTH": "Kickstart economic growth", "NHS": "Build an NHS fit for the future"},
        ),
    ]


@pytest.mark.parametrize("drawing", _every_chart(), ids=lambda d: d.title)
def test_a_reader_can_read_every_label(drawing: Any) -> None:
    assert check.small_text(drawing) == []
    assert check.overlapping_labels(drawing) == []
    assert check.text_past_the_edge(drawing) == []


@pytest.mark.parametrize("drawing", _every_chart(), ids=lambda d: d.title)
def test_no_reference_line_strikes_through_a_tick_label(drawing: Any) -> None:
    assert check.lines_through_tick_labels(drawing) == []


@pytest.mark.parametrize("drawing", _every_chart(), ids=lambda d: d.title)
def test_the_text_alternative_states_every_number_the_chart_prints(drawing: Any) -> None:
    assert check.numbers_not_described(drawing) == []


def test_the_lines_at_zero_and_the_thresholds_stop_above_the_tick_labels() -> None:
    drawing = charts.results_chart(ROWS[:1])
    ticks = [s for s in check.strings(drawing) if check.is_tick_label(s)]
    # Taller than a tick mark (2 pt) or the interval's end caps (8 pt).
    upright = [ln for ln in check.lines(drawing) if ln.x1 == ln.x2 and ln.y2 - ln.y1 > 10]
    assert len(upright) == 3  # zero, worthwhile, harm
    lowest_tick_top = max(check.text_box(s)[3] for s in ticks)
    assert all(min(ln.y1, ln.y2) > lowest_tick_top for ln in upright)


def test_the_slope_chart_has_a_y_axis_from_zero_in_the_outcomes_units() -> None:
    drawing = _slopes(FALLING, "continuous", "journeys per £1,000")
    texts = [s.text for s in check.strings(drawing)]
    ticks = [s.text for s in check.strings(drawing) if check.is_tick_label(s)]
    assert ticks == ["0", "50", "100", "150", "200", "250"]
    assert "journeys per £1,000" in texts  # the axis's name
    assert "244" in texts and "84.7 the demand-responsive service" in texts
    axis = [ln for ln in check.lines(drawing) if ln.x1 == ln.x2 and ln.y2 - ln.y1 > 50]
    assert len(axis) == 1


def test_levels_far_from_zero_are_shown_above_a_broken_axis_that_still_labels_zero() -> None:
    drawing = _slopes(CLOSE, "binary")
    texts = [s.text for s in check.strings(drawing)]
    ticks = sorted((s for s in check.strings(drawing) if check.is_tick_label(s)), key=lambda s: s.y)
    assert [s.text for s in ticks] == ["0", "58%", "60%", "62%", "64%"]
    assert "per cent (axis broken between 0 and 58%)" in texts
    # The break is drawn: two slanted strokes across the axis.
    slanted = [ln for ln in check.lines(drawing) if ln.x1 != ln.x2 and ln.y1 != ln.y2]
    assert len([ln for ln in slanted if abs(ln.x2 - ln.x1 - 8) < 1e-6]) == 2
    # 58.9% and 59.6% sit a point apart; their labels are moved apart to be read.
    before = [s for s in check.strings(drawing) if s.text in ("58.9%", "59.6%")]
    assert len(before) == 2 and abs(before[0].y - before[1].y) >= 9


def test_the_slope_chart_tells_its_lines_apart_by_dash_not_only_colour() -> None:
    drawing = _slopes(CLOSE, "binary")
    long_lines = [
        ln for ln in check.lines(drawing) if isinstance(ln, Line) and ln.strokeWidth == 1.6
    ]
    assert {ln.strokeDashArray is None for ln in long_lines} == {True, False}


def test_many_hypotheses_go_over_several_charts_each_a_page_tall_at_full_size() -> None:
    rows = [
        charts.ResultRow(
            label=f"H{i}: outcome {i}",
            outcome_type="continuous",
            unit="days",
            direction="decrease",
            estimate=-1.0 - i / 10,
            ci_low=-3.0,
            ci_high=0.5,
            benefit_threshold=2.0,
            harm_margin=1.0,
            verdict="inconclusive",
            words="Could not tell",
        )
        for i in range(1, 25)
    ]
    drawings = charts.results_charts(rows, room=600)
    assert len(drawings) == 2 and all(d.height <= 600 for d in drawings)
    assert [d.title.endswith("(continued)") for d in drawings] == [False, True]
    labels = [s.text for d in drawings for s in check.strings(d) if s.text.startswith("H")]
    assert labels == [f"H{i}: outcome {i} (days)" for i in range(1, 25)]
    assert all(check.small_text(d) == [] for d in drawings)
    assert len(charts.results_charts(rows[:3], room=600)) == 1


def test_the_svg_view_box_is_the_whole_drawing_so_no_edge_is_cut_off_when_scaled() -> None:
    import re

    drawing = charts.results_chart(ROWS)
    assert drawing.width % 1 != 0  # the page's text width is not a whole number of points
    svg = charts.drawing_to_svg(drawing)
    (box,) = re.findall(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', svg)
    assert float(box[0]) == pytest.approx(drawing.width, abs=0.01)
    assert float(box[1]) == pytest.approx(drawing.height, abs=0.01)
