"""A date typed as people write it (15/12/2026, 15 Dec 2026) or chosen from a calendar.

The text is read by the same parser as the command line and imports
(``testlearn.domain.formats``), and shown back as dd/mm/yyyy. The calendar opens with the
button, Alt+Down or F4; arrow keys move, Enter (or a click) chooses, Escape leaves the date as
it was.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QLocale, Qt
from PySide6.QtWidgets import QCalendarWidget, QWidget

from testlearn.domain import formats
from ui.popup_line_edit import PopupLineEdit


class DateField(PopupLineEdit):
    """``value()`` is the date, None when blank, or the text itself when it is not a date."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Choose from a calendar", parent)
        self.setPlaceholderText("dd/mm/yyyy")
        self.calendar = QCalendarWidget()
        self.calendar.setLocale(QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom))
        self.calendar.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        self.calendar.setGridVisible(True)
        self.calendar.setAccessibleName("Calendar")
        self.calendar.activated.connect(self._pick)  # Enter or a double click
        self.calendar.clicked.connect(self._pick)
        # Written back as dd/mm/yyyy when left, before the form reads it.
        self.editingFinished.connect(self.tidy)
        self._picked = False

    def value(self) -> dt.date | str | None:
        text = self.text().strip()
        if not text:
            return None
        try:
            return formats.parse_date(text)
        except ValueError:
            return text  # the form saves it, and the message says how to write it

    def set_date(self, value: dt.date | None) -> None:
        self.setText("" if value is None else formats.format_date(value))

    def _content(self) -> QWidget:
        return self.calendar

    def _prepare(self) -> None:
        current = self.value()
        day = current if isinstance(current, dt.date) else dt.date.today()
        self.calendar.setSelectedDate(QDate(day.year, day.month, day.day))
        self._picked = False

    def _chosen_text(self) -> str | None:
        if not self._picked:
            return None  # browsing the months and clicking away chooses nothing
        picked = self.calendar.selectedDate()
        return formats.format_date(dt.date(picked.year(), picked.month(), picked.day()))

    def _pick(self, _date: QDate) -> None:
        self._picked = True
        self.close_popup(keep=True)

    def tidy(self) -> None:
        current = self.value()
        if isinstance(current, dt.date) and self.text() != formats.format_date(current):
            self.set_date(current)
