"""How many pages a story takes, learnt by laying it out without drawing it.

A brief is shortened step by step until it fits two pages, and printing a step in full (text
drawn, fonts embedded, the chart drawn, the file put together) costs about twice as much as
laying it out. ``page_count`` runs reportlab's own layout, on frames of the report page's
size, with each flowable's drawing left out and nothing saved: the page breaks, splits and
kept-together blocks are decided by the same code as in the printed PDF, so the count is the
printed count (tests/integration/test_brief_page_count.py holds it to that).

Asked only whether a story fits (``most`` pages), the layout stops as soon as a page past
``most`` begins: a page begins only when something is left to go on it, so the story then
takes more than ``most`` pages whatever the rest of it holds, and laying the rest out would
only say how many more.

The flowables are not used up: the caller keeps its list, and may print the same flowables
afterwards (reportlab's own multi-pass build lays the same flowables out more than once).
"""

from __future__ import annotations

import io
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Frame, PageTemplate
from reportlab.platypus.doctemplate import BaseDocTemplate

from reports.page import BOTTOM, MARGIN, PAGE_HEIGHT, TEXT_WIDTH, TOP


def page_count(story: list[Flowable], *, most: int | None = None) -> int:
    """The number of pages ``story`` takes on report pages, without drawing anything; with
    ``most``, ``most + 1`` as soon as it is known to take more than ``most``."""
    doc = _Layout(
        io.BytesIO(),
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=TOP,
        bottomMargin=BOTTOM,
        invariant=1,
    )
    frame = _UndrawnFrame(
        MARGIN, BOTTOM, TEXT_WIDTH, PAGE_HEIGHT - TOP - BOTTOM, id="text", showBoundary=0
    )
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    doc.most = most
    # As in reportlab's multiBuild, whose passes lay the same flowables out again: no file is
    # put together, and what the layout marks on a flowable (that it was put off to the next
    # page, that it was kept with the next) is recorded and undone afterwards, so that the
    # flowables print as if they had never been laid out.
    doc._doSave = 0
    edits: list[tuple[Any, ...]] = []
    doc._multiBuildEdits = edits.append
    try:
        doc.build(list(story), canvasmaker=Canvas)
    except _PastMost:
        pass
    finally:
        for undo, *arguments in edits:
            undo(*arguments)
    return int(doc.page)


class _PastMost(Exception):
    """A page past the most asked about has begun: the count is known to be over."""


class _Layout(BaseDocTemplate):  # type: ignore[misc]  # reportlab ships no type information
    """reportlab's document template, which stops the layout once a page past ``most`` begins."""

    most: int | None = None

    def handle_pageBegin(self) -> None:
        super().handle_pageBegin()
        if self.most is not None and self.page > self.most:
            raise _PastMost


def _not_drawn(*_args: Any, **_kwargs: Any) -> None:
    """Stands in for a flowable's drawing while the layout is only counted."""


class _UndrawnFrame(Frame):  # type: ignore[misc]  # reportlab ships no type information
    """A frame that places flowables exactly as reportlab's does but does not draw them."""

    def _add(self, flowable: Flowable, canv: Canvas, trySplit: int = 0) -> int:
        # Frame._add measures, places and then calls ``flowable.drawOn``; the instance
        # attribute hides the drawing for this one call and is removed straight after, so
        # the placing is reportlab's own, unchanged. (Set in the instance's dictionary: a
        # chart, a reportlab Drawing, refuses attributes it does not declare.)
        vars(flowable)["drawOn"] = _not_drawn
        try:
            return int(super()._add(flowable, canv, trySplit))
        finally:
            del vars(flowable)["drawOn"]

    add = _add
