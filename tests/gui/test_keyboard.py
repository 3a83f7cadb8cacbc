"""Keyboard use: unique Alt keys, Tab out of tables, F6 between panes, Ctrl+number sections."""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QGroupBox,
    QLabel,
    QScrollArea,
    QWidget,
)

from tests.gui.conftest import wait_idle
from ui.pilot_detail_view import SECTIONS

MNEMONIC = re.compile(r"&([^&\s])")


def mnemonic_of(text: str) -> str | None:
    match = MNEMONIC.search(text.replace("&&", ""))
    return match.group(1).lower() if match else None


def visible_mnemonics(window: Any) -> dict[str, list[str]]:
    """Alt+letter -> what it would press, for everything on screen now (menus included)."""
    keys: dict[str, list[str]] = defaultdict(list)
    for action in window.menuBar().actions():
        if (key := mnemonic_of(action.text())) is not None:
            keys[key].append(f"menu {action.text()}")
    bar = window.pages.tabBar()
    for index in range(bar.count()):
        if (key := mnemonic_of(bar.tabText(index))) is not None:
            keys[key].append(f"page {bar.tabText(index)}")
    for widget in window.findChildren(QWidget):
        if not widget.isVisible():
            continue
        if isinstance(widget, QAbstractButton | QLabel | QGroupBox):
            text = widget.title() if isinstance(widget, QGroupBox) else widget.text()
            if isinstance(widget, QLabel) and widget.buddy() is None:
                continue  # a label without a buddy has no Alt key
            if (key := mnemonic_of(text)) is not None:
                keys[key].append(f"{type(widget).__name__} {text}")
    return keys


def open_demo_pilot(qtbot: Any, window: Any, lane: Any) -> None:
    assert window.pilots.select("DFE-TL-004")
    qtbot.waitUntil(lambda: window.detail is not None)
    wait_idle(qtbot, lane)


def test_every_alt_key_on_screen_does_one_thing(qtbot: Any, demo_window: Any, lane: Any) -> None:
    window = demo_window
    open_demo_pilot(qtbot, window, lane)
    clashes = []
    for name, _title, _class in SECTIONS:
        window.detail.show_tab(name)
        wait_idle(qtbot, lane)
        for key, owners in visible_mnemonics(window).items():
            if len(owners) > 1:
                clashes.append(f"{name}: Alt+{key.upper()} is {' and '.join(owners)}")
    assert clashes == [], "\n".join(clashes)


def test_tab_leaves_the_pilot_list_and_f6_walks_the_panes(
    qtbot: Any, demo_window: Any, lane: Any
) -> None:
    window = demo_window
    open_demo_pilot(qtbot, window, lane)
    window.activateWindow()
    table = window.pilots.table
    table.setFocus(Qt.FocusReason.TabFocusReason)
    selected = window.pilots.selected_reference()
    qtbot.keyClick(table, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is not table
    assert window.pilots.selected_reference() == selected  # Tab chose no other pilot

    table.setFocus(Qt.FocusReason.OtherFocusReason)
    qtbot.keyClick(table, Qt.Key.Key_F6)
    assert QApplication.focusWidget() is window.detail.sections
    qtbot.keyClick(window.detail.sections, Qt.Key.Key_F6)
    page = window.detail.pages.currentWidget()
    assert page.isAncestorOf(QApplication.focusWidget())
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_F6)
    assert QApplication.focusWidget() is table


def test_ctrl_and_a_number_opens_each_section_with_the_keyboard_in_it(
    qtbot: Any, demo_window: Any, lane: Any
) -> None:
    window = demo_window
    open_demo_pilot(qtbot, window, lane)
    window.activateWindow()
    for number, (name, _title, _class) in enumerate(SECTIONS, start=1):
        qtbot.keyClick(
            QApplication.focusWidget() or window, str(number), Qt.KeyboardModifier.ControlModifier
        )
        assert window.detail.current_section() == name
        page = window.detail.pages.currentWidget()
        assert page.isAncestorOf(QApplication.focusWidget()), name


def test_no_focus_stop_is_invisible(qtbot: Any, demo_window: Any, lane: Any) -> None:
    """Every Tab lands on a control a person can see and use: never a bare scroll area."""
    window = demo_window
    open_demo_pilot(qtbot, window, lane)
    window.activateWindow()
    for name, _title, _class in SECTIONS:
        window.detail.show_tab(name, focus=True)
        wait_idle(qtbot, lane)
        seen: list[QWidget] = []
        for _ in range(40):
            widget = QApplication.focusWidget()
            if widget in seen:
                break
            seen.append(widget)
            assert widget.isVisible(), f"{name}: invisible focus stop {widget!r}"
            assert not isinstance(widget, QScrollArea) and type(widget) is not QWidget, (
                f"{name}: focus stop on a {type(widget).__name__} that shows nothing"
            )
            qtbot.keyClick(widget, Qt.Key.Key_Tab)
    assert all(not v.tabKeyNavigation() for v in window.findChildren(QAbstractItemView))
