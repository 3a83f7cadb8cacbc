"""The results chart: each hypothesis's estimate and interval against its thresholds.

One row per hypothesis, each with its own axis at round values through zero, so every
hypothesis is read in its own units (percentage points, per cent change, or the outcome's
unit); the worthwhile change and the harm margin are upright lines labelled with their
values, and the verdict is written in the wording table's words at the right of the row.
A marker's shape, not only its colour, says the verdict; the key under the rows names
each shape shown.

Example::

    rows = result_rows(detail)          # a PilotDetail from testlearn.services.pilots
    drawing = results_chart(rows)
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.graphics.shapes import Group, Line, String
from reportlab.pdfbase.pdfmetrics import stringWidth

from reports import numbers
from reports.chart_axes import horizontal_axis, reference_line
from reports.chart_drawing import BLUE, GREEN, GREY, RED, TEXT_SIZE, TITLE_SIZE, ChartDrawing, fit
from reports.chart_keys import marker, results_key
from reports.chart_marks import nice_ticks
from reports.page import TEXT_WIDTH, fonts
from reports.verdict_words import chart_label
from testlearn.domain.pilot_detail import PilotDetail


@dataclass(frozen=True)
class ResultRow:
    """One hypothesis's result, in the engine's units (see ``testlearn.domain.analysis``)."""

    label: str
    outcome_type: str
    unit: str
    direction: str
    estimate: float | None
    ci_low: float | None
    ci_high: float | None
    benefit_threshold: float
    harm_margin: float
    verdict: str
    ci_level: float = 0.95
    words: str = ""  # the verdict in the wording table's words (grade and evidence band)
    grade: str | None = None  # meaningful / size uncertain / trivial, for the words


def result_rows(detail: PilotDetail) -> list[ResultRow]:
    """The current results of a pilot's registered hypotheses, primary first."""
    rows = []
    for h in detail.hypotheses:
        result = h.current_result
        if result is None:
            continue
        hyp = h.plan
        rows.append(
            ResultRow(
                label=f"{hyp.code}: {hyp.outcome_name or hyp.statement}",
                outcome_type=hyp.outcome_type,
                unit=hyp.outcome_unit,
                direction=hyp.direction,
                estimate=result.estimate,
                ci_low=result.ci_low,
                ci_high=result.ci_high,
                benefit_threshold=hyp.benefit_threshold,
                harm_margin=hyp.harm_margin
                if hyp.harm_margin is not None
                else hyp.benefit_threshold,
                verdict=result.verdict,
                ci_level=float(result.detail.get("ci_level") or 0.95),
                words=chart_label(result.verdict, result.grade, hyp.evidence_level),
                grade=result.grade,
            )
        )
    return rows


def describe_results(rows: Sequence[ResultRow]) -> str:
    """The text alternative of ``results_chart``: every number the chart shows."""
    parts = []
    for row in rows:
        benefit, harm = _lines(row)
        unit = _axis_unit(row)
        d = row_digits(row)
        parts.append(
            f"{row.label}: {_num(_scale(row, row.estimate), d)} {unit} "
            f"({row.ci_level:.0%} interval {_num(_scale(row, row.ci_low), d)} to "
            f"{_num(_scale(row, row.ci_high), d)}) against a worthwhile change of {_num(benefit)} "
            f"and harm beyond {_num(harm)}: {row_words(row).lower()}."
        )
    return " ".join(parts) or "No analysed hypotheses."


def row_words(row: ResultRow) -> str:
    """A result row's verdict as printed beside it, in the legend and in the description."""
    return row.words or chart_label(row.verdict, row.grade)


def row_digits(row: ResultRow) -> int:
    """Decimal places for a row's estimate and interval: one precision for all three."""
    values = (_scale(row, v) for v in (row.estimate, row.ci_low, row.ci_high))
    return min(numbers.decimals_for(*values), 2)


#: Each row's height: its label, the threshold labels, the axis and its tick labels.
ROW_HEIGHT = 44.0
_TOP = 15.0
_TITLE = "Results against the change worth having and the harm margin"
#: Between the end of an axis and the verdict: room for the last tick's label, and a gap.
_GUTTER = 20.0


def results_chart(rows: Sequence[ResultRow], width: float = TEXT_WIDTH) -> ChartDrawing:
    """Estimate and interval against the benefit threshold and harm margin, one row each."""
    f = fonts()
    shapes: dict[str, str] = {}  # one key entry per marker shape, in the row's words
    for row in rows:
        shapes.setdefault(row.verdict, row_words(row))
    legend = results_key(rows[0].ci_level if rows else 0.95, shapes, width)
    height = _TOP + ROW_HEIGHT * max(1, len(rows)) + legend.height
    drawing = ChartDrawing(width, height, _TITLE, describe_results(rows))
    drawing.add(String(0, height - 12, _TITLE, fontName=f.bold, fontSize=TITLE_SIZE))
    room = max((_right_width(row) for row in rows), default=0.0)
    plot_left, plot_right = 12.0, width - min(max(room, 90.0), width * 0.4) - _GUTTER - 2
    for i, row in enumerate(rows):
        base = height - _TOP - ROW_HEIGHT * (i + 1)
        drawing.add(_result_row(row, base, plot_left, plot_right, width))
    if not rows:
        drawing.add(
            String(0, height - _TOP - 30, "No analysed hypotheses.", fontName=f.regular, fontSize=9)
        )
    drawing.add(legend.group)
    return drawing


def results_charts(
    rows: Sequence[ResultRow], room: float, width: float = TEXT_WIDTH
) -> list[ChartDrawing]:
    """``results_chart`` in as many drawings as it takes for each to be at most ``room`` tall.

    A drawing cannot break across pages, and one made smaller to fit would print its text
    under 9 pt; a pilot with many hypotheses gets its rows in order over several charts,
    the later ones titled "(continued)".
    """
    whole = results_chart(rows, width)
    if whole.height <= room or len(rows) <= 1:
        return [whole]
    key_height = whole.height - _TOP - ROW_HEIGHT * len(rows)  # the whole key: the tallest
    per_chart = max(1, int((room - _TOP - key_height) // ROW_HEIGHT))
    drawings = []
    for start in range(0, len(rows), per_chart):
        drawing = results_chart(rows[start : start + per_chart], width)
        if start:
            drawing.title += " (continued)"
            for node in drawing.contents:
                if isinstance(node, String) and node.text == _TITLE:
                    node.text = drawing.title
        drawings.append(drawing)
    return drawings


def _result_row(row: ResultRow, base: float, left: float, right: float, width: float) -> Group:
    f = fonts()
    group = Group()
    benefit, harm = _lines(row)
    est, low, high = (_scale(row, v) for v in (row.estimate, row.ci_low, row.ci_high))
    values = [0.0, benefit, harm] + [v for v in (est, low, high) if v is not None]
    axis_y = base + 15
    label = f"{row.label} ({_axis_unit(row)})" if _axis_unit(row) else row.label
    group.add(
        String(
            0,
            axis_y + 20,
            fit(label, f.bold, TEXT_SIZE, right + 60),
            fontName=f.bold,
            fontSize=TEXT_SIZE,
        )
    )
    x = horizontal_axis(
        group, nice_ticks(min(values), max(values)), left=left, right=right, y=axis_y
    )
    group.add(reference_line(x(0), axis_y, 14, GREY, width=0.8))
    # The two thresholds sit either side of zero, so each label goes on its outer side
    # and they never overprint each other; one that would run off the chart turns inward
    # (on the right it may reach over the verdict column, whose words sit lower).
    for value, colour, dash, text in (
        (benefit, GREEN, (4.0, 2.0), f"worthwhile {_short(benefit)}"),
        (harm, RED, (1.0, 2.0), f"harm {_short(harm)}"),
    ):
        group.add(reference_line(x(value), axis_y, 14, colour, dash))
        outward_left = value < 0
        span = stringWidth(text, f.regular, TEXT_SIZE) + 3
        if outward_left and x(value) - span < 0:
            outward_left = False
        elif not outward_left and x(value) + span > width:
            outward_left = True
        group.add(
            String(
                x(value) + (-3 if outward_left else 3),
                axis_y + 9,
                text,
                fontName=f.regular,
                fontSize=TEXT_SIZE,
                textAnchor="end" if outward_left else "start",
                fillColor=colour,
            )
        )
    if est is not None:
        x_low = x(low) if low is not None else left
        x_high = x(high) if high is not None else right
        group.add(Line(x_low, axis_y, x_high, axis_y, strokeColor=BLUE, strokeWidth=3))
        for edge, bounded in ((x_low, low is not None), (x_high, high is not None)):
            if bounded:
                group.add(
                    Line(edge, axis_y - 4, edge, axis_y + 4, strokeColor=BLUE, strokeWidth=1.2)
                )
        group.add(marker(row.verdict, x(est), axis_y))
    room = width - right - _GUTTER
    group.add(
        String(
            right + _GUTTER,
            axis_y - 4,
            fit(row_words(row), f.bold, TEXT_SIZE, room),
            fontName=f.bold,
            fontSize=TEXT_SIZE,
        )
    )
    if est is not None:
        group.add(
            String(
                right + _GUTTER,
                axis_y - 14,
                fit(_estimate_text(row), f.regular, TEXT_SIZE, room),
                fontName=f.regular,
                fontSize=TEXT_SIZE,
                fillColor=GREY,
            )
        )
    return group


def _scale(row: ResultRow, value: float | None) -> float | None:
    """An engine value on the chart's axis: points, per cent change, or outcome units."""
    if value is None or not math.isfinite(value):
        return None
    if row.outcome_type == numbers.BINARY:
        return value * 100
    if row.outcome_type == numbers.COUNT:
        return (value - 1) * 100
    return value


def _lines(row: ResultRow) -> tuple[float, float]:
    """Where the benefit threshold and the harm margin sit on the axis."""
    factor = 100 if row.outcome_type == numbers.BINARY else 1
    benefit, harm = row.benefit_threshold * factor, row.harm_margin * factor
    return (benefit, -harm) if row.direction == "increase" else (-benefit, harm)


def _axis_unit(row: ResultRow) -> str:
    if row.outcome_type == numbers.BINARY:
        return "percentage points"
    if row.outcome_type == numbers.COUNT:
        return "% change"
    return row.unit


def _estimate_text(row: ResultRow) -> str:
    d = row_digits(row)
    est, low, high = (_scale(row, v) for v in (row.estimate, row.ci_low, row.ci_high))
    return f"{_num(est, d)} ({_num(low, d)} to {_num(high, d)})" if est is not None else ""


def _right_width(row: ResultRow) -> float:
    f = fonts()
    return max(
        float(stringWidth(row_words(row), f.bold, TEXT_SIZE)),
        float(stringWidth(_estimate_text(row), f.regular, TEXT_SIZE)),
    )


def _num(value: float | None, digits: int | None = None) -> str:
    if value is None or not math.isfinite(value):
        return "no bound"
    places = min(numbers.decimals_for(value), 2) if digits is None else digits
    return f"{value:.{places}f}"


def _short(value: float) -> str:
    """A threshold as it was entered: 3, not 3.00; 1.5, not 1.50."""
    return f"{value:.2f}".rstrip("0").rstrip(".")
