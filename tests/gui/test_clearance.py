"""A final brief from the Reports tab: the clearance is recorded in its dialog, typed as a person
types, before a final can be made."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from tests.gui.conftest import wait_idle

REF = "DFE-TL-004"


def open_reports(qtbot: Any, window: Any, lane: Any) -> Any:
    window.pilots.select(REF)
    qtbot.waitUntil(
        lambda: window.detail is not None and window.session.detail.pilot.reference == REF
    )
    wait_idle(qtbot, lane)
    window.detail.show_tab("analysis")
    qtbot.mouseClick(window.detail.analysis.analyse_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, lane)
    window.detail.show_tab("reports")
    wait_idle(qtbot, lane)
    return window.detail.reports


def test_a_clearance_typed_in_its_dialog_lets_a_final_brief_be_made(
    qtbot: Any,
    demo_window: Any,
    lane: Any,
    messages: Any,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    pytest.importorskip("reports.brief")
    from pypdf import PdfReader

    from ui.clearance_dialog import ClearanceDialog
    from ui.file_dialogs import FileDialogs

    reports = open_reports(qtbot, demo_window, lane)
    qtbot.mouseClick(reports.final, Qt.MouseButton.LeftButton)
    assert reports.final.isChecked()
    # Not cleared: a final brief is not offered, and the tab says why.
    assert not reports.brief_button.isEnabled()
    assert "never been cleared" in reports.clearance.lines["brief"].text()
    record = reports.clearance.record_buttons["brief"]
    assert record.isEnabled()

    seen: dict[str, Any] = {}

    def fill_in() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, ClearanceDialog)
        seen["dialog"] = dialog
        qtbot.keyClicks(dialog.cleared_by, "Priya Shah", delay=60)
        qtbot.keyClicks(dialog.role, "Deputy Director", delay=60)
        dialog.cleared_on.selectAll()
        qtbot.keyClicks(dialog.cleared_on, "31/02/2026", delay=60)
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        # A date that is not on the calendar: named, and nothing typed is lost.
        seen["problem"] = dialog.problem.text()
        seen["kept"] = (dialog.cleared_by.text(), dialog.role.text())
        assert dialog.isVisible()
        dialog.cleared_on.selectAll()
        qtbot.keyClicks(dialog.cleared_on, "15/12/2026", delay=60)
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, fill_in)
    qtbot.mouseClick(record, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, lane)
    assert "Cleared on: 31/02/2026 is not a date on the calendar" in seen["problem"]
    assert seen["kept"] == ("Priya Shah", "Deputy Director")
    line = reports.clearance.lines["brief"].text()
    assert "v1.0" in line and "Priya Shah, Deputy Director, on 15 December 2026" in line
    assert reports.brief_button.isEnabled()
    assert not reports.full_button.isEnabled()  # the full report is cleared on its own

    target = tmp_path / "final brief.pdf"
    monkeypatch.setattr(FileDialogs, "ask_report_path", classmethod(lambda cls, p, s: target))
    qtbot.mouseClick(reports.brief_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, lane)
    assert not messages.messages, messages.text()
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(target).pages))
    assert "Cleared by Priya Shah, Deputy Director, on 15 December 2026" in text
    assert f"{REF}-BRIEF, v1.0" in text and "DRAFT" not in text
    assert "final v1.0" in reports.state.text()


def test_an_edit_after_clearance_withdraws_the_final_until_cleared_again(
    qtbot: Any, demo_window: Any, lane: Any, messages: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ui.clearance_dialog import ClearanceDialog

    reports = open_reports(qtbot, demo_window, lane)
    answers = iter(
        [
            {"cleared_by": "Priya Shah", "role": "SRO", "cleared_on": "15/12/2026"},
            {"cleared_by": "Sam Lee", "role": "SRO", "cleared_on": "16/12/2026"},
        ]
    )
    monkeypatch.setattr(ClearanceDialog, "ask", classmethod(lambda cls, p, w: next(answers)))
    qtbot.mouseClick(reports.final, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(reports.clearance.record_buttons["brief"], Qt.MouseButton.LeftButton)
    wait_idle(qtbot, lane)
    assert reports.brief_button.isEnabled()
    pilot = demo_window.session.detail.pilot
    demo_window.session.edit_field(
        "pilot",
        pilot.id,
        "minister",
        pilot.minister,
        "Secretary of State for Education",
        "Minister",
    )
    wait_idle(qtbot, lane)
    assert not reports.brief_button.isEnabled()
    assert "changed since v1.0" in reports.clearance.lines["brief"].text()
    qtbot.mouseClick(reports.clearance.record_buttons["brief"], Qt.MouseButton.LeftButton)
    wait_idle(qtbot, lane)
    assert reports.brief_button.isEnabled()
    assert "v2.0" in reports.clearance.lines["brief"].text()
    assert not messages.messages, messages.text()


#: Pilot and contract fields a brief or full report reads, each of which must have a place in
#: the window, or a team using only the window could not fill in what its brief says.
REPORTED_PILOT_FIELDS = (
    "partner_organisations",
    "marking_descriptor",
    "handling_instructions",
    "evaluation_design",
    "registry_id",
    "delivery_summary",
)
REPORTED_CONTRACT_FIELDS = ("contract_end", "should_cost", "winning_bid", "outturn_cost")


def test_every_field_a_report_reads_can_be_filled_in_the_window(
    qtbot: Any, demo_window: Any, lane: Any, messages: Any
) -> None:
    from PySide6.QtWidgets import QComboBox, QLineEdit, QPlainTextEdit

    window = demo_window
    window.pilots.select(REF)
    qtbot.waitUntil(
        lambda: window.detail is not None and window.session.detail.pilot.reference == REF
    )
    wait_idle(qtbot, lane)
    pilot = window.session.detail.pilot
    about = window.detail.overview.about.widgets
    for name in REPORTED_PILOT_FIELDS:
        assert name in about, name
    design = about["evaluation_design"]
    assert isinstance(design, QComboBox) and design.currentData() == pilot.evaluation_design
    assert isinstance(about["delivery_summary"], QPlainTextEdit)
    assert about["delivery_summary"].toPlainText() == pilot.delivery_summary
    registry = about["registry_id"]
    assert isinstance(registry, QLineEdit)
    window.detail.show_tab("overview")
    registry.setFocus()
    registry.selectAll()
    qtbot.keyClicks(registry, "ER-2026-0417", delay=60)
    qtbot.keyClick(registry, Qt.Key.Key_Tab)
    wait_idle(qtbot, lane)
    assert window.session.detail.pilot.registry_id == "ER-2026-0417"
    contract = window.detail.procurement.form.widgets
    for name in REPORTED_CONTRACT_FIELDS:
        assert name in contract, name
    assert not messages.messages, messages.text()
