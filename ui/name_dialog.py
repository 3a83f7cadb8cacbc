"""Asking the user's name: recorded against their changes and printed in reports.

Asked on the first start, before the window is used, and changed with Edit > Your name. It is
saved where the command line reads it too (``testlearn name``), never taken from the
operating system's account.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from testlearn.errors import TestlearnError
from testlearn.services import user_name


class NameDialog(QDialog):
    """``ask`` returns the name typed (checked, trimmed), or None when the user cancels."""

    def __init__(self, parent: QWidget | None = None, current: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle("Your name")
        label = QLabel("Your &name (recorded against your changes):", self)
        self.name = QLineEdit(current, self)
        self.name.setAccessibleName("Your name")
        self.name.setMaxLength(user_name.MAX_LENGTH)
        label.setBuddy(self.name)
        note = QLabel(
            "It is kept in the history beside everything you change, and printed in reports "
            "(for example as who registered a pilot).",
            self,
        )
        note.setWordWrap(True)
        self.problem = QLabel("", self)
        self.problem.setWordWrap(True)
        self.problem.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.name.textChanged.connect(self._changed)
        layout = QVBoxLayout(self)
        for widget in (label, self.name, note, self.problem, self.buttons):
            layout.addWidget(widget)
        self._changed(current)

    def value(self) -> str:
        return self.name.text().strip()

    def accept(self) -> None:
        try:
            user_name.validated_name(self.name.text())
        except TestlearnError as error:
            # Shown in the dialog, which stays open with the text as typed to be corrected.
            text = str(error)
            self.problem.setText(text[:1].upper() + text[1:] + ".")
            self.problem.show()
            return
        super().accept()

    def _changed(self, _text: str) -> None:
        # Nothing to record changes against yet: OK waits for a name rather than failing.
        self.ok.setEnabled(bool(self.value()))
        self.problem.hide()

    @classmethod
    def ask(cls, parent: QWidget | None, current: str = "") -> str | None:
        dialog = cls(parent, current)
        try:
            if dialog.exec() == QDialog.DialogCode.Accepted:
                return dialog.value()
            return None
        finally:
            dialog.deleteLater()


def name_at_start() -> str | None:
    """The name the window records changes against; asked (and saved) the first time.

    None when the user cancels the question: the window is not opened without a name.
    """
    try:
        found = user_name.current_name()
    except TestlearnError:
        found = None  # a damaged settings file: asked again, and the answer replaces it
    if found is not None:
        return found.name
    return ask_and_save(None)


def ask_and_save(parent: QWidget | None, current: str = "") -> str | None:
    """Ask for the name and save it; the name now in force, or None if cancelled."""
    from ui.message_box import MessageBox

    while True:
        typed = NameDialog.ask(parent, current)
        if typed is None:
            return None
        try:
            saved = user_name.save_name(typed)
        except (OSError, TestlearnError) as error:
            MessageBox.warn(parent, "Your name", f"Your name could not be saved: {error}")
            current = typed
            continue
        try:
            found = user_name.current_name()
        except TestlearnError:
            found = None
        if found is not None and found.name != saved:
            MessageBox.inform(
                parent,
                "Your name",
                f"Saved. While ${user_name.ENVIRONMENT_VARIABLE} is set, changes are recorded "
                f"against {found.name} instead.",
            )
            return found.name
        return saved
