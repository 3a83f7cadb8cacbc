"""A paragraph that breaks its lines once for each width it is given.

reportlab breaks a paragraph's lines afresh every time it is measured, and a paragraph is
measured several times before it is drawn: for the page-break rules (``page_breaks``), by
its table when the column heights are worked out and again when the table is split across
pages, by the frame that places it, and by ``page_count`` when a brief is laid out before
it is printed. Breaking the lines was a third of the time a brief took. The breaking depends
only on the paragraph (its text and style, fixed once it is made) and the width, so this
paragraph keeps the lines it broke for each width and gives them back when measured again
at that width: the same lines as reportlab would break, and the same page.
"""

from __future__ import annotations

from typing import Any

from reportlab.platypus import Paragraph as _ReportlabParagraph


class Paragraph(_ReportlabParagraph):  # type: ignore[misc]  # reportlab ships no type information
    """reportlab's Paragraph, whose line breaks are worked out once for each width."""

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        broken: dict[float, tuple[Any, float, list[float]]] = self.__dict__.setdefault(
            "_broken_at", {}
        )
        if availWidth in broken:
            # What reportlab's wrap leaves on the paragraph, as it left it at this width.
            self.blPara, self.height, self._wrapWidths = broken[availWidth]
            self.width = availWidth
            return availWidth, self.height
        width, height = super().wrap(availWidth, availHeight)
        if "blPara" in self.__dict__:  # not when the width is too narrow for any line
            broken[availWidth] = (self.blPara, self.height, self._wrapWidths)
        return float(width), float(height)
