"""Several choices from a vocabulary (missions, milestones), shown by label, stored as codes.

The field shows the chosen labels separated by semicolons, and can be typed into (labels or
codes, any case). The button, Alt+Down or F4 opens the list with a tick box per choice: arrow
keys move, Space ticks or unticks, Enter or a click outside applies, Escape leaves it as it was.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

from testlearn.domain.vocabulary import Term
from ui.labels import term_label
from ui.popup_line_edit import PopupLineEdit


class ChoiceList(PopupLineEdit):
    """``codes()`` is the list of codes chosen; text that matches no choice is kept as typed."""

    def __init__(self, vocabulary: type[Term], parent: QWidget | None = None) -> None:
        super().__init__("Choose from the list", parent)
        self.vocabulary = vocabulary
        self.setPlaceholderText("(none; Alt+Down to choose)")
        self.choices = QListWidget()
        self.choices.setAccessibleName("Choices")
        for term in vocabulary:
            item = QListWidgetItem(term.label, self.choices)
            item.setData(Qt.ItemDataRole.UserRole, term.value)
            item.setFlags(
                Qt.ItemFlag.ItemIsEnabled
                | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemIsUserCheckable
            )
            item.setCheckState(Qt.CheckState.Unchecked)
        width = self.choices.sizeHintForColumn(0) + 40
        self.choices.setMinimumWidth(min(max(width, 240), 640))
        rows = min(self.choices.count(), 12)
        frame = 2 * self.choices.frameWidth()
        self.choices.setFixedHeight(self.choices.sizeHintForRow(0) * rows + frame + 2)
        self.choices.installEventFilter(self)
        # A click on the words ticks too, not only a click on the small box.
        self._state_at_press = Qt.CheckState.Unchecked
        self.choices.itemPressed.connect(self._pressed)
        self.choices.itemClicked.connect(self._clicked)

    def codes(self) -> list[str]:
        """The codes chosen, in the order written; a part that is no choice stays as text."""
        found: list[str] = []
        for part in re.split(r";", self.text()):
            written = part.strip()
            if not written:
                continue
            try:
                code: str = self.vocabulary.parse(written).value
            except ValueError:
                code = written  # refused with the list of choices when saved
            if code not in found:
                found.append(code)
        return found

    def set_codes(self, codes: list[str]) -> None:
        self.setText("; ".join(self._label(code) for code in codes))

    def _label(self, code: str) -> str:
        return term_label(self.vocabulary, code)

    # -- the popup -------------------------------------------------------------------------

    def _content(self) -> QWidget:
        return self.choices

    def _prepare(self) -> None:
        chosen = set(self.codes())
        for row in range(self.choices.count()):
            item = self.choices.item(row)
            ticked = item.data(Qt.ItemDataRole.UserRole) in chosen
            item.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)
        self.choices.setCurrentRow(0)

    def _chosen_text(self) -> str | None:
        known = {term.value for term in self.vocabulary}
        # Text that matched no choice is kept, so nothing typed is silently dropped.
        kept = [code for code in self.codes() if code not in known]
        ticked = [
            self.choices.item(row).data(Qt.ItemDataRole.UserRole)
            for row in range(self.choices.count())
            if self.choices.item(row).checkState() == Qt.CheckState.Checked
        ]
        return "; ".join([*(self._label(code) for code in ticked), *kept])

    def _pressed(self, item: QListWidgetItem) -> None:
        self._state_at_press = item.checkState()

    def _clicked(self, item: QListWidgetItem) -> None:
        if item.checkState() == self._state_at_press:  # the box itself was not clicked
            ticked = item.checkState() == Qt.CheckState.Checked
            item.setCheckState(Qt.CheckState.Unchecked if ticked else Qt.CheckState.Checked)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is getattr(self, "choices", None)
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            self.close_popup(keep=True)
            return True
        return super().eventFilter(watched, event)
