"""Charts a reader can read: 9-point text, round axes through zero, verdicts not by colour."""

from __future__ import annotations

import math
from typing import Any

import pytest
from reportlab.graphics.shapes import Group, Line, String

from reports import charts
from reports.chart_marks import nice_ticks, tick_text
from tests.unit.portfolios import portfolio_of

ROWS = [
    charts.ResultRow(
        label="H1: pupils reaching a good level of development",
        outcome_type="binary",
        unit="",
        direction="increase",
        estimate=0.006,
        ci_low=-0.024,
        ci_high=0.036,
        benefit_threshold=0.043,
        harm_margin=0.043,
        verdict="no_meaningful_effect",
    ),
    charts.ResultRow(
        label="H2: heat pumps installed",
        outcome_type="count",
        unit="",
        direction="increase",
        estimate=0.62,
        ci_low=0.57,
        ci_high=0.67,
        benefit_threshold=5.0,
        harm_margin=10.0,
        verdict="harm",
    ),
]


#: Two worked, one made things worse, one could not tell: one mission, three categories.
MIXED = portfolio_of(
    ("GROWTH", "success", "meaningful", 4),
    ("GROWTH", "success", "meaningful", 3),
    ("GROWTH", "harm", "meaningful", 5),
    ("GROWTH", "inconclusive", None, 4),
)


def _strings(node: Any) -> list[String]:
    found = []
    for child in getattr(node, "contents", []):
        if isinstance(child, String):
            found.append(child)
        elif isinstance(child, Group):
            found.extend(_strings(child))
    return found


def _all_charts() -> list[Any]:
    points = [
        charts.PeriodPoint("pilot", "before", 0.589),
        charts.PeriodPoint("pilot", "after", 0.634),
        charts.PeriodPoint("comparator", "before", 0.596),
        charts.PeriodPoint("comparator", "after", 0.610),
    ]
    return [
        charts.results_chart(ROWS),
        charts.outcome_over_time_chart(points, outcome="pathways", outcome_type="binary"),
        charts.results_by_mission_chart(MIXED, {"GROWTH": "Kickstart economic growth"}),
    ]


def test_no_chart_text_is_smaller_than_nine_points() -> None:
    for drawing in _all_charts():
        sizes = {s.fontSize for s in _strings(drawing)}
        assert sizes and min(sizes) >= 9, (drawing.title, sorted(sizes))


def test_no_chart_text_runs_past_the_chart() -> None:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    for drawing in _all_charts():
        for s in _strings(drawing):
            width = stringWidth(s.text, s.fontName, s.fontSize)
            left = {"start": s.x, "middle": s.x - width / 2, "end": s.x - width}[s.textAnchor]
            assert left >= -0.5 and left + width <= drawing.width + 0.5, s.text


@pytest.mark.parametrize(
    ("low", "high", "expected"),
    [
        (-4.99, 4.99, ["-5.0", "-2.5", "0", "2.5", "5.0"]),
        (-9.75, 16.0, ["-10", "0", "10", "20"]),
        (0.0, 0.036, ["0", "0.01", "0.02", "0.03", "0.04"]),
        (1.5, 4.0, ["0", "1", "2", "3", "4"]),  # zero is always on the axis
        (-0.3, 0.02, ["-0.3", "-0.2", "-0.1", "0", "0.1"]),
    ],
)
def test_axis_ticks_are_round_and_include_zero(
    low: float, high: float, expected: list[str]
) -> None:
    ticks = nice_ticks(low, high)
    assert [tick_text(t, ticks) for t in ticks] == expected
    assert ticks[0] <= low and ticks[-1] >= high


def test_ticks_step_by_one_two_two_and_a_half_or_five_times_a_power_of_ten() -> None:
    for low, high in ((-43, 5), (-130, 900), (-0.024, 0.043), (-1, 3), (0, 7.3)):
        ticks = nice_ticks(low, high)
        step = ticks[1] - ticks[0]
        mantissa = step / 10 ** math.floor(math.log10(step))
        assert round(mantissa, 9) in (1, 2, 2.5, 5), (low, high, ticks)
        assert 0.0 in ticks and len(ticks) <= 6


def test_results_chart_labels_zero_and_both_thresholds_with_their_values() -> None:
    texts = [s.text for s in _strings(charts.results_chart(ROWS))]
    assert texts.count("0") == 2  # one axis per hypothesis
    assert "worthwhile 4.3" in texts and "harm -4.3" in texts  # H1, percentage points
    assert "worthwhile 5" in texts and "harm -10" in texts  # H2, per cent change
    assert "H2: heat pumps installed (% change)" in texts


def test_results_chart_draws_a_line_at_zero_and_at_each_threshold() -> None:
    drawing = charts.results_chart(ROWS[:1])
    lines = [c for g in drawing.contents if isinstance(g, Group) for c in g.contents]
    upright = {round(c.x1, 1) for c in lines if isinstance(c, Line) and c.x1 == c.x2}
    assert len(upright) >= 3  # ticks included, but at least zero, worthwhile and harm


def test_mission_chart_tells_categories_apart_without_colour() -> None:
    fills = [charts.CATEGORY_FILLS[c] for c in ("Worked", "Made things worse", "Could not tell")]
    assert len({f.pattern for f in fills}) == 3
    for name, fill in charts.CATEGORY_FILLS.items():
        r, g, b = fill.colour.red, fill.colour.green, fill.colour.blue
        luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
        assert 0.05 < luminance < 0.98, name  # neither near-black nor a blank box
    # Categories of one family (gains, losses) differ in colour or pattern.
    family = [
        fill
        for name, fill in charts.CATEGORY_FILLS.items()
        if name.startswith(("Worked", "Gain", "Small loss", "Loss", "Made"))
    ]
    assert len(family) == 9
    assert len({(f.colour.hexval(), f.pattern) for f in family}) == len(family)
    drawing = charts.results_by_mission_chart(MIXED, {"GROWTH": "Kickstart economic growth"})
    texts = [s.text for s in _strings(drawing)]
    # A key names every category shown, and each segment carries its count.
    assert {"Worked", "Made things worse", "Could not tell"} <= set(texts)
    assert texts.count("2") == 1 and texts.count("1") == 2


def test_every_portfolio_category_of_the_wording_table_has_a_fill() -> None:
    from reports.verdict_words import cells

    assert {cell.category for cell in cells()} <= set(charts.CATEGORY_FILLS)


def test_a_chart_taller_than_a_page_is_printed_smaller_rather_than_refused(tmp_path: Any) -> None:
    import datetime as dt

    from pypdf import PdfReader

    from reports.blocks import Chart, Document, Section
    from reports.layout import write_document

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
        )
        for i in range(1, 25)
    ]
    drawing = charts.results_chart(rows)
    assert drawing.height > 842  # taller than the page
    document = Document(
        title="Many hypotheses",
        kind="Test",
        reference="TEST-TL-001",
        marking="OFFICIAL",
        handling="",
        final=False,
        author="Test team",
        subject="",
        keywords=(),
        front=(),
        sections=(Section("Results", (Chart(drawing),), 1),),
    )
    path = tmp_path / "many.pdf"
    write_document(document, path, generated_at=dt.datetime.now(dt.UTC))
    text = " ".join(page.extract_text() for page in PdfReader(path).pages)
    assert "H24: outcome 24" in text and "H1: outcome 1" in text
