"""Setting a conflicted field to a value of one's own, with both sides shown for reference."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from testlearn.domain.merge_report import ConflictView
from ui.merge_words import field_words, value_text


class ConflictValueDialog(QDialog):
    """A line for the new value, starting from ours; ``ask`` returns it, or None."""

    def __init__(self, conflict: ConflictView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        field = field_words(conflict.entity, conflict.field)
        self.setWindowTitle(f"Set {field}")
        intro = QLabel(
            f"Choose the value of {field} for {conflict.label}. It is saved as an ordinary "
            "recorded change, and the conflict is marked resolved.",
            self,
        )
        intro.setWordWrap(True)
        form = QFormLayout()
        for title, value in (
            ("Base", conflict.base),
            ("Ours", conflict.ours),
            ("Theirs", conflict.theirs),
        ):
            shown = QLabel(value_text(value), self)
            shown.setWordWrap(True)
            shown.setAccessibleName(f"{title} value")
            form.addRow(f"{title}:", shown)
        self.value = QLineEdit(self)
        self.value.setAccessibleName("New value")
        self.value.setText("" if conflict.ours is None else value_text(conflict.ours))
        self.value.selectAll()
        label = QLabel("&New value:", self)
        label.setBuddy(self.value)
        form.addRow(label, self.value)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Set value")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(buttons)

    @classmethod
    def ask(cls, parent: QWidget | None, conflict: ConflictView) -> str | None:
        dialog = cls(conflict, parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.value.text()
