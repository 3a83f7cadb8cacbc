"""Opening files, refusing bad ones, first start, and jobs that fail or are cancelled."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from tests.gui.conftest import wait_idle
from tests.gui.test_typing import open_pilot


def test_first_start_shows_the_demo_and_creates_the_users_own_database_empty(
    qtbot: Any, window: Any, lane: Any, tmp_path: Path
) -> None:
    from testlearn.services import databases, pilots

    path = tmp_path / "data" / "pilots.sqlite"
    window.open_start(path, is_default=True)
    wait_idle(qtbot, lane, timeout=300_000)
    assert window.pilots.model.rowCount() == 10
    assert "ten fictional pilots" in window.statusBar().currentMessage()
    assert window.windowTitle().startswith("The demo")
    verdicts = [window.pilots.model.summary(r).primary_verdict for r in range(10)]
    assert any(verdicts)  # analysed on creation
    with databases.open_database(path) as own:
        assert pilots.list_pilots(db=own) == []


def test_a_damaged_file_is_refused_and_not_written(
    qtbot: Any,
    demo_window: Any,
    lane: Any,
    messages: Any,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    from ui.file_dialogs import FileDialogs

    damaged = tmp_path / "damaged.sqlite"
    damaged.write_bytes(b"SQLite format 3\x00" + b"\x13" * 4000)
    before = damaged.read_bytes()
    monkeypatch.setattr(FileDialogs, "ask_open_database", classmethod(lambda cls, p: damaged))
    demo_window._open_database()
    wait_idle(qtbot, lane)
    assert "damaged.sqlite" in messages.text()
    assert damaged.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["damaged.sqlite", "demo.sqlite"]
    assert demo_window.windowTitle().startswith("demo.sqlite")  # the open database stays open
    assert demo_window.pilots.model.rowCount() == 10


def test_a_foreign_file_is_refused(
    qtbot: Any,
    demo_window: Any,
    lane: Any,
    messages: Any,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    from ui.file_dialogs import FileDialogs

    foreign = tmp_path / "notes.sqlite"
    foreign.write_text("these are my notes, not a database")
    monkeypatch.setattr(FileDialogs, "ask_open_database", classmethod(lambda cls, p: foreign))
    demo_window._open_database()
    wait_idle(qtbot, lane)
    assert "notes.sqlite" in messages.text()
    assert foreign.read_text() == "these are my notes, not a database"


def test_a_long_job_shows_progress_and_can_be_cancelled(
    qtbot: Any, window: Any, lane: Any, messages: Any
) -> None:
    from ui.job import Job

    outcome: list[str] = []

    def long_job(job: Job) -> str:
        for step in range(600):
            job.progress(step / 600)
            job.check_cancel()
            time.sleep(0.01)
        return "finished"

    lane.submit(
        Job(
            "Counting slowly",
            long_job,
            on_done=outcome.append,
            on_error=lambda e: outcome.append(type(e).__name__),
            cancellable=True,
        )
    )
    progress = window.progress
    qtbot.waitUntil(progress.isVisible, timeout=3000)
    assert progress.cancel.isVisible() and progress.bar.value() > 0
    qtbot.mouseClick(progress.cancel, qtbot_button())
    wait_idle(qtbot, lane)
    assert outcome == ["JobCancelled"]
    assert not progress.isVisible()
    assert not messages.messages  # cancelling is not an error


def qtbot_button() -> Any:
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton


def test_an_unexpected_error_is_logged_with_its_path_shown(
    qtbot: Any, window: Any, lane: Any, messages: Any
) -> None:
    def broken(job: Any) -> None:
        raise RuntimeError("a bug")

    window.session.run("Doing something", broken, reload=False)
    wait_idle(qtbot, lane)
    text = messages.text()
    assert "testlearn.log" in text
    log = Path(text.split("log file:\n")[1].split("\n")[0])
    assert "RuntimeError: a bug" in log.read_text()


def test_an_error_the_user_caused_says_what_to_do(
    qtbot: Any, demo_window: Any, lane: Any, messages: Any
) -> None:
    window = demo_window
    window.pilots.select("DFE-TL-004")
    qtbot.waitUntil(lambda: window.detail is not None)
    wait_idle(qtbot, lane)
    form = window.detail.overview.about
    form.widgets["budget"].setText("lots")
    form.widgets["budget"].editingFinished.emit()
    wait_idle(qtbot, lane)
    assert "Budget" in messages.text()
    assert not window.session.undo_group.canUndo()


def test_a_deviation_is_recorded_with_its_reason(
    qtbot: Any, demo_window: Any, lane: Any, messages: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ui.deviation_dialog import DeviationDialog

    window = demo_window
    window.pilots.select("DFE-TL-004")
    qtbot.waitUntil(lambda: window.detail is not None)
    wait_idle(qtbot, lane)
    tab = window.detail.hypotheses
    assert tab.form.widgets["planned_n_pilot"].isReadOnly()
    monkeypatch.setattr(
        DeviationDialog,
        "ask",
        classmethod(lambda cls, parent, h, **_: ("planned_n_pilot", "4300", "Two schools closed")),
    )
    tab.deviation_button.click()
    wait_idle(qtbot, lane)
    assert tab.deviations.rowCount() == 1
    assert tab.deviations.index(0, 3).data() == "Two schools closed"
    assert not messages.messages, messages.text()


def test_a_threshold_changed_after_the_data_shows_beside_the_registered_verdict(
    qtbot: Any, demo_window: Any, lane: Any, messages: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ui.deviation_dialog import DeviationDialog

    window = demo_window
    open_pilot(qtbot, window, lane, "MOJ-TL-007")
    asked: list[bool] = []

    def ask(cls: Any, parent: Any, h: Any, *, has_data: bool = False) -> Any:
        asked.append(has_data)
        return ("benefit_threshold", "0.004", "lowered after seeing results")

    monkeypatch.setattr(DeviationDialog, "ask", classmethod(ask))
    window.detail.show_tab("hypotheses")
    window.detail.hypotheses.deviation_button.click()
    wait_idle(qtbot, lane)
    assert asked == [True]  # the dialog was told outcome data exist
    mde = window.detail.hypotheses.mde.text()
    assert "against a threshold of 3.0 percentage points (the registered threshold" in mde, mde
    assert "after the data, post hoc" in mde
    window.detail.show_tab("analysis")
    tab = window.detail.analysis
    tab.analyse_button.click()
    wait_idle(qtbot, lane)
    qtbot.waitUntil(lambda: tab.post_hoc.isVisible())
    assert "Post hoc, not the registered test" in tab.post_hoc.text()
    assert "size uncertain" not in tab.post_hoc.text().casefold()
    # The verdict above it is still the registered plan's: size uncertain against 3 points.
    assert "benefit threshold of 3 points" in tab.sentence.text()


def test_the_data_section_names_the_import_a_later_one_replaced(
    qtbot: Any, demo_window: Any, lane: Any, tmp_path: Path
) -> None:
    from testlearn.services import databases
    from testlearn.services.outcome_import import import_results

    second = tmp_path / "MOJ-TL-007-H1-corrected.csv"
    second.write_text("arm,n,successes\npilot,1046,150\ncomparator,1046,187\n", encoding="utf-8")
    db = databases.open_database(tmp_path / "demo.sqlite")
    try:
        import_results("MOJ-TL-007", "H1", second, db=db, actor="ana")
    finally:
        db.close()
    window = demo_window
    open_pilot(qtbot, window, lane, "MOJ-TL-007")
    window.detail.show_tab("data")
    text = window.detail.data.dataset.text()
    assert "from MOJ-TL-007-H1-corrected.csv" in text
    assert "Replaced on" in text and "MOJ-TL-007-H1-aggregates.csv" in text
    assert "kept, and named in every report" in text


def test_the_registration_receipt_is_saved_where_the_user_chooses(
    qtbot: Any, demo_window: Any, lane: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from testlearn.services import databases, receipts
    from ui.file_dialogs import FileDialogs

    window = demo_window
    open_pilot(qtbot, window, lane, "DFE-TL-004")
    window.detail.show_tab("hypotheses")
    tab = window.detail.hypotheses
    assert tab.receipt_button.isEnabled()  # the demo pilot is registered
    chosen = tmp_path / "for-the-registry.receipt.json"
    monkeypatch.setattr(FileDialogs, "ask_receipt_path", classmethod(lambda c, p, s: chosen))
    tab.receipt_button.click()
    wait_idle(qtbot, lane)
    qtbot.waitUntil(chosen.exists)
    receipt = receipts.read_receipt(chosen)  # the receipt `testlearn verify --receipt` reads
    assert receipt.pilot_reference == "DFE-TL-004"
    assert receipt.registration_hash == window.session.detail.registrations[-1].content_hash
    with databases.open_database(tmp_path / "demo.sqlite") as db:
        assert receipts.check_receipt(receipt, db=db) == ()
