"""A line edit with a list or calendar that drops down from it, by mouse or by keyboard.

The date field and the choice list share this: the text stays typeable, the button at the end
(or Alt+Down, or F4, as in a drop-down list) opens the popup, and a choice made there is written
into the text and reported once through ``editingFinished``, exactly as if it had been typed and
the field left. So a form saves a choice once, not on every click or arrow key inside the popup.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeyEvent
from PySide6.QtWidgets import QFrame, QLineEdit, QStyle, QVBoxLayout, QWidget


class PopupLineEdit(QLineEdit):
    """Subclasses give :meth:`_content` (the popup's widget) and :meth:`_prepare`."""

    def __init__(self, open_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        icon = self.style().standardIcon(QStyle.StandardPixmap.SP_ArrowDown)
        self.open_action = QAction(icon, open_text, self)
        self.open_action.setToolTip(f"{open_text} (Alt+Down)")
        self.open_action.triggered.connect(self.open_popup)
        self.addAction(self.open_action, QLineEdit.ActionPosition.TrailingPosition)
        self.popup = QFrame(self, Qt.WindowType.Popup)
        self.popup.setFrameShape(QFrame.Shape.StyledPanel)
        self.popup.installEventFilter(self)
        self._layout = QVBoxLayout(self.popup)
        self._layout.setContentsMargins(2, 2, 2, 2)
        self._cancelled = False

    # -- for subclasses --------------------------------------------------------------------

    def _content(self) -> QWidget:
        raise NotImplementedError

    def _prepare(self) -> None:
        """Show the field's current value in the popup before it opens."""

    def _chosen_text(self) -> str | None:
        """The text the popup's state stands for, or None to leave the text as it is."""
        return None

    # -- opening and closing ---------------------------------------------------------------

    def setReadOnly(self, read_only: bool) -> None:
        super().setReadOnly(read_only)
        self.open_action.setEnabled(not read_only)

    def open_popup(self) -> None:
        if self.isReadOnly() or not self.isEnabled():
            return
        content = self._content()
        if self._layout.indexOf(content) < 0:
            self._layout.addWidget(content)
        self._prepare()
        self._cancelled = False
        self.popup.adjustSize()
        self.popup.move(self.mapToGlobal(self.rect().bottomLeft()))
        self.popup.show()
        content.setFocus(Qt.FocusReason.PopupFocusReason)

    def close_popup(self, *, keep: bool = True) -> None:
        """Close the popup; ``keep`` writes what was chosen into the field."""
        self._cancelled = not keep
        self.popup.hide()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        alt_down = (
            event.key() == Qt.Key.Key_Down and event.modifiers() & Qt.KeyboardModifier.AltModifier
        )
        if alt_down or event.key() == Qt.Key.Key_F4:
            self.open_popup()
            return
        super().keyPressEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.popup:
            if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
                if event.key() == Qt.Key.Key_Escape:
                    self.close_popup(keep=False)
                    return True
            elif event.type() == QEvent.Type.Hide:
                self._closed()
        return super().eventFilter(watched, event)

    def _closed(self) -> None:
        text = None if self._cancelled else self._chosen_text()
        self.setFocus(Qt.FocusReason.PopupFocusReason)
        if text is not None and text != self.text():
            self.setText(text)
            self.setCursorPosition(0)
            self.textEdited.emit(text)  # the form hears a change, as from a keystroke
            self.editingFinished.emit()  # ... and that the user is done with it
