"""Merging department files: choose them, preview what would happen, then apply.

The preview is the merge itself run as a dry run on the worker lane (rolled back), so it
shows exactly what Apply will do. Apply is one transaction: cancelling it before the commit
leaves the database as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from testlearn.domain.merge_report import MergeReport
from testlearn.errors import StorageError, TestlearnError
from ui.error_reporting import report_error
from ui.file_dialogs import FileDialogs
from ui.job import Job, JobCancelled
from ui.merge_words import report_html
from ui.worker_lane import WorkerLane

CHOOSE, REPORT = 0, 1


class MergeWizard(QDialog):
    """Two steps, choose files and review the report, with Preview, Apply and Cancel.

    ``merged`` is emitted with the report once a real merge has been committed.
    """

    merged = Signal(object)  # MergeReport

    def __init__(self, lane: WorkerLane, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lane = lane
        self.job: Job | None = None
        self.report: MergeReport | None = None
        self.applied = False
        self.setWindowTitle("Merge department files - testlearn")
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self._choose_page())
        self.pages.addWidget(self._report_page())
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setAccessibleName("What the merge is doing")
        self.bar = QProgressBar(self)
        self.bar.setAccessibleName("Merge progress")
        self.bar.setRange(0, 1000)
        self.bar.setTextVisible(False)
        self.bar.hide()
        self.back = self._button("< &Back", "Back to the files", self._back)
        self.preview = self._button("&Preview >", "Preview the merge", self.run_preview)
        self.apply = self._button("&Apply merge", "Apply the merge", self.run_apply)
        self.cancel = self._button("Cancel", "Cancel", self._cancel)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.back, self.preview, self.apply, self.cancel):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.bar)
        layout.addLayout(buttons)
        lane.job_progressed.connect(self._progressed)
        metrics = self.fontMetrics()
        self.resize(metrics.averageCharWidth() * 130, metrics.height() * 34)
        self._update_buttons()

    def _button(self, text: str, name: str, slot: Callable[[], None]) -> QPushButton:
        button = QPushButton(text, self)
        button.setAccessibleName(name)
        button.clicked.connect(lambda _checked=False: slot())
        return button

    def _choose_page(self) -> QWidget:
        page = QWidget(self)
        intro = QLabel(
            "Choose the files departments sent you (made with Central > Export for the "
            "central team, or `testlearn export`). Each is checked and previewed first; nothing is "
            "written until you press Apply, and the files themselves are only ever read.",
            page,
        )
        intro.setWordWrap(True)
        self.files = QListWidget(page)
        self.files.setAccessibleName("Department files to merge")
        self.files.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.files.itemSelectionChanged.connect(self._update_buttons)
        label = QLabel("&Files to merge:", page)
        label.setBuddy(self.files)
        self.add = QPushButton("A&dd files...", page)
        self.add.setAccessibleName("Add department files")
        self.add.clicked.connect(lambda _checked=False: self.add_files())
        self.remove = QPushButton("&Remove", page)
        self.remove.setAccessibleName("Remove the selected files")
        self.remove.clicked.connect(lambda _checked=False: self._remove_files())
        row = QHBoxLayout()
        row.addWidget(self.add)
        row.addWidget(self.remove)
        row.addStretch(1)
        layout = QVBoxLayout(page)
        layout.addWidget(intro)
        layout.addWidget(label)
        layout.addWidget(self.files, 1)
        layout.addLayout(row)
        return page

    def _report_page(self) -> QWidget:
        page = QWidget(self)
        self.heading = QLabel(page)
        self.heading.setWordWrap(True)
        self.report_text = QTextBrowser(page)
        self.report_text.setAccessibleName("Merge report")
        self.report_text.setOpenLinks(False)
        layout = QVBoxLayout(page)
        layout.addWidget(self.heading)
        layout.addWidget(self.report_text, 1)
        return page

    # -- choosing files --------------------------------------------------------------------

    def chosen(self) -> list[Path]:
        return [Path(self.files.item(i).text()) for i in range(self.files.count())]

    def add_files(self) -> None:
        known = set(self.chosen())
        for path in FileDialogs.ask_department_files(self):
            if path not in known:
                self.files.addItem(str(path))
                known.add(path)
        self._update_buttons()

    def _remove_files(self) -> None:
        for item in self.files.selectedItems():
            self.files.takeItem(self.files.row(item))
        self._update_buttons()

    def _back(self) -> None:
        self.pages.setCurrentIndex(CHOOSE)
        self.report = None
        self.status.clear()
        self._update_buttons()

    # -- running ---------------------------------------------------------------------------

    def run_preview(self) -> None:
        self.report = None
        self.pages.setCurrentIndex(REPORT)
        self.heading.setText("Checking the files and working out what a merge would do...")
        self.report_text.clear()
        self._run("Previewing the merge", dry_run=True)

    def run_apply(self) -> None:
        self.heading.setText("Merging... Cancel leaves the database as it was.")
        self._run("Merging department files", dry_run=False)

    def _run(self, title: str, *, dry_run: bool) -> None:
        sources = self.chosen()

        def work(job: Job) -> MergeReport:
            from testlearn.services import databases, merging

            db = job.ctx.require_database()
            try:
                return merging.merge(
                    sources,
                    db=db,
                    actor=job.ctx.actor,
                    dry_run=dry_run,
                    progress=job.progress,
                    should_cancel=job.should_cancel,
                )
            except TestlearnError:
                raise
            except Exception as error:
                # A full or failing drive met outside the places that name their own file:
                # the same one line as `testlearn merge` gives, naming the central store.
                failure = databases.storage_failure(error, db.location)
                if failure is None:
                    raise
                raise failure from error

        job = Job(title, work, cancellable=True)
        job.on_done = lambda report: self._finished(job, report)
        job.on_error = lambda error: self._failed(job, error)
        self.job = job
        self.status.setText(f"{title}...")
        self.bar.setRange(0, 0)
        self.bar.show()
        self._update_buttons()
        self.lane.submit(job)

    def _progressed(self, job: Job, fraction: float) -> None:
        if job is self.job:
            self.bar.setRange(0, 1000)
            self.bar.setValue(int(fraction * 1000))

    def _finished(self, job: Job, report: MergeReport) -> None:
        if job is not self.job:
            return
        self.job = None
        self.bar.hide()
        self.report = report
        self.report_text.setHtml(report_html(report))
        if report.dry_run:
            self.heading.setText(
                "What the merge will do, file by file. Check it, then Apply, or go Back."
            )
            self.status.setText("Preview ready.")
        else:
            self.applied = True
            self.heading.setText("What was merged, file by file.")
            self.status.setText("The merge was saved.")
            self.merged.emit(report)
        self._update_buttons()

    def _failed(self, job: Job, error: BaseException) -> None:
        if job is not self.job:
            return
        self.job = None
        self.bar.hide()
        cancelled = job.should_cancel() and isinstance(error, JobCancelled | TestlearnError)
        if cancelled:
            self.status.setText("Cancelled: nothing was merged; the database is as it was.")
            self.heading.setText("Cancelled.")
        else:
            # A drive's own message says what was kept and what to do; others get the
            # general line, with the details in the message box.
            storage = isinstance(error, StorageError)
            self.status.setText(
                str(error) if storage else "The merge did not run; nothing was written."
            )
            report_error(self, error, "merging department files")
        self._update_buttons()

    def _cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()
            self.status.setText("Cancelling...")
            self.cancel.setEnabled(False)
            return
        self.reject()

    def reject(self) -> None:
        if self.job is not None:
            self.job.cancel()
        super().reject()

    def _update_buttons(self) -> None:
        running = self.job is not None
        on_report = self.pages.currentIndex() == REPORT
        report = self.report
        usable = (
            report is not None
            and report.dry_run
            and any(source.refused is None for source in report.sources)
        )
        self.add.setEnabled(not running)
        self.remove.setEnabled(not running and bool(self.files.selectedItems()))
        self.back.setVisible(on_report and not self.applied)
        self.back.setEnabled(not running)
        self.preview.setVisible(not on_report)
        self.preview.setEnabled(not running and self.files.count() > 0)
        self.apply.setVisible(on_report and not self.applied)
        self.apply.setEnabled(not running and usable)
        self.cancel.setEnabled(True)
        self.cancel.setText("Cancel" if running or not self.applied else "Close")
        self.cancel.setAccessibleName("Cancel" if running or not self.applied else "Close")
        if self.apply.isVisible() and self.apply.isEnabled():
            self.apply.setDefault(True)
        elif self.preview.isVisible():
            self.preview.setDefault(True)
