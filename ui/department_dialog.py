"""Asking, once, which department a database's exports come from."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

#: As long as testlearn.sync.export accepts (the manifest and the merge show it whole).
LONGEST = 100


class DepartmentDialog(QDialog):
    """``ask`` returns the department typed (trimmed), or None when the user cancels.

    The export's manifest names the department, and the central team's merge shows it beside
    every pilot that came from the file; it is kept in the database, so this is asked once.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export for the central team")
        intro = QLabel(
            "Which department are these pilots from? The central team sees it beside every "
            "pilot of this export. It is kept in the database, so you are asked only once.",
            self,
        )
        intro.setWordWrap(True)
        label = QLabel("&Department (for example DHSC):", self)
        self.department = QLineEdit(self)
        self.department.setAccessibleName("Department")
        self.department.setMaxLength(LONGEST)
        label.setBuddy(self.department)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("&Export")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.department.textChanged.connect(self._changed)
        layout = QVBoxLayout(self)
        for widget in (intro, label, self.department, self.buttons):
            layout.addWidget(widget)
        self._changed("")

    def value(self) -> str:
        return " ".join(self.department.text().split())

    def _changed(self, _text: str) -> None:
        # An empty name cannot be exported: the button waits for one rather than failing.
        self.ok.setEnabled(bool(self.value()))

    @classmethod
    def ask(cls, parent: QWidget | None) -> str | None:
        dialog = cls(parent)
        try:
            if dialog.exec() == QDialog.DialogCode.Accepted and dialog.value():
                return dialog.value()
            return None
        finally:
            dialog.deleteLater()

    @staticmethod
    def needed(error: BaseException) -> bool:
        """Whether an export failed only for want of the department."""
        from testlearn.services.merging import DepartmentNeeded

        return isinstance(error, DepartmentNeeded)
