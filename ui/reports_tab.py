"""Reports: make the minister's brief or the full report, and open it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ui.file_dialogs import FileDialogs
from ui.message_box import MessageBox
from ui.pilot_session import PilotSession


def write_report(kind: str, data: Any, path: Path, *, include_commercial: bool) -> int:
    """Write the brief or the full report with the ``reports`` package (on the lane).

    Returns the number of pages written.
    """
    if kind == "brief":
        from reports.brief import write_brief

        return write_brief(data, path, include_commercial=include_commercial)
    from reports.full_report import write_full_report

    return write_full_report(data, path, include_commercial=include_commercial)


class ReportsTab(QWidget):
    """Two PDFs from the same stored results: a two-page brief and the full report."""

    def __init__(self, session: PilotSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.detail: Any = None
        self.last_report: Path | None = None
        self.brief_button = QPushButton("Make &brief...", self)
        self.brief_button.setAccessibleName("Make the brief")
        self.full_button = QPushButton("Make &full report...", self)
        self.full_button.setAccessibleName("Make the full report")
        self.full_button.setToolTip(
            "Every hypothesis, deviation, KPI and lesson of the pilot, in one PDF"
        )
        self.open_button = QPushButton("&Open the report", self)
        self.open_button.setEnabled(False)
        self.folder_button = QPushButton("Open the folde&r", self)
        self.folder_button.setToolTip("Show the folder the report was saved in")
        self.folder_button.setEnabled(False)
        self.sensitive = QCheckBox(
            "Include &commercially sensitive fields (should-cost, bids, outturn)", self
        )
        self.sensitive.setAccessibleName("Include commercially sensitive fields")
        self.incomplete = QCheckBox(
            "Make it even if results are missing or out of date "
            "(the report says so on its first page)",
            self,
        )
        self.state = QLabel(self)
        self.state.setWordWrap(True)
        self.brief_button.clicked.connect(lambda: self.make("brief"))
        self.full_button.clicked.connect(lambda: self.make("full"))
        self.open_button.clicked.connect(self.open_report)
        self.folder_button.clicked.connect(self.open_folder)
        buttons = QHBoxLayout()
        for button in (self.brief_button, self.full_button, self.open_button, self.folder_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        intro = QLabel(
            "A brief is two pages for a minister's private office; the full "
            "report adds every hypothesis, deviation, KPI and lesson. Both "
            "quote the stored results, with the registration hash."
        )
        intro.setWordWrap(True)  # long lines must not set the window's minimum width
        layout.addWidget(intro)
        layout.addWidget(self.sensitive)
        layout.addWidget(self.incomplete)
        layout.addLayout(buttons)
        layout.addWidget(self.state)
        layout.addStretch(1)

    def set_detail(self, detail: Any) -> None:
        self.detail = detail

    def make(self, kind: str) -> None:
        if self.detail is None:
            return
        reference = self.detail.pilot.reference
        suffix = "brief" if kind == "brief" else "report"
        path = FileDialogs.ask_report_path(self, f"{reference}-{suffix}.pdf")
        if path is None:
            return
        sensitive = self.sensitive.isChecked()
        incomplete = self.incomplete.isChecked()

        def work(job: Any) -> tuple[Path, int]:
            from testlearn.services.reporting import pilot_report

            data = pilot_report(
                reference, db=job.ctx.require_database(), allow_incomplete=incomplete
            )
            job.check_cancel()
            pages = write_report(kind, data, path, include_commercial=sensitive)
            return path, pages

        def done(result: tuple[Path, int]) -> None:
            written, pages = result
            self.last_report = written
            self.open_button.setEnabled(True)
            self.folder_button.setEnabled(True)
            self.state.setText(f"Saved {written} ({pages} page{'s' if pages != 1 else ''}).")
            self.session.status.emit(f"Saved {written.name}")

        self.session.run(f"Making the {suffix}", work, done, reload=False, cancellable=True)

    def open_report(self) -> None:
        """Open the report in the PDF viewer; without one, say so and offer its folder."""
        path = self.last_report
        if path is None or QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
            return
        # openUrl answers False when no program is set to open PDF files: the click must
        # not just do nothing. The path goes on the clipboard, to paste wherever it is needed.
        QGuiApplication.clipboard().setText(str(path))
        if MessageBox.ask(
            self,
            "testlearn",
            f"No program to open PDF files was found. The report is saved as {path} "
            "(the path has been copied, so it can be pasted).",
            yes="Show the folder",
        ):
            self.open_folder()

    def open_folder(self) -> None:
        """Show the folder the report was saved in, in the file manager."""
        path = self.last_report
        if path is None or QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent))):
            return
        QGuiApplication.clipboard().setText(str(path))
        MessageBox.inform(
            self,
            "testlearn",
            f"No file manager could be opened. The report is saved as {path} "
            "(the path has been copied, so it can be pasted).",
        )
