"""A table measured again at a width it was measured at keeps what it worked out: the same
rows, columns and split as reportlab's own table measured at the same widths and heights."""

from __future__ import annotations

from typing import Any

from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import Paragraph, TableStyle
from reportlab.platypus import Table as ReportlabTable

from reports.measured_table import Table

STYLE = getSampleStyleSheet()["BodyText"]
WORDS = "The contract was let to the lowest compliant bid after a second round of clarification"


def _rows(count: int) -> list[list[Any]]:
    return [
        [Paragraph(f"KPI {i}", STYLE), Paragraph(" ".join([WORDS] * (1 + i % 3)), STYLE)]
        for i in range(count)
    ]


def _measured(table: Any) -> tuple[Any, ...]:
    return (table._width, table._height, list(table._rowHeights), list(table._colWidths))


def test_measured_again_at_each_width_it_matches_reportlabs_table() -> None:
    table = Table(_rows(4), colWidths=[80, 320], repeatRows=0)
    theirs = ReportlabTable(_rows(4), colWidths=[80, 320], repeatRows=0)
    sizes = []
    for width, height in ((400.0, 700.0), (250.0, 700.0), (400.0, 700.0), (400.0, 90.0)):
        assert table.wrap(width, height) == theirs.wrap(width, height)
        assert _measured(table) == _measured(theirs)
        sizes.append(table.wrap(width, height))
    # A table only grows taller as its text wraps onto more lines: none of it was lost.
    assert sizes[0][1] > 3 * 20 and sizes[0] == sizes[2] == sizes[3]


def test_a_long_table_measured_at_less_height_splits_as_reportlab_splits_it() -> None:
    # With a cell across rows, reportlab measures a long table's rows only as far as the
    # height it is given (longTableOptimize), so what it worked out depends on the height.
    rows = 40
    table = Table(_rows(rows), colWidths=[80, 300], repeatRows=1)
    theirs = ReportlabTable(_rows(rows), colWidths=[80, 300], repeatRows=1)
    for each in (table, theirs):
        each.setStyle(TableStyle([("SPAN", (0, 0), (0, 1))]))
    for height in (700.0, 300.0, 300.0, 120.0):
        table.wrap(400, height)
        theirs.wrap(400, height)
        assert _measured(table) == _measured(theirs)
        ours = [len(part._cellvalues) for part in table.split(400, height)]
        split = [len(part._cellvalues) for part in theirs.split(400, height)]
        assert ours == split and len(ours) == 2
