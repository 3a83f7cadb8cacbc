"""Lessons and decisions: what was learnt, and whether to scale, adapt or stop.

A pilot can be decided on more than once (extend, then scale): every decision is listed,
and the form below the list edits the selected one, the latest by default.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QGroupBox, QLabel, QScrollArea, QVBoxLayout, QWidget

from testlearn.domain.records import DecisionFields, LessonFields
from testlearn.domain.vocabulary import (
    ActionStatus,
    AppliesTo,
    DecisionKind,
    FailureKind,
    LessonCategory,
)
from ui.labels import term_label
from ui.pilot_session import PilotSession
from ui.record_changes import Form, ask_and_add, ask_and_edit, ask_and_remove
from ui.record_form import RecordForm
from ui.record_table import RecordTable
from ui.record_table_model import RecordTableModel

LESSON_VOCABULARIES: dict[str, Any] = {
    "category": LessonCategory,
    "action_status": ActionStatus,
    "applies_to": AppliesTo,
    "failure_kind": FailureKind,
}
NEW_LESSON = (
    "category",
    "what_happened",
    "went_well",
    "root_cause",
    "recommendation",
    "owner",
    "failure_kind",
    "applies_to",
)
DECISION = ("kind", "decided_on", "decided_by", "rationale", "next_steps")
LONG_LESSON = ("what_happened", "root_cause", "recommendation")
NEW_LESSON_FORM = Form("lesson", LessonFields, NEW_LESSON, LESSON_VOCABULARIES, LONG_LESSON)
LESSON_FORM = Form(
    "lesson", LessonFields, (*NEW_LESSON, "action_status"), LESSON_VOCABULARIES, LONG_LESSON
)
DECISION_FORM = Form(
    "decision", DecisionFields, DECISION, {"kind": DecisionKind}, ("rationale", "next_steps")
)


class LessonsTab(QScrollArea):
    """The pilot's lessons and decisions, each a table that can be added to, edited and
    removed from (buttons, right-click, Enter, Delete)."""

    def __init__(self, session: PilotSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.detail: Any = None
        self.setWidgetResizable(True)
        page = QWidget(self)
        self.lessons = RecordTableModel(
            [
                ("Category", lambda lesson: term_label(LessonCategory, lesson.category)),
                ("Went", lambda lesson: "well" if lesson.went_well else "badly"),
                ("What happened", lambda lesson: lesson.what_happened),
                ("Recommendation", lambda lesson: lesson.recommendation),
                ("Kind of failure", lambda lesson: term_label(FailureKind, lesson.failure_kind)),
            ],
            tooltip=lambda lesson: lesson.root_cause or None,
            parent=self,
        )
        self.table = RecordTable(
            self.lessons,
            "Lessons",
            on_add=lambda _r: self.record_lesson(),
            on_edit=lambda lesson: self._edit(LESSON_FORM, lesson),
            on_remove=lambda lesson: self._remove("lesson", lesson, lesson.what_happened),
            stretch=2,
            parent=page,
        )
        self.decisions = RecordTableModel(
            [
                ("Decision", lambda d: term_label(DecisionKind, d.kind)),
                ("Decided on", lambda d: d.decided_on.isoformat() if d.decided_on else ""),
                ("Decided by", lambda d: d.decided_by),
                ("Rationale", lambda d: d.rationale),
            ],
            tooltip=lambda d: d.next_steps or None,
            parent=self,
        )
        self.decision_table = RecordTable(
            self.decisions,
            "Decisions",
            on_add=lambda _r: self.record_decision(),
            on_edit=lambda d: self._edit(DECISION_FORM, d),
            on_remove=lambda d: self._remove("decision", d, term_label(DecisionKind, d.kind)),
            stretch=3,
            parent=page,
        )
        self.decision_table.selectionModel().selectionChanged.connect(
            lambda *_: self._show_decision()
        )
        self.decision = RecordForm(
            DecisionFields,
            DECISION,
            vocabularies={"kind": DecisionKind},
            long_text=("rationale", "next_steps"),
        )
        self.decision.edited.connect(self._decision_edited)
        self.no_decision = QLabel("No decision recorded yet.", page)
        lessons_box = QGroupBox("Lessons", page)
        lessons_layout = QVBoxLayout(lessons_box)
        # Mnemonics that no tab, menu or other button of the window uses.
        lessons_layout.addLayout(
            self.table.buttons(
                {
                    self.table.add_action: "Add &lesson...",
                    self.table.edit_action: "Edi&t lesson...",
                    self.table.remove_action: "Re&move lesson...",
                }
            )
        )
        lessons_layout.addWidget(self.table)
        decision_box = QGroupBox("Decisions", page)
        decision_layout = QVBoxLayout(decision_box)
        row = self.decision_table.buttons(
            {
                self.decision_table.add_action: "Record decisio&n...",
                self.decision_table.edit_action: "Edit decision...",
                self.decision_table.remove_action: "Remove decision...",
            }
        )
        row.insertWidget(0, self.no_decision, 1)
        decision_layout.addLayout(row)
        decision_layout.addWidget(self.decision_table)
        decision_layout.addWidget(self.decision)
        layout = QVBoxLayout(page)
        layout.addWidget(lessons_box, 1)
        layout.addWidget(decision_box)
        self.setWidget(page)
        self.add_lesson = self.table.button[self.table.add_action]
        self.add_decision = self.decision_table.button[self.decision_table.add_action]

    def set_detail(self, detail: Any) -> None:
        shown = self.decision.view()
        same_pilot = self.detail is not None and self.detail.pilot.id == detail.pilot.id
        known = {d.id for d in self.detail.decisions} if same_pilot else set()
        self.detail = detail
        self.lessons.set_records(detail.lessons)
        self.table.resizeRowsToContents()
        row_height = self.table.verticalHeader().defaultSectionSize()
        self.table.setMinimumHeight(row_height * 6)
        self.decisions.set_records(detail.decisions)
        ids = [d.id for d in detail.decisions]
        # A decision just recorded is shown; otherwise the one shown stays, else the latest.
        recorded = [i for i in ids if i not in known] if same_pilot else []
        if recorded:
            self.decision_table.select_row(ids.index(recorded[-1]))
        elif shown is not None and shown.id in ids:
            self.decision_table.select_row(ids.index(shown.id))
        else:
            self.decision_table.select_row(len(ids) - 1)
        self._show_decision()
        self.no_decision.setVisible(not detail.decisions)
        shown = min(max(len(ids), 1), 4) + 2
        self.decision_table.setMinimumHeight(row_height * shown)
        self.decision_table.setMaximumHeight(row_height * shown)

    def record_lesson(self) -> None:
        if self.detail is not None:
            ask_and_add(self.session, self, self._reference(), NEW_LESSON_FORM)

    def record_decision(self) -> None:
        if self.detail is not None:
            ask_and_add(
                self.session, self, self._reference(), DECISION_FORM, title="Record a decision"
            )

    def _reference(self) -> str:
        return str(self.detail.pilot.reference) if self.detail is not None else ""

    def _edit(self, form: Form, record: Any) -> None:
        ask_and_edit(self.session, self, self._reference(), form, record)

    def _remove(self, entity: str, record: Any, label: str) -> None:
        ask_and_remove(self.session, self, self._reference(), entity, record, label)

    def _show_decision(self) -> None:
        selected = self.decision_table.selected_record()
        self.decision.set_value(selected)
        self.decision.setVisible(selected is not None)

    def _decision_edited(self, field: str, old: Any, new: Any) -> None:
        view = self.decision.view()
        title = DecisionFields.model_fields[field].title or field
        self.session.edit_field("decision", view.id, field, old, new, f"decision {title}")
