"""Importing outcome data in the window: the real dialog, typed into, and a big file cancelled."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from testlearn.services import databases, pilots, registration
from tests.builders import hypothesis, pilot
from tests.gui.conftest import wait_idle
from tests.integration.test_outcome_files import excel_csv


def choose(qtbot: Any, combo: Any, text: str) -> None:
    """Pick an entry of a drop-down as a keyboard user does: focus it, type its first letters."""
    combo.setFocus()
    qtbot.keyClicks(combo, text, delay=80)
    assert combo.currentText().lower().startswith(text.lower()), combo.currentText()


def test_the_dialog_explains_each_column_and_recodes_the_groups(qtbot: Any, tmp_path: Path) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QDialog

    from testlearn.services.outcome_files import Expectations, open_outcome_file
    from testlearn.services.outcome_preview import preview_outcome_file
    from ui.import_dialog import ImportDialog

    path = excel_csv(tmp_path / "Framework outcomes.csv")
    dialog = ImportDialog(preview_outcome_file(path), "binary", None)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)

    assert "Text read as Windows-1252, as the file is not valid UTF-8" in dialog.intro.text()
    assert dialog.table.horizontalHeaderItem(0).text() == "Group"
    assert dialog.table.verticalHeaderItem(0).text() == "2"  # the file's own line numbers
    group, cost, outcome, site = dialog.meanings
    assert group.currentText() == "Which group the row belongs to (pilot or comparator)"
    assert outcome.currentText() == "The outcome for this unit"
    assert site.currentText() == "Cluster (school, site...)"
    assert cost.currentText().startswith("Not needed")
    assert dialog.becomes[1].text() == "£ cost: not imported"
    assert "'Yes' -> 1, 'No' -> 0" in dialog.becomes[2].text()
    # The groups are not yet said: the dialog asks, and Import waits.
    assert not dialog.import_button.isEnabled()
    assert "'Marketplace'" in dialog.problem.text() and "'Framework'" in dialog.problem.text()

    box = dialog.recodes[0]
    choose(qtbot, box.combos["Marketplace"], "pilot")
    assert "'Marketplace' -> pilot, 'Framework' -> ? (say what it is)" in dialog.becomes[0].text()
    choose(qtbot, box.combos["Framework"], "comparator")
    assert dialog.becomes[0].text() == "Group: 'Marketplace' -> pilot, 'Framework' -> comparator"
    assert dialog.problem.text() == ""
    # The site is not wanted after all.
    choose(qtbot, site, "Not needed")
    assert dialog.becomes[3].text() == "Site: not imported"

    assert dialog.import_button.isEnabled()
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    choice = dialog.answer()
    assert choice.encoding is None
    source = open_outcome_file(path, Expectations("binary"), choice.mapping)
    read = [row[:2] for chunk in source.chunks for row in chunk]
    assert read == [("pilot", 1.0), ("comparator", 0.0), ("pilot", 1.0), ("comparator", 0.0)]


def test_choosing_the_same_meaning_twice_is_pointed_out(qtbot: Any, tmp_path: Path) -> None:
    from testlearn.services.outcome_preview import preview_outcome_file
    from ui.import_dialog import ImportDialog

    path = tmp_path / "two.csv"
    path.write_text("arm,value,score\npilot,1,3\ncomparator,0,4\n", encoding="utf-8")
    dialog = ImportDialog(preview_outcome_file(path), "continuous", None)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.import_button.isEnabled()
    choose(qtbot, dialog.meanings[2], "The outcome")
    assert dialog.problem.text() == "Two columns hold the same thing: The outcome for this unit."
    assert not dialog.import_button.isEnabled()


# -- the Data section, on the worker lane --------------------------------------------------


@pytest.fixture
def data_section(qtbot: Any, lane: Any, messages: Any, tmp_path: Path) -> Iterator[Any]:
    """The Data section and the status bar's progress, over a pilot with a registered H1."""
    from PySide6.QtWidgets import QVBoxLayout, QWidget

    from ui.data_tab import DataTab
    from ui.job import Job
    from ui.job_progress import JobProgress
    from ui.pilot_session import PilotSession

    path = tmp_path / "pilots.sqlite"
    db = databases.create_database(path, actor="tester")
    pilots.create_pilot(pilot(), db=db, actor="tester")
    pilots.add_record("T-001", "hypothesis", hypothesis(), db=db, actor="tester")
    registration.register("T-001", db=db, actor="tester")
    db.close()

    def open_it(job: Job) -> None:
        job.ctx.database = databases.open_database(path)

    lane.submit(Job("Opening", open_it))
    window = QWidget()
    qtbot.addWidget(window)
    session = PilotSession(lane, window)
    tab = DataTab(session, window)
    progress = JobProgress(lane, window)
    layout = QVBoxLayout(window)
    layout.addWidget(tab)
    layout.addWidget(progress)
    session.pilot_loaded.connect(tab.set_detail)
    window.resize(1000, 600)
    window.show()
    session.open_pilot("T-001")
    wait_idle(qtbot, lane)
    assert tab.import_button.isEnabled()
    tab.database_path = path
    tab.progress = progress
    yield tab
    lane.cancel_all()
    wait_idle(qtbot, lane)


def stored_dataset(path: Path) -> Any:
    db = databases.open_database(path)
    try:
        return pilots.get_pilot("T-001", db=db).hypothesis("H1").dataset
    finally:
        db.close()


def drop(tab: Any, path: Path) -> bool:
    """Drag ``path`` over the section and drop it; whether the section accepted the drag."""
    from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
    from PySide6.QtGui import QDragEnterEvent, QDropEvent
    from PySide6.QtWidgets import QApplication

    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    with warnings.catch_warnings():
        # PySide6 marks this constructor deprecated but offers no other way to make the
        # event a real drag would deliver.
        warnings.simplefilter("ignore", DeprecationWarning)
        enter = QDragEnterEvent(
            QPoint(20, 20),
            Qt.DropAction.CopyAction,
            mime,
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
        )
    QApplication.sendEvent(tab, enter)
    if not enter.isAccepted():
        return False
    event = QDropEvent(
        QPointF(20, 20),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(tab, event)
    return True


def test_a_file_dropped_on_the_data_section_is_imported_under_its_own_name(
    qtbot: Any, lane: Any, data_section: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from testlearn.services.outcome_mapping import ColumnMapping
    from ui.import_dialog import ImportChoice, ImportDialog

    asked: list[Any] = []

    def answer(cls: Any, parent: Any, preview: Any, outcome_type: str, reread: Any) -> Any:
        asked.append((preview.file_name, outcome_type))
        return ImportChoice(
            ColumnMapping(
                {"Group": "arm", "Outcome Value": "value"},
                {"arm": {"Marketplace": "pilot", "Framework": "comparator"}},
            )
        )

    monkeypatch.setattr(ImportDialog, "ask", classmethod(answer))
    notes = tmp_path / "notes.pdf"
    notes.write_bytes(b"%PDF-1.4\n")
    assert not drop(data_section, notes)  # only .csv and .xlsx are taken
    path = excel_csv(tmp_path / "Framework outcomes.csv")
    assert drop(data_section, path)
    wait_idle(qtbot, lane)
    assert asked == [("Framework outcomes.csv", "binary")]
    qtbot.waitUntil(lambda: "from Framework outcomes.csv" in data_section.dataset.text())
    assert "4 unit rows" in data_section.dataset.text()
    assert stored_dataset(data_section.database_path).source_name == "Framework outcomes.csv"


def test_a_file_that_is_not_data_is_refused_in_the_section(
    qtbot: Any, lane: Any, data_section: Any, messages: Any, tmp_path: Path
) -> None:
    path = tmp_path / "report.csv"
    path.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< >>\nendobj\n")
    assert drop(data_section, path)
    wait_idle(qtbot, lane)
    assert "report.csv: this is a PDF document" in data_section.error.text()
    assert "unexpected" not in messages.text()


def test_cancelling_a_large_import_stores_nothing(
    qtbot: Any,
    lane: Any,
    data_section: Any,
    messages: Any,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    from PySide6.QtCore import Qt

    from testlearn.services.outcome_mapping import ColumnMapping
    from ui.import_dialog import ImportChoice, ImportDialog

    monkeypatch.setattr(
        ImportDialog, "ask", classmethod(lambda cls, *a: ImportChoice(ColumnMapping()))
    )
    path = tmp_path / "big.csv"
    with path.open("w", encoding="utf-8") as handle:
        handle.write("arm,value\n")
        handle.writelines("pilot,1\ncomparator,0\n" for _ in range(300_000))
    data_section.import_path(path)
    progress = data_section.progress
    qtbot.waitUntil(
        lambda: (
            progress.isVisible()
            and progress.label.text() == "Importing big.csv"
            and progress.bar.maximum() > 0
            and progress.bar.value() > 0
        ),
        timeout=60_000,
    )
    assert progress.cancel.isVisible()
    qtbot.mouseClick(progress.cancel, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, lane)
    assert data_section.error.text() == "Import cancelled; nothing was saved."
    assert not messages.messages  # cancelling is not an error
    assert stored_dataset(data_section.database_path) is None
    assert "No outcome data yet." in data_section.dataset.text()


def test_the_file_is_read_again_in_the_encoding_chosen(
    qtbot: Any, lane: Any, data_section: Any, tmp_path: Path
) -> None:
    from testlearn.services.outcome_preview import preview_outcome_file
    from ui.import_dialog import ImportDialog

    path = tmp_path / "mac.csv"
    path.write_bytes("arm,value,site\npilot,1,Café Royal\n".encode("mac-roman"))
    dialog = ImportDialog(
        preview_outcome_file(path), "binary", data_section, data_section.reread_for(path)
    )
    qtbot.addWidget(dialog)
    dialog.show()
    assert "Windows-1252" in dialog.intro.text()
    assert dialog.table.item(0, 2).text() == "CafŽ Royal"  # mac-roman read as Windows-1252
    choose(qtbot, dialog.encoding, "Mac")
    wait_idle(qtbot, lane)
    assert "Text read as mac-roman." in dialog.intro.text()
    assert dialog.table.item(0, 2).text() == "Café Royal"
    assert dialog.answer().encoding == "mac-roman"
    assert dialog.import_button.isEnabled()


def test_tab_walks_the_columns_then_the_values_then_the_buttons(qtbot: Any, tmp_path: Path) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from testlearn.services.outcome_preview import preview_outcome_file
    from ui.import_dialog import ImportDialog

    dialog = ImportDialog(preview_outcome_file(excel_csv(tmp_path / "t.csv")), "binary", None)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.meanings[-1].setFocus()
    qtbot.waitUntil(dialog.meanings[-1].hasFocus)
    box = dialog.recodes[0]
    for expected in (box.combos["Marketplace"], box.combos["Framework"]):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab, delay=60)
        assert QApplication.focusWidget() is expected
    qtbot.keyClicks(box.combos["Framework"], "c", delay=60)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Backtab, delay=60)
    qtbot.keyClicks(QApplication.focusWidget(), "p", delay=60)
    assert box.recoding() == {"marketplace": "pilot", "framework": "comparator"}
