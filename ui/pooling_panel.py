"""The portfolio's pooled results across pilots: a list of measures beside the chosen one.

Each outcome measure two or more pilots registered is a row of the list; the chosen one shows
its pilots with each one's own verdict, estimate and interval, the pooled numbers, the plain
sentence and the forest plot, in the portfolio report's own words (``reports.portfolio_pooling``
made them on the portfolio's lane, with the plot's SVG). The list takes the keyboard (arrows
choose), and every part has an accessible name.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Any

from PySide6.QtCore import QItemSelection, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ui.chart_view import ChartView
from ui.record_table_model import RecordTableModel

#: The pilots' table: the report's columns.
COLUMNS = ("Pilot", "Hypothesis", "Its own verdict", "Estimate", "Its own 95% CI", "Weight")
#: The most pilots' rows the table is tall enough for; more scroll.
MOST_ROWS = 12
NOTHING = (
    "No outcome measure was registered by two or more pilots, so nothing is pooled. Pilots are "
    "pooled when they registered the same outcome (name, unit and kind) and compared it the "
    "same way."
)


class PoolingPanel(QWidget):
    """The measures pooled across pilots, and the chosen one in full.

    ``set_measures`` takes ``(PooledMeasure, chart SVG, chart description)`` for each
    measure, the SVG empty when nothing was pooled for it.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._shown: list[tuple[Any, str, str]] = []
        self.nothing = QLabel(NOTHING, self)
        self.nothing.setWordWrap(True)
        self.list_model = RecordTableModel(
            [("Outcome measure", lambda item: item[0].heading)], parent=self
        )
        self.list = QTableView(self)
        self.list.setModel(self.list_model)
        self.list.setAccessibleName("Outcome measures pooled across pilots")
        self.list.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.verticalHeader().setVisible(False)
        self.list.horizontalHeader().setStretchLastSection(True)
        self.list.setWordWrap(True)
        self.list.setTabKeyNavigation(False)  # Tab leaves the list; arrows choose in it
        self.list.setMaximumWidth(300)
        self.sentence = QLabel(self)
        self.sentence.setWordWrap(True)
        self.sentence.setAccessibleName("What the pooling means")
        self.sentence.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.pilots_model = RecordTableModel(
            [(title, _column(i)) for i, title in enumerate(COLUMNS)], parent=self
        )
        self.pilots = QTableView(self)
        self.pilots.setModel(self.pilots_model)
        self.pilots.setAccessibleName("Each pilot's own result")
        self.pilots.verticalHeader().setVisible(False)
        self.pilots.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.pilots.horizontalHeader().setStretchLastSection(True)
        self.pilots.setTabKeyNavigation(False)
        self.facts = QLabel(self)
        self.facts.setWordWrap(True)
        self.facts.setAccessibleName("The pooled numbers")
        self.facts.setTextFormat(Qt.TextFormat.RichText)
        self.notes = QLabel(self)
        self.notes.setWordWrap(True)
        self.notes.setAccessibleName("Notes, and what was left out")
        self.chart = ChartView(self)
        self.chart.setAccessibleName("Forest plot of the pilots and the pooled average")
        detail = QWidget(self)
        side = QVBoxLayout(detail)
        side.setContentsMargins(0, 0, 0, 0)
        for widget in (self.sentence, self.pilots, self.facts, self.chart, self.notes):
            side.addWidget(widget)
        self.detail = detail
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.nothing)
        row.addWidget(self.list, 1)
        row.addWidget(detail, 3)
        self.list.selectionModel().selectionChanged.connect(self._chosen)

    def set_measures(self, shown: Sequence[tuple[Any, str, str]]) -> None:
        """Show these measures, the first chosen."""
        self._shown = list(shown)
        self.list_model.set_records(self._shown)
        self.list.resizeRowsToContents()
        empty = not self._shown
        self.nothing.setVisible(empty)
        self.list.setVisible(not empty)
        self.detail.setVisible(not empty)
        if empty:
            return
        height = sum(self.list.rowHeight(i) for i in range(len(self._shown)))
        self.list.setMinimumHeight(min(height + self.list.horizontalHeader().height() + 4, 240))
        self.list.selectRow(0)
        self._show(0)

    def _chosen(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        rows = selected.indexes()
        if rows:
            self._show(rows[0].row())

    def _show(self, row: int) -> None:
        if not 0 <= row < len(self._shown):
            return
        measure, svg, description = self._shown[row]
        self.sentence.setText(measure.sentence)
        self.pilots_model.set_records(measure.rows)
        self.pilots.setVisible(bool(measure.rows))
        # As tall as its rows (a handful of pilots, no empty band beneath them), up to a
        # dozen; a register where a hundred pilots share a measure scrolls inside the table.
        self.pilots.resizeRowsToContents()
        rows = sum(self.pilots.rowHeight(i) for i in range(min(len(measure.rows), MOST_ROWS)))
        frame = 2 * self.pilots.frameWidth()
        self.pilots.setFixedHeight(
            self.pilots.horizontalHeader().sizeHint().height() + rows + frame
        )
        self.pilots.setAccessibleName(f"Each pilot's own result: {measure.heading}")
        lines = [f"<b>{escape(what)}</b>: {escape(value)}" for what, value in measure.facts]
        self.facts.setText("<br>".join(lines))
        self.facts.setVisible(bool(lines))
        extra = [*measure.notes, *measure.left_out]
        self.notes.setText("\n".join(f"• {line}" for line in extra))
        self.notes.setVisible(bool(extra))
        if svg:
            self.chart.set_svg(svg, description)
            self.chart.show()
        else:
            self.chart.clear()
            self.chart.hide()


def _column(i: int) -> Any:
    return lambda row: row[i]
