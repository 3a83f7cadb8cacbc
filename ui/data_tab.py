"""Outcome data: import a CSV/xlsx file (chosen or dropped) through the mapping dialog, or type
aggregates in."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QMimeData, Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent
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
from ui.job import JobCancelled
from ui.pilot_session import PilotSession

GRID_COLUMNS = ("arm", "period", "n", "successes", "mean", "sd", "events", "exposure")
#: Files that may be dropped on the tab to import them.
DROPPABLE = (".csv", ".xlsx", ".txt")


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
        # The fingerprint and sha256 are there to be copied and checked against a brief.
        self.dataset.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.import_button = QPushButton("I&mport file...", self)
        self.import_button.clicked.connect(self.import_file)
        self.grid = QTableWidget(2, len(GRID_COLUMNS), self)
        self.grid.setAccessibleName("Aggregates")
        self.grid.setHorizontalHeaderLabels(list(GRID_COLUMNS))
        self.add_row = QPushButton("Add &row", self)
        self.add_row.clicked.connect(lambda: self.grid.insertRow(self.grid.rowCount()))
        self.save_grid = QPushButton("Sa&ve aggregates", self)
        self.save_grid.clicked.connect(self.save_aggregates)
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setAccessibleName("Import problem")
        top = QHBoxLayout()
        hypothesis_label = QLabel("Hypo&thesis:", self)
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
        self.setAcceptDrops(True)
        self.setToolTip("Drop a .csv or .xlsx file here to import it for the chosen hypothesis")

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
            lines = [
                f"{d.row_count:,} {kind} from {d.source_name}, imported "
                f"{d.imported_at:%d/%m/%Y %H:%M} by {d.imported_by}.",
                f"Fingerprint {d.fingerprint}; the file's sha256 {d.source_sha256}.",
            ]
            for earlier in item.replaced_imports:
                old, when = earlier.dataset, earlier.replaced_at
                lines.append(
                    f"Replaced{f' on {when:%d/%m/%Y %H:%M}' if when else ''}: {old.row_count:,} "
                    f"rows from {old.source_name}, imported {old.imported_at:%d/%m/%Y %H:%M}; "
                    "kept, and named in every report."
                )
            lines.append(
                "Importing again replaces these data; they are kept, and reports name them."
            )
            self.dataset.setText("\n".join(lines))

    def _reset_grid(self) -> None:
        self.grid.setRowCount(2)
        for row, arm in enumerate(("pilot", "comparator")):
            self.grid.setItem(row, 0, QTableWidgetItem(arm))

    # -- importing -------------------------------------------------------------------------

    def import_file(self) -> None:
        path = FileDialogs.ask_outcome_file(self)
        if path is not None:
            self.import_path(path)

    def import_path(self, path: Path) -> None:
        """Read the top of ``path`` on the lane, then ask what its columns are."""
        item = self._current()
        if item is None or not item.registered:
            self.error.setText("Choose a registered hypothesis before importing its data.")
            return
        self.error.clear()
        self.session.run(
            f"Reading {path.name}",
            self._previewer(path, None, item.hypothesis.baseline_covariate),
            lambda preview: self._confirm_import(path, item, preview),
            reload=False,
            on_error=self._show_error,
        )

    @staticmethod
    def _previewer(path: Path, encoding: str | None, baseline: str = "") -> Any:
        def work(job: Any) -> Any:
            from testlearn.services.outcome_preview import preview_outcome_file

            return preview_outcome_file(path, encoding=encoding, baseline=baseline)

        return work

    def reread_for(self, path: Path, baseline: str = "") -> Any:
        """How the import dialog asks for ``path`` to be read again, in another encoding."""

        def reread(encoding: str | None, done: Any, failed: Any) -> None:
            self.session.run(
                f"Reading {path.name}",
                self._previewer(path, encoding, baseline),
                done,
                reload=False,
                on_error=failed,
            )

        return reread

    def _confirm_import(self, path: Path, item: Any, preview: Any) -> None:
        outcome_type = item.hypothesis.outcome_type
        choice = ImportDialog.ask(
            self, preview, outcome_type, self.reread_for(path, item.hypothesis.baseline_covariate)
        )
        if choice is None:
            return
        reference, code = self.detail.pilot.reference, item.hypothesis.code

        def work(job: Any) -> Any:
            from testlearn.services.outcome_import import import_results

            return import_results(
                reference,
                code,
                path,
                db=job.ctx.require_database(),
                actor=job.ctx.actor,
                mapping=choice.mapping,
                encoding=choice.encoding,
                progress=job.progress,
                should_cancel=job.should_cancel,
            )

        self.session.run(
            f"Importing {path.name}",
            work,
            self._imported,
            cancellable=True,
            on_error=self._show_error,
        )

    # -- dropping a file on the tab --------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._dropped_path(event.mimeData()) is not None and self.import_button.isEnabled():
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        path = self._dropped_path(event.mimeData())
        if path is None:
            event.ignore()
            return
        event.acceptProposedAction()
        self.import_path(path)

    @staticmethod
    def _dropped_path(mime: QMimeData) -> Path | None:
        urls = [url for url in mime.urls() if url.isLocalFile()]
        if len(urls) != 1:
            return None
        path = Path(urls[0].toLocalFile())
        return path if path.suffix.lower() in DROPPABLE else None

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
        from testlearn.services.outcome_import import ImportCancelled

        if isinstance(error, ImportCancelled | JobCancelled):
            self.error.setText("Import cancelled; nothing was saved.")
            return  # the user asked for it: no message box
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
