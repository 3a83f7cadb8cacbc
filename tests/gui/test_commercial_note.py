"""A commercial figure typed into a lesson is noted as it is typed, and saved as typed."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QPlainTextEdit, QPushButton

from tests.gui.conftest import wait_idle
from tests.gui.test_typing import open_pilot

DELAY = 60  # ms a key: a steady typist
TYPED = "The winning bid was well over the 6.1m should-cost."
NOTE = (
    "Lessons: what happened mentions a bid compared with the should-cost (over) and a "
    "should-cost figure (6.1m); it will be withheld from reports unless commercial figures "
    "are included."
)


def test_a_should_cost_typed_into_a_lesson_is_noted_and_saved_as_typed(
    qtbot: Any, demo_window: Any, lane: Any
) -> None:
    from ui.new_record_dialog import NewRecordDialog

    window = demo_window
    detail = open_pilot(qtbot, window, lane, "DESNZ-TL-005")
    detail.show_tab("lessons")
    lessons = detail.lessons
    before = lessons.lessons.rowCount()
    seen: dict[str, Any] = {}

    def fill() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(50, fill)
            return
        try:
            assert isinstance(dialog, NewRecordDialog), dialog
            seen["before"] = dialog.notes.isVisible()
            category = dialog.form.widgets["category"]
            category.setFocus()
            qtbot.keyClicks(category, "Market", delay=DELAY)
            text = dialog.form.widgets["what_happened"]
            assert isinstance(text, QPlainTextEdit)
            text.setFocus()
            qtbot.keyClicks(text, TYPED[:20], delay=DELAY)
            seen["half"] = dialog.notes.isVisible()
            qtbot.keyClicks(text, TYPED[20:], delay=DELAY)
            seen["note"] = dialog.notes.text() if dialog.notes.isVisible() else ""
            seen["name"] = dialog.notes.accessibleName()
            [add] = [b for b in dialog.findChildren(QPushButton) if b.text() == "Add"]
            qtbot.mouseClick(add, Qt.MouseButton.LeftButton)
            seen["closed"] = not dialog.isVisible()
        finally:
            if dialog is not None and dialog.isVisible():
                dialog.reject()

    QTimer.singleShot(0, fill)
    qtbot.mouseClick(lessons.add_lesson, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "closed" in seen, timeout=30_000)
    wait_idle(qtbot, lane)

    assert seen["before"] is False and seen["half"] is False
    assert seen["note"] == NOTE
    assert seen["name"] == "Commercial figures"
    # A note, not a refusal: the lesson is added with the words as typed.
    assert seen["closed"] is True
    qtbot.waitUntil(lambda: lessons.lessons.rowCount() == before + 1)
    assert TYPED in [lesson.what_happened for lesson in window.session.detail.lessons]
