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
