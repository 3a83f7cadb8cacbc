"""Messages and yes/no questions, behind classmethods that tests replace."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget


class MessageBox:
    """The window's message boxes. Tests monkeypatch ``inform``, ``warn`` and ``ask``."""

    @classmethod
    def inform(cls, parent: QWidget | None, title: str, text: str) -> None:
        QMessageBox.information(parent, title, text)

    @classmethod
    def warn(cls, parent: QWidget | None, title: str, text: str) -> None:
        QMessageBox.warning(parent, title, text)

    @classmethod
    def ask(cls, parent: QWidget | None, title: str, text: str, *, yes: str = "OK") -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=parent)
        accept = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        return box.clickedButton() is accept
