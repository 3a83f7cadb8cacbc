"""Adding a record (a pilot, a hypothesis, a lesson, a decision): its required fields first."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import Qt
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

    def fill_in(self, record: Any) -> None:
        """Show an existing record's values, to edit it: the button saves rather than adds."""
        self.form.set_value(record)
        buttons = self.findChild(QDialogButtonBox)
        if buttons is not None:
            buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Save")
        for label in self.findChildren(QLabel, options=Qt.FindChildOption.FindDirectChildrenOnly):
            if label.text().startswith("The other fields"):
                label.setText("Change what needs changing, then save.")

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
        *,
        values: Any = None,
    ) -> dict[str, Any] | None:
        """The typed values, or None if cancelled; ``values`` (a record) fills the form in."""
        dialog = cls(title, fields_of, fields, vocabularies or {}, long_text, parent)
        if values is not None:
            dialog.fill_in(values)
        return dialog.answer() if dialog.exec() == QDialog.DialogCode.Accepted else None
