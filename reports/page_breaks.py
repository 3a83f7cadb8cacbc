"""Where a report's pages may break: headings kept with what follows, no page left mostly white,
no table row left alone.

``keep_with_next`` puts a conditional page break before each heading or caption (marked with
``kept_with_next``), so that none ends a page without the first lines of what follows it;
``new_page`` is the break a section asking for a page of its own gets, which a short page
does not take; ``keep_rows`` keeps a short table whole and a long one from leaving one row
alone at either side of a break. All measure the flowables at the width the layout gives them
(the text width less the frame's padding), before the layout runs.
"""

from __future__ import annotations

from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Paragraph
from reportlab.platypus import Table as RLTable

from reports.page import BOTTOM, PAGE_HEIGHT, TEXT_WIDTH, TOP

FRAME_HEIGHT = PAGE_HEIGHT - TOP - BOTTOM
#: The width a flowable is laid out at: the text width less the frame's padding (reportlab's
#: default, 6 pt a side). Measured at this width, a paragraph wraps as the layout wraps it,
#: so its height is the one printed and its line breaks are worked out once, not twice.
FRAME_PADDING = 6.0
LAID_OUT_WIDTH = TEXT_WIDTH - 2 * FRAME_PADDING
LAID_OUT_HEIGHT = FRAME_HEIGHT - 2 * FRAME_PADDING
#: A table of this many rows or fewer (under its header) is never split between pages.
SHORT_TABLE = 4
#: The fewest rows of a longer table on either side of a page break.
LEAST_ROWS = 2


def keep_rows(table: RLTable, header_rows: int = 1) -> RLTable:
    """``table`` marked where it may split: a short one (``SHORT_TABLE`` rows or fewer) only
    when it is taller than a page, a longer one only where at least ``LEAST_ROWS`` rows stand
    under the header on the page it starts and on the page it ends. A rule a table cannot
    keep (rows so tall that two do not fit on a page) is not set, so the table still prints.
    """
    _, height = table.wrap(TEXT_WIDTH, FRAME_HEIGHT)
    heights = list(table._rowHeights)
    body = len(heights) - header_rows
    room = FRAME_HEIGHT - 20  # a caption's line above it
    if body <= SHORT_TABLE:
        if height <= room:
            table._rowSplitRange = (len(heights), len(heights))
        return table
    first = sum(heights[: header_rows + LEAST_ROWS])
    last = sum(heights[:header_rows]) + sum(heights[-LEAST_ROWS:])
    if first <= room and last <= room:
        table._rowSplitRange = (header_rows + LEAST_ROWS, -LEAST_ROWS)
    return table


def new_page() -> Flowable:
    """A page break that a short page does not take: a section that asks for a page of its
    own starts one only when the page it would leave is at least a third full, so a short
    section before it never stands alone on a page that is mostly white."""
    return CondPageBreak(FRAME_HEIGHT * 2 / 3)


def keep_with_next(story: list[Flowable]) -> list[Flowable]:
    """``story`` with a conditional page break before each heading or caption, so that none
    ends a page: the heading moves on unless the page has room for it and the first lines
    of what follows (two lines of a paragraph, a table's header and first two rows, a chart
    whole). Unlike a KeepTogether of heading and section this never pushes a long table or
    paragraph whole onto the next page, leaving the page before it mostly empty."""
    out: list[Flowable] = []
    for i, flowable in enumerate(story):
        if getattr(flowable, "leads", False) and (i == 0 or not _leads(story[i - 1])):
            out.append(CondPageBreak(_least_run(story[i:])))
        out.append(flowable)
    return out


def kept_with_next(paragraph: Paragraph) -> Paragraph:
    """``paragraph`` (a heading or a caption) marked to be kept with what follows it."""
    paragraph.leads = True
    return paragraph


def _leads(flowable: Flowable) -> bool:
    return bool(getattr(flowable, "leads", False))


def _least_run(story: list[Flowable]) -> float:
    """The height of the leading headings and captions and the least of what follows."""
    total = 0.0
    lines = 0
    for flowable in story:
        if _leads(flowable) and lines == 0:
            total += _height(flowable)
            continue
        total += _least(flowable)
        # A one-line paragraph (a short bullet) is not enough under a heading: the next
        # flowable's start joins it, so that at least two lines follow the heading.
        lines += _lines(flowable)
        if lines >= 2 or _leads(flowable):
            return total
    return total


def _lines(flowable: Flowable) -> int:
    """Lines of a paragraph once wrapped (two for anything else: a table, a chart)."""
    if isinstance(flowable, Paragraph):
        return max(1, len(getattr(flowable.blPara, "lines", ()) or ()))
    return 2


def _height(flowable: Flowable) -> float:
    if isinstance(flowable, KeepTogether):  # it measures itself only on a canvas
        return float(sum(_height(part) for part in flowable._content))
    _, height = flowable.wrap(LAID_OUT_WIDTH, LAID_OUT_HEIGHT)
    return float(height + flowable.getSpaceBefore() + flowable.getSpaceAfter())


def _least(flowable: Flowable) -> float:
    """The least of ``flowable`` that may stand on a page after its heading."""
    whole = _height(flowable)
    if isinstance(flowable, Paragraph):
        lines = len(getattr(flowable.blPara, "lines", ()))
        # Widow and orphan control splits a paragraph only two lines and two lines.
        if lines >= 4:
            return min(whole, float(2 * flowable.style.leading + flowable.getSpaceBefore()))
    elif isinstance(flowable, RLTable):
        # A short table moves whole (``keep_rows``); a longer one needs its header and
        # first two rows under its heading.
        heights = list(getattr(flowable, "_rowHeights", ()))
        if len(heights) > 1 + SHORT_TABLE:
            return float(sum(heights[: 1 + LEAST_ROWS]))
    return float(min(whole, FRAME_HEIGHT))
