"""Charts drawn once with reportlab graphics: vector in the PDF, SVG in the window.

Three charts:

* ``results_chart``: one row per hypothesis, the estimate and its interval against the
  benefit threshold (the smallest change worth having) and the harm margin;
* ``outcome_over_time_chart``: the outcome before and after, pilot against comparator, for
  before/after and difference-in-differences designs;
* ``verdicts_by_mission_chart``: the portfolio's primary verdicts, counted by mission.

Each returns a ``ChartDrawing`` (a reportlab ``Drawing`` with a ``title`` and a text
``description``), which a report places as a flowable and the window turns into SVG with
``drawing_to_svg``. No chart relies on colour alone: verdicts are written in words beside
marker shapes, and lines are told apart by dash pattern and label.

Example (the window)::

    from reports import charts
    rows = charts.result_rows(detail)          # a PilotDetail from testlearn.services.pilots
    svg = charts.drawing_to_svg(charts.results_chart(rows))
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.graphics import renderSVG
from reportlab.graphics.shapes import Circle, Drawing, Group, Line, Polygon, Rect, String
from reportlab.lib import colors
from reportlab.lib.attrmap import AttrMap, AttrMapValue
from reportlab.lib.validators import isString
from reportlab.pdfbase.pdfmetrics import stringWidth

from reports import numbers
from reports.chart_marks import VERDICT_FILLS as VERDICT_PATTERNS
from reports.chart_marks import fill_for, nice_ticks, patterned_rect, tick_text
from reports.page import TEXT_WIDTH, fonts
from reports.verdict_words import chart_label, verdict_name
from testlearn.domain.pilot_detail import PilotDetail

BLUE = colors.HexColor("#1d70b8")
GREEN = colors.HexColor("#00703c")
RED = colors.HexColor("#d4351c")
GREY = colors.HexColor("#505a5f")
LIGHT = colors.HexColor("#b1b4b6")
#: The verdicts in the order their segments are stacked.
VERDICT_FILLS = VERDICT_PATTERNS


class ChartDrawing(Drawing):  # type: ignore[misc]  # reportlab ships no type information
    """A Drawing with a title and a text alternative, for the page and for screen readers."""

    _attrMap = AttrMap(
        BASE=Drawing,
        title=AttrMapValue(isString, desc="The chart's title"),
        description=AttrMapValue(isString, desc="A text alternative to the chart"),
    )

    def __init__(self, width: float, height: float, title: str = "", description: str = "") -> None:
        # Defaults only so that reportlab's copy() can make one before copying the properties.
        super().__init__(width, height)
        self.title = title
        self.description = description


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


def describe_results(rows: Sequence[ResultRow]) -> str:
    """The text alternative of ``results_chart``."""
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


#: The least text size of any chart, in points: what a reader of a printed page can read.
TEXT_SIZE = 9.0


def verdict_words(verdict: str) -> str:
    """A verdict as the charts print it; the one place the charts look a label up."""
    # The counts' words ("with a success verdict") make a key once the preposition goes.
    name = verdict_name(verdict).removeprefix("with a ")
    return name[:1].upper() + name[1:]


def row_words(row: ResultRow) -> str:
    """A result row's verdict as printed beside it, in the legend and in the description."""
    return row.words or chart_label(row.verdict, row.grade)


def results_chart(rows: Sequence[ResultRow], width: float = TEXT_WIDTH) -> ChartDrawing:
    """Estimate and interval against the benefit threshold and harm margin, one row each.

    Each row has its own axis, at round values through zero, so that every hypothesis is
    read in its own units; the worthwhile change and the harm margin are labelled with
    their values. The verdict is written in words at the right of each row.
    """
    f = fonts()
    top, row_height = 15.0, 44.0
    legend = _legend(rows, width)
    height = top + row_height * max(1, len(rows)) + legend.height
    title = "Results against the change worth having and the harm margin"
    drawing = ChartDrawing(width, height, title, describe_results(rows))
    drawing.add(String(0, height - 12, title, fontName=f.bold, fontSize=10))
    room = max((_right_width(row) for row in rows), default=0.0)
    plot_left, plot_right = 12.0, width - min(max(room, 90.0), width * 0.4) - 14
    for i, row in enumerate(rows):
        base = height - top - row_height * (i + 1)
        drawing.add(_result_row(row, base, plot_left, plot_right, width))
    if not rows:
        drawing.add(
            String(0, height - top - 30, "No analysed hypotheses.", fontName=f.regular, fontSize=9)
        )
    drawing.add(legend.group)
    return drawing


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


def _result_row(row: ResultRow, base: float, left: float, right: float, width: float) -> Group:
    f = fonts()
    group = Group()
    benefit, harm = _lines(row)
    est, low, high = (_scale(row, v) for v in (row.estimate, row.ci_low, row.ci_high))
    values = [0.0, benefit, harm] + [v for v in (est, low, high) if v is not None]
    ticks = nice_ticks(min(values), max(values))
    lo, hi = ticks[0], ticks[-1]

    def x(v: float) -> float:
        return left + (v - lo) / (hi - lo) * (right - left)

    axis_y = base + 13
    label = f"{row.label} ({_axis_unit(row)})" if _axis_unit(row) else row.label
    group.add(
        String(
            0,
            axis_y + 20,
            _fit(label, f.bold, TEXT_SIZE, right + 60),
            fontName=f.bold,
            fontSize=TEXT_SIZE,
        )
    )
    group.add(Line(left, axis_y, right, axis_y, strokeColor=LIGHT, strokeWidth=0.6))
    for tick in ticks:
        group.add(Line(x(tick), axis_y - 2, x(tick), axis_y, strokeColor=GREY, strokeWidth=0.6))
        group.add(
            String(
                x(tick),
                base + 3,
                tick_text(tick, ticks),
                fontName=f.bold if tick == 0 else f.regular,
                fontSize=TEXT_SIZE,
                textAnchor="middle",
                fillColor=GREY,
            )
        )
    group.add(Line(x(0), axis_y - 5, x(0), axis_y + 14, strokeColor=GREY, strokeWidth=0.8))
    # The two thresholds sit either side of zero, so each label goes on its outer side
    # and they never overprint each other; one that would run off the chart turns inward
    # (on the right it may reach over the verdict column, whose words sit lower).
    for value, colour, dash, text in (
        (benefit, GREEN, (4, 2), f"worthwhile {_short(benefit)}"),
        (harm, RED, (1, 2), f"harm {_short(harm)}"),
    ):
        group.add(
            Line(
                x(value),
                axis_y - 5,
                x(value),
                axis_y + 14,
                strokeColor=colour,
                strokeWidth=1,
                strokeDashArray=dash,
            )
        )
        outward_left = value < 0
        span = stringWidth(text, f.regular, TEXT_SIZE) + 3
        if outward_left and x(value) - span < 0:
            outward_left = False
        elif not outward_left and x(value) + span > width:
            outward_left = True
        group.add(
            String(
                x(value) + (-3 if outward_left else 3),
                axis_y + 8,
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
        group.add(_marker(row.verdict, x(est), axis_y))
    group.add(
        String(
            right + 12,
            axis_y - 3,
            _fit(row_words(row), f.bold, TEXT_SIZE, width - right - 12),
            fontName=f.bold,
            fontSize=TEXT_SIZE,
        )
    )
    if est is not None:
        group.add(
            String(
                right + 12,
                axis_y - 14,
                _fit(_estimate_text(row), f.regular, TEXT_SIZE, width - right - 12),
                fontName=f.regular,
                fontSize=TEXT_SIZE,
                fillColor=GREY,
            )
        )
    return group


def _marker(verdict: str, cx: float, cy: float, size: float = 5.0) -> Any:
    """A marker whose shape, not only its colour, says the verdict."""
    common = {"strokeColor": colors.black, "strokeWidth": 0.8}
    if verdict == "success":
        return Circle(cx, cy, size, fillColor=GREEN, **common)
    if verdict == "harm":
        return Polygon(
            [cx - size, cy + size, cx + size, cy + size, cx, cy - size], fillColor=RED, **common
        )
    if verdict == "no_meaningful_effect":
        return Rect(cx - size, cy - size, 2 * size, 2 * size, fillColor=colors.white, **common)
    if verdict == "non_inferior":
        return Polygon(
            [cx, cy + size, cx + size, cy, cx, cy - size, cx - size, cy],
            fillColor=colors.white,
            **common,
        )
    return Circle(cx, cy, size, fillColor=colors.white, **common)


@dataclass(frozen=True)
class _Legend:
    group: Group
    height: float


def _legend(rows: Sequence[ResultRow], width: float) -> _Legend:
    """The interval bar and the marker of each verdict shown, in words, wrapped to fit."""
    f = fonts()
    level = rows[0].ci_level if rows else 0.95
    items: list[tuple[str | None, str]] = [(None, f"{level:.0%} confidence interval")]
    # One key entry per marker shape: the shape follows the verdict, the words the row.
    shapes: dict[str, str] = {}
    for row in rows:
        shapes.setdefault(row.verdict, row_words(row))
    items.extend((shown, words.lower()) for shown, words in shapes.items())
    lines: list[list[tuple[str | None, str, float]]] = [[]]
    used = 0.0
    for marker, words in items:
        span = 18 + stringWidth(words, f.regular, TEXT_SIZE) + 12
        if lines[-1] and used + span > width:
            lines.append([])
            used = 0.0
        lines[-1].append((marker, words, used))
        used += span
    group = Group()
    line_height = TEXT_SIZE + 4
    for n, line in enumerate(lines):
        y = 2 + line_height * (len(lines) - 1 - n)
        for verdict, text, x0 in line:
            if verdict is None:
                group.add(Line(x0, y + 3, x0 + 14, y + 3, strokeColor=BLUE, strokeWidth=3))
            else:
                group.add(_marker(verdict, x0 + 7, y + 3, size=3.5))
            group.add(String(x0 + 18, y, text, fontName=f.regular, fontSize=TEXT_SIZE))
    return _Legend(group, line_height * len(lines) + 2)


@dataclass(frozen=True)
class PeriodPoint:
    """The outcome of one group in one period."""

    group: str  # "pilot" or "comparator"
    period: str  # "before" or "after"
    value: float


def outcome_points(detail: PilotDetail, code: str) -> list[PeriodPoint]:
    """The before/after levels of one hypothesis's groups, from its stored result."""
    h = detail.hypothesis(code)
    result = h.current_result if h is not None else None
    if result is None:
        return []
    points = []
    for arm in result.detail.get("arms", []):
        if arm.get("period") in ("before", "after") and arm.get("mean") is not None:
            points.append(PeriodPoint(arm["arm"], arm["period"], float(arm["mean"])))
    return points


def outcome_over_time_chart(
    points: Sequence[PeriodPoint],
    *,
    outcome: str,
    outcome_type: str,
    unit: str = "",
    labels: Mapping[str, str] | None = None,
    width: float = TEXT_WIDTH,
    height: float = 150,
) -> ChartDrawing:
    """The outcome before and after, one line per group, labelled at both ends."""
    f = fonts()
    names = {"pilot": "pilot", "comparator": "comparator", **(labels or {})}
    series: dict[str, dict[str, float]] = {}
    for p in points:
        series.setdefault(p.group, {})[p.period] = p.value

    def show(v: float) -> str:
        return numbers.arm_value(v, outcome_type, unit)

    parts = [
        f"{names.get(g, g)}: before {show(s['before'])}, after {show(s['after'])}"
        for g, s in series.items()
        if "before" in s and "after" in s
    ]
    title = f"{outcome[:1].upper()}{outcome[1:]}, before and after"
    drawing = ChartDrawing(width, height, title, "; ".join(parts) + "." if parts else "No data.")
    drawing.add(String(0, height - 12, _clip(title, 95), fontName=f.bold, fontSize=10))
    values = [v for s in series.values() for v in s.values()]
    if not values:
        return drawing
    lo, hi = min(values), max(values)
    pad = (hi - lo) * 0.15 or abs(hi) * 0.1 or 1.0
    lo, hi = max(0.0, lo - pad) if lo >= 0 else lo - pad, hi + pad
    bottom, top = 24.0, height - 30.0
    x_before, x_after = 185.0, width - 185.0

    def y(v: float) -> float:
        return bottom + (v - lo) / (hi - lo) * (top - bottom)

    drawing.add(Line(x_before - 20, bottom, x_after + 20, bottom, strokeColor=LIGHT))
    for xpos, text in ((x_before, "before"), (x_after, "after")):
        drawing.add(
            String(
                xpos,
                bottom - 12,
                text,
                fontName=f.regular,
                fontSize=TEXT_SIZE,
                textAnchor="middle",
                fillColor=GREY,
            )
        )
    styles = {"pilot": (BLUE, None, "circle"), "comparator": (GREY, (4, 2), "square")}
    for group, values_by_period in series.items():
        if "before" not in values_by_period or "after" not in values_by_period:
            continue
        colour, dash, shape = styles.get(group, (GREY, (1, 2), "square"))
        y0, y1 = y(values_by_period["before"]), y(values_by_period["after"])
        drawing.add(
            Line(
                x_before, y0, x_after, y1, strokeColor=colour, strokeWidth=1.6, strokeDashArray=dash
            )
        )
        for xpos, ypos in ((x_before, y0), (x_after, y1)):
            if shape == "circle":
                drawing.add(Circle(xpos, ypos, 3.5, fillColor=colour, strokeColor=colour))
            else:
                drawing.add(
                    Rect(xpos - 3, ypos - 3, 6, 6, fillColor=colors.white, strokeColor=colour)
                )
        name = _clip(names.get(group, group), 34)
        drawing.add(
            String(
                x_before - 8,
                y0 - 3,
                f"{name} {show(values_by_period['before'])}",
                fontName=f.regular,
                fontSize=TEXT_SIZE,
                textAnchor="end",
            )
        )
        drawing.add(
            String(
                x_after + 8,
                y1 - 3,
                f"{show(values_by_period['after'])} {name}",
                fontName=f.regular,
                fontSize=TEXT_SIZE,
            )
        )
    return drawing


def verdicts_by_mission_chart(
    counts: Mapping[str, Mapping[str, int]],
    mission_labels: Mapping[str, str],
    width: float = TEXT_WIDTH,
) -> ChartDrawing:
    """Stacked bars of primary verdicts per mission, with the counts written beside each bar.

    The columns are measured, not guessed: the mission names take the width of the longest
    (up to half the chart), the counts the width of the longest, and the bars what is left.
    When the counts would leave the bars too little room they go on a line of their own
    under each bar, so nothing is written past the edge of the chart (or of the page).
    Each verdict has a colour and a pattern, its count is written in its segment where it
    fits, and a key under the bars names each pattern, so no reader depends on colour.
    """
    f = fonts()
    size = TEXT_SIZE
    order = list(VERDICT_FILLS)
    bar, gap, top = 15.0, 10.0, 24.0
    rows = []
    for mission, by_verdict in counts.items():
        verdicts = sorted(by_verdict, key=lambda v: order.index(v) if v in order else 99)
        words = ", ".join(f"{by_verdict[v]} {verdict_name(v)}" for v in verdicts)
        rows.append((mission_labels.get(mission, mission), verdicts, by_verdict, words))
    label_room = min(
        max((stringWidth(r[0], f.regular, size) for r in rows), default=0.0), width * 0.5
    )
    left = label_room + 6
    counts_room = max((stringWidth(r[3], f.regular, size) for r in rows), default=0.0) + 6
    bar_width = width - left - counts_room
    below = bar_width < (width - left) * 0.3
    if below:
        bar_width = width - left - 2  # the outline of the longest bar stays on the chart
    row_height = bar + gap + (size + 3 if below else 0)
    shown = [v for v in order if any(v in r[1] for r in rows)]
    shown += sorted({v for r in rows for v in r[1]} - set(shown))
    key = _verdict_key(shown, width)
    height = top + row_height * max(1, len(rows)) + key.height
    largest = max((sum(c.values()) for c in counts.values()), default=1) or 1
    title = "Primary verdicts by mission"
    drawing = ChartDrawing(width, height, title, "")
    drawing.add(String(0, height - 12, title, fontName=f.bold, fontSize=10))
    described = []
    for i, (label, verdicts, by_verdict, words) in enumerate(rows):
        y0 = height - top - row_height * i - bar
        drawing.add(
            String(
                left - 6,
                y0 + 4,
                _fit(label, f.regular, size, label_room),
                fontName=f.regular,
                fontSize=size,
                textAnchor="end",
            )
        )
        x0 = left
        for verdict in verdicts:
            w = by_verdict[verdict] / largest * bar_width
            fill = fill_for(verdict)
            drawing.add(patterned_rect(x0, y0, w, bar, fill))
            number = str(by_verdict[verdict])
            if stringWidth(number, f.bold, size) + 6 <= w:
                # The count on a plain patch in its segment, legible on any pattern.
                patch = stringWidth(number, f.bold, size) + 4
                drawing.add(
                    Rect(
                        x0 + w / 2 - patch / 2,
                        y0 + 2.5,
                        patch,
                        bar - 5,
                        fillColor=colors.white,
                        strokeColor=None,
                    )
                )
                drawing.add(
                    String(
                        x0 + w / 2,
                        y0 + 4,
                        number,
                        fontName=f.bold,
                        fontSize=size,
                        textAnchor="middle",
                    )
                )
            x0 += w
        if below:
            # Under the bar, or as far left as keeps a long line of counts on the chart.
            start = max(0.0, min(left, width - 2 - stringWidth(words, f.regular, size)))
            drawing.add(String(start, y0 - size - 1, words, fontName=f.regular, fontSize=size))
        else:
            drawing.add(String(x0 + 6, y0 + 4, words, fontName=f.regular, fontSize=size))
        described.append(f"{label}: {words}")
    drawing.add(key.group)
    drawing.description = "; ".join(described) + "." if described else "No pilots."
    return drawing


def _verdict_key(verdicts: Sequence[str], width: float) -> _Legend:
    """A swatch of each verdict's colour and pattern with its name, wrapped to fit."""
    f = fonts()
    placed: list[list[tuple[str, float]]] = [[]]
    used = 0.0
    for verdict in verdicts:
        span = 22 + stringWidth(verdict_words(verdict), f.regular, TEXT_SIZE) + 14
        if placed[-1] and used + span > width:
            placed.append([])
            used = 0.0
        placed[-1].append((verdict, used))
        used += span
    group = Group()
    line_height = TEXT_SIZE + 6
    for n, line in enumerate(placed):
        y = 2 + line_height * (len(placed) - 1 - n)
        for verdict, x0 in line:
            group.add(patterned_rect(x0, y - 1, 18, 10, fill_for(verdict)))
            group.add(
                String(x0 + 22, y, verdict_words(verdict), fontName=f.regular, fontSize=TEXT_SIZE)
            )
    return _Legend(group, line_height * len(placed) + 4 if verdicts else 0.0)


def _fit(text: str, font: str, size: float, room: float) -> str:
    """``text``, shortened with an ellipsis only if it is wider than ``room`` points."""
    if stringWidth(text, font, size) <= room:
        return text
    while text and stringWidth(text + "…", font, size) > room:
        text = text[:-1]
    return text.rstrip() + "…"


def drawing_to_svg(drawing: Drawing) -> str:
    """SVG text of a drawing, with its title and text alternative for screen readers."""
    svg: str = renderSVG.drawToString(drawing)
    # The PDF's embedded font names mean nothing to a browser or to Qt's SVG renderer.
    svg = re.sub(r"font-family:\s*TL-Sans(-Bold|-Oblique)?", _svg_font, svg)
    svg = re.sub(r'font-family="TL-Sans(-Bold|-Oblique)?"', _svg_font_attr, svg)
    title = getattr(drawing, "title", "")
    description = getattr(drawing, "description", "")
    if title or description:
        svg = re.sub(
            r"(<svg\b[^>]*>)",
            lambda m: m.group(1) + f"<title>{_xml(title)}</title><desc>{_xml(description)}</desc>",
            svg,
            count=1,
        )
        svg = svg.replace("<svg ", '<svg role="img" ', 1)
    return svg


def _svg_font(match: re.Match[str]) -> str:
    weight = "; font-weight: bold" if match.group(1) == "-Bold" else ""
    return "font-family: 'DejaVu Sans', Arial, sans-serif" + weight


def _svg_font_attr(match: re.Match[str]) -> str:
    weight = ' font-weight="bold"' if match.group(1) == "-Bold" else ""
    return "font-family=\"'DejaVu Sans', Arial, sans-serif\"" + weight


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def row_digits(row: ResultRow) -> int:
    """Decimal places for a row's estimate and interval: one precision for all three."""
    values = (_scale(row, v) for v in (row.estimate, row.ci_low, row.ci_high))
    return min(numbers.decimals_for(*values), 2)


def _num(value: float | None, digits: int | None = None) -> str:
    if value is None or not math.isfinite(value):
        return "no bound"
    places = min(numbers.decimals_for(value), 2) if digits is None else digits
    return f"{value:.{places}f}"


def _short(value: float) -> str:
    """A threshold as it was entered: 3, not 3.00; 1.5, not 1.50."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
