"""Recording a deviation: which registered field changes, to what, and why.

The new value is checked as the field's type, and a reason is needed, before the dialog
closes; on a mistake it stays open with what was typed and says what to correct.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from testlearn.domain import formats
from testlearn.domain.fields import choices_text, field_kind
from testlearn.domain.plan_changes import SUCCESS_FIELDS
from testlearn.domain.records import FROZEN_HYPOTHESIS_FIELDS, HypothesisFields
from ui.field_problem import FieldProblem
from ui.wheel_guard import WheelGuard

#: What to write, by the kind of the field that changes.
HINTS = {
    "date": formats.DATE_EXAMPLE,
    "money": formats.MONEY_EXAMPLE,
    "count": formats.COUNT_EXAMPLE,
    "number": "a number",
}


class DeviationDialog(QDialog):
    """``ask`` returns (field, new value as text, reason), or None if cancelled."""

    def __init__(self, hypothesis: Any, parent: QWidget | None, *, has_data: bool = False) -> None:
        super().__init__(parent)
        self._has_data = has_data
        self.setWindowTitle(f"Record a deviation from {hypothesis.code}")
        self._hypothesis = hypothesis
        self.field = QComboBox(self)
        self.field.setAccessibleName("Registered field")
        WheelGuard.protect(self.field)
        for name in FROZEN_HYPOTHESIS_FIELDS:
            if name.endswith("_id") or name in ("code", "design_mde"):
                continue  # ids are chosen elsewhere; the design MDE is worked out
            self.field.addItem(str(HypothesisFields.model_fields[name].title), name)
        self.registered = QLabel(self)
        self.registered.setAccessibleName("Registered value")
        self.post_hoc = QLabel(self)
        self.post_hoc.setWordWrap(True)
        self.post_hoc.setAccessibleName("Post-hoc warning")
        self.value = QLineEdit(self)
        self.value.setAccessibleName("New value")
        self.reason = QPlainTextEdit(self)
        self.reason.setAccessibleName("Reason for the deviation (required)")
        self.reason.setTabChangesFocus(True)
        self.value_problem = FieldProblem(self.value, self)
        self.reason_problem = FieldProblem(self.reason, self)
        self.field.currentIndexChanged.connect(self._show_registered)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.record_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.record_button.setText("Record deviation")
        buttons.accepted.connect(self.record)
        buttons.rejected.connect(self.reject)
        layout = QFormLayout(self)
        layout.addRow(
            QLabel(
                "The registration stays as it was; this change is recorded beside "
                "it, with your reason, and shown in every report."
            )
        )
        layout.addRow("&Field:", self.field)
        layout.addRow("Registered value:", self.registered)
        layout.addRow(self.post_hoc)
        layout.addRow("&New value:", self.value)
        layout.addRow(self.value_problem)
        layout.addRow("&Reason (required):", self.reason)
        layout.addRow(self.reason_problem)
        layout.addRow(buttons)
        self._show_registered()

    def _show_registered(self) -> None:
        name = self.field.currentData() or ""
        value = getattr(self._hypothesis, name, None)
        self.registered.setText("(not set)" if value in (None, "") else str(value))
        info = HypothesisFields.model_fields.get(name)
        kind = field_kind(info) if info is not None else None
        if kind is not None and kind.vocabulary is not None:
            hint = f"one of {choices_text(kind.vocabulary)}"
        elif kind is not None:
            hint = HINTS.get(kind.name, "")
        elif info is not None and info.annotation in (bool, bool | None):
            hint = "yes or no"
        else:
            hint = ""
        self.value.setPlaceholderText(hint)
        self.value.setToolTip(hint)
        post_hoc = self._has_data and name in SUCCESS_FIELDS
        self.post_hoc.setText(
            "Outcome data have been added, so changing this is post hoc: the verdict stays "
            "the one the registered plan gives, and the result under your change is shown "
            "beside it, labelled post hoc, in the analysis and every report."
            if post_hoc
            else ""
        )
        self.post_hoc.setVisible(post_hoc)

    def answer(self) -> tuple[str, str, str]:
        return self.field.currentData(), self.value.text().strip(), self.reason.toPlainText()

    def record(self) -> None:
        """Close if the new value fits the field and there is a reason; otherwise say why not."""
        from testlearn.services.checks import check_deviation

        field, value, reason = self.answer()
        found = check_deviation(self._hypothesis, field, value or None, reason)
        for key, problem in (("value", self.value_problem), ("reason", self.reason_problem)):
            if key in found:
                problem.report(found[key])
            else:
                problem.clear()
        if not found:
            self.accept()
            return
        first = self.value if "value" in found else self.reason
        first.setFocus(Qt.FocusReason.OtherFocusReason)

    @classmethod
    def ask(
        cls, parent: QWidget | None, hypothesis: Any, *, has_data: bool = False
    ) -> tuple[str, str, str] | None:
        dialog = cls(hypothesis, parent, has_data=has_data)
        return dialog.answer() if dialog.exec() == QDialog.DialogCode.Accepted else None
