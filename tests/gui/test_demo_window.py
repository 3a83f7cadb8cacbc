"""The demo in the window: first start, Cancel, File > Open the demo, and exports."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from tests.gui.conftest import wait_idle


def file_menu_item(window: Any, text: str) -> Any:
    file_menu = window.menuBar().actions()[0].menu()
    for action in file_menu.actions():
        if action.text() == text:
            return action
    raise AssertionError(f"no File menu item {text!r}")


def test_first_start_lists_the_demo_at_once_and_opens_a_pilot_once_it_is_built(
    qtbot: Any, window: Any, lane: Any, tmp_path: Path, messages: Any
) -> None:
    from testlearn.services import databases, pilots

    own = tmp_path / "data" / "pilots.sqlite"
    window.open_start(own, is_default=True)
    # The list comes from the data file while the demo database is being built.
    qtbot.waitUntil(lambda: window.pilots.model.rowCount() == 10, timeout=60_000)
    assert window.windowTitle().startswith("The demo")
    assert window.database.demo_label.isVisible()
    wait_idle(qtbot, lane, timeout=300_000)
    assert databases.default_demo_path().exists()
    assert all(window.pilots.model.summary(r).primary_verdict for r in range(10))
    selected = window.pilots.selected_reference()
    assert selected and window.session.detail is not None
    assert window.session.detail.pilot.reference == selected  # the pilot shows, from the demo
    assert "Welcome" in window.statusBar().currentMessage()
    with databases.open_database(own) as db:
        assert pilots.list_pilots(db=db) == []  # the user's own register holds no demo pilot
    assert window.database.recent() == [str(own)]  # the demo has a menu item, not a recent
    assert not messages.messages


def test_cancel_at_first_start_leaves_no_demo_and_the_users_own_database_open(
    qtbot: Any, window: Any, lane: Any, tmp_path: Path, messages: Any
) -> None:
    from testlearn.services import databases

    own = tmp_path / "data" / "pilots.sqlite"
    window.open_start(own, is_default=True)
    qtbot.waitUntil(lambda: window.progress.cancel.isVisible(), timeout=60_000)
    assert window.progress.job.title == "Preparing the demo"
    qtbot.mouseClick(window.progress.cancel, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, lane, timeout=300_000)
    folder = databases.default_demo_path().parent
    assert [p.name for p in folder.iterdir() if "demo" in p.name] == []  # nothing half-made
    assert window.windowTitle() == "pilots.sqlite - testlearn"
    assert window.pilots.model.rowCount() == 0
    assert not window.database.demo_label.isVisible()
    assert "cancelled" in window.statusBar().currentMessage()
    assert not messages.messages  # Cancel is not an error, nor is the pilot it dropped
    # Usable: the demo can be asked for again, and is built this time.
    file_menu_item(window, "Open the &demo").trigger()
    wait_idle(qtbot, lane, timeout=300_000)
    assert window.pilots.model.rowCount() == 10
    assert window.windowTitle().startswith("The demo")


def test_the_demo_is_one_menu_item_away_and_is_never_exported(
    qtbot: Any,
    window: Any,
    lane: Any,
    tmp_path: Path,
    messages: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from ui.file_dialogs import FileDialogs

    own = tmp_path / "own.sqlite"
    window.database.create(own)
    wait_idle(qtbot, lane)
    file_menu_item(window, "Open the &demo").trigger()
    wait_idle(qtbot, lane, timeout=300_000)
    assert window.pilots.model.rowCount() == 10
    assert "demo" in window.windowTitle()
    out = tmp_path / "for-central.sqlite"
    monkeypatch.setattr(FileDialogs, "ask_export_path", classmethod(lambda cls, p, s: out))
    window._export_for_central()
    wait_idle(qtbot, lane)
    assert "demo database" in messages.text()
    assert not out.exists()
    window.database.open(own)  # back to the user's own, from File > Open recent
    wait_idle(qtbot, lane)
    assert window.windowTitle() == "own.sqlite - testlearn"
    assert window.pilots.model.rowCount() == 0
    assert not window.database.demo_label.isVisible()


def test_the_first_export_asks_for_the_department_and_the_manifest_names_it(
    qtbot: Any,
    window: Any,
    lane: Any,
    tmp_path: Path,
    messages: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from ui.department_dialog import DepartmentDialog
    from ui.file_dialogs import FileDialogs

    window.database.create(tmp_path / "own.sqlite")
    wait_idle(qtbot, lane)
    first, second = tmp_path / "first.sqlite", tmp_path / "second.sqlite"
    outs = iter([first, second])
    monkeypatch.setattr(FileDialogs, "ask_export_path", classmethod(lambda cls, p, s: next(outs)))
    seen: list[bool] = []

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, DepartmentDialog):
            QTimer.singleShot(50, answer)
            return
        seen.append(dialog.ok.isEnabled())  # nothing typed yet: Export waits
        qtbot.keyClicks(dialog.department, "DHSC", delay=60)
        seen.append(dialog.ok.isEnabled())
        qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)

    QTimer.singleShot(50, answer)
    window._export_for_central()
    wait_idle(qtbot, lane)
    wait_idle(qtbot, lane)
    assert seen == [False, True]
    assert json.loads(Path(f"{first}.manifest.json").read_text())["department"] == "DHSC"
    monkeypatch.setattr(DepartmentDialog, "ask", classmethod(lambda cls, p: pytest.fail("asked")))
    window._export_for_central()
    wait_idle(qtbot, lane)
    assert json.loads(Path(f"{second}.manifest.json").read_text())["department"] == "DHSC"
    assert not messages.messages
