"""What is wrong with one field, shown under it in words and told to screen readers.

A colour alone would not do: the message is written out (with the field's label), and the
field's accessible description carries it too, so a screen reader reads it when the field
takes focus.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

MARK = "border: 2px solid #c62828;"


class FieldProblem(QLabel):
    """Hidden until :meth:`report`; :meth:`clear` puts the field back as it was."""

    def __init__(self, field: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = field
        self._description = field.accessibleDescription()
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setStyleSheet("color: #c62828;")
        self.setAccessibleName(f"Problem with {field.accessibleName()}")
        self.setVisible(False)

    def report(self, message: str) -> None:
        self.setText(message)
        self.setVisible(True)
        self.field.setAccessibleDescription(message)
        self.field.setStyleSheet(MARK)

    def clear(self) -> None:
        self.setText("")
        self.setVisible(False)
        self.field.setAccessibleDescription(self._description)
        self.field.setStyleSheet("")

    def reported(self) -> bool:
        return bool(self.text())
