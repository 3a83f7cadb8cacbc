"""Reports: make the minister's brief or the full report, draft or final, and open it.

A final is offered only for content someone has cleared: the clearance panel shows, for each
report, whether it is cleared as it stands (by whom, when, which version) and records a
clearance; the brief and full report buttons are enabled for a final only when it is.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication, QShowEvent
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ui.clearance_panel import ClearancePanel
from ui.file_dialogs import FileDialogs
from ui.message_box import MessageBox
from ui.pilot_session import PilotSession


def write_report(
    kind: str, data: Any, path: Path, *, include_commercial: bool, final: bool = False
) -> int:
    """Write the brief or the full report, each with its HTML twin, with ``reports`` (on
    the lane).

    Returns the number of pages of the PDF.
    """
    if kind == "brief":
        from reports.brief import write_brief

        return write_brief(data, path, include_commercial=include_commercial, final=final)
    from reports.full_report import write_full_report

    return write_full_report(data, path, include_commercial=include_commercial, final=final)


class ReportsTab(QWidget):
    """Two PDFs from the same stored results, a two-page brief and the full report, and the
    pilot's Evaluation Registry entry pack."""

    def __init__(self, session: PilotSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.detail: Any = None
        self.last_report: Path | None = None
        self._clearance_stale = False
        self.brief_button = QPushButton("Make &brief...", self)
        self.brief_button.setAccessibleName("Make the brief")
        self.full_button = QPushButton("Make full repor&t...", self)
        self.full_button.setAccessibleName("Make the full report")
        self.full_button.setToolTip(
            "Every hypothesis, deviation, KPI and lesson of the pilot, in one PDF"
        )
        self.registry_button = QPushButton("Re&gistry entry...", self)
        self.registry_button.setAccessibleName("Make the Evaluation Registry entry pack")
        self.registry_button.setToolTip(
            "A page to copy into the Evaluation Registry's form (PDF and HTML) and a row for "
            "its admin import CSV, after checking the registry's rules"
        )
        self.open_button = QPushButton("Ope&n the report", self)
        self.open_button.setEnabled(False)
        self.folder_button = QPushButton("Open the fol&der", self)
        self.folder_button.setToolTip("Show the folder the report was saved in")
        self.folder_button.setEnabled(False)
        self.sensitive = QCheckBox(
            "Include co&mmercially sensitive fields (should-cost, bids, outturn)", self
        )
        self.sensitive.setAccessibleName("Include commercially sensitive fields")
        self.incomplete = QCheckBox(
            "Make it even if results are missing or out of date "
            "(the report says so on its first page)",
            self,
        )
        self.final = QCheckBox(
            "Make it final (no DRAFT &watermark): prints who cleared it, when, and its version",
            self,
        )
        self.final.setAccessibleName("Make a final")
        self.clearance = ClearancePanel(session, self)
        self.state = QLabel(self)
        self.state.setWordWrap(True)
        self.final.toggled.connect(self._final_toggled)
        self.sensitive.toggled.connect(self._read_clearance)
        self.clearance.changed.connect(lambda _states: self._enable_buttons())
        self.brief_button.clicked.connect(lambda: self.make("brief"))
        self.full_button.clicked.connect(lambda: self.make("full"))
        self.registry_button.clicked.connect(self.make_registry_pack)
        self.open_button.clicked.connect(self.open_report)
        self.folder_button.clicked.connect(self.open_folder)
        buttons = QHBoxLayout()
        for button in (
            self.brief_button,
            self.full_button,
            self.registry_button,
            self.open_button,
            self.folder_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        intro = QLabel(
            "A brief is two pages for a minister's private office; the full "
            "report adds every hypothesis, deviation, KPI and lesson. Both "
            "quote the stored results, with the registration hash. The registry entry is "
            "a page to copy into the Evaluation Registry and a row for its import; the "
            "options below are for the brief and the full report (the entry never prints "
            "commercially sensitive figures)."
        )
        intro.setWordWrap(True)  # long lines must not set the window's minimum width
        layout.addWidget(intro)
        layout.addWidget(self.sensitive)
        layout.addWidget(self.incomplete)
        layout.addWidget(self.final)
        layout.addWidget(self.clearance)
        layout.addLayout(buttons)
        layout.addWidget(self.state)
        layout.addStretch(1)

    def set_detail(self, detail: Any) -> None:
        self.detail = detail
        # Every save reloads the pilot; the clearance is read only when someone can see it,
        # so saves elsewhere in the window never queue a read behind them.
        if self.isVisible():
            self._read_clearance()
        else:
            self._clearance_stale = True
            self.clearance.states = {}
            self._enable_buttons()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._clearance_stale:
            self._read_clearance()

    def _read_clearance(self) -> None:
        self._clearance_stale = False
        reference = self.detail.pilot.reference if self.detail is not None else None
        self.clearance.show_pilot(reference, include_commercial=self.sensitive.isChecked())
        self._enable_buttons()

    def _final_toggled(self, final: bool) -> None:
        # A final must stand as it is: an incomplete report cannot be cleared.
        if final:
            self.incomplete.setChecked(False)
        self.incomplete.setEnabled(not final)
        self._enable_buttons()

    def _enable_buttons(self) -> None:
        """For a final, a report can be made only when its current content is cleared."""
        final = self.final.isChecked()
        for kind, button in (("brief", self.brief_button), ("full", self.full_button)):
            state = self.clearance.states.get(kind)
            cleared = state is not None and state.cleared
            button.setEnabled(not final or cleared)
            button.setToolTip(
                ""
                if not final or cleared
                else "Record a clearance of the report as it stands before making a final"
            )

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
        final = self.final.isChecked()

        def work(job: Any) -> tuple[Path, int, Any]:
            from testlearn.services.reporting import pilot_report

            data = pilot_report(
                reference,
                db=job.ctx.require_database(),
                allow_incomplete=incomplete,
                final=final,
                kind=kind,
                include_commercial=sensitive,
            )
            job.check_cancel()
            pages = write_report(kind, data, path, include_commercial=sensitive, final=final)
            return path, pages, data.clearance

        def done(result: tuple[Path, int, Any]) -> None:
            written, pages, cleared = result
            self.last_report = written
            self.open_button.setEnabled(True)
            self.folder_button.setEnabled(True)
            what = f"final {cleared.version_label}, " if cleared is not None else "draft, "
            # Both reports get their accessible HTML twin beside the PDF: say where it went.
            twin = written.with_suffix(".html").name
            self.state.setText(
                f"Saved {written} and its HTML twin {twin} "
                f"({what}{pages} page{'s' if pages != 1 else ''})."
            )
            self.session.status.emit(f"Saved {written.name}")

        self.session.run(f"Making the {suffix}", work, done, reload=False, cancellable=True)

    def make_registry_pack(self) -> None:
        """Check the pilot against the Evaluation Registry's rules and write its entry pack
        into a folder; a rule broken is shown with the field to change, and nothing written."""
        if self.detail is None:
            return
        reference = self.detail.pilot.reference
        folder = FileDialogs.ask_folder(self, f"Choose a folder for {reference}'s registry entry")
        if folder is None:
            return

        def work(job: Any) -> Any:
            from reports.registry_pack import write_registry_pack
            from testlearn.services.registry_pack import registry_pack_report

            data = registry_pack_report(reference, db=job.ctx.require_database())
            job.check_cancel()
            return write_registry_pack(data, folder)

        def done(pack: Any) -> None:
            self.last_report = pack.pdf
            self.open_button.setEnabled(True)
            self.folder_button.setEnabled(True)
            self.state.setText(
                f"Saved {pack.pdf} ({pack.pages} page{'s' if pack.pages != 1 else ''}), its "
                f"HTML twin {pack.html.name} and the admin import row {pack.csv.name}."
            )
            self.session.status.emit(f"Saved {pack.pdf.name}")

        self.session.run("Making the registry entry", work, done, reload=False, cancellable=True)

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
