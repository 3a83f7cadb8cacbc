"""Lessons and the decision: what was learnt, and whether to scale, adapt or stop."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from testlearn.domain.records import DecisionFields, LessonFields
from testlearn.domain.vocabulary import (
    ActionStatus,
    AppliesTo,
    DecisionKind,
    FailureKind,
    LessonCategory,
)
from ui.labels import term_label
from ui.new_record_dialog import NewRecordDialog
from ui.pilot_session import PilotSession
from ui.record_form import RecordForm
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


class LessonsTab(QWidget):
    """The pilot's lessons (added, then listed) and its latest decision (edited in place)."""

    def __init__(self, session: PilotSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.detail: Any = None
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
        self.table = QTableView(self)
        self.table.setAccessibleName("Lessons")
        self.table.setModel(self.lessons)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.add_lesson = QPushButton("Add &lesson...", self)
        self.add_lesson.clicked.connect(self.record_lesson)
        self.add_decision = QPushButton("Record &decision...", self)
        self.add_decision.clicked.connect(self.record_decision)
        self.decision = RecordForm(
            DecisionFields,
            DECISION,
            vocabularies={"kind": DecisionKind},
            long_text=("rationale", "next_steps"),
        )
        self.decision.edited.connect(self._decision_edited)
        self.no_decision = QLabel("No decision recorded yet.", self)
        lessons_box = QGroupBox("Lessons", self)
        lessons_layout = QVBoxLayout(lessons_box)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.add_lesson)
        lessons_layout.addLayout(row)
        lessons_layout.addWidget(self.table)
        decision_box = QGroupBox("Decision", self)
        decision_layout = QVBoxLayout(decision_box)
        row = QHBoxLayout()
        row.addWidget(self.no_decision, 1)
        row.addWidget(self.add_decision)
        decision_layout.addLayout(row)
        decision_layout.addWidget(self.decision)
        layout = QVBoxLayout(self)
        layout.addWidget(lessons_box, 1)
        layout.addWidget(decision_box)

    def set_detail(self, detail: Any) -> None:
        self.detail = detail
        self.lessons.set_records(detail.lessons)
        self.table.resizeRowsToContents()
        latest = detail.decisions[-1] if detail.decisions else None
        self.decision.set_value(latest)
        self.decision.setVisible(latest is not None)
        self.no_decision.setVisible(latest is None)

    def record_lesson(self) -> None:
        values = NewRecordDialog.ask(
            self,
            "Add a lesson",
            LessonFields,
            NEW_LESSON,
            LESSON_VOCABULARIES,
            ("what_happened", "root_cause", "recommendation"),
        )
        self._add("lesson", values)

    def record_decision(self) -> None:
        values = NewRecordDialog.ask(
            self,
            "Record a decision",
            DecisionFields,
            DECISION,
            {"kind": DecisionKind},
            ("rationale", "next_steps"),
        )
        self._add("decision", values)

    def _add(self, entity: str, values: dict[str, Any] | None) -> None:
        if values is None or self.detail is None:
            return
        reference = self.detail.pilot.reference

        def work(job: Any) -> Any:
            from testlearn.services.pilots import add_record

            return add_record(
                reference, entity, values, db=job.ctx.require_database(), actor=job.ctx.actor
            )

        self.session.run(
            f"Adding the {entity}", work, lambda _r: self.session.status.emit(f"Saved the {entity}")
        )

    def _decision_edited(self, field: str, old: Any, new: Any) -> None:
        view = self.decision.view()
        title = DecisionFields.model_fields[field].title or field
        self.session.edit_field("decision", view.id, field, old, new, f"decision {title}")
