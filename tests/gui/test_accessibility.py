"""Keyboard and screen-reader use: every control has a name, and Tab walks the window."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QToolButton,
    QWidget,
)

from tests.gui.conftest import wait_idle

CONTROLS = (QLineEdit, QTextEdit, QPlainTextEdit, QComboBox, QAbstractButton, QAbstractItemView)


def unnamed_controls(root: QWidget) -> list[str]:
    """Visible controls a screen reader could not name: no accessible name, label or text."""
    labelled = {id(label.buddy()) for label in root.findChildren(QLabel) if label.buddy()}
    missing = []
    for widget in root.findChildren(QWidget):
        if not isinstance(widget, CONTROLS) or not widget.isVisible():
            continue
        if isinstance(widget, QHeaderView) or widget.objectName().startswith("qt_"):
            continue  # a table's header and Qt's own parts are read with their owner
        if isinstance(widget, QToolButton) and widget.parent().inherits("QTabBar"):
            continue  # Qt's own tab scroll arrows
        if isinstance(widget, QLineEdit) and isinstance(widget.parent(), QComboBox):
            continue  # the editor inside an editable combo box is named by the box
        named = (
            widget.accessibleName()
            or id(widget) in labelled
            or (isinstance(widget, QAbstractButton) and widget.text().strip())
        )
        if not named:
            owner = type(widget.parent()).__name__
            missing.append(f"{type(widget).__name__} {widget.objectName()!r} in {owner}")
    return missing


def test_every_control_of_every_tab_has_a_name(qtbot: Any, demo_window: Any, lane: Any) -> None:
    window = demo_window
    assert window.pilots.select("DFE-TL-004")
    wait_idle(qtbot, lane)
    problems: list[str] = []
    for tab in ("overview", "procurement", "hypotheses", "data", "analysis", "lessons", "reports"):
        window.detail.show_tab(tab)
        wait_idle(qtbot, lane)
        problems += [f"{tab}: {p}" for p in unnamed_controls(window)]
    window.pages.setCurrentIndex(1)
    wait_idle(qtbot, lane)
    problems += [f"portfolio: {p}" for p in unnamed_controls(window)]
    assert problems == [], "\n".join(problems)


def test_tab_walks_from_the_search_through_the_filters_to_the_list(
    qtbot: Any, demo_window: Any
) -> None:
    window = demo_window
    window.activateWindow()
    window.pilots.search.setFocus(Qt.FocusReason.OtherFocusReason)
    visited = []
    for _ in range(6):
        visited.append(QApplication.focusWidget())
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    panel = window.pilots
    expected = [panel.search, *panel.filters.values(), panel.table]
    assert visited[: len(expected)] == expected
