"""The left side of the window: search, filters and the pilot table."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelection, QModelIndex, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QStyle,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from testlearn.domain.vocabulary import LifecycleStatus, Mission
from ui.labels import verdict_choices
from ui.pilot_filter_proxy import PilotFilterProxy
from ui.pilot_list_model import COLUMNS, REFERENCE, TITLE, VERDICT, PilotListModel
from ui.spreadsheet_export import export_table
from ui.table_copy import TableCopy
from ui.table_menu import attach_menu

if TYPE_CHECKING:
    from testlearn.domain.pilot_detail import PilotSummary
    from ui.pilot_session import PilotSession


class PilotListPanel(QWidget):
    """Search box, four filters and the sortable pilot table."""

    pilot_selected = Signal(str)  # the selected pilot's reference
    #: Open was chosen (menu, Enter, double click): the window may move to the pilot's details.
    pilot_opened = Signal(str)
    #: The right-click menu for a pilot is being built: (QMenu, reference). Actions that
    #: belong elsewhere (archiving, deleting a pilot) are added to it from their own module.
    menu_opening = Signal(object, str)

    def __init__(
        self, parent: QWidget | None = None, *, session: PilotSession | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session  # runs the export on the worker lane; without it, no export
        self._quiet = False  # True while rows are replaced: no selection is the user's
        self.model = PilotListModel(self)
        self.proxy = PilotFilterProxy(self)
        self.proxy.setSourceModel(self.model)

        self.search = QLineEdit(self)
        self.search.setPlaceholderText(
            "Search pilots (title, organisation, problem statement, hypotheses, lessons...)"
        )
        self.search.setAccessibleName("Search pilots")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(
            lambda text: self._keeping_selection(lambda: self.proxy.set_search(text))
        )

        self.filters: dict[str, QComboBox] = {}
        # Two by two: four in a row would set the list's narrowest width, and the pilot's
        # sections beside it need that room on a 1280-pixel screen.
        filter_row = QGridLayout()
        for name, title, choices in (
            ("mission", "Mission", [(m.value, m.label) for m in Mission]),
            ("status", "Status", [(s.value, s.label) for s in LifecycleStatus]),
            ("organisation", "Organisation", []),
            ("verdict", "Verdict", verdict_choices()),
        ):
            combo = QComboBox(self)
            combo.setAccessibleName(f"Filter by {title.lower()}")
            combo.setToolTip(f"Show only pilots with this {title.lower()}")
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(8)
            self._fill(combo, title, choices)
            combo.currentIndexChanged.connect(
                lambda _i, n=name, c=combo: self._keeping_selection(
                    lambda: self.proxy.set_filter(n, c.currentData())
                )
            )
            filter_row.addWidget(combo, len(self.filters) // 2, len(self.filters) % 2)
            self.filters[name] = combo

        self.table = QTableView(self)
        self.table.setAccessibleName("Pilots")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        # Fixed row heights: the view never measures ten thousand rows to lay them out.
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        # Columns are sized from the header and the first hundred rows: measuring every row
        # (Qt measures a thousand by default) takes longer than showing a large register.
        header.setResizeContentsPrecision(100)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.table.activated.connect(lambda index: self.open_row(index))
        TableCopy(self).watch(self.table)
        attach_menu(self.table, self.context_menu)

        # Where the search was found for the selected pilot when not in a column, so a pilot
        # found by a word of its lessons does not look like a wrong answer.
        self.matched = QLabel(self)
        self.matched.setAccessibleName("Where the search was found")
        self.matched.setWordWrap(True)
        self.matched.hide()
        self.search.textChanged.connect(self._update_matched)

        self.count = QLabel(self)
        self.count.setAccessibleName("Number of pilots shown")
        for signal in (
            self.proxy.modelReset,
            self.proxy.rowsInserted,
            self.proxy.rowsRemoved,
            self.proxy.layoutChanged,
        ):
            signal.connect(self._update_count)

        search_label = QLabel("&Search:", self)
        search_label.setBuddy(self.search)
        top = QHBoxLayout()
        top.addWidget(search_label)
        top.addWidget(self.search, 1)
        layout = QVBoxLayout(self)
        # A margin on the window's edge only; the splitter separates it from the details.
        left = self.style().pixelMetric(QStyle.PixelMetric.PM_LayoutLeftMargin)
        layout.setContentsMargins(left, 0, 0, 0)
        layout.addLayout(top)
        layout.addLayout(filter_row)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.matched)
        layout.addWidget(self.count)
        self.setTabOrder(self.search, self.filters["mission"])
        previous: QWidget = self.filters["mission"]
        for combo in list(self.filters.values())[1:]:
            self.setTabOrder(previous, combo)
            previous = combo
        self.setTabOrder(previous, self.table)
        self._update_count()

    @staticmethod
    def _fill(combo: QComboBox, title: str, choices: Sequence[tuple[str, str]]) -> None:
        current = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(f"All {title.lower()}s" if title != "Status" else "All statuses", None)
        for code, label in choices:
            combo.addItem(label, code)
        index = combo.findData(current)
        combo.setCurrentIndex(max(0, index))
        combo.blockSignals(False)

    def set_pilots(self, pilots: Sequence[PilotSummary], select: str | None = None) -> None:
        """Show ``pilots``, keeping ``select`` (or the current pilot) selected, quietly."""
        selected = select or self.selected_reference()
        self._quiet = True
        self.model.set_pilots(pilots)
        organisations = sorted({p.lead_organisation for p in pilots if p.lead_organisation})
        self._fill(self.filters["organisation"], "Organisation", [(o, o) for o in organisations])
        self.proxy.set_filter("organisation", self.filters["organisation"].currentData())
        header = self.table.horizontalHeader()
        char = self.fontMetrics().averageCharWidth()
        for column in range(len(COLUMNS)):
            if column == TITLE:
                self.table.setColumnWidth(column, char * 30)
            elif column == REFERENCE:
                # Sized from the longest reference of all, not the rows measured below: a
                # reference cut short cannot be read or told from its neighbours.
                longest = self.fontMetrics().horizontalAdvance(self.model.longest_reference())
                width = max(header.sectionSizeHint(column), longest + 2 * char + 12)
                self.table.setColumnWidth(column, width)
            else:
                width = max(header.sectionSizeHint(column), self.table.sizeHintForColumn(column))
                # The verdict is what a reader of the register looks for: never cut short.
                widest = width + 12 if column == VERDICT else char * 22
                self.table.setColumnWidth(column, min(width + 12, widest))
        if selected:
            self.select(selected)
        self._quiet = False

    def _keeping_selection(self, change: Callable[[], None]) -> None:
        """Refilter without losing the selected pilot, and without reloading it."""
        selected = self.selected_reference()
        self._quiet = True
        try:
            change()
            if selected:
                self.select(selected)
        finally:
            self._quiet = False

    def selected_reference(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.model.summary(self.proxy.mapToSource(rows[0]).row()).reference

    def select(self, reference: str) -> bool:
        row = self.model.row_of(reference)
        if row < 0:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if not index.isValid():
            return False
        self.table.selectRow(index.row())
        self.table.scrollTo(index)
        return True

    def _selection_changed(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        reference = self.selected_reference()
        self._update_matched()
        if reference and not self._quiet:
            self.pilot_selected.emit(reference)

    def _update_matched(self, *_: object) -> None:
        rows = self.table.selectionModel().selectedRows()
        found = []
        if rows:
            found = self.model.matched_in(self.model.summary(self.proxy.mapToSource(rows[0]).row()))
        self.matched.setText("Search also found in: " + ", ".join(found) if found else "")
        self.matched.setVisible(bool(found))

    # -- actions on a pilot ----------------------------------------------------------------

    def open_row(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_pilot(self.model.summary(self.proxy.mapToSource(index).row()).reference)

    def open_pilot(self, reference: str) -> None:
        """Select ``reference`` (which shows it) and say it was opened."""
        if self.select(reference):
            self.pilot_opened.emit(reference)

    def context_menu(self, index: QModelIndex) -> QMenu:
        """The right-click menu for the pilot at ``index`` (or the list, if none)."""
        menu = QMenu(self)
        reference = (
            self.model.summary(self.proxy.mapToSource(index).row()).reference
            if index.isValid()
            else None
        )
        if reference is not None:
            # By reference: a reload or a sort may move the row while the menu is open.
            menu.addAction("&Open", lambda: self.open_pilot(reference))
            menu.addAction(
                "&Copy reference", lambda: QGuiApplication.clipboard().setText(reference)
            )
            menu.addSeparator()
            self.menu_opening.emit(menu, reference)
            menu.addSeparator()
        export = menu.addAction("&Export the list to Excel...", self.export_list)
        export.setEnabled(self.session is not None and self.proxy.rowCount() > 0)
        return menu

    def export_list(self) -> None:
        """Save the list as shown (searched, filtered and sorted) as an Excel workbook."""
        if self.session is None:
            return
        columns, rows = self.model.sheet()
        export_table(
            self.session,
            self,
            title="Export the pilot list",
            suggested="pilots.xlsx",
            sheet="Pilots",
            columns=columns,
            rows=rows,
        )

    def _update_count(self, *_: object) -> None:
        shown, total = self.proxy.rowCount(QModelIndex()), self.model.total()
        self.count.setText(f"{shown:,} of {total:,} pilots")
