"""What each value of one column means: a drop-down per distinct value found in the file."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QGroupBox, QLabel, QWidget

from testlearn.services.outcome_mapping import value_key
from testlearn.services.outcome_preview import LEFT_OUT_WORDS, meaning_of
from ui.wheel_guard import WheelGuard

UNSAID = "(say what it is)"
#: The choices offered for each column, in the words the user reads.
CHOICES: dict[str, tuple[tuple[str, str | None], ...]] = {
    "arm": (("pilot", "pilot"), ("comparator", "comparator"), ("leave the row out", None)),
    "period": (("before", "before"), ("after", "after"), ("leave the row out", None)),
    "value": (("1 (yes)", "1"), ("0 (no)", "0"), ("leave the row out", None)),
}
TITLES = {
    "arm": "Which group is each value of {name}?",
    "period": "Which period is each value of {name}?",
    "value": "Which outcome is each value of {name}?",
}
_UNSAID_DATA = "\x00unsaid"


class RecodeBox(QGroupBox):
    """One drop-down per distinct value of a column; ``recoding()`` says what each means."""

    changed = Signal()

    def __init__(
        self,
        column: str,
        file_column: str,
        values: Sequence[str],
        outcome_type: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(TITLES[column].format(name=file_column), parent)
        self.column = column
        self.combos: dict[str, QComboBox] = {}
        layout = QFormLayout(self)
        for raw in values:
            if not raw and column == "period":
                continue  # a blank period is allowed where the design does not need one
            combo = QComboBox(self)
            WheelGuard.protect(combo)
            shown = raw or "(empty cell)"
            combo.setAccessibleName(f"{file_column} value {shown} means")
            combo.addItem(UNSAID, _UNSAID_DATA)
            for words, meant in CHOICES[column]:
                combo.addItem(words, meant)
            default = meaning_of(column, raw, {}, outcome_type)
            if default is not None:
                found = combo.findData(default if default != LEFT_OUT_WORDS else None)
                combo.setCurrentIndex(max(0, found))
                combo.removeItem(0)  # a value already understood never goes back to unsaid
            combo.currentIndexChanged.connect(self.changed)
            label = QLabel(f"{shown!r}:" if raw else "(empty cell):", self)
            label.setBuddy(combo)
            layout.addRow(label, combo)
            self.combos[raw] = combo

    def recoding(self) -> dict[str, str | None]:
        """{value in the file: value meant, None to leave the row out}, for values said."""
        out: dict[str, str | None] = {}
        for raw, combo in self.combos.items():
            meant = combo.currentData()
            if meant != _UNSAID_DATA:
                out[value_key(raw)] = meant
        return out
