"""Recording a clearance: who cleared the report as it stands, their role, and when."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from testlearn.domain.clearance import parse_day


class ClearanceDialog(QDialog):
    """``ask`` returns {"cleared_by", "role", "cleared_on"}, or None if cancelled.

    What is typed is checked when the button is pressed; a mistake is named under the form
    and the dialog stays open with everything typed still in it.
    """

    def __init__(self, what: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Record the clearance of the {what}")
        self.cleared_by = QLineEdit(self)
        self.cleared_by.setAccessibleName("Cleared by")
        self.cleared_by.setPlaceholderText("e.g. Jane Smith")
        self.role = QLineEdit(self)
        self.role.setAccessibleName("Role")
        self.role.setPlaceholderText("e.g. Deputy Director, SRO")
        self.cleared_on = QLineEdit(dt.date.today().strftime("%d/%m/%Y"), self)
        self.cleared_on.setAccessibleName("Cleared on")
        self.cleared_on.setPlaceholderText("dd/mm/yyyy")
        self.problem = QLabel(self)
        self.problem.setWordWrap(True)
        self.problem.setAccessibleName("What is wrong")
        self.problem.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Record clearance")
        self.buttons.accepted.connect(self._check_and_accept)
        self.buttons.rejected.connect(self.reject)
        intro = QLabel(
            f"This records that the {what}, exactly as it stands now, was cleared for "
            "release. A final prints the name, role and date, and the version. If anything "
            "in the pilot changes afterwards, the final needs clearing again.",
            self,
        )
        intro.setWordWrap(True)
        layout = QFormLayout(self)
        layout.addRow(intro)
        layout.addRow("Cleared &by:", self.cleared_by)
        layout.addRow("&Role:", self.role)
        layout.addRow("Cleared &on (dd/mm/yyyy):", self.cleared_on)
        layout.addRow(self.problem)
        layout.addRow(self.buttons)

    def answer(self) -> dict[str, Any]:
        return {
            "cleared_by": self.cleared_by.text().strip(),
            "role": self.role.text().strip(),
            "cleared_on": self._day(),
        }

    def _day(self) -> dt.date:
        day = parse_day(self.cleared_on.text().strip())
        assert isinstance(day, dt.date)  # parse_day turns text into a date or raises
        return day

    def _check_and_accept(self) -> None:
        wrong: list[str] = []
        first: QLineEdit | None = None
        missing = (
            (self.cleared_by, "Cleared by: write the name of who cleared it"),
            (self.role, "Role: write their role, e.g. Deputy Director"),
        )
        for widget, message in missing:
            if not widget.text().strip():
                wrong.append(message)
                first = first or widget
        try:
            self._day()
        except ValueError as error:
            wrong.append(f"Cleared on: {error}")
            first = first or self.cleared_on
        if wrong:
            self.problem.setText("\n".join(wrong))
            self.problem.show()
            if first is not None:
                first.setFocus()
            return
        self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None, what: str) -> dict[str, Any] | None:
        dialog = cls(what, parent)
        return dialog.answer() if dialog.exec() == QDialog.DialogCode.Accepted else None
