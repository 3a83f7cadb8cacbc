"""What a reader of any chart needs, checked on its reportlab drawing.

Shared by the unit tests of each chart and the tests that read every demo report's charts.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from reportlab.graphics.shapes import Group, Line, String

from reports.chart_axes import text_box
from reports.chart_drawing import GREY

Box = tuple[float, float, float, float]


def strings(node: Any) -> Iterator[String]:
    for child in getattr(node, "contents", []):
        if isinstance(child, String):
            yield child
        elif isinstance(child, Group):
            yield from strings(child)


def lines(node: Any) -> Iterator[Line]:
    for child in getattr(node, "contents", []):
        if isinstance(child, Line):
            yield child
        elif isinstance(child, Group):
            yield from lines(child)


def is_tick_label(s: String) -> bool:
    """An axis's number: grey, and nothing but the number (and a per cent sign)."""
    return s.fillColor == GREY and re.fullmatch(r"-?[\d,.]+%?", s.text) is not None


def small_text(drawing: Any) -> list[tuple[str, float]]:
    return [(s.text, s.fontSize) for s in strings(drawing) if s.fontSize < 9]


def overlapping_labels(drawing: Any) -> list[tuple[str, str]]:
    """Pairs of labels whose boxes overlap (by more than a hair)."""
    placed = [(s.text, text_box(s)) for s in strings(drawing)]
    found = []
    for i, (a, box_a) in enumerate(placed):
        for b, box_b in placed[i + 1 :]:
            if _overlap(box_a, box_b, 0.3):
                found.append((a, b))
    return found


def lines_through_tick_labels(drawing: Any) -> list[tuple[float, str]]:
    """Upright reference lines (longer than a tick mark) that cross a tick label's box."""
    ticks = [(s.text, text_box(s)) for s in strings(drawing) if is_tick_label(s)]
    found = []
    for line in lines(drawing):
        if line.x1 != line.x2 or abs(line.y2 - line.y1) <= 4:
            continue
        low, high = sorted((line.y1, line.y2))
        for text, (left, bottom, right, top) in ticks:
            if left < line.x1 < right and low < top and high > bottom:
                found.append((line.x1, text))
    return found


def text_past_the_edge(drawing: Any) -> list[str]:
    """Labels that run off any side of the chart (onto the text beside it on the page)."""
    found = []
    for s in strings(drawing):
        left, bottom, right, top = text_box(s)
        if left < -0.5 or right > drawing.width + 0.5 or bottom < -0.5 or top > drawing.height:
            found.append(s.text)
    return found


def numbers_not_described(drawing: Any) -> list[str]:
    """Numbers a chart prints (other than its axes' ticks) that its text alternative lacks."""
    described = {_value(n) for n in re.findall(r"-?\d[\d,]*\.?\d*", drawing.description)}
    missing = []
    for s in strings(drawing):
        if is_tick_label(s) or s.text == drawing.title or _is_axis_title(s):
            continue
        for number in re.findall(r"-?\d[\d,]*\.?\d*", s.text):
            if _value(number) not in described and not _is_code(s.text, number):
                missing.append(f"{number} in {s.text!r}")
    return missing


def _is_axis_title(s: String) -> bool:
    """An axis's name ("per cent (axis broken between 0 and 58%)"): grey words."""
    return s.fillColor == GREY and s.text[:1].isalpha()


def _is_code(text: str, number: str) -> bool:
    """A hypothesis code (H1) or a number inside a name, not a value the chart shows."""
    return re.search(rf"[A-Za-z£]{re.escape(number)}\b", text) is not None


def _value(number: str) -> float:
    return round(float(number.replace(",", "").rstrip(".")), 6)


def _overlap(a: Box, b: Box, hair: float) -> bool:
    return min(a[2], b[2]) - max(a[0], b[0]) > hair and min(a[3], b[3]) - max(a[1], b[1]) > hair
