"""The conflicts merges kept, side by side, and the three ways to settle each."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QItemSelection, QSortFilterProxyModel, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from testlearn.domain.merge_report import ConflictView
from ui.conflict_table_model import ConflictTableModel
from ui.conflict_value_dialog import ConflictValueDialog
from ui.error_reporting import report_error
from ui.job import Job
from ui.worker_lane import WorkerLane


class ConflictsView(QDialog):
    """Open conflicts (resolved ones on a toggle); each action resolves through the lane.

    ``resolved`` is emitted after a conflict was settled and saved, so the window can show
    the pilot's new value.
    """

    resolved = Signal(object)  # the ConflictView as it is now

    def __init__(self, lane: WorkerLane, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lane = lane
        self.setWindowTitle("Conflicts - testlearn")
        intro = QLabel(
            "Where two department files changed the same field differently, the record shows "
            "one value (ours) and the other is kept here (theirs), with the value before "
            "either change (base). Keep ours, take theirs, or set a value of your own.",
            self,
        )
        intro.setWordWrap(True)
        self.show_resolved = QCheckBox("Show &resolved conflicts too", self)
        self.show_resolved.setAccessibleName("Show resolved conflicts too")
        self.show_resolved.toggled.connect(lambda _on: self.refresh())
        self.model = ConflictTableModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView(self)
        self.table.setAccessibleName("Conflicts")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().hide()
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.summary = QLabel(self)
        self.summary.setAccessibleName("How many conflicts")
        self.keep_ours = self._button("Keep &ours", "Keep the value shown now", "ours")
        self.take_theirs = self._button("Take &theirs", "Take the other file's value", "theirs")
        self.set_value = QPushButton("&Set value...", self)
        self.set_value.setAccessibleName("Set a value of your own")
        self.set_value.clicked.connect(self._ask_value)
        actions = QHBoxLayout()
        for button in (self.keep_ours, self.take_theirs, self.set_value):
            actions.addWidget(button)
        actions.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.show_resolved)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
        layout.addLayout(actions)
        layout.addWidget(close)
        self._selection_changed()
        metrics, screen = self.fontMetrics(), self.screen().availableGeometry()
        self.resize(
            min(metrics.averageCharWidth() * 200, screen.width() * 9 // 10),
            min(metrics.height() * 30, screen.height() * 8 // 10),
        )

    def _button(self, text: str, name: str, take: str) -> QPushButton:
        button = QPushButton(text, self)
        button.setAccessibleName(name)
        button.clicked.connect(lambda _checked=False: self.resolve_selected(take))
        return button

    # -- reading ---------------------------------------------------------------------------

    def refresh(self) -> None:
        include = self.show_resolved.isChecked()

        def work(job: Job) -> list[ConflictView]:
            from testlearn.services import merging

            return merging.conflicts(db=job.ctx.require_database(), include_resolved=include)

        self.lane.submit(
            Job(
                "Reading the conflicts",
                work,
                on_done=self._show,
                on_error=lambda e: report_error(self, e, "reading the conflicts"),
            )
        )

    def _show(self, conflicts: list[ConflictView]) -> None:
        selected = self.selected()
        self.model.set_records(conflicts)
        self.table.resizeColumnsToContents()
        open_count = sum(1 for c in conflicts if c.status == "open")
        self.summary.setText(
            "No open conflicts."
            if not open_count
            else f"{open_count} open conflict{'s' if open_count != 1 else ''} to decide."
        )
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, 0)
            if (
                selected is not None
                and self.model.conflict(self.proxy.mapToSource(index).row()).id == selected.id
            ):
                self.table.selectRow(row)
                break
        else:
            if self.proxy.rowCount():
                self.table.selectRow(0)
        self._selection_changed()

    def selected(self) -> ConflictView | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.model.conflict(self.proxy.mapToSource(rows[0]).row())

    def select_conflict(self, conflict_id: str) -> None:
        for row in range(self.proxy.rowCount()):
            source = self.proxy.mapToSource(self.proxy.index(row, 0)).row()
            if self.model.conflict(source).id == conflict_id:
                self.table.selectRow(row)
                return

    def _selection_changed(self, *_args: QItemSelection) -> None:
        conflict = self.selected()
        can = conflict is not None and conflict.status == "open"
        for button in (self.keep_ours, self.take_theirs):
            button.setEnabled(can)
        self.set_value.setEnabled(can and conflict is not None and conflict.kind == "edit-edit")

    # -- settling --------------------------------------------------------------------------

    def _ask_value(self) -> None:
        conflict = self.selected()
        if conflict is None:
            return
        value = ConflictValueDialog.ask(self, conflict)
        if value is not None:
            self.resolve_selected("value", value)

    def resolve_selected(self, take: str, value: Any = None) -> None:
        conflict = self.selected()
        if conflict is None or conflict.status != "open":
            return
        for button in (self.keep_ours, self.take_theirs, self.set_value):
            button.setEnabled(False)

        def work(job: Job) -> ConflictView:
            from testlearn.services import merging

            return merging.resolve(
                conflict.id, take, value, db=job.ctx.require_database(), actor=job.ctx.actor
            )

        def done(settled: ConflictView) -> None:
            self.resolved.emit(settled)
            self.refresh()

        def failed(error: BaseException) -> None:
            report_error(self, error, "resolving the conflict")
            self.refresh()

        self.lane.submit(Job("Resolving the conflict", work, on_done=done, on_error=failed))
