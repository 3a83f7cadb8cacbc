"""Undo follows the pilot on screen and names what it undoes; Ctrl+Z in a text box is the box's."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.gui.conftest import wait_idle
from tests.gui.test_typing import KEY_DELAY_MS, focus, open_pilot, stored_pilot


def type_and_leave(qtbot: Any, widget: Any, text: str) -> None:
    focus(qtbot, widget)
    widget.selectAll()
    qtbot.keyClicks(widget, text, delay=KEY_DELAY_MS)
    qtbot.keyClick(widget, Qt.Key.Key_Tab)


def test_undo_names_the_pilot_and_never_touches_another(
    qtbot: Any, demo_window: Any, lane: Any
) -> None:
    window = demo_window
    detail = open_pilot(qtbot, window, lane, "DFE-TL-004")
    type_and_leave(qtbot, detail.overview.about.widgets["team"], "Team A")
    wait_idle(qtbot, lane)
    assert "DFE-TL-004" in window.undo_action.text() and "Team" in window.undo_action.text()

    open_pilot(qtbot, window, lane, "HO-TL-003")
    assert not window.undo_action.isEnabled()  # nothing of HO-TL-003 has been edited
    window.undo_action.trigger()
    wait_idle(qtbot, lane)
    assert stored_pilot(window, "DFE-TL-004").team == "Team A"

    open_pilot(qtbot, window, lane, "DFE-TL-004")
    assert window.undo_action.isEnabled()
    window.undo_action.trigger()
    wait_idle(qtbot, lane)
    assert stored_pilot(window, "DFE-TL-004").team != "Team A"
    assert window.detail.overview.about.widgets["team"].text() != "Team A"


def test_ctrl_z_in_a_text_box_undoes_the_typing_there(
    qtbot: Any, demo_window: Any, lane: Any
) -> None:
    window = demo_window
    detail = open_pilot(qtbot, window, lane, "DFE-TL-004")
    about = detail.overview.about
    type_and_leave(qtbot, about.widgets["team"], "Team B")
    wait_idle(qtbot, lane)
    minister = about.widgets["minister"]
    before = minister.text()
    focus(qtbot, minister)
    minister.end(False)
    qtbot.keyClicks(minister, " xyz", delay=KEY_DELAY_MS)
    qtbot.keyClick(minister, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is minister
    assert minister.text() == before  # the box's own undo took the typing back
    wait_idle(qtbot, lane)
    assert stored_pilot(window, "DFE-TL-004").team == "Team B"  # no saved edit was undone
