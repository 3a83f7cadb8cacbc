"""The portfolio chart: each mission's pilots, counted by what their primary result means.

The counts are by the wording table's portfolio category (``reports.verdict_words``), the
same words and the same counting as the portfolio's summary, so the chart and the
sentence beside it agree: a gain from a before/after comparison is "Gain, no causal
claim" in both, never a "success" in one and not the other. Each category has a colour
and a pattern (``CATEGORY_FILLS``), its count is written in its segment where it fits,
the counts are written in words beside each bar, and a key names every pattern shown,
so no reader depends on colour.

Example::

    drawing = results_by_mission_chart(found, {m.value: m.label for m in Mission})
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from reportlab.graphics.shapes import Group, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from reports.chart_drawing import TEXT_SIZE, TITLE_SIZE, ChartDrawing, fit
from reports.chart_keys import Legend
from reports.chart_marks import Fill, patterned_rect
from reports.page import TEXT_WIDTH, fonts
from reports.verdict_words import category
from testlearn.domain.portfolio import NO_MISSION, Portfolio

_GREEN, _PALE_GREEN = colors.HexColor("#00703c"), colors.HexColor("#cce2d8")
_RED, _PALE_RED = colors.HexColor("#d4351c"), colors.HexColor("#f6d7d2")
_NONE = Fill(colors.HexColor("#f3f2f1"), "cross")

#: Each category's colour and pattern, in the order the segments are stacked: gains first,
#: then no difference, then losses, then what could not be told. A gain without a causal
#: claim is pale, so a bar reads as full-strength evidence only where it is.
CATEGORY_FILLS: dict[str, Fill] = {
    "Worked": Fill(_GREEN, "solid", colors.white),
    "Gain, size uncertain": Fill(_GREEN, "dots", colors.white),
    "Gain, no causal claim": Fill(_PALE_GREEN, "hatch", _GREEN),
    "Gain, size uncertain, no causal claim": Fill(_PALE_GREEN, "dots", _GREEN),
    "Gain smaller than worth having": Fill(_PALE_GREEN, "horizontal", _GREEN),
    "No worse, gain not shown": Fill(colors.HexColor("#85994b"), "horizontal", colors.white),
    "No worthwhile difference": Fill(colors.HexColor("#b1b4b6"), "solid"),
    "Small loss": Fill(_PALE_RED, "horizontal", _RED),
    "Small loss, no causal claim": Fill(_PALE_RED, "dots", _RED),
    "Loss, no causal claim": Fill(_PALE_RED, "hatch", _RED),
    "Made things worse": Fill(_RED, "hatch", colors.white),
    "Could not tell": Fill(colors.HexColor("#ffdd00"), "dots"),
    "No verdict": _NONE,
    "Not analysed": _NONE,
    "Result out of date": _NONE,
    "Fails verification": _NONE,
}


def category_fill(name: str) -> Fill:
    return CATEGORY_FILLS.get(name, _NONE)


def counts_by_mission(found: Portfolio) -> dict[str, dict[str, int]]:
    """Pilots counted by mission (in the portfolio's order) and by portfolio category."""
    order = list(CATEGORY_FILLS)
    table: dict[str, dict[str, int]] = {m: {} for m in found.missions}
    for p in found.pilots:
        row = table[p.mission]
        name = category(p.verdict, p.grade, p.evidence_level)
        row[name] = row.get(name, 0) + 1
    return {
        m: dict(sorted(row.items(), key=lambda kv: _rank(kv[0], order))) for m, row in table.items()
    }


def results_by_mission_chart(
    found: Portfolio,
    mission_labels: Mapping[str, str],
    width: float = TEXT_WIDTH,
) -> ChartDrawing:
    """Stacked bars of primary results per mission, with the counts written beside each bar.

    The columns are measured, not guessed: the mission names take the width of the longest
    (up to half the chart), the counts the width of the longest, and the bars what is left.
    When the counts would leave the bars too little room they go under each bar, on as
    many lines as they need, so nothing is written past the edge of the chart (or page).
    """
    f = fonts()
    size = TEXT_SIZE
    counts = counts_by_mission(found)
    bar, gap, top = 15.0, 10.0, 24.0
    rows = []
    for mission, by_category in counts.items():
        # "; " as the summary has it: the categories have commas of their own.
        words = "; ".join(f"{n} {name.lower()}" for name, n in by_category.items())
        rows.append((mission_labels.get(mission, _no_mission(mission)), by_category, words))
    label_room = min(
        max((stringWidth(r[0], f.regular, size) for r in rows), default=0.0), width * 0.5
    )
    left = label_room + 6
    counts_room = max((stringWidth(r[2], f.regular, size) for r in rows), default=0.0) + 6
    bar_width = width - left - counts_room
    below = bar_width < (width - left) * 0.3
    if below:
        bar_width = width - left - 2  # the outline of the longest bar stays on the chart
    # Under the bars, the counts wrap at their "; " rather than run off the chart.
    wrapped = [_wrap(r[2], width - left) if below else [r[2]] for r in rows]
    heights = [bar + gap + ((size + 3) * len(w) if below else 0) for w in wrapped]
    order = list(CATEGORY_FILLS)
    shown = sorted({name for r in rows for name in r[1]}, key=lambda c: _rank(c, order))
    key = _category_key(shown, width)
    height = top + (sum(heights) if rows else bar + gap) + key.height
    largest = max((sum(c.values()) for c in counts.values()), default=1) or 1
    title = "Primary results by mission"
    drawing = ChartDrawing(width, height, title, "")
    drawing.add(String(0, height - 12, title, fontName=f.bold, fontSize=TITLE_SIZE))
    described = []
    y0 = height - top
    for (label, by_category, words), lines, row_height in zip(rows, wrapped, heights, strict=True):
        y0 -= bar
        drawing.add(
            String(
                left - 6,
                y0 + 4,
                fit(label, f.regular, size, label_room),
                fontName=f.regular,
                fontSize=size,
                textAnchor="end",
            )
        )
        x0 = left
        for name, n in by_category.items():
            w = n / largest * bar_width
            drawing.add(patterned_rect(x0, y0, w, bar, category_fill(name)))
            drawing.add(_count(str(n), x0, y0, w, bar))
            x0 += w
        if below:
            for k, line in enumerate(lines):
                y = y0 - (size + 1) - (size + 3) * k
                drawing.add(String(left, y, line, fontName=f.regular, fontSize=size))
        else:
            drawing.add(String(x0 + 6, y0 + 4, words, fontName=f.regular, fontSize=size))
        described.append(f"{label}: {words}")
        y0 -= row_height - bar
    drawing.add(key.group)
    drawing.description = ". ".join(described) + "." if described else "No pilots."
    return drawing


def _count(number: str, x0: float, y0: float, w: float, bar: float) -> Group:
    """A segment's count on a plain patch in its middle, legible on any pattern."""
    f = fonts()
    group = Group()
    if stringWidth(number, f.bold, TEXT_SIZE) + 6 > w:
        return group  # too narrow: the words beside the bar carry the count
    patch = stringWidth(number, f.bold, TEXT_SIZE) + 4
    group.add(
        Rect(
            x0 + w / 2 - patch / 2,
            y0 + 2.5,
            patch,
            bar - 5,
            fillColor=colors.white,
            strokeColor=None,
        )
    )
    group.add(
        String(x0 + w / 2, y0 + 4, number, fontName=f.bold, fontSize=TEXT_SIZE, textAnchor="middle")
    )
    return group


def _category_key(names: Sequence[str], width: float) -> Legend:
    """A swatch of each category's colour and pattern with its name, wrapped to fit."""
    f = fonts()
    placed: list[list[tuple[str, float]]] = [[]]
    used = 0.0
    for name in names:
        span = 22 + stringWidth(name, f.regular, TEXT_SIZE) + 14
        if placed[-1] and used + span > width:
            placed.append([])
            used = 0.0
        placed[-1].append((name, used))
        used += span
    group = Group()
    line_height = TEXT_SIZE + 6
    for n, line in enumerate(placed):
        y = 3 + line_height * (len(placed) - 1 - n)
        for name, x0 in line:
            group.add(patterned_rect(x0, y - 1, 18, 10, category_fill(name)))
            group.add(String(x0 + 22, y, name, fontName=f.regular, fontSize=TEXT_SIZE))
    return Legend(group, line_height * len(placed) + 5 if names else 0.0)


def _wrap(words: str, room: float) -> list[str]:
    """``words`` ("1 worked; 2 could not tell") in lines no wider than ``room``."""
    f = fonts()
    lines = [""]
    for part in words.split("; "):
        joined = f"{lines[-1]}; {part}" if lines[-1] else part
        if lines[-1] and stringWidth(joined + ";", f.regular, TEXT_SIZE) > room:
            lines[-1] += ";"
            lines.append(part)
        else:
            lines[-1] = joined
    return lines


def _rank(name: str, order: list[str]) -> int:
    return order.index(name) if name in order else len(order)


def _no_mission(code: str) -> str:
    return "No mission" if code == NO_MISSION else code
