"""A save made while another program writes to the file waits its turn, says so, and is kept."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer

from tests.builders import pilot
from tests.gui.conftest import wait_idle
from tests.gui.test_typing import KEY_DELAY_MS, focus, open_pilot, stored_pilot

HOLD_SECONDS = 3.0


def _database(path: Path) -> Path:
    from testlearn.services import databases, pilots

    with databases.create_database(path, actor="tester") as db:
        pilots.create_pilot(pilot(reference="T-001", title="Fleet telematics"), db=db, actor="ana")
    return path


def test_a_save_while_the_command_line_writes_waits_and_keeps_the_typed_text(
    qtbot: Any, window: Any, lane: Any, messages: Any, tmp_path: Path
) -> None:
    path = _database(tmp_path / "pilots.sqlite")
    window.database.open(path)
    wait_idle(qtbot, lane)
    detail = open_pilot(qtbot, window, lane, "T-001")
    detail.show_tab("overview")
    widget = detail.overview.about.widgets["team"]

    # Another writer (as `testlearn import-results` would) holds the file's write lock.
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    other.execute("UPDATE database_info SET value = value WHERE key = 'schema_generation'")
    released: list[float] = []

    def release() -> None:
        other.execute("COMMIT")
        other.close()
        released.append(time.monotonic())

    focus(qtbot, widget)
    widget.selectAll()
    qtbot.keyClicks(widget, "Fleet analysis team", delay=KEY_DELAY_MS)
    qtbot.keyClick(widget, Qt.Key.Key_Tab)  # leaving the field saves it
    QTimer.singleShot(int(HOLD_SECONDS * 1000), release)

    # While it waits, the status bar says who it waits for, and the text stays as typed.
    qtbot.waitUntil(lambda: "waiting" in window.statusBar().currentMessage(), timeout=10_000)
    waiting = window.statusBar().currentMessage()
    assert f"is writing to {path}; waiting..." in waiting
    assert "another program" in waiting  # a raw sqlite3 connection leaves no note
    assert not released and lane.busy
    assert widget.text() == "Fleet analysis team"

    qtbot.waitUntil(lambda: bool(released), timeout=15_000)
    wait_idle(qtbot, lane)
    assert stored_pilot(window, "T-001").team == "Fleet analysis team"
    assert widget.text() == "Fleet analysis team"
    assert window.statusBar().currentMessage().startswith("Saved T-001 ")
    assert messages.messages == []  # no warning: waiting is not a failure


def test_a_save_held_up_past_the_long_wait_is_queued_again_not_dropped(
    qtbot: Any, window: Any, lane: Any, messages: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    from testlearn.store import writer_queue

    monkeypatch.setattr(writer_queue, "NOTICE_AFTER", 0.2)
    monkeypatch.setattr(writer_queue, "WAIT_LIMIT", 1.0)
    path = _database(tmp_path / "pilots.sqlite")
    window.database.open(path)
    wait_idle(qtbot, lane)
    detail = open_pilot(qtbot, window, lane, "T-001")
    detail.show_tab("overview")
    widget = detail.overview.about.widgets["team"]

    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    other.execute("UPDATE database_info SET value = value WHERE key = 'schema_generation'")
    shown: list[str] = []
    window.statusBar().messageChanged.connect(shown.append)
    try:
        focus(qtbot, widget)
        widget.selectAll()
        qtbot.keyClicks(widget, "Telematics team", delay=KEY_DELAY_MS)
        qtbot.keyClick(widget, Qt.Key.Key_Tab)
        # The lane gave up after its (shortened) long wait; the edit went back in the queue.
        qtbot.waitUntil(
            lambda: any(text.startswith("Waiting to save T-001 ") for text in shown),
            timeout=10_000,
        )
        again = next(text for text in shown if text.startswith("Waiting to save T-001 "))
        assert f"has been writing to {path} for over 1 s" in again
        assert again.endswith("the edit is kept and will be saved when the file is free")
        assert lane.busy and messages.messages == []
    finally:
        other.execute("COMMIT")
        other.close()
    wait_idle(qtbot, lane)
    assert stored_pilot(window, "T-001").team == "Telematics team"
    assert widget.text() == "Telematics team"
