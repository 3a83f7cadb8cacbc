"""Outcome data: import a CSV/xlsx file with a preview and mapping, or type aggregates in."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from testlearn.errors import InputFileError
from ui.error_reporting import report_error
from ui.file_dialogs import FileDialogs
from ui.import_dialog import ImportDialog
from ui.pilot_session import PilotSession

GRID_COLUMNS = ("arm", "period", "n", "successes", "mean", "sd", "events", "exposure")


class DataTab(QWidget):
    """Outcome data for the pilot's registered hypotheses."""

    def __init__(self, session: PilotSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.detail: Any = None
        self.hypothesis = QComboBox(self)
        self.hypothesis.setAccessibleName("Hypothesis to import data for")
        self.hypothesis.currentIndexChanged.connect(self._show_dataset)
        self.dataset = QLabel(self)
        self.dataset.setWordWrap(True)
        self.dataset.setAccessibleName("Data imported so far")
        self.import_button = QPushButton("&Import file...", self)
        self.import_button.clicked.connect(self.import_file)
        self.grid = QTableWidget(2, len(GRID_COLUMNS), self)
        self.grid.setAccessibleName("Aggregates")
        self.grid.setHorizontalHeaderLabels(list(GRID_COLUMNS))
        self.add_row = QPushButton("Add &row", self)
        self.add_row.clicked.connect(lambda: self.grid.insertRow(self.grid.rowCount()))
        self.save_grid = QPushButton("&Save aggregates", self)
        self.save_grid.clicked.connect(self.save_aggregates)
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setAccessibleName("Import problem")
        top = QHBoxLayout()
        hypothesis_label = QLabel("&Hypothesis:", self)
        hypothesis_label.setBuddy(self.hypothesis)
        top.addWidget(hypothesis_label)
        top.addWidget(self.hypothesis, 1)
        top.addWidget(self.import_button)
        grid_box = QGroupBox("Or type the aggregates (one row per arm and period)", self)
        grid_layout = QVBoxLayout(grid_box)
        grid_layout.addWidget(self.grid)
        grid_buttons = QHBoxLayout()
        grid_buttons.addWidget(self.add_row)
        grid_buttons.addStretch(1)
        grid_buttons.addWidget(self.save_grid)
        grid_layout.addLayout(grid_buttons)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.dataset)
        layout.addWidget(self.error)
        layout.addWidget(grid_box, 1)
        self._reset_grid()

    def set_detail(self, detail: Any) -> None:
        current = self.hypothesis.currentData()
        self.detail = detail
        self.hypothesis.blockSignals(True)
        self.hypothesis.clear()
        for item in detail.hypotheses:
            state = "" if item.registered else " (not registered: register before importing)"
            self.hypothesis.addItem(
                f"{item.hypothesis.code}: {item.hypothesis.statement}{state}", item.hypothesis.code
            )
        self.hypothesis.setCurrentIndex(max(0, self.hypothesis.findData(current)))
        self.hypothesis.blockSignals(False)
        self._show_dataset()

    def _current(self) -> Any:
        code = self.hypothesis.currentData()
        return self.detail.hypothesis(code) if self.detail is not None and code else None

    def _show_dataset(self) -> None:
        item = self._current()
        registered = item is not None and item.registered
        for widget in (self.import_button, self.save_grid, self.add_row, self.grid):
            widget.setEnabled(registered)
        if item is None:
            self.dataset.setText("Add and register a hypothesis first.")
        elif item.dataset is None:
            self.dataset.setText("No outcome data yet.")
        else:
            d = item.dataset
            kind = "unit rows" if d.shape == "unit" else "aggregate rows"
            self.dataset.setText(
                f"{d.row_count:,} {kind} from {d.source_name}, imported "
                f"{d.imported_at:%d %b %Y %H:%M} by {d.imported_by} (fingerprint "
                f"{d.fingerprint[:12]}). Importing again replaces them; the old data stay in "
                "the history."
            )

    def _reset_grid(self) -> None:
        self.grid.setRowCount(2)
        for row, arm in enumerate(("pilot", "comparator")):
            self.grid.setItem(row, 0, QTableWidgetItem(arm))

    # -- importing -------------------------------------------------------------------------

    def import_file(self) -> None:
        item = self._current()
        path = FileDialogs.ask_outcome_file(self)
        if item is None or path is None:
            return

        def preview(job: Any) -> Any:
            from testlearn.services.outcome_preview import KNOWN_COLUMNS, preview_outcome_file

            return (*preview_outcome_file(path), KNOWN_COLUMNS)

        self.session.run(
            "Reading the file",
            preview,
            lambda answer: self._confirm_import(path, item, *answer),
            reload=False,
            on_error=self._show_error,
        )

    def _confirm_import(self, path: Path, item: Any, header: Any, rows: Any, known: Any) -> None:
        mapping = ImportDialog.ask(self, path.name, header, rows, known)
        if mapping is None:
            return
        reference, code = self.detail.pilot.reference, item.hypothesis.code
        renamed = any((h.strip().lower() != (m or "")) for h, m in mapping.items())

        def work(job: Any) -> Any:
            from testlearn.services.outcome_import import import_results
            from testlearn.services.outcome_preview import remap_outcome_file

            db, actor = job.ctx.require_database(), job.ctx.actor
            if not renamed:
                return import_results(reference, code, path, db=db, actor=actor)
            with tempfile.TemporaryDirectory() as folder:
                copy = remap_outcome_file(path, mapping, Path(folder))
                return import_results(reference, code, copy, db=db, actor=actor)

        self.session.run(f"Importing {path.name}", work, self._imported, on_error=self._show_error)

    def save_aggregates(self) -> None:
        item = self._current()
        if item is None:
            return
        rows = []
        for r in range(self.grid.rowCount()):
            cells = {
                name: (self.grid.item(r, c).text().strip() if self.grid.item(r, c) else "")
                for c, name in enumerate(GRID_COLUMNS)
            }
            if any(v for k, v in cells.items() if k != "arm"):
                rows.append({k: (v or None) for k, v in cells.items()})
        reference, code = self.detail.pilot.reference, item.hypothesis.code

        def work(job: Any) -> Any:
            from testlearn.services.outcome_import import import_aggregates

            return import_aggregates(
                reference,
                code,
                rows,
                source_name="aggregates typed in.csv",
                db=job.ctx.require_database(),
                actor=job.ctx.actor,
            )

        self.session.run("Saving the aggregates", work, self._imported, on_error=self._show_error)

    def _imported(self, summary: Any) -> None:
        self.error.clear()
        self.session.status.emit(summary.describe().capitalize())

    def _show_error(self, error: BaseException) -> None:
        """Point at the row and column an import error names, then say what is wrong."""
        if isinstance(error, InputFileError):
            from testlearn.services.outcome_preview import error_location

            where = error_location(str(error))
            self.error.setText(
                f"Not imported: {error}. Correct it and import again; nothing was saved."
            )
            if where is not None and where[1] in GRID_COLUMNS and "typed in" in str(error):
                row = where[0] - 2  # row 1 of the typed-in file is its header
                if 0 <= row < self.grid.rowCount():
                    self.grid.setCurrentCell(row, GRID_COLUMNS.index(where[1]))
                    self.grid.setFocus()
        report_error(self, error, "importing outcome data")
