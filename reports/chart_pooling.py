"""The forest plot of a pooling across pilots: each pilot's own result, then the pooled average.

One row per pilot (its estimate, its own interval and its verdict in the wording table's
words, the marker's shape saying the verdict as in the results chart), then the pooled
average as a diamond spanning its interval, then the range a new pilot could expect (the
prediction interval) as a dashed line. Every row shares one axis at round values through
zero, labelled and upright across the rows, so a reader sees at once which pilots' intervals
cross no difference. Values are in the pilots' own terms: percentage points for proportions,
per cent change in the rate for counts (a rate ratio of 0.8 is -20%), the unit for means.

Example::

    drawing = pooling_chart("Sites rated clean", "percentage points", rows, pooled)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from reportlab.graphics.shapes import Group, Line, Polygon, String
from reportlab.lib import colors

from reports.chart_axes import horizontal_axis, reference_line
from reports.chart_drawing import BLUE, GREY, TEXT_SIZE, TITLE_SIZE, ChartDrawing, fit
from reports.chart_keys import marker, results_key
from reports.chart_marks import nice_ticks
from reports.page import TEXT_WIDTH, fonts


@dataclass(frozen=True)
class ForestRow:
    """One row of the plot, in the axis's units; None for an end with no limit."""

    label: str
    estimate: float
    low: float | None
    high: float | None
    verdict: str = ""  # a pilot's verdict, for its marker; empty for the pooled rows
    words: str = ""  # printed at the right of the row
    text: str = ""  # the numbers as the table beside the chart prints them, for the description


#: A value's position across the plot.
Position = Callable[[float], float]

ROW = 20.0
_TOP = 20.0
_LABELS = 118.0  # the pilots' references at the left
_WORDS = 128.0  # the verdicts' words at the right
_AXIS_ROOM = 32.0  # the tick labels and the axis's name under it


def pooling_chart(
    title: str,
    axis_name: str,
    pilots: Sequence[ForestRow],
    pooled: ForestRow,
    prediction: ForestRow | None,
    width: float = TEXT_WIDTH,
) -> ChartDrawing:
    """The forest plot: ``pilots``, then ``pooled`` (a diamond), then ``prediction``."""
    f = fonts()
    shapes: dict[str, str] = {}
    for row in pilots:
        shapes.setdefault(row.verdict, row.words)
    legend = results_key(0.95, shapes, width)
    rows = [*pilots, pooled, *([prediction] if prediction is not None else [])]
    plot_height = ROW * len(rows)
    axis_y = legend.height + 8 + _AXIS_ROOM
    height = axis_y + plot_height + 6 + _TOP
    drawing = ChartDrawing(width, height, title, describe_pooling(axis_name, rows))
    drawing.add(
        String(
            0,
            height - 12,
            fit(title, f.bold, TITLE_SIZE, width),
            fontName=f.bold,
            fontSize=TITLE_SIZE,
        )
    )
    values = [0.0]
    for row in rows:
        values.extend(v for v in (row.estimate, row.low, row.high) if v is not None)
    ticks = nice_ticks(min(values), max(values))
    left, right = _LABELS + 10, width - _WORDS - 14
    group = Group()
    x = horizontal_axis(group, ticks, left=left, right=right, y=axis_y)
    group.add(
        String(
            (left + right) / 2,
            axis_y - 26,
            axis_name,
            fontName=f.regular,
            fontSize=TEXT_SIZE,
            textAnchor="middle",
            fillColor=GREY,
        )
    )
    # No difference, upright through every row, so each interval is read against it.
    group.add(reference_line(x(0), axis_y, plot_height + 4, GREY, width=0.8))
    for i, row in enumerate(rows):
        y = axis_y + plot_height - ROW * (i + 0.5)
        group.add(_label(row.label, y, f.bold if row is pooled else f.regular))
        if row.words:
            group.add(
                String(
                    right + 14,
                    y - 3,
                    fit(row.words, f.regular, TEXT_SIZE, _WORDS),
                    fontName=f.regular,
                    fontSize=TEXT_SIZE,
                )
            )
        if row is pooled:
            group.add(_diamond(x, row, y, left, right))
        elif row is prediction:
            group.add(_interval(x, row, y, left, right, dashed=True))
        else:
            group.add(_interval(x, row, y, left, right, dashed=False))
            group.add(marker(row.verdict, x(row.estimate), y, size=4.0))
    drawing.add(group)
    drawing.add(legend.group)
    return drawing


def describe_pooling(axis_name: str, rows: Sequence[ForestRow]) -> str:
    """The text alternative: every row's numbers as the table beside the chart prints them."""
    parts = [
        f"Each pilot's estimate with its own 95% interval, then the pooled average, in {axis_name}."
    ]
    for row in rows:
        words = f", {row.words}" if row.words else ""
        parts.append(f"{row.label}: {row.text}{words}.")
    return " ".join(parts)


def _label(text: str, y: float, font: str) -> String:
    return String(0, y - 3, fit(text, font, TEXT_SIZE, _LABELS), fontName=font, fontSize=TEXT_SIZE)


def _interval(
    x: Position, row: ForestRow, y: float, left: float, right: float, *, dashed: bool
) -> Group:
    group = Group()
    x_low = x(row.low) if row.low is not None else left
    x_high = x(row.high) if row.high is not None else right
    group.add(
        Line(
            x_low,
            y,
            x_high,
            y,
            strokeColor=BLUE if not dashed else colors.black,
            strokeWidth=1.2 if dashed else 2.5,
            strokeDashArray=(3.0, 2.0) if dashed else None,
        )
    )
    for edge, bounded in ((x_low, row.low is not None), (x_high, row.high is not None)):
        if bounded:
            group.add(
                Line(
                    edge,
                    y - 4,
                    edge,
                    y + 4,
                    strokeColor=BLUE if not dashed else colors.black,
                    strokeWidth=1.0,
                )
            )
    return group


def _diamond(x: Position, row: ForestRow, y: float, left: float, right: float) -> Polygon:
    x_low = x(row.low) if row.low is not None else left
    x_high = x(row.high) if row.high is not None else right
    mid = x(row.estimate)
    return Polygon(
        [x_low, y, mid, y + 6, x_high, y, mid, y - 6],
        fillColor=colors.HexColor("#0b0c0c"),
        strokeColor=colors.black,
        strokeWidth=0.6,
    )
