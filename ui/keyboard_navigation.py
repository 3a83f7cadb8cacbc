"""Keyboard use of the window: Tab goes from control to control, never into a trap."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QScrollArea, QWidget


def keyboard_friendly(root: QWidget) -> None:
    """Tab leaves a table instead of walking its cells (arrows move inside it), and a scroll
    area is not a focus stop of its own: focus goes to the fields it holds, and it follows."""
    for view in root.findChildren(QAbstractItemView):
        view.setTabKeyNavigation(False)
    for area in root.findChildren(QScrollArea):
        area.setFocusPolicy(Qt.FocusPolicy.NoFocus)


def focus_first_control(page: QWidget) -> None:
    """Put the keyboard on the first control of ``page`` that takes Tab."""
    widget = page.nextInFocusChain()
    while widget is not page:
        takes_tab = bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus)
        if page.isAncestorOf(widget) and widget.isVisible() and widget.isEnabled() and takes_tab:
            widget.setFocus(Qt.FocusReason.TabFocusReason)
            return
        widget = widget.nextInFocusChain()
    page.setFocus(Qt.FocusReason.ShortcutFocusReason)
