"""Start the window on a database, type into three fields, undo, search, close mid-edit.

Run as a script by tests/gui/test_quitting.py: the process must then exit 0. Each run is a
new interpreter, because the crash this guards against happens while Python shuts down.
"""

from __future__ import annotations

import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

KEY_DELAY_MS = 5


def main_window() -> object | None:
    from ui.main_window import MainWindow

    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, MainWindow):
            return widget
    return None


def drive() -> None:
    window = main_window()
    if window is None or window.pilots.model.rowCount() == 0:  # type: ignore[attr-defined]
        QTimer.singleShot(50, drive)
        return
    w: object = window
    if w.detail is None:  # type: ignore[attr-defined]
        w.pilots.table.selectRow(0)  # type: ignore[attr-defined]
        QTimer.singleShot(100, drive)
        return
    about = w.detail.overview.about  # type: ignore[attr-defined]
    for field in ("title", "team", "minister"):
        widget = about.widgets[field]
        widget.setFocus()
        widget.selectAll()
        QTest.keyClicks(widget, f"typed {field}", Qt.KeyboardModifier.NoModifier, KEY_DELAY_MS)
        QTest.keyClick(widget, Qt.Key.Key_Tab)
    w.undo_action.trigger()  # type: ignore[attr-defined]
    w.pilots.search.setText("e")  # type: ignore[attr-defined]
    w.pilots.search.setText("")  # type: ignore[attr-defined]
    widget = about.widgets["lead_organisation"]
    widget.setFocus()
    QTest.keyClicks(widget, " (edited)", Qt.KeyboardModifier.NoModifier, KEY_DELAY_MS)
    w.close()  # type: ignore[attr-defined]


if __name__ == "__main__":
    import ui.app

    QTimer.singleShot(0, drive)
    sys.exit(ui.app.run_app(db=sys.argv[1]))
