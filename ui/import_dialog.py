"""Previewing an outcome file and saying which column is which, before it is imported."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QGroupBox,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

IGNORE = "(leave out)"


class ImportDialog(QDialog):
    """The file's first rows and a column mapping; ``ask`` returns the mapping or None."""

    def __init__(
        self,
        file_name: str,
        header: Sequence[str],
        rows: Sequence[Sequence[str]],
        known: Sequence[str],
        parent: QWidget | None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Import {file_name}")
        self.preview = QTableWidget(len(rows), len(header), self)
        self.preview.setAccessibleName("Preview of the file")
        self.preview.setHorizontalHeaderLabels(list(header))
        self.preview.setVerticalHeaderLabels([str(i + 2) for i in range(len(rows))])  # file rows
        for r, row in enumerate(rows):
            for c, cell in enumerate(row[: len(header)]):
                self.preview.setItem(r, c, QTableWidgetItem(cell))
        self.mapping: dict[str, QComboBox] = {}
        grid = QGridLayout()
        for i, name in enumerate(header):
            combo = QComboBox(self)
            combo.setAccessibleName(f"Column {name} is")
            combo.addItem(IGNORE, None)
            for option in known:
                combo.addItem(option, option)
            wanted = name.strip().lower()
            combo.setCurrentIndex(max(0, combo.findData(wanted)))
            label = QLabel(f"{name} &is:", self)
            label.setBuddy(combo)
            grid.addWidget(label, i // 3, (i % 3) * 2)
            grid.addWidget(combo, i // 3, (i % 3) * 2 + 1)
            self.mapping[name] = combo
        box = QGroupBox("Columns", self)
        box.setLayout(grid)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Import")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                f"The first {len(rows)} rows of {file_name}. Say which column is "
                "which; every row is checked when it is imported, and nothing "
                "is saved if any cell is wrong."
            )
        )
        layout.addWidget(self.preview)
        layout.addWidget(box)
        layout.addWidget(buttons)

    def answer(self) -> dict[str, str | None]:
        return {name: combo.currentData() for name, combo in self.mapping.items()}

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        file_name: str,
        header: Sequence[str],
        rows: Sequence[Sequence[str]],
        known: Sequence[str],
    ) -> dict[str, str | None] | None:
        dialog = cls(file_name, header, rows, known, parent)
        return dialog.answer() if dialog.exec() == QDialog.DialogCode.Accepted else None
