"""The keys of the report charts, and the marker shapes the results chart keys.

A marker's shape, not only its colour, says the verdict (a filled circle worked, a
triangle harm, a square no worthwhile difference, a diamond no worse), so the results
chart reads in greyscale; its key names each shape shown in the wording table's words.

Example::

    key = results_key(0.95, {"success": "Worked"}, width=480)
    drawing.add(key.group)        # drawn from the bottom of the chart up key.height
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from reportlab.graphics.shapes import Circle, Group, Line, Polygon, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from reports.chart_drawing import BLUE, GREEN, RED, TEXT_SIZE
from reports.page import fonts


def marker(verdict: str, cx: float, cy: float, size: float = 5.0) -> Any:
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
class Legend:
    """A chart's key, drawn from the bottom of the chart up ``height`` points."""

    group: Group
    height: float


def results_key(level: float, shapes: Mapping[str, str], width: float) -> Legend:
    """The interval bar and the marker of each verdict shown (``shapes``: verdict to its
    words), wrapped to fit ``width``."""
    f = fonts()
    items: list[tuple[str | None, str]] = [(None, f"{level:.0%} confidence interval")]
    items.extend((shown, words.lower()) for shown, words in shapes.items())
    lines: list[list[tuple[str | None, str, float]]] = [[]]
    used = 0.0
    for shape, words in items:
        span = 18 + stringWidth(words, f.regular, TEXT_SIZE) + 12
        if lines[-1] and used + span > width:
            lines.append([])
            used = 0.0
        lines[-1].append((shape, words, used))
        used += span
    group = Group()
    line_height = TEXT_SIZE + 4
    for n, line in enumerate(lines):
        y = 3 + line_height * (len(lines) - 1 - n)
        for verdict, text, x0 in line:
            if verdict is None:
                group.add(Line(x0, y + 3, x0 + 14, y + 3, strokeColor=BLUE, strokeWidth=3))
            else:
                group.add(marker(verdict, x0 + 7, y + 3, size=3.5))
            group.add(String(x0 + 18, y, text, fontName=f.regular, fontSize=TEXT_SIZE))
    return Legend(group, line_height * len(lines) + 3)
