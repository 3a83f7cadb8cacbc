"""A drop-down list that reports a choice once: when picked from the open list, or when left.

QComboBox reports ``activated`` on every arrow key and every wheel step, so a form that saved
on it wrote one revision per step (Idea -> Design -> ... -> Withdrawn, ten audit events). This
box reports ``left`` instead, as a line edit reports ``editingFinished``: after a choice from
the open list, and when focus leaves it. The form compares with what it last saved, so a
``left`` without a change saves nothing.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import QComboBox, QWidget

from ui.wheel_guard import WheelGuard


class ChoiceBox(QComboBox):
    left = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # Click or Tab to focus, never the wheel: a page scrolled past it must not change it.
        WheelGuard.protect(self)

    def hidePopup(self) -> None:
        super().hidePopup()
        # The chosen row becomes current only after the list has closed.
        QTimer.singleShot(0, self, self.left.emit)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        if event.reason() != Qt.FocusReason.PopupFocusReason:
            self.left.emit()
