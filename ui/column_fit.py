"""Column widths for a table of text on a narrow screen.

Columns are as wide as their text when the table has room. When it has not (a 1280-pixel
screen beside the pilot list), the widest are narrowed to a common width and their text wraps
between words, rather than one long column pushing the rest out of sight or squeezing the
stretch column to a sliver; no header is cut and no row outgrows six lines or the view.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QStyle, QTableView


def fit_columns(table: QTableView, stretch: int | None = None) -> None:
    """Share ``table``'s visible width among its columns, the spare to ``stretch`` (by
    default the last), and fit its rows to their wrapped text."""
    model = table.model()
    columns = model.columnCount() if model is not None else 0
    if columns == 0:
        return
    # The frame's inside, less a visible scroll bar: right even while the table is being
    # resized, before its viewport has caught up.
    bar = table.verticalScrollBar()
    room = table.contentsRect().width() - (bar.sizeHint().width() if bar.isVisible() else 0)
    _fit(table, columns, stretch, room)
    rows = sum(table.rowHeight(r) for r in range(model.rowCount()))
    if not bar.isVisible() and rows > table.viewport().height():
        # The wrapped rows will need a scroll bar down the side: leave it room.
        _fit(table, columns, stretch, room - bar.sizeHint().width())


def _fit(table: QTableView, columns: int, stretch: int | None, room: int) -> None:
    header = table.horizontalHeader()
    heads = [header.sectionSizeHint(c) for c in range(columns)]
    measured = [_measure(table, c) for c in range(columns)]
    natural = [max(h, line) for h, (line, _word) in zip(heads, measured, strict=True)]
    least = [
        min(n, max(h, word)) for n, h, (_line, word) in zip(natural, heads, measured, strict=True)
    ]
    if sum(least) > room:
        # Still too wide: headers may wrap too ("Mission / alignment"), down to their longest
        # word, on a header two lines tall.
        words = [_header_word(table, c, h) for c, h in enumerate(heads)]
        least = [
            min(n, max(w, word))
            for n, w, (_line, word) in zip(natural, words, measured, strict=True)
        ]
    widths = shared_widths(natural, least, room)
    wrapped = any(w < h for w, h in zip(widths, heads, strict=True))
    flags = Qt.AlignmentFlag.AlignCenter.value | (Qt.TextFlag.TextWordWrap.value if wrapped else 0)
    header.setDefaultAlignment(Qt.AlignmentFlag(flags))
    lines = table.fontMetrics().lineSpacing()
    header.setMinimumHeight(2 * lines + 8 if wrapped else 0)
    widths[columns - 1 if stretch is None else stretch] += max(0, room - sum(widths))
    for column, width in enumerate(widths):
        table.setColumnWidth(column, width)
    table.setWordWrap(True)
    table.resizeRowsToContents()
    # A row of long text stops at six lines, and never outgrows the table's view, so that no
    # row is cut off mid-line: the cell ends in an ellipsis instead, and the whole text is in
    # the record's form.
    tallest = max(lines + 8, min(6 * lines + 8, table.viewport().height()))
    for row in range(table.model().rowCount()):
        if table.rowHeight(row) > tallest:
            table.setRowHeight(row, tallest)


def shared_widths(natural: list[int], least: list[int], room: int) -> list[int]:
    """Column widths within ``room``: each its ``natural`` width, the widest capped at the one
    width that makes them fit, but none under its ``least`` (its header, its longest word)."""

    def widths(cap: int) -> list[int]:
        return [max(low, min(n, cap)) for n, low in zip(natural, least, strict=True)]

    if sum(natural) <= room:
        return list(natural)
    low, high = 0, max(natural)  # the widest cap that fits lies between
    while low < high:
        cap = (low + high + 1) // 2
        if sum(widths(cap)) <= room:
            low = cap
        else:
            high = cap - 1
    return widths(low)


def _header_word(table: QTableView, column: int, hint: int) -> int:
    """The width a header needs with its words wrapped: its longest word and its margins."""
    text = str(table.model().headerData(column, Qt.Orientation.Horizontal) or "")
    metrics = table.horizontalHeader().fontMetrics()
    margins = hint - metrics.horizontalAdvance(text)
    return max((metrics.horizontalAdvance(w) for w in text.split()), default=0) + margins


def _measure(table: QTableView, column: int) -> tuple[int, int]:
    """The width of the column's longest text on one line, and of its longest word (a
    narrowed column wraps between words, never inside one), each with the cell's margins and
    colour mark."""
    metrics, model = table.fontMetrics(), table.model()
    line = word = 0
    marked = False
    for row in range(model.rowCount()):
        index = model.index(row, column)
        text = str(index.data() or "")
        line = max(line, metrics.horizontalAdvance(text))
        word = max([word, *(metrics.horizontalAdvance(w) for w in text.split())])
        marked = marked or index.data(Qt.ItemDataRole.DecorationRole) is not None
    mark = table.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize) + 8 if marked else 0
    return line + 16 + mark, word + 16 + mark
