"""A table of a pilot's records that can be added to, edited and removed from.

The same actions are offered three ways, as people look for them: buttons beside the table,
a right-click menu on it, and keys (Enter or a double-click edits, Delete removes).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, QPoint, Qt
from PySide6.QtGui import QAction, QKeyEvent, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QMenu,
    QPushButton,
    QTableView,
    QWidget,
)

from ui.column_fit import fit_columns
from ui.record_table_model import RecordTableModel

Handler = Callable[[Any], None]


class RecordTable(QTableView):
    """Rows of ``model``; ``on_edit`` and ``on_remove`` get the selected record.

    Args:
        model: the records shown.
        name: what the table holds, for screen readers ("KPIs").
        on_add: called with None to add a record.
        on_edit: called with the record to edit.
        on_remove: called with the record to remove (it asks for confirmation itself).
        stretch: the column (of long text) that takes the width the others leave; by
            default the last.

    Columns are as wide as their text when the table has room. When it has not (a 1280-pixel
    screen beside the pilot list), the widest are narrowed to a common width and their text
    wraps onto more lines, rather than one long column pushing the rest out of sight or
    squeezing the stretch column to a sliver.
    """

    def __init__(
        self,
        model: RecordTableModel,
        name: str,
        *,
        on_add: Handler,
        on_edit: Handler,
        on_remove: Handler,
        stretch: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        #: (action, needs a selected record) in menu order.
        self._actions: list[tuple[QAction, bool]] = []
        #: The button made for each action by ``buttons``.
        self.button: dict[QAction, QPushButton] = {}
        self.records = model
        self.setModel(model)
        self.setAccessibleName(name)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setWordWrap(True)
        self.verticalHeader().setVisible(False)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self._stretch = stretch
        self._fitting = False
        for signal in (model.modelReset, model.layoutChanged, model.dataChanged):
            signal.connect(self.fit_columns)
        self._on_edit, self._on_remove = on_edit, on_remove
        self.add_action = self.action("Add...", on_add, needs_record=False)
        self.edit_action = self.action("Edit...", on_edit)
        self.remove_action = self.action("Remove...", on_remove)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._menu)
        self.doubleClicked.connect(self._double_clicked)
        model.modelReset.connect(self._selection_changed)

    def action(self, text: str, handler: Handler, *, needs_record: bool = True) -> QAction:
        """An action offered in the menu (and as a button, see ``buttons``)."""
        action = QAction(text, self)
        if needs_record:
            action.triggered.connect(lambda _c=False: self._with_record(handler))
        else:
            action.triggered.connect(lambda _c=False: handler(None))
        self._actions.append((action, needs_record))
        self._selection_changed()
        return action

    def buttons(self, texts: dict[QAction, str] | None = None) -> QHBoxLayout:
        """A row of buttons for the actions, right-aligned; ``texts`` may reword them."""
        row = QHBoxLayout()
        row.addStretch(1)
        for action, _needs in self._actions:
            button = QPushButton((texts or {}).get(action, action.text()))
            button.setAccessibleName(button.text().replace("&", "").removesuffix("..."))
            button.clicked.connect(action.trigger)
            action.enabledChanged.connect(button.setEnabled)
            button.setEnabled(action.isEnabled())
            row.addWidget(button)
            self.button[action] = button
        return row

    def fit_columns(self, *_args: object) -> None:
        """Share the visible width among the columns (see the class) and fit rows to text."""
        if self._fitting:
            return
        self._fitting = True  # setting widths can resize the view, which asks again
        try:
            fit_columns(self, self._stretch)
        finally:
            self._fitting = False

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit_columns()

    def selected_record(self) -> Any:
        rows = self.selectionModel().selectedRows() if self.selectionModel() else []
        return self.records.record(rows[0].row()) if rows else None

    def select_row(self, row: int) -> None:
        if 0 <= row < self.records.rowCount():
            self.selectRow(row)

    # -- internals -------------------------------------------------------------------------

    def setModel(self, model: Any) -> None:
        super().setModel(model)
        self.selectionModel().selectionChanged.connect(lambda *_: self._selection_changed())

    def _selection_changed(self) -> None:
        selected = self.selection_exists()
        for action, needs in self._actions:
            if needs:
                action.setEnabled(selected)

    def selection_exists(self) -> bool:
        model = self.selectionModel()
        return model is not None and bool(model.selectedRows())

    def _with_record(self, handler: Handler) -> None:
        record = self.selected_record()
        if record is not None:
            handler(record)

    def context_menu(self, point: QPoint) -> QMenu:
        """The right-click menu for ``point`` (in the viewport), its row selected."""
        index = self.indexAt(point)
        if index.isValid():
            self.selectRow(index.row())
        menu = QMenu(self)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        for action, _needs in self._actions:
            menu.addAction(action)
        return menu

    def _menu(self, point: QPoint) -> None:
        self.context_menu(point).popup(self.viewport().mapToGlobal(point))

    def _double_clicked(self, index: QModelIndex) -> None:
        if index.isValid():
            self.selectRow(index.row())
            self._with_record(self._on_edit)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and self.selection_exists():
            self._with_record(self._on_remove)
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.selection_exists():
            self._with_record(self._on_edit)
            return
        super().keyPressEvent(event)
