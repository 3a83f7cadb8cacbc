"""The hypothesis form takes the baseline measure to adjust for, typed at a person's speed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from tests import builders
from tests.gui.conftest import wait_idle


def _draft(path: Path) -> None:
    from testlearn.services import pilots
    from testlearn.services.databases import create_database

    db = create_database(path, actor="tester")
    try:
        pilots.create_pilot(builders.pilot(), db=db, actor="tester")
        pilots.add_record(
            "T-001",
            "hypothesis",
            builders.hypothesis(outcome_type="continuous", benefit_threshold=2.0),
            db=db,
            actor="tester",
        )
    finally:
        db.close()


def test_the_baseline_measure_is_typed_into_the_hypothesis_and_saved(
    qtbot: Any, window: Any, lane: Any, messages: Any, tmp_path: Path
) -> None:
    path = tmp_path / "draft.sqlite"
    _draft(path)
    window.database.open(path)
    wait_idle(qtbot, lane)
    window.pilots.select("T-001")
    qtbot.waitUntil(lambda: window.detail is not None)
    wait_idle(qtbot, lane)
    window.detail.show_tab("hypotheses")
    tab = window.detail.hypotheses
    field = tab.form.widgets["baseline_covariate"]
    assert isinstance(field, QLineEdit)
    assert field.accessibleName() == "Baseline measure to adjust for"
    assert field.focusPolicy() & Qt.FocusPolicy.TabFocus
    qtbot.mouseClick(field, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(field, "reading age at entry", delay=60)
    qtbot.keyClick(field, Qt.Key.Key_Tab)
    wait_idle(qtbot, lane)
    [hypothesis] = window.session.detail.hypotheses
    assert hypothesis.hypothesis.baseline_covariate == "reading age at entry"
    assert not messages.messages, messages.text()


def test_the_import_dialog_takes_the_column_named_as_the_registered_measure(
    qtbot: Any, tmp_path: Path
) -> None:
    from PySide6.QtWidgets import QDialog

    from testlearn.services.outcome_files import Expectations, open_outcome_file
    from testlearn.services.outcome_preview import preview_outcome_file
    from ui.import_dialog import ImportDialog

    path = tmp_path / "scores.csv"
    path.write_text(
        "Group,Reading score,Reading score before\n"
        "pilot,58.9,68.3\ncomparator,21.3,19.2\npilot,46.9,59.6\ncomparator,45.6,50.7\n",
        encoding="utf-8",
    )
    measure = "reading score before"
    dialog = ImportDialog(preview_outcome_file(path, baseline=measure), "continuous", None)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    group, score, before = dialog.meanings
    assert group.currentText() == "Which group the row belongs to (pilot or comparator)"
    assert score.currentText() == "The outcome for this unit"
    assert before.currentText() == (
        "The same measure before the pilot (the baseline to adjust for)"
    )
    assert dialog.import_button.isEnabled()
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    source = open_outcome_file(
        path, Expectations("continuous", baseline=measure), dialog.answer().mapping
    )
    rows = [row for chunk in source.chunks for row in chunk]
    assert [(row[0], row[1], row[-1]) for row in rows] == [
        ("pilot", 58.9, 68.3),
        ("comparator", 21.3, 19.2),
        ("pilot", 46.9, 59.6),
        ("comparator", 45.6, 50.7),
    ]
