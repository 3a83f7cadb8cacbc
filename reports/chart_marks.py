"""The marks the report charts share: round axis ticks and patterned fills.

An axis that ends at -4.99 and 4.99 asks the reader to do arithmetic and hides where zero
is; ticks at 1, 2, 2.5 or 5 times a power of ten, always through zero, do not. A fill that
is near-black or white tells two results apart by colour alone and prints as an empty box;
each result a chart fills (``chart_portfolio.CATEGORY_FILLS``) has a colour from the GOV.UK
palette and a pattern, so the bars read in greyscale and to a reader who cannot tell red
from green.

Example::

    ticks = nice_ticks(-4.99, 4.99)        # [-5.0, -2.5, 0.0, 2.5, 5.0]
    [tick_text(t, ticks) for t in ticks]   # ['-5.0', '-2.5', '0', '2.5', '5.0']
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from reportlab.graphics.shapes import Group, Line, Rect
from reportlab.lib import colors

_STEPS = (1.0, 2.0, 2.5, 5.0, 10.0)


def nice_ticks(low: float, high: float, most: int = 6) -> list[float]:
    """Round ticks covering ``low`` to ``high`` and zero, at most ``most`` of them."""
    low, high = min(low, 0.0, high), max(high, 0.0, low)
    if not (math.isfinite(low) and math.isfinite(high)) or high - low <= 0:
        return [-1.0, 0.0, 1.0]
    raw = (high - low) / max(1, most - 1)
    power = 10.0 ** math.floor(math.log10(raw))
    candidates = [m * power * scale for scale in (1.0, 10.0, 100.0) for m in _STEPS]
    for step in candidates:
        first, last = math.floor(low / step + 1e-9), math.ceil(high / step - 1e-9)
        if last - first + 1 <= most:
            break
    ticks = [round(i * step, 12) for i in range(first, last + 1)]
    return [0.0 if t == 0 else t for t in ticks]


def tick_text(value: float, ticks: list[float]) -> str:
    """A tick's label, with as many decimals as the step needs (0 always as "0")."""
    if value == 0:
        return "0"
    step = abs(ticks[1] - ticks[0]) if len(ticks) > 1 else 1.0
    places = 0
    while places < 6 and abs(round(step, places) - step) > 1e-9:
        places += 1
    return f"{value:.{places}f}"


@dataclass(frozen=True)
class Fill:
    """How a verdict's segment is painted: a colour and a pattern drawn over it."""

    colour: colors.Color
    pattern: str  # "solid", "hatch" (diagonal), "cross", "dots", "horizontal"
    ink: colors.Color = colors.black  # the pattern's and the count's colour


def patterned_rect(x: float, y: float, w: float, h: float, fill: Fill) -> Group:
    """A rectangle in ``fill``'s colour with its pattern drawn inside, outlined in black."""
    group = Group()
    group.add(Rect(x, y, w, h, fillColor=fill.colour, strokeColor=None))
    ink = {"strokeColor": fill.ink, "strokeWidth": 0.7}
    if fill.pattern in ("hatch", "cross"):
        for x0, y0, x1, y1 in _diagonals(x, y, w, h, 4.0):
            group.add(Line(x0, y0, x1, y1, **ink))
        if fill.pattern == "cross":
            for x0, y0, x1, y1 in _diagonals(x, y, w, h, 4.0):
                group.add(Line(x0, y1, x1, y0, **ink))
    elif fill.pattern == "horizontal":
        for level in (h / 3, 2 * h / 3):
            group.add(Line(x, y + level, x + w, y + level, **ink))
    elif fill.pattern == "dots":
        cx = x + 2.0
        while cx < x + w - 1:
            for cy in (y + h / 4, y + 3 * h / 4):
                group.add(Rect(cx - 0.6, cy - 0.6, 1.2, 1.2, fillColor=fill.ink, strokeColor=None))
            cx += 4.0
    group.add(Rect(x, y, w, h, fillColor=None, strokeColor=colors.black, strokeWidth=0.6))
    return group


def _diagonals(
    x: float, y: float, w: float, h: float, gap: float
) -> list[tuple[float, float, float, float]]:
    """Lines at 45 degrees every ``gap`` points, cut to the rectangle."""
    out = []
    start = x - h
    while start < x + w:
        x0, y0, x1, y1 = start, y, start + h, y + h
        if x0 < x:
            y0 += x - x0
            x0 = x
        if x1 > x + w:
            y1 -= x1 - (x + w)
            x1 = x + w
        if x1 > x0:
            out.append((x0, y0, x1, y1))
        start += gap
    return out
