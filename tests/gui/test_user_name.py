"""The window asks the user's name on the first start, lets them change it (Edit > Your name),
and records their changes against it, never against the operating system's account."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from tests.gui.conftest import wait_idle
from tests.gui.test_typing import KEY_DELAY_MS, focus, open_pilot

TYPING_DELAY_MS = 60


@pytest.fixture
def nameless(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TESTLEARN_NAME", raising=False)


def saved_name() -> str | None:
    from testlearn.services.user_name import current_name

    found = current_name()
    return None if found is None else found.name


def when_the_dialog_shows(qtbot: Any, then: Callable[[Any], None]) -> None:
    """Run ``then`` on the name dialog once it is up (it runs its own event loop, modal)."""
    from ui.name_dialog import NameDialog

    def look() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, NameDialog):
            QTimer.singleShot(20, look)
            return
        then(dialog)

    QTimer.singleShot(0, look)


def type_name(qtbot: Any, text: str, *, clear: bool = False) -> Callable[[Any], None]:
    def typing(dialog: Any) -> None:
        if clear:
            dialog.name.selectAll()
            qtbot.keyClick(dialog.name, Qt.Key.Key_Delete)
        assert not dialog.ok.isEnabled()  # nothing to record changes against yet
        qtbot.keyClicks(dialog.name, text, delay=TYPING_DELAY_MS)
        qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)

    return typing


def test_ok_waits_for_a_name(qtbot: Any) -> None:
    from ui.name_dialog import NameDialog

    dialog = NameDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.name.accessibleName() == "Your name"
    assert not dialog.ok.isEnabled()
    qtbot.keyClicks(dialog.name, "   ", delay=TYPING_DELAY_MS)
    assert not dialog.ok.isEnabled()  # spaces are not a name
    qtbot.keyClicks(dialog.name, "Jo", delay=TYPING_DELAY_MS)
    assert dialog.ok.isEnabled()
    assert dialog.value() == "Jo"


def test_a_name_with_a_control_character_keeps_the_dialog_open(qtbot: Any) -> None:
    from ui.name_dialog import NameDialog

    dialog = NameDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.name.setText("Jo\tBloggs")  # pasted with a tab in it
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.result() != dialog.DialogCode.Accepted
    assert "control or invisible character" in dialog.problem.text()


def test_the_first_start_asks_and_the_answer_is_saved(qtbot: Any, nameless: None) -> None:
    from ui.name_dialog import name_at_start

    when_the_dialog_shows(qtbot, type_name(qtbot, "Jo Bloggs"))
    assert name_at_start() == "Jo Bloggs"
    assert saved_name() == "Jo Bloggs"
    # The next start does not ask again: no dialog is scheduled, and none is needed.
    assert name_at_start() == "Jo Bloggs"


def test_cancelling_the_first_start_question_opens_nothing(qtbot: Any, nameless: None) -> None:
    from ui.name_dialog import name_at_start

    when_the_dialog_shows(qtbot, lambda dialog: dialog.reject())
    assert name_at_start() is None
    assert saved_name() is None


@pytest.fixture
def one_pilot(tmp_path: Path) -> Path:
    from testlearn.services.databases import create_database
    from testlearn.services.pilots import create_pilot
    from tests.builders import pilot

    path = tmp_path / "pilots.sqlite"
    db = create_database(path, actor="a colleague")
    create_pilot(pilot(), db=db, actor="a colleague")
    db.close()
    return path


@pytest.fixture
def named_window(
    qtbot: Any, nameless: None, messages: Any, one_pilot: Path
) -> Iterator[tuple[Any, Any]]:
    """The window as run_app starts it: the name asked first, then the window on a file."""
    from ui.main_window import MainWindow
    from ui.name_dialog import name_at_start
    from ui.worker_lane import WorkerLane

    when_the_dialog_shows(qtbot, type_name(qtbot, "Jo Bloggs"))
    name = name_at_start()
    assert name is not None
    lane = WorkerLane(name)
    window = MainWindow(lane)
    qtbot.addWidget(window)
    window.show()
    window.database.open(one_pilot)
    qtbot.waitUntil(lambda: window.pilots.model.rowCount() == 1, timeout=30_000)
    yield window, lane
    lane.cancel_all()
    lane.stop()


def last_actor(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        query = "SELECT actor FROM revision WHERE entity = 'pilot' ORDER BY rowid DESC LIMIT 1"
        return str(conn.execute(query).fetchone()[0])
    finally:
        conn.close()


def edit_team(qtbot: Any, window: Any, lane: Any, text: str) -> None:
    detail = open_pilot(qtbot, window, lane, "T-001")
    detail.show_tab("overview")
    widget = detail.overview.about.widgets["team"]
    focus(qtbot, widget)
    widget.selectAll()
    qtbot.keyClicks(widget, text, delay=KEY_DELAY_MS)
    qtbot.keyClick(widget, Qt.Key.Key_Tab)
    wait_idle(qtbot, lane)


def test_a_change_in_the_window_is_recorded_against_the_name_given(
    qtbot: Any, named_window: tuple[Any, Any], one_pilot: Path
) -> None:
    window, lane = named_window
    edit_team(qtbot, window, lane, "Early years")
    assert last_actor(one_pilot) == "Jo Bloggs"


def test_edit_your_name_changes_who_later_changes_are_recorded_against(
    qtbot: Any, named_window: tuple[Any, Any], one_pilot: Path
) -> None:
    window, lane = named_window
    assert window.name_action.text() == "Your &name..."
    when_the_dialog_shows(qtbot, type_name(qtbot, "Sam Patel", clear=True))
    window.name_action.trigger()
    assert saved_name() == "Sam Patel"
    assert "Sam Patel" in window.statusBar().currentMessage()
    edit_team(qtbot, window, lane, "Schools")
    assert last_actor(one_pilot) == "Sam Patel"
