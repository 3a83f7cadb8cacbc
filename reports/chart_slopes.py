"""The slope chart: a pilot's outcome before and after, against its comparator.

For before/after and difference-in-differences designs. Each group is a line from its
level before to its level after, with its value at both ends and its name at the end.
An upright axis on the left, at round values with zero labelled, lets a reader judge the
size of the change as well as its direction; where the levels lie far from zero (58.9%
and 63.4%) the axis is broken above zero, with the break drawn and named, so that two
groups' lines do not lie on top of each other. Groups are told apart by dash pattern,
marker and name, not by colour alone, and labels of close values are moved apart rather
than overprinted.

Example::

    points = outcome_points(detail, "H1")
    drawing = outcome_over_time_chart(points, outcome="pathways", outcome_type="binary")
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from reportlab.graphics.shapes import Circle, Group, Line, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from reports import numbers
from reports.chart_axes import (
    broken_vertical_axis,
    range_ticks,
    spread,
    vertical_axis,
    wants_break,
)
from reports.chart_drawing import (
    BLUE,
    GREY,
    LIGHT,
    TEXT_SIZE,
    TITLE_SIZE,
    ChartDrawing,
    clip,
    fit,
)
from reports.chart_marks import nice_ticks, tick_text
from reports.page import TEXT_WIDTH, fonts
from testlearn.domain.pilot_detail import PilotDetail


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


_STYLES = {"pilot": (BLUE, None, "circle"), "comparator": (GREY, (4.0, 2.0), "square")}
#: The most a group's value and name may take beside the end of its line.
_LABEL_ROOM = 220.0


def outcome_over_time_chart(
    points: Sequence[PeriodPoint],
    *,
    outcome: str,
    outcome_type: str,
    unit: str = "",
    labels: Mapping[str, str] | None = None,
    width: float = TEXT_WIDTH,
    height: float = 170,
) -> ChartDrawing:
    """The outcome before and after, one line per group, labelled at both ends."""
    f = fonts()
    names = {"pilot": "pilot", "comparator": "comparator", **(labels or {})}
    series: dict[str, dict[str, float]] = {}
    for p in points:
        series.setdefault(p.group, {})[p.period] = p.value
    complete = {g: s for g, s in series.items() if "before" in s and "after" in s}

    def show(v: float) -> str:
        return numbers.arm_value(v, outcome_type, unit)

    parts = [
        f"{names.get(g, g)}: before {show(s['before'])}, after {show(s['after'])}"
        for g, s in complete.items()
    ]
    title = f"{outcome[:1].upper()}{outcome[1:]}, before and after"
    drawing = ChartDrawing(width, height, title, "; ".join(parts) + "." if parts else "No data.")
    drawing.add(String(0, height - 12, clip(title, 95), fontName=f.bold, fontSize=TITLE_SIZE))
    if not complete:
        return drawing
    percent = outcome_type == numbers.BINARY
    factor = 100.0 if percent else 1.0
    values = [v * factor for s in complete.values() for v in s.values()]
    broken = wants_break(min(values), max(values))
    ticks = (
        range_ticks(min(values), max(values)) if broken else nice_ticks(min(values), max(values))
    )

    def tick_label(t: float) -> str:
        text = tick_text(t, ticks)
        if abs(t) >= 1000:
            text = f"{t:,.0f}"
        return text + "%" if percent and t != 0 else text

    axis_x = max(stringWidth(tick_label(t), f.regular, TEXT_SIZE) for t in ticks) + 8
    bottom, top = 24.0, height - 40.0
    axis_title = "per cent" if percent else unit
    if broken:
        broken_note = f"axis broken between 0 and {tick_label(ticks[0])}"
        axis_title = f"{axis_title} ({broken_note})" if axis_title else broken_note
    group = Group()
    if axis_title:
        group.add(
            String(0, top + 8, axis_title, fontName=f.regular, fontSize=TEXT_SIZE, fillColor=GREY)
        )
    axis = broken_vertical_axis if broken else vertical_axis
    y_of = axis(group, ticks, x=axis_x, bottom=bottom, top=top, show=tick_label)
    # Values at both ends, the name once at the right, where the eye ends: a name at
    # each end would leave the lines no room on the page.
    # The unit is the axis's name, so the values beside the lines go without it.
    left_texts = {g: numbers.arm_value(s["before"], outcome_type) for g, s in complete.items()}
    right_texts = {
        g: _label(names.get(g, g), numbers.arm_value(s["after"], outcome_type))
        for g, s in complete.items()
    }
    left_room = max(stringWidth(t, f.regular, TEXT_SIZE) for t in left_texts.values())
    right_room = max(stringWidth(t, f.regular, TEXT_SIZE) for t in right_texts.values())
    x_before = axis_x + 14 + left_room
    x_after = width - 10 - right_room
    group.add(Line(axis_x, bottom, x_after + 20, bottom, strokeColor=LIGHT, strokeWidth=0.6))
    for xpos, text in ((x_before, "before"), (x_after, "after")):
        group.add(
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
    order = list(complete)
    gap, low, high = TEXT_SIZE + 2, bottom, top
    starts = spread([y_of(complete[g]["before"] * factor) - 3 for g in order], gap, low, high)
    ends = spread([y_of(complete[g]["after"] * factor) - 3 for g in order], gap, low, high)
    for n, name in enumerate(order):
        colour, dash, shape = _STYLES.get(name, (GREY, (1.0, 2.0), "square"))
        y0 = y_of(complete[name]["before"] * factor)
        y1 = y_of(complete[name]["after"] * factor)
        group.add(
            Line(
                x_before, y0, x_after, y1, strokeColor=colour, strokeWidth=1.6, strokeDashArray=dash
            )
        )
        for xpos, ypos in ((x_before, y0), (x_after, y1)):
            if shape == "circle":
                group.add(Circle(xpos, ypos, 3.5, fillColor=colour, strokeColor=colour))
            else:
                group.add(
                    Rect(xpos - 3, ypos - 3, 6, 6, fillColor=colors.white, strokeColor=colour)
                )
        group.add(
            String(
                x_before - 8,
                starts[n],
                left_texts[name],
                fontName=f.regular,
                fontSize=TEXT_SIZE,
                textAnchor="end",
            )
        )
        group.add(
            String(
                x_after + 8,
                ends[n],
                right_texts[name],
                fontName=f.regular,
                fontSize=TEXT_SIZE,
            )
        )
    drawing.add(group)
    return drawing


def _label(name: str, value: str) -> str:
    """A group's value and name, the name shortened (never the value) to fit its room."""
    f = fonts()
    room = _LABEL_ROOM - stringWidth(f"{value} ", f.regular, TEXT_SIZE)
    return f"{value} {fit(name, f.regular, TEXT_SIZE, room)}"
