"""Adding a record (a pilot, a hypothesis, a lesson, a decision): its required fields first."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from testlearn.domain.vocabulary import Term
from ui.record_form import RecordForm


class NewRecordDialog(QDialog):
    """A form of the fields a new record needs; ``ask`` returns their values or None."""

    def __init__(
        self,
        title: str,
        fields_of: Any,
        fields: Sequence[str],
        vocabularies: Mapping[str, type[Term]],
        long_text: Sequence[str],
        parent: QWidget | None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.form = RecordForm(
            fields_of, fields, vocabularies=vocabularies, long_text=long_text, parent=self
        )
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Add")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("The other fields can be filled in afterwards."))
        layout.addWidget(self.form)
        layout.addWidget(buttons)

    def answer(self) -> dict[str, Any]:
        return {k: v for k, v in self.form.value().items() if v not in (None, "", [])}

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        title: str,
        fields_of: Any,
        fields: Sequence[str],
        vocabularies: Mapping[str, type[Term]] | None = None,
        long_text: Sequence[str] = (),
    ) -> dict[str, Any] | None:
        dialog = cls(title, fields_of, fields, vocabularies or {}, long_text, parent)
        return dialog.answer() if dialog.exec() == QDialog.DialogCode.Accepted else None
