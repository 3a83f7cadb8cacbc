"""Confirming a registration: what it freezes, and what can still change afterwards."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QMessageBox, QWidget


class RegisterDialog(QMessageBox):
    """Asks before freezing the hypotheses; ``ask`` returns True to register."""

    def __init__(self, reference: str, codes: Sequence[str], parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setIcon(QMessageBox.Icon.Question)
        self.setWindowTitle(f"Register {reference}")
        self.setText(f"Register {', '.join(codes)} of {reference} now?")
        self.setInformativeText(
            "Registering freezes every field of these hypotheses (outcome, design, benefit "
            "threshold, harm margin, planned n and the rest) with a timestamp and a hash. "
            "After that they cannot be edited: a change is possible only as a recorded "
            "deviation with a reason, which every report shows.\n\n"
            "Register before any outcome data exist; outcome data can only be imported "
            "after registration."
        )
        self.register_button = self.addButton("Register", QMessageBox.ButtonRole.AcceptRole)
        self.addButton(QMessageBox.StandardButton.Cancel)
        self.setDefaultButton(QMessageBox.StandardButton.Cancel)

    @classmethod
    def ask(cls, parent: QWidget | None, reference: str, codes: Sequence[str]) -> bool:
        dialog = cls(reference, codes, parent)
        dialog.exec()
        return dialog.clickedButton() is dialog.register_button
