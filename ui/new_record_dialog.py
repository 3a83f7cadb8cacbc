"""Adding a record (a pilot, a hypothesis, a lesson, a decision): its required fields first.

Add checks the values first, with the checks the store applies when it saves
(``testlearn.services.checks``). On a mistake the dialog stays open with everything typed still
there: the message is written under the field with its label, the field is marked (for screen
readers too), and focus goes to the first field to correct.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, cast

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from testlearn.domain.vocabulary import Term
from ui.date_field import DateField
from ui.field_problem import FieldProblem
from ui.money_field import MoneyField
from ui.record_form import RecordForm

REQUIRED = " (required)"
#: Warns about what was typed without refusing it (commercial figures in free text).
Warn = Callable[[Mapping[str, Any]], Mapping[str, str]]


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
        values: Mapping[str, Any] | None = None,
        warn: Warn | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.fields_of = fields_of
        self.form = RecordForm(
            fields_of, fields, vocabularies=vocabularies, long_text=long_text, parent=self
        )
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("What needs correcting")
        self.summary.setStyleSheet("color: #c62828;")
        self.summary.setVisible(False)
        # A note, not a refusal: the text is saved as typed; reports withhold it.
        self.warn = warn
        self.notes = QLabel(self)
        self.notes.setWordWrap(True)
        self.notes.setTextFormat(Qt.TextFormat.PlainText)
        self.notes.setAccessibleName("Commercial figures")
        self.notes.setStyleSheet("color: #7a4a00;")
        self.notes.setVisible(False)
        self.problems = self._problem_rows()
        self._mark_required()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.add_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.add_button.setText("Add")
        buttons.accepted.connect(self.add)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel("Fields marked (required) are needed; the others can be filled in afterwards.")
        )
        layout.addWidget(self.summary)
        layout.addWidget(self.notes)
        layout.addWidget(self.form)
        layout.addWidget(buttons)
        if values:
            self.fill(values)
        if warn is not None:
            self.form.changed.connect(self.note)
            self.note()

    def _problem_rows(self) -> dict[str, FieldProblem]:
        """A hidden line under each field, for what is wrong with it."""
        layout = self.form.layout()
        assert isinstance(layout, QFormLayout)
        problems = {}
        for name, widget in self.form.widgets.items():
            # PySide returns (row, role); its stubs say object.
            row, _role = cast(tuple[int, Any], layout.getWidgetPosition(widget))
            problem = FieldProblem(widget, self.form)
            layout.insertRow(row + 1, problem)
            problems[name] = problem
        return problems

    def _mark_required(self) -> None:
        layout = self.form.layout()
        assert isinstance(layout, QFormLayout)
        for name, widget in self.form.widgets.items():
            if not self.fields_of.model_fields[name].is_required():
                continue
            label = layout.labelForField(widget)
            if isinstance(label, QLabel):
                label.setText(label.text().removesuffix(":") + REQUIRED + ":")
            widget.setAccessibleName(widget.accessibleName() + REQUIRED)

    def fill(self, values: Mapping[str, Any]) -> None:
        """Start from ``values`` (a copy of a record, a half-typed record): nothing is saved."""
        for name, value in values.items():
            widget = self.form.widgets.get(name)
            if widget is None or value is None:
                continue
            if isinstance(widget, QComboBox):
                widget.setCurrentIndex(max(0, widget.findData(value)))
            elif isinstance(widget, QCheckBox):
                widget.setChecked(bool(value))
            elif isinstance(widget, QPlainTextEdit):
                widget.setPlainText(str(value))
            elif isinstance(widget, QLineEdit):
                widget.setText(self.form.text_of(name, value))
                widget.setCursorPosition(0)
                if isinstance(widget, DateField | MoneyField):
                    widget.tidy()  # "2026-12-15" shown as 15/12/2026, 250000 as £250,000

    def note(self) -> None:
        """Say, as it is typed, which text gives commercial figures reports will withhold."""
        if self.warn is None:
            return
        found = self.warn(self.answer())
        text = "\n".join(found[name] for name in self.form.widgets if name in found)
        if text != self.notes.text():
            self.notes.setText(text)
        self.notes.setVisible(bool(text))

    def answer(self) -> dict[str, Any]:
        return {k: v for k, v in self.form.value().items() if v not in (None, "", [])}

    def check(self, values: Mapping[str, Any]) -> dict[str, str]:
        """Field -> plain message for what is wrong; subclasses add what they know."""
        from testlearn.services.checks import check_fields

        return check_fields(self.fields_of, values, shown=self.form.widgets.keys())

    def add(self) -> None:
        """Add if every value is right; otherwise stay open and say what to correct."""
        found = self.check(self.answer())
        for name, problem in self.problems.items():
            if name in found:
                problem.report(found[name])
            else:
                problem.clear()
        if not found:
            self.accept()
            return
        wrong = [name for name in self.form.widgets if name in found]
        count = "1 field needs" if len(wrong) == 1 else f"{len(wrong)} fields need"
        labels = ", ".join(found[name].split(":", 1)[0] for name in wrong)
        self.summary.setText(f"Not added yet: {count} correcting ({labels}).")
        self.summary.setVisible(True)
        self.form.widgets[wrong[0]].setFocus(Qt.FocusReason.OtherFocusReason)

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        title: str,
        fields_of: Any,
        fields: Sequence[str],
        vocabularies: Mapping[str, type[Term]] | None = None,
        long_text: Sequence[str] = (),
        values: Mapping[str, Any] | None = None,
        *,
        button: str = "Add",
        warn: Warn | None = None,
    ) -> dict[str, Any] | None:
        dialog = cls(
            title, fields_of, fields, vocabularies or {}, long_text, parent, values, warn=warn
        )
        dialog.add_button.setText(button)  # "Save" when the values are a record being edited
        return dialog.answer() if dialog.exec() == QDialog.DialogCode.Accepted else None
