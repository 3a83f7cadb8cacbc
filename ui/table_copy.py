"""Ctrl+C on a table copies the selected cells as tab-separated text, as a spreadsheet does.

Qt's own table view copies only the current cell. A ``TableCopy`` filter is installed on each
table it is given (``watch``) and, with ``follow_focus``, on every table of the window the
first time it gets the keyboard focus, so tables built later (the pilot's sections, the
portfolio) need no code of their own.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QGuiApplication, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QTableView, QWidget


def selection_text(view: QTableView) -> str:
    """The selected cells as lines of tab-separated text, in the order shown.

    When the selection is whole rows the column titles come first, so the text pastes into a
    spreadsheet as a table with its header; a block of cells pastes as just those cells.
    """
    model = view.model()
    selection = view.selectionModel()
    if model is None or selection is None:
        return ""
    indexes = selection.selectedIndexes()
    if not indexes:
        current = view.currentIndex()
        indexes = [current] if current.isValid() else []
    if not indexes:
        return ""
    header = view.horizontalHeader()
    rows = sorted({i.row() for i in indexes})
    columns = sorted(
        {i.column() for i in indexes if not view.isColumnHidden(i.column())},
        key=header.visualIndex,
    )
    chosen = {(i.row(), i.column()) for i in indexes}
    lines = []
    whole_rows = len(selection.selectedRows()) == len(rows)
    if whole_rows:
        lines.append(
            "\t".join(
                _cell(model.headerData(c, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole))
                for c in columns
            )
        )
    for row in rows:
        lines.append(
            "\t".join(
                _cell(model.index(row, c).data()) if (row, c) in chosen else "" for c in columns
            )
        )
    return "\n".join(lines)


def copy_selection(view: QTableView) -> str:
    """Put the selected cells on the clipboard; returns the text copied."""
    text = selection_text(view)
    if text:
        QGuiApplication.clipboard().setText(text)
    return text


def _cell(value: object) -> str:
    # A tab or line break inside a cell would split it into two cells or rows on pasting.
    text = "" if value is None else str(value)
    return " ".join(text.split()) if any(c in text for c in "\t\r\n") else text


class TableCopy(QObject):
    """Answers Ctrl+C (the platform's Copy key) on the tables it watches."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)

    def watch(self, view: QTableView) -> None:
        view.installEventFilter(self)  # installing twice is harmless: Qt keeps one

    def follow_focus(self) -> None:
        """Watch every table of the application from the first time it has the focus."""
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_changed)

    def _focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        if isinstance(new, QTableView):
            self.watch(new)
            return
        # The focus may land on a table's viewport or one of its editors.
        parent = new.parentWidget() if new is not None else None
        if isinstance(parent, QTableView):
            self.watch(parent)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if (
            kind in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride)
            and isinstance(watched, QTableView)
            and isinstance(event, QKeyEvent)
            and event.matches(QKeySequence.StandardKey.Copy)
        ):
            if kind == QEvent.Type.ShortcutOverride:
                event.accept()  # the key is the table's, not a window shortcut's
                return True
            copy_selection(watched)
            return True
        return super().eventFilter(watched, event)
