"""Forms as people use them: British dates and amounts typed at human speed, dialogs that keep
what was typed on a mistake, the wheel that scrolls the page, the calendar and the tick list."""

from __future__ import annotations

import datetime as dt
import uuid
from types import SimpleNamespace
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication, QDialog, QScrollArea

from testlearn.domain.records import HypothesisFields, PilotFields
from testlearn.domain.vocabulary import LifecycleStatus, Marking, Milestone, Mission

DELAY = 60  # ms per key, as a person types

VOCABULARIES: dict[str, Any] = {
    "status": LifecycleStatus,
    "marking": Marking,
    "primary_mission": Mission,
    "milestones[]": Milestone,
}


def pilot_view(**values: Any) -> SimpleNamespace:
    """A pilot as the window receives it: every field, and an id."""
    fields = PilotFields.model_validate({"reference": "T-1", "title": "A pilot", **values})
    return SimpleNamespace(id=uuid.uuid4(), **fields.model_dump())


def type_into(qtbot: Any, widget: Any, text: str) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)
    widget.selectAll()
    qtbot.keyClicks(widget, text, delay=DELAY)


def focus_widget() -> Any:
    return QApplication.focusWidget()


def open_dialog(qtbot: Any, dialog: Any) -> None:
    """Shown without blocking, as the user would see it: on top and active."""
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.windowHandle().requestActivate()
    qtbot.waitUntil(dialog.isActiveWindow)


# -- the Add dialog ---------------------------------------------------------------------------


def test_a_wrong_date_keeps_the_dialog_open_with_everything_typed(qtbot: Any) -> None:
    from ui.new_record_dialog import NewRecordDialog

    dialog = NewRecordDialog(
        "Add a pilot",
        PilotFields,
        ("reference", "title", "start_date", "budget", "status"),
        VOCABULARIES,
        (),
        None,
    )
    open_dialog(qtbot, dialog)
    widgets = dialog.form.widgets
    type_into(qtbot, widgets["reference"], "DFE-TL-101")
    type_into(qtbot, widgets["title"], "Reading tutors")
    type_into(qtbot, widgets["start_date"], "31/02/2026")
    type_into(qtbot, widgets["budget"], "£250,000")

    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)

    assert dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted
    assert widgets["reference"].text() == "DFE-TL-101"
    assert widgets["title"].text() == "Reading tutors"
    assert widgets["start_date"].text() == "31/02/2026"
    assert widgets["budget"].text() == "£250,000"
    problem = dialog.problems["start_date"]
    assert problem.isVisible()
    assert problem.text() == "Start date: 31/02/2026 is not a date: February 2026 has 28 days"
    assert "Input should" not in dialog.summary.text()
    assert widgets["start_date"].accessibleDescription() == problem.text()
    assert not dialog.problems["budget"].isVisible()
    assert focus_widget() is widgets["start_date"]

    type_into(qtbot, widgets["start_date"], "15/12/2026")
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)

    assert dialog.result() == QDialog.DialogCode.Accepted and not dialog.isVisible()
    assert dialog.answer() == {
        "reference": "DFE-TL-101",
        "title": "Reading tutors",
        "start_date": dt.date(2026, 12, 15),
        "budget": 250_000.0,
    }


def test_required_fields_are_marked_and_asked_for_by_name(qtbot: Any) -> None:
    from ui.new_record_dialog import NewRecordDialog

    dialog = NewRecordDialog(
        "Add a pilot", PilotFields, ("reference", "title", "team"), {}, (), None, {"team": "X"}
    )
    open_dialog(qtbot, dialog)
    label = dialog.form.layout().labelForField(dialog.form.widgets["title"])
    assert label.text() == "Title (required):"
    assert dialog.form.widgets["title"].accessibleName() == "Title (required)"
    assert dialog.form.widgets["team"].text() == "X"  # filled in from the values given

    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)

    assert dialog.isVisible()
    assert dialog.problems["reference"].text() == "Reference: fill this in"
    assert dialog.problems["title"].text() == "Title: fill this in"
    assert "2 fields need correcting (Reference, Title)" in dialog.summary.text()
    assert focus_widget() is dialog.form.widgets["reference"]


def test_a_taken_reference_is_caught_before_the_pilot_dialog_closes(qtbot: Any) -> None:
    from ui.new_pilot_dialog import NewPilotDialog

    dialog = NewPilotDialog(None, existing_references=["DFE-TL-001"])
    open_dialog(qtbot, dialog)
    widgets = dialog.form.widgets
    type_into(qtbot, widgets["reference"], "dfe-tl-001")
    type_into(qtbot, widgets["title"], "Phonics screening")
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)

    assert dialog.isVisible()
    assert dialog.problems["reference"].text() == (
        "Reference: dfe-tl-001 is already used by another pilot; choose another"
    )
    assert widgets["title"].text() == "Phonics screening"

    type_into(qtbot, widgets["reference"], "DFE-TL-002")
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.answer()["reference"] == "DFE-TL-002"


def test_a_deviation_after_the_data_warns_that_it_is_post_hoc(qtbot: Any) -> None:
    from ui.deviation_dialog import DeviationDialog

    registered = HypothesisFields.model_validate(
        {
            "pilot_id": uuid.uuid4(),
            "code": "H1",
            "statement": "Tutoring raises reading scores",
            "outcome_type": "continuous",
            "direction": "increase",
            "design": "two-group",
            "benefit_threshold": 2,
        }
    )
    hypothesis = SimpleNamespace(id=uuid.uuid4(), **registered.model_dump())
    dialog = DeviationDialog(hypothesis, None, has_data=True)
    open_dialog(qtbot, dialog)
    assert dialog.field.findData("design_mde") == -1  # worked out, never deviated from
    dialog.field.setCurrentIndex(dialog.field.findData("benefit_threshold"))
    assert dialog.post_hoc.isVisible()
    assert "post hoc" in dialog.post_hoc.text()
    dialog.field.setCurrentIndex(dialog.field.findData("analysis_plan"))
    assert not dialog.post_hoc.isVisible()
    dialog.reject()


def test_a_deviation_needs_a_value_of_the_fields_type_and_a_reason(qtbot: Any) -> None:
    from ui.deviation_dialog import DeviationDialog

    registered = HypothesisFields.model_validate(
        {
            "pilot_id": uuid.uuid4(),
            "code": "H1",
            "statement": "Tutoring raises reading scores",
            "outcome_type": "continuous",
            "direction": "increase",
            "design": "two_group",
            "benefit_threshold": 2,
            "planned_n_pilot": 4000,
        }
    )
    hypothesis = SimpleNamespace(id=uuid.uuid4(), **registered.model_dump())
    dialog = DeviationDialog(hypothesis, None)
    open_dialog(qtbot, dialog)
    dialog.field.setCurrentIndex(dialog.field.findData("planned_n_pilot"))
    assert dialog.registered.text() == "4000"
    type_into(qtbot, dialog.value, "about 4,300")
    qtbot.mouseClick(dialog.record_button, Qt.MouseButton.LeftButton)

    assert dialog.isVisible()
    assert dialog.value_problem.text().startswith("Planned n (pilot): ")
    assert "write a whole number like 1,200" in dialog.value_problem.text()
    assert dialog.reason_problem.text().startswith("Reason: ")
    assert focus_widget() is dialog.value

    type_into(qtbot, dialog.value, "4,300")
    qtbot.mouseClick(dialog.reason, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(dialog.reason, "Two schools closed", delay=DELAY)
    qtbot.mouseClick(dialog.record_button, Qt.MouseButton.LeftButton)

    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.answer() == ("planned_n_pilot", "4,300", "Two schools closed")


# -- a form in a scrolled page ----------------------------------------------------------------


@pytest.fixture
def page(qtbot: Any) -> Any:
    from ui.record_form import RecordForm

    fields = ("title", "status", "marking", "start_date", "budget", "milestones", "team")
    form = RecordForm(PilotFields, fields, vocabularies=VOCABULARIES)
    shown = pilot_view(
        status="idea", start_date="15/12/2026", budget=1_350_000, milestones=["LIVING_STANDARDS"]
    )
    form.set_value(shown)
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setWidget(form)
    area.resize(420, 140)  # shorter than the form, so it scrolls
    qtbot.addWidget(area)
    area.show()
    qtbot.waitExposed(area)
    area.windowHandle().requestActivate()
    qtbot.waitUntil(area.isActiveWindow)
    edits: list[tuple[str, Any, Any]] = []
    form.edited.connect(lambda field, old, new: edits.append((field, old, new)))
    return SimpleNamespace(area=area, form=form, edits=edits)


def wheel(widget: Any, steps: int = -1) -> None:
    """One notch of a real mouse wheel over the middle of ``widget`` (negative: downwards)."""
    centre = QPointF(widget.rect().center())
    event = QWheelEvent(
        centre,
        QPointF(widget.mapToGlobal(centre.toPoint())),
        QPoint(0, 0),
        QPoint(0, 120 * steps),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(widget, event)


def test_the_wheel_over_an_unfocused_drop_down_scrolls_the_page_and_changes_nothing(
    qtbot: Any, page: Any
) -> None:
    status, marking = page.form.widgets["status"], page.form.widgets["marking"]
    page.form.widgets["title"].setFocus()
    before = status.currentData(), marking.currentData()
    bar = page.area.verticalScrollBar()
    assert bar.maximum() > 0 and bar.value() == 0

    for _ in range(3):
        wheel(status)
        wheel(marking)
        qtbot.wait(50)

    assert (status.currentData(), marking.currentData()) == before
    assert bar.value() > 0, "the page should have scrolled"
    assert not status.hasFocus() and page.edits == []


def test_a_focused_drop_down_is_saved_once_when_left(qtbot: Any, page: Any) -> None:
    status = page.form.widgets["status"]
    page.area.ensureWidgetVisible(status)
    status.setFocus()
    qtbot.keyClick(status, Qt.Key.Key_Down, delay=DELAY)
    qtbot.keyClick(status, Qt.Key.Key_Down, delay=DELAY)
    assert page.edits == []  # stepping through the list saves nothing yet
    page.form.widgets["title"].setFocus()
    qtbot.waitUntil(lambda: bool(page.edits))
    assert page.edits == [("status", "idea", status.currentData())]


def test_an_amount_typed_plainly_is_shown_in_pounds_and_saved_as_a_number(
    qtbot: Any, page: Any
) -> None:
    budget = page.form.widgets["budget"]
    assert budget.text() == "£1,350,000"
    page.area.ensureWidgetVisible(budget)
    type_into(qtbot, budget, "250000")
    qtbot.keyClick(budget, Qt.Key.Key_Tab)
    assert budget.text() == "£250,000"
    assert page.edits == [("budget", 1_350_000.0, 250_000.0)]


def test_the_calendar_chooses_a_date_by_keyboard(qtbot: Any, page: Any) -> None:
    field = page.form.widgets["start_date"]
    assert field.text() == "15/12/2026"
    page.area.ensureWidgetVisible(field)
    field.setFocus()

    qtbot.keyClick(field, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(field.popup.isVisible)
    qtbot.keyClick(focus_widget(), Qt.Key.Key_Right, delay=DELAY)
    qtbot.keyClick(focus_widget(), Qt.Key.Key_Right, delay=DELAY)
    qtbot.keyClick(focus_widget(), Qt.Key.Key_Down, delay=DELAY)
    assert page.edits == []  # moving about the calendar chooses nothing
    qtbot.keyClick(focus_widget(), Qt.Key.Key_Return, delay=DELAY)

    qtbot.waitUntil(lambda: not field.popup.isVisible())
    assert field.text() == "24/12/2026"
    assert page.edits == [("start_date", dt.date(2026, 12, 15), dt.date(2026, 12, 24))]
    assert focus_widget() is field

    qtbot.keyClick(field, Qt.Key.Key_F4)
    qtbot.waitUntil(field.popup.isVisible)
    qtbot.keyClick(focus_widget(), Qt.Key.Key_Left, delay=DELAY)
    qtbot.keyClick(focus_widget(), Qt.Key.Key_Escape, delay=DELAY)
    qtbot.waitUntil(lambda: not field.popup.isVisible())
    assert field.text() == "24/12/2026" and len(page.edits) == 1


def test_the_milestone_list_shows_labels_and_stores_codes(qtbot: Any, page: Any) -> None:
    field = page.form.widgets["milestones"]
    assert field.text() == "Higher living standards in every part of the UK"
    page.area.ensureWidgetVisible(field)
    field.setFocus()

    qtbot.keyClick(field, Qt.Key.Key_F4)
    qtbot.waitUntil(field.popup.isVisible)
    choices = field.choices
    assert focus_widget() is choices
    assert choices.item(0).checkState() == Qt.CheckState.Checked
    qtbot.keyClick(choices, Qt.Key.Key_Space, delay=DELAY)  # untick living standards
    for _ in range(3):
        qtbot.keyClick(choices, Qt.Key.Key_Down, delay=DELAY)
    qtbot.keyClick(choices, Qt.Key.Key_Space, delay=DELAY)  # tick neighbourhood police
    qtbot.keyClick(choices, Qt.Key.Key_Down, delay=DELAY)
    qtbot.keyClick(choices, Qt.Key.Key_Space, delay=DELAY)  # tick school readiness
    assert page.edits == []
    qtbot.keyClick(choices, Qt.Key.Key_Return, delay=DELAY)

    qtbot.waitUntil(lambda: not field.popup.isVisible())
    assert field.text() == (
        "13,000 more neighbourhood police and PCSOs; 75% of five-year-olds ready to learn"
    )
    assert page.edits == [
        ("milestones", ["LIVING_STANDARDS"], ["NEIGHBOURHOOD_POLICE", "SCHOOL_READINESS"])
    ]
    assert page.form.value()["milestones"] == ["NEIGHBOURHOOD_POLICE", "SCHOOL_READINESS"]


def test_the_milestone_list_ticks_by_mouse_on_the_words(qtbot: Any, page: Any) -> None:
    field = page.form.widgets["milestones"]
    page.area.ensureWidgetVisible(field)
    qtbot.mouseClick(field, Qt.MouseButton.LeftButton)
    field.open_action.trigger()  # the button at the end of the field
    qtbot.waitUntil(field.popup.isVisible)
    choices = field.choices
    words = choices.visualItemRect(choices.item(1)).center()
    qtbot.mouseClick(choices.viewport(), Qt.MouseButton.LeftButton, pos=words, delay=DELAY)
    assert choices.item(1).checkState() == Qt.CheckState.Checked
    qtbot.mouseClick(choices.viewport(), Qt.MouseButton.LeftButton, pos=words, delay=DELAY)
    qtbot.mouseClick(choices.viewport(), Qt.MouseButton.LeftButton, pos=words, delay=DELAY)
    qtbot.keyClick(choices, Qt.Key.Key_Return, delay=DELAY)
    qtbot.waitUntil(lambda: not field.popup.isVisible())
    assert field.codes() == ["LIVING_STANDARDS", "HOMES_INFRASTRUCTURE"]
    assert len(page.edits) == 1


def test_ask_returns_only_once_the_values_are_right(qtbot: Any) -> None:
    """The modal path the tabs use: ``ask`` does not return on a mistake."""
    from PySide6.QtCore import QTimer

    from testlearn.domain.records import DecisionFields
    from testlearn.domain.vocabulary import DecisionKind
    from ui.new_record_dialog import NewRecordDialog

    seen: list[str] = []

    def person() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, NewRecordDialog)
        try:
            steps(dialog)
        finally:
            if dialog.isVisible():  # a failed step must not leave the test waiting forever
                QTimer.singleShot(0, dialog.reject)

    def steps(dialog: Any) -> None:
        kind, decided_on = dialog.form.widgets["kind"], dialog.form.widgets["decided_on"]
        kind.setCurrentIndex(kind.findData("stop"))
        type_into(qtbot, decided_on, "12/31/2026")  # month and day the American way round
        qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
        seen.append(dialog.problems["decided_on"].text())
        assert dialog.isVisible()
        type_into(qtbot, decided_on, "31 Dec 2026")
        qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(200, person)
    values = NewRecordDialog.ask(
        None, "Record a decision", DecisionFields, ("kind", "decided_on"), {"kind": DecisionKind}
    )
    assert seen == ["Decided on: 12/31/2026 has no month 31: write the day first, like 15/12/2026"]
    assert values == {"kind": "stop", "decided_on": dt.date(2026, 12, 31)}
