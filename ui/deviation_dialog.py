"""Recording a deviation: which registered field changes, to what, and why."""

from __future__ import annotations

from typing import Any

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

from testlearn.domain.records import FROZEN_HYPOTHESIS_FIELDS, HypothesisFields


class DeviationDialog(QDialog):
    """``ask`` returns (field, new value as text, reason), or None if cancelled."""

    def __init__(self, hypothesis: Any, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Record a deviation from {hypothesis.code}")
        self._hypothesis = hypothesis
        self.field = QComboBox(self)
        self.field.setAccessibleName("Registered field")
        for name in FROZEN_HYPOTHESIS_FIELDS:
            if name.endswith("_id") or name == "code":
                continue
            self.field.addItem(str(HypothesisFields.model_fields[name].title), name)
        self.registered = QLabel(self)
        self.registered.setAccessibleName("Registered value")
        self.value = QLineEdit(self)
        self.value.setAccessibleName("New value")
        self.reason = QPlainTextEdit(self)
        self.reason.setAccessibleName("Reason for the deviation")
        self.reason.setTabChangesFocus(True)
        self.field.currentIndexChanged.connect(self._show_registered)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Record deviation")
        buttons.accepted.connect(self.accept)
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
        layout.addRow("&New value:", self.value)
        layout.addRow("&Reason:", self.reason)
        layout.addRow(buttons)
        self._show_registered()

    def _show_registered(self) -> None:
        value = getattr(self._hypothesis, self.field.currentData() or "", None)
        self.registered.setText("(not set)" if value in (None, "") else str(value))

    def answer(self) -> tuple[str, str, str]:
        return self.field.currentData(), self.value.text().strip(), self.reason.toPlainText()

    @classmethod
    def ask(cls, parent: QWidget | None, hypothesis: Any) -> tuple[str, str, str] | None:
        dialog = cls(hypothesis, parent)
        return dialog.answer() if dialog.exec() == QDialog.DialogCode.Accepted else None
