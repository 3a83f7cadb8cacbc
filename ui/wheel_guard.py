"""The mouse wheel scrolls the page; it changes a drop-down, spin box or date only once focused.

Rolling the wheel down a long form used to change every drop-down the pointer passed over
(and each change was saved). The guard passes a wheel event aimed at an unfocused control on
to its parent, so the scroll area around it scrolls instead. Such controls take focus by click
or Tab (``Qt.StrongFocus``), not by the wheel, or the first wheel step would focus them.

Installed on each control a form makes (``WheelGuard.protect``); ``WheelGuard.install(app)``
guards every control of the application instead.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QAbstractScrollArea, QAbstractSpinBox, QComboBox, QWidget

#: Controls whose value the wheel changes.
GUARDED = (QComboBox, QAbstractSpinBox)


class WheelGuard(QObject):
    _shared: WheelGuard | None = None

    @classmethod
    def shared(cls) -> WheelGuard:
        if cls._shared is None:
            cls._shared = cls(QCoreApplication.instance())
        return cls._shared

    @classmethod
    def protect(cls, widget: QWidget) -> None:
        """Guard one control: focus by click or Tab only, and the wheel for the page."""
        widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        widget.installEventFilter(cls.shared())

    @classmethod
    def install(cls, app: QCoreApplication) -> None:
        """Guard every combo box and spin box of the application."""
        app.installEventFilter(cls.shared())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.Wheel or not isinstance(watched, QWidget):
            return False
        control = _guarded(watched)
        if control is None or control.hasFocus() or not isinstance(event, QWheelEvent):
            return False
        area = _scroll_area(control)
        if area is None:
            # Not accepted: Qt offers the event to the parents (a real wheel event only).
            event.ignore()
            return True
        # Handed to the page itself: Qt does not pass synthesised wheel events to parents,
        # and the page is what the user meant to scroll either way.
        viewport = area.viewport()
        position = QPointF(viewport.mapFromGlobal(event.globalPosition().toPoint()))
        forwarded = QWheelEvent(
            position,
            event.globalPosition(),
            event.pixelDelta(),
            event.angleDelta(),
            event.buttons(),
            event.modifiers(),
            event.phase(),
            event.inverted(),
        )
        QCoreApplication.sendEvent(viewport, forwarded)
        return True


def _scroll_area(widget: QWidget) -> QAbstractScrollArea | None:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractScrollArea):
            return parent
        parent = parent.parentWidget()
    return None


def _guarded(widget: QWidget) -> QWidget | None:
    """The guarded control ``widget`` is, or is part of (a spin box's line edit)."""
    for candidate in (widget, widget.parentWidget()):
        if isinstance(candidate, GUARDED):
            return candidate
    return None
