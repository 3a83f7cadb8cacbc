"""A project team's whole journey through the window, from a new pilot to its brief."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QLineEdit

from tests.gui.conftest import wait_idle

HYPOTHESIS = {
    "code": "H1",
    "statement": "Screening raises the share of pupils ready to learn",
    "role": "primary",
    "outcome_name": "pupils reaching a good level of development",
    "outcome_type": "binary",
    "direction": "increase",
    "design": "two-group",
    "benefit_threshold": "0.05",
}


def type_into(qtbot: Any, form: Any, field: str, text: str) -> None:
    """Type into a form field and leave it, as a user tabbing on would."""
    widget = form.widgets[field]
    assert isinstance(widget, QLineEdit)
    widget.setFocus()
    widget.selectAll()
    qtbot.keyClicks(widget, text)
    widget.editingFinished.emit()


def test_the_whole_journey(
    qtbot: Any,
    demo_window: Any,
    lane: Any,
    messages: Any,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    from ui.file_dialogs import FileDialogs
    from ui.import_dialog import ImportDialog
    from ui.new_pilot_dialog import NewPilotDialog
    from ui.new_record_dialog import NewRecordDialog
    from ui.register_dialog import RegisterDialog

    window = demo_window
    assert window.pilots.model.rowCount() == 10

    # A new pilot, from the Pilot menu.
    monkeypatch.setattr(
        NewPilotDialog,
        "ask",
        classmethod(
            lambda cls, parent, **_: {
                "reference": "TEST-TL-001",
                "title": "Reading screening pilot",
                "lead_organisation": "DfE",
                "primary_mission": "OPPORTUNITY",
            }
        ),
    )
    window.new_pilot_action.trigger()
    wait_idle(qtbot, lane)
    assert window.pilots.model.rowCount() == 11
    qtbot.waitUntil(
        lambda: window.detail is not None and window.session.detail.pilot.reference == "TEST-TL-001"
    )
    detail = window.detail
    assert "TEST-TL-001" in detail.heading.text()

    # A hypothesis, then its plan typed in: the design MDE follows each keystroke.
    monkeypatch.setattr(NewRecordDialog, "ask", classmethod(lambda cls, *a, **k: dict(HYPOTHESIS)))
    detail.show_tab("hypotheses")
    detail.hypotheses.add_button.click()
    wait_idle(qtbot, lane)
    tab = detail.hypotheses
    assert tab.model.rowCount() == 1
    assert "Draft" in tab.state.text()
    for field, text in (
        ("baseline_value", "0.6"),
        ("planned_n_comparator", "2000"),
        ("evidence_level", "5"),
    ):
        type_into(qtbot, tab.form, field, text)
        wait_idle(qtbot, lane)
    assert "needs planned n" in tab.mde.text()
    tab.form.widgets["planned_n_pilot"].setFocus()
    qtbot.keyClicks(tab.form.widgets["planned_n_pilot"], "2000")
    assert "percentage points" in tab.mde.text()  # live, before the field is even left
    tab.form.widgets["planned_n_pilot"].editingFinished.emit()
    wait_idle(qtbot, lane)
    assert window.session.detail.hypotheses[0].hypothesis.planned_n_pilot == 2000

    # Undo writes the old value back as a new revision; redo puts it back again.
    window.undo_action.trigger()
    wait_idle(qtbot, lane)
    assert window.session.detail.hypotheses[0].hypothesis.planned_n_pilot is None
    window.redo_action.trigger()
    wait_idle(qtbot, lane)
    assert window.session.detail.hypotheses[0].hypothesis.planned_n_pilot == 2000
    assert "Ready to register" in tab.state.text()

    # Register: the confirmation explains what freezes; afterwards the form is read-only.
    asked: list[Any] = []
    monkeypatch.setattr(
        RegisterDialog,
        "ask",
        classmethod(lambda cls, parent, ref, codes: asked.append(codes) or True),
    )
    tab.register_button.click()
    wait_idle(qtbot, lane)
    assert asked == [["H1"]]
    assert "Registered" in tab.state.text() and "Hash" in tab.state.text()
    assert tab.form.widgets["planned_n_pilot"].isReadOnly()
    assert tab.deviation_button.isEnabled()

    # Import data from a file, through the preview and its column mapping.
    data = tmp_path / "results.csv"
    data.write_text("group,n,successes\npilot,2000,1400\ncomparator,2000,1260\n")
    monkeypatch.setattr(FileDialogs, "ask_outcome_file", classmethod(lambda cls, parent: data))
    previews: list[Any] = []

    def map_columns(cls: Any, parent: Any, preview: Any, outcome_type: str, reread: Any) -> Any:
        from testlearn.services.outcome_mapping import ColumnMapping
        from ui.import_dialog import ImportChoice

        previews.append((list(preview.header), [list(row) for row in preview.rows]))
        return ImportChoice(ColumnMapping({"group": "arm", "n": "n", "successes": "successes"}))

    monkeypatch.setattr(ImportDialog, "ask", classmethod(map_columns))
    detail.show_tab("data")
    detail.data.import_button.click()
    wait_idle(qtbot, lane)
    assert previews == [
        (["group", "n", "successes"], [["pilot", "2000", "1400"], ["comparator", "2000", "1260"]])
    ]
    assert "2 aggregate rows from results.csv" in detail.data.dataset.text()

    # Analyse: a verdict, a sentence and the chart drawn by reports.
    detail.show_tab("analysis")
    detail.analysis.analyse_button.click()
    wait_idle(qtbot, lane)
    verdict = detail.analysis.model.index(0, 1).data()
    assert verdict == "Success"
    # The sentence opens with the reports' label, as the pilot list shows it.
    assert detail.analysis.sentence.text().startswith("<b>Gain, size uncertain</b>. ")
    qtbot.waitUntil(detail.analysis.chart.has_chart)
    assert window.pilots.model.summary(window.pilots.model.row_of("TEST-TL-001")).primary_verdict

    # A lesson and a decision.
    monkeypatch.setattr(
        NewRecordDialog,
        "ask",
        classmethod(
            lambda cls, *a, **k: {
                "category": "delivery",
                "what_happened": "Teachers used the app weekly",
                "went_well": True,
            }
        ),
    )
    detail.show_tab("lessons")
    detail.lessons.add_lesson.click()
    wait_idle(qtbot, lane)
    monkeypatch.setattr(
        NewRecordDialog,
        "ask",
        classmethod(
            lambda cls, *a, **k: {"kind": "scale", "rationale": "A meaningful gain at low cost"}
        ),
    )
    detail.lessons.add_decision.click()
    wait_idle(qtbot, lane)
    assert detail.lessons.lessons.rowCount() == 1
    assert detail.lessons.decision.widgets["kind"].currentData() == "scale"
    assert not messages.messages, messages.text()


def test_a_brief_is_made_from_the_reports_tab(
    qtbot: Any,
    demo_window: Any,
    lane: Any,
    messages: Any,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    pytest.importorskip("reports.charts")
    from ui.file_dialogs import FileDialogs

    window = demo_window
    window.pilots.select("DFE-TL-004")
    qtbot.waitUntil(
        lambda: window.detail is not None and window.session.detail.pilot.reference == "DFE-TL-004"
    )
    wait_idle(qtbot, lane)
    window.detail.show_tab("analysis")
    window.detail.analysis.analyse_button.click()
    wait_idle(qtbot, lane)
    target = tmp_path / "brief.pdf"
    monkeypatch.setattr(FileDialogs, "ask_report_path", classmethod(lambda cls, p, s: target))
    window.detail.show_tab("reports")
    window.detail.reports.brief_button.click()
    wait_idle(qtbot, lane)
    assert not messages.messages, messages.text()
    assert target.read_bytes().startswith(b"%PDF")
    assert window.detail.reports.open_button.isEnabled()


def test_a_full_report_is_made_from_the_reports_tab_and_is_longer_than_the_brief(
    qtbot: Any,
    demo_window: Any,
    lane: Any,
    messages: Any,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    pytest.importorskip("reports.full_report")
    from pypdf import PdfReader

    from ui.file_dialogs import FileDialogs

    window = demo_window
    window.pilots.select("DFE-TL-004")
    qtbot.waitUntil(
        lambda: window.detail is not None and window.session.detail.pilot.reference == "DFE-TL-004"
    )
    wait_idle(qtbot, lane)
    window.detail.show_tab("analysis")
    window.detail.analysis.analyse_button.click()
    wait_idle(qtbot, lane)
    window.detail.show_tab("reports")
    reports = window.detail.reports
    targets = {"brief": tmp_path / "brief.pdf", "full": tmp_path / "full report.pdf"}
    for kind, button in (("brief", reports.brief_button), ("full", reports.full_button)):
        monkeypatch.setattr(
            FileDialogs, "ask_report_path", classmethod(lambda cls, p, s, t=targets[kind]: t)
        )
        assert button.isEnabled()
        button.click()
        wait_idle(qtbot, lane)
        assert not messages.messages, messages.text()
    full, brief = targets["full"], targets["brief"]
    assert full.read_bytes().startswith(b"%PDF")
    assert len(PdfReader(full).pages) > len(PdfReader(brief).pages)
    assert reports.last_report == full
    assert str(full) in reports.state.text()
    # Each PDF has its accessible HTML twin beside it, and the window says so.
    for pdf in (full, brief):
        assert "<h1>" in pdf.with_suffix(".html").read_text(encoding="utf-8")
    assert "full report.html" in reports.state.text()
    assert reports.open_button.isEnabled()
