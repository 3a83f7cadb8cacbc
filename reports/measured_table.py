"""A table that works out its row heights and column widths once for each width.

reportlab works a table's rows and columns out afresh every time it is measured (each cell
wrapped again), and a table is measured several times before it is drawn: for the page-break
rules (``page_breaks``), by the frame that places it, when it is split across pages, and by
``page_count`` when a brief is laid out before it is printed. They depend only on the table
(its cells and style, fixed once it is made) and the width; and on the height only for a
table with a cell across rows, whose rows reportlab measures only as far as the room it has
(``longTableOptimize``). So measured again at the width (and, for such a table, the height)
it was last measured at, this table keeps what it worked out: the same rows and columns as
reportlab's, and the same page.
"""

from __future__ import annotations

from typing import Any

from reportlab.platypus import Table as _ReportlabTable


class Table(_ReportlabTable):  # type: ignore[misc]  # reportlab ships no type information
    """reportlab's Table, whose rows and columns are worked out once for each width."""

    def _calc(self, availWidth: float, availHeight: float) -> None:
        measured = (availWidth, availHeight if self._height_counts() else None)
        if self.__dict__.get("_measured_at") == measured:
            return
        super()._calc(availWidth, availHeight)
        self._measured_at = measured

    def _height_counts(self) -> bool:
        """Whether the height it is given changes what reportlab works out for this table:
        a long table with a cell that may span rows (its rows written differently)."""
        spans: list[Any] = self._spanCmds
        return bool(self._longTableOptimize) and any(span[1][1] != span[2][1] for span in spans)
