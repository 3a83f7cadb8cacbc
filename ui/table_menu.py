"""Right-click menus on tables, opened by the mouse, the Menu key or Shift+F10 alike."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, QPoint, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QMenu, QTableView

#: Builds the menu for the row at the given index (invalid: no row under the pointer).
MenuBuilder = Callable[[QModelIndex], QMenu | None]


def attach_menu(view: QTableView, build: MenuBuilder) -> None:
    """Show ``build``'s menu on a right click, and on the keyboard's context-menu keys.

    The Menu key opens a context menu on its own on most platforms, but not everywhere, and
    Shift+F10 (the other key for it on Windows and in GNOME) nowhere in Qt: both are given
    to the table as shortcuts, so a keyboard user gets the same menu at the current row.
    """
    view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    view.customContextMenuRequested.connect(
        lambda position: _popup(view, build, view.indexAt(position), position)
    )
    for keys in ("Shift+F10", "Menu"):
        shortcut = QShortcut(QKeySequence(keys), view)
        shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
        shortcut.activated.connect(lambda: _from_keyboard(view, build))


def _from_keyboard(view: QTableView, build: MenuBuilder) -> None:
    index = view.currentIndex()
    if index.isValid():
        rect = view.visualRect(index)
        position = QPoint(rect.left() + 8, rect.bottom())
    else:
        position = QPoint(8, 8)
    _popup(view, build, index, position)


def _popup(view: QTableView, build: MenuBuilder, index: QModelIndex, position: QPoint) -> None:
    menu = build(index)
    if menu is None or menu.isEmpty():
        return
    menu.setParent(view, menu.windowFlags())
    menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    menu.popup(view.viewport().mapToGlobal(position))
