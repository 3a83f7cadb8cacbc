"""Value axes for the report charts: round ticks through zero, labels clear of every line.

A tick label sits below its axis (or to the left of an upright one) and every reference
line a chart draws (zero, the worthwhile change, the harm margin) stops at ``LINE_FOOT``
above the axis, short of the labels' tops, so no line strikes through a number.
``text_box`` is the space a label takes on the page, so a chart can keep labels apart.

Example::

    group = Group()
    x_of = horizontal_axis(group, nice_ticks(-4.99, 4.99), left=12, right=300, y=40)
    group.add(reference_line(x_of(0), 40, 54, GREY))
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from reportlab.graphics.shapes import Group, Line, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import getAscentDescent, stringWidth

from reports.chart_drawing import GREY, LIGHT, TEXT_SIZE
from reports.chart_marks import nice_ticks, tick_text
from reports.page import fonts

#: How far below a horizontal axis its tick labels' baseline sits.
LABEL_DROP = 13.0
#: How far below the axis a reference line may reach: past the tick marks, not the labels.
LINE_FOOT = 3.0


def text_box(s: String) -> tuple[float, float, float, float]:
    """The box ``s`` takes on the page: left, bottom, right, top, in points."""
    width = float(stringWidth(s.text, s.fontName, s.fontSize))
    ascent, descent = getAscentDescent(s.fontName, s.fontSize)
    left = {"start": s.x, "middle": s.x - width / 2, "end": s.x - width}.get(s.textAnchor, s.x)
    return left, s.y + descent, left + width, s.y + ascent


def horizontal_axis(
    group: Group,
    ticks: Sequence[float],
    *,
    left: float,
    right: float,
    y: float,
    show: Callable[[float], str] | None = None,
) -> Callable[[float], float]:
    """An axis from ``left`` to ``right`` at height ``y``, ticked and labelled below.

    Zero's label is bold. Returns the function from a value to its x on the axis.
    """
    f = fonts()
    lo, hi = ticks[0], ticks[-1]

    def x_of(v: float) -> float:
        return left + (v - lo) / (hi - lo) * (right - left)

    label = show or (lambda t: tick_text(t, list(ticks)))
    group.add(Line(left, y, right, y, strokeColor=LIGHT, strokeWidth=0.6))
    for tick in ticks:
        group.add(Line(x_of(tick), y - 2, x_of(tick), y, strokeColor=GREY, strokeWidth=0.6))
        group.add(
            String(
                x_of(tick),
                y - LABEL_DROP,
                label(tick),
                fontName=f.bold if tick == 0 else f.regular,
                fontSize=TEXT_SIZE,
                textAnchor="middle",
                fillColor=GREY,
            )
        )
    return x_of


def vertical_axis(
    group: Group,
    ticks: Sequence[float],
    *,
    x: float,
    bottom: float,
    top: float,
    show: Callable[[float], str] | None = None,
) -> Callable[[float], float]:
    """An upright axis at ``x`` from ``bottom`` to ``top``, labelled on its left.

    Returns the function from a value to its height on the axis.
    """
    f = fonts()
    lo, hi = ticks[0], ticks[-1]

    def y_of(v: float) -> float:
        return bottom + (v - lo) / (hi - lo) * (top - bottom)

    label = show or (lambda t: tick_text(t, list(ticks)))
    group.add(Line(x, bottom, x, top, strokeColor=LIGHT, strokeWidth=0.6))
    for tick in ticks:
        group.add(Line(x - 3, y_of(tick), x, y_of(tick), strokeColor=GREY, strokeWidth=0.6))
        group.add(
            String(
                x - 5,
                y_of(tick) - TEXT_SIZE * 0.35,
                label(tick),
                fontName=f.bold if tick == 0 else f.regular,
                fontSize=TEXT_SIZE,
                textAnchor="end",
                fillColor=GREY,
            )
        )
    return y_of


#: How far above zero a broken axis resumes, and the gap the break mark sits in.
BREAK_RISE = 24.0


def range_ticks(low: float, high: float, most: int = 5) -> list[float]:
    """Round ticks covering ``low`` to ``high`` only (not through zero), for a broken axis."""
    span = nice_ticks(0.0, max(high - low, abs(high) * 1e-6, 1e-9), most)
    step = span[1] - span[0]
    first, last = math.floor(low / step + 1e-9), math.ceil(high / step - 1e-9)
    if last == first:
        last += 1
    return [round(i * step, 12) for i in range(first, last + 1)]


def wants_break(low: float, high: float) -> bool:
    """Whether positive values lie so far from zero that an axis from zero would flatten them.

    Levels of 58.9% and 63.4% on an axis from zero differ by a few points of height, so
    two groups' lines lie on top of each other; above a broken axis they can be read.
    """
    return low > 0 and high - low < 0.4 * high


def broken_vertical_axis(
    group: Group,
    ticks: Sequence[float],
    *,
    x: float,
    bottom: float,
    top: float,
    show: Callable[[float], str] | None = None,
) -> Callable[[float], float]:
    """An upright axis labelled 0 at ``bottom``, broken, then ``ticks`` up to ``top``.

    The break is drawn as two slanted strokes across the axis, so a reader sees that the
    distance from zero is not to scale; zero is still on the axis and labelled.
    """
    f = fonts()
    lo, hi = ticks[0], ticks[-1]
    start = bottom + BREAK_RISE

    def y_of(v: float) -> float:
        return start + (v - lo) / (hi - lo) * (top - start)

    vertical_axis(group, ticks, x=x, bottom=start, top=top, show=show)
    group.add(Line(x, bottom, x, bottom + 8, strokeColor=LIGHT, strokeWidth=0.6))
    group.add(Line(x, bottom + 14, x, start, strokeColor=LIGHT, strokeWidth=0.6))
    for rise in (8.0, 14.0):
        group.add(Line(x - 4, bottom + rise - 2, x + 4, bottom + rise + 2, strokeColor=GREY))
    group.add(Line(x - 3, bottom, x, bottom, strokeColor=GREY, strokeWidth=0.6))
    group.add(
        String(
            x - 5,
            bottom - TEXT_SIZE * 0.35,
            "0",
            fontName=f.bold,
            fontSize=TEXT_SIZE,
            textAnchor="end",
            fillColor=GREY,
        )
    )
    return y_of


def reference_line(
    x: float,
    axis_y: float,
    height: float,
    colour: colors.Color,
    dash: tuple[float, float] | None = None,
    width: float = 1.0,
) -> Line:
    """An upright line at ``x`` from just below the axis (clear of its labels) up ``height``."""
    return Line(
        x,
        axis_y - LINE_FOOT,
        x,
        axis_y + height,
        strokeColor=colour,
        strokeWidth=width,
        strokeDashArray=dash,
    )


def spread(wanted: Sequence[float], gap: float, low: float, high: float) -> list[float]:
    """Label heights as near ``wanted`` as can be, at least ``gap`` apart, within bounds.

    Two groups whose values are close (59.6% and 58.9%) would print one label over the
    other; each is moved the least it must be, keeping the labels in the values' order.
    """
    order = sorted(range(len(wanted)), key=lambda i: wanted[i])
    placed = [min(max(wanted[i], low), high) for i in order]
    for n in range(1, len(placed)):
        placed[n] = max(placed[n], placed[n - 1] + gap)
    overflow = placed[-1] - high if placed else 0.0
    if overflow > 0:
        placed[-1] -= overflow
        for n in range(len(placed) - 2, -1, -1):
            placed[n] = min(placed[n], placed[n + 1] - gap)
    out = [0.0] * len(wanted)
    for n, i in enumerate(order):
        out[i] = placed[n]
    return out
