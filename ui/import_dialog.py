"""Previewing an outcome file, saying what each column is and what its values mean."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from testlearn.services.outcome_mapping import MEANINGS, ColumnMapping
from testlearn.services.outcome_preview import (
    FilePreview,
    describe_column,
    needs_recoding,
    unsaid_values,
)
from ui.recode_box import RecodeBox
from ui.wheel_guard import WheelGuard

IGNORE = "Not needed (leave this column out)"
#: Encodings offered when the detected one reads the text wrongly (None: detect).
ENCODINGS = (
    ("Detect (UTF-8, else Windows-1252)", None),
    ("UTF-8", "utf-8"),
    ("Windows-1252 (Excel's CSV on Windows)", "cp1252"),
    ("ISO-8859-1 (Latin-1)", "latin-1"),
    ("Mac Roman (Excel's CSV on a Mac)", "mac-roman"),
)
#: (encoding or None, preview shown, error shown) -> asks for the file to be read again.
Reread = Callable[
    [str | None, Callable[[FilePreview], None], Callable[[BaseException], None]], None
]


@dataclass(frozen=True)
class ImportChoice:
    """What the user said in the dialog: how to read the file, and which column is which."""

    mapping: ColumnMapping
    encoding: str | None = None


class ImportDialog(QDialog):
    """The file's first rows, a meaning for each column, and recoding of their values."""

    def __init__(
        self,
        preview: FilePreview,
        outcome_type: str,
        parent: QWidget | None,
        reread: Reread | None = None,
    ) -> None:
        super().__init__(parent)
        self.preview = preview
        self.outcome_type = outcome_type
        self._reread = reread
        self.setWindowTitle(f"Import {preview.file_name}")
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        self.encoding = QComboBox(self)
        WheelGuard.protect(self.encoding)
        self.encoding.setAccessibleName("Text encoding")
        for words, name in ENCODINGS:
            self.encoding.addItem(words, name)
        self.encoding.currentIndexChanged.connect(self._encoding_chosen)
        encoding_label = QLabel("Text &encoding:", self)
        encoding_label.setBuddy(self.encoding)
        encoding_row = QHBoxLayout()
        encoding_row.addWidget(encoding_label)
        encoding_row.addWidget(self.encoding, 1)
        for widget in (encoding_label, self.encoding):
            widget.setVisible(preview.sheet is None)
        self.table = QTableWidget(self)
        self.table.setAccessibleName("Preview of the file")
        self.table.setMinimumHeight(120)
        self.meanings: list[QComboBox] = []
        self.becomes: list[QLabel] = []
        columns = QWidget(self)
        grid = QGridLayout(columns)
        for i, name in enumerate(preview.header):
            label = QLabel(f"{name or f'Column {i + 1}'}:", columns)
            combo = QComboBox(columns)
            WheelGuard.protect(combo)
            combo.setAccessibleName(f"Column {name} holds")
            combo.addItem(IGNORE, None)
            for column, words in MEANINGS.items():
                combo.addItem(words, column)
            combo.setCurrentIndex(max(0, combo.findData(preview.guesses[i])))
            combo.currentIndexChanged.connect(self._refresh)
            label.setBuddy(combo)
            becomes = QLabel(columns)
            becomes.setWordWrap(True)
            becomes.setAccessibleName(f"What column {name} becomes")
            grid.addWidget(label, 2 * i, 0)
            grid.addWidget(combo, 2 * i, 1)
            grid.addWidget(becomes, 2 * i + 1, 1)
            self.meanings.append(combo)
            self.becomes.append(becomes)
        self.recode_area = QWidget(self)
        self.recode_layout = QVBoxLayout(self.recode_area)
        self.recode_layout.setContentsMargins(0, 0, 0, 0)
        self.recode_layout.addStretch(1)
        self.recodes: dict[int, RecodeBox] = {}
        grid.setColumnStretch(1, 1)
        grid.setRowStretch(2 * len(preview.header), 1)
        holder = QWidget(self)
        holder_layout = QHBoxLayout(holder)  # the values' meanings beside the columns
        holder_layout.addWidget(columns, 3)
        holder_layout.addWidget(self.recode_area, 2)
        scroll = QScrollArea(self)
        scroll.setWidget(holder)
        scroll.setWidgetResizable(True)
        self.problem = QLabel(self)
        self.problem.setWordWrap(True)
        self.problem.setAccessibleName("What is still to say")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.import_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.import_button.setText("&Import")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(encoding_row)
        layout.addWidget(self.table, 2)
        layout.addWidget(QLabel("What each column of the file holds:", self))
        layout.addWidget(scroll, 3)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.resize(1000, 660)  # fits a 1366x768 laptop with the taskbar
        self.set_preview(preview)

    # -- showing -----------------------------------------------------------------------------

    def set_preview(self, preview: FilePreview) -> None:
        """Show ``preview`` (the file read again, perhaps in another encoding)."""
        self.preview = preview
        self.intro.setText(
            f"The first {len(preview.rows)} rows of {preview.file_name}. {preview.read_as()} "
            "Say what each column holds; every row is checked when it is imported, and "
            "nothing is saved if any cell is wrong."
        )
        self.table.clear()
        self.table.setRowCount(len(preview.rows))
        self.table.setColumnCount(len(preview.header))
        self.table.setHorizontalHeaderLabels(list(preview.header))
        self.table.setVerticalHeaderLabels([str(n) for n in preview.lines])  # the file's lines
        for r, row in enumerate(preview.rows):
            for c, cell in enumerate(row):
                self.table.setItem(r, c, QTableWidgetItem(cell))
        for box in self.recodes.values():
            box.deleteLater()
        self.recodes.clear()
        self._refresh()

    def _columns(self) -> dict[int, str | None]:
        return {i: combo.currentData() for i, combo in enumerate(self.meanings)}

    def _refresh(self) -> None:
        columns = self._columns()
        for position, column in columns.items():
            wanted = needs_recoding(column, self.outcome_type)
            box = self.recodes.get(position)
            if box is not None and (not wanted or box.column != column):
                box.deleteLater()
                del self.recodes[position]
            if wanted and position not in self.recodes:
                assert column is not None
                box = RecodeBox(
                    column,
                    self.preview.header[position],
                    self.preview.values[position],
                    self.outcome_type,
                    self.recode_area,
                )
                box.changed.connect(self._describe)
                self.recode_layout.insertWidget(self.recode_layout.count() - 1, box)
                self.recodes[position] = box
        self._order_tabs()
        self._describe()

    def _order_tabs(self) -> None:
        """Tab walks the columns, then the values' meanings, then the buttons."""
        chain: list[QWidget] = [self.encoding, self.table, *self.meanings]
        for position in sorted(self.recodes):
            chain.extend(self.recodes[position].combos.values())
        chain.extend(self.buttons.buttons())
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    def _recode(self) -> dict[str, dict[str, str | None]]:
        return {box.column: box.recoding() for box in self.recodes.values()}

    def _describe(self) -> None:
        columns, recode = self._columns(), self._recode()
        for position, column in columns.items():
            table = recode.get(column or "", {})
            self.becomes[position].setText(
                describe_column(self.preview, position, column, table, self.outcome_type)
            )
        chosen = [c for c in columns.values() if c is not None]
        twice = sorted({MEANINGS[c] for c in chosen if chosen.count(c) > 1})
        unsaid = unsaid_values(self.preview, columns, recode, self.outcome_type)
        if "arm" not in chosen:
            problem = "Say which column holds the group each row belongs to."
        elif twice:
            problem = f"Two columns hold the same thing: {'; '.join(twice)}."
        elif unsaid:
            problem = "Say what these values mean: " + ", ".join(unsaid[:6])
        else:
            problem = ""
        self.problem.setText(problem)
        self.import_button.setEnabled(not problem)

    # -- reading again in another encoding ---------------------------------------------------

    def _encoding_chosen(self) -> None:
        if self._reread is None:
            return
        self.import_button.setEnabled(False)
        self.problem.setText("Reading the file again...")
        self._reread(self.encoding.currentData(), self.set_preview, self._reread_failed)

    def _reread_failed(self, error: BaseException) -> None:
        self.problem.setText(f"{error}. Choose another encoding.")
        self.import_button.setEnabled(False)

    # -- the answer --------------------------------------------------------------------------

    def answer(self) -> ImportChoice:
        header = self.preview.header
        columns: dict[str, str | None] = {
            header[i]: column for i, column in self._columns().items() if header[i]
        }
        return ImportChoice(ColumnMapping(columns, self._recode()), self.encoding.currentData())

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        preview: FilePreview,
        outcome_type: str,
        reread: Reread | None = None,
    ) -> ImportChoice | None:
        dialog = cls(preview, outcome_type, parent, reread)
        return dialog.answer() if dialog.exec() == QDialog.DialogCode.Accepted else None
