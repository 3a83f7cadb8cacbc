"""The main window: the pilot list beside the selected pilot, the portfolio, and the menus."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QMainWindow,
    QSplitter,
    QTabWidget,
    QWidget,
)

from testlearn import __version__
from ui.closing_wait import ClosingWait
from ui.database_opener import DatabaseOpener
from ui.file_dialogs import FileDialogs
from ui.job_progress import JobProgress
from ui.keyboard_navigation import focus_first_control, keyboard_friendly
from ui.message_box import MessageBox
from ui.pilot_list_panel import PilotListPanel
from ui.pilot_session import PilotSession
from ui.table_copy import TableCopy
from ui.wheel_guard import WheelGuard
from ui.worker_lane import WorkerLane

USER_GUIDE = Path(__file__).resolve().parent.parent / "docs" / "user-guide.md"
GEOMETRY_KEY = "window/geometry"
SPLITTER_KEY = "window/splitter"


class MainWindow(QMainWindow):
    """The pilot register, one pilot in detail, and the portfolio, over one database."""

    def __init__(self, lane: WorkerLane, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lane = lane
        self.setWindowTitle("testlearn")
        self.session = PilotSession(lane, self)
        self.database = DatabaseOpener(lane, self)
        self.pilots = PilotListPanel(self, session=self.session)
        self.detail: Any = None  # built on first use: it needs the heavier record modules
        self._placeholder = QLabel("Select a pilot to see it here.", self)
        self._placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.pilots)
        self.splitter.addWidget(self._placeholder)
        # The pilot's sections need more room than the list (tables of KPIs and results sit
        # beside a list of sections); extra width goes mostly to them.
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 2)
        self.portfolio: Any = None
        self.merge_wizard: Any = None  # the central team's windows, built on first use
        self.conflicts: Any = None
        self.guide: Any = None
        self._focus_sections_when_shown = False
        self.pages = QTabWidget(self)
        self.pages.setDocumentMode(True)
        self.pages.addTab(self.splitter, "&Pilots")
        self.pages.addTab(
            QLabel("The portfolio appears when a database is open.", self), "P&ortfolio"
        )
        self.pages.currentChanged.connect(self._page_changed)
        self.setCentralWidget(self.pages)
        self.progress = JobProgress(lane, self)
        self.statusBar().addPermanentWidget(self.progress)
        self._build_menus()
        # Ctrl+C copies the selected cells of every table, including those built later.
        self.table_copy = TableCopy(self)
        self.table_copy.follow_focus()

        self.pilots.pilot_selected.connect(self.session.open_pilot)
        self.pilots.pilot_opened.connect(self._open_from_list)
        self.session.pilots_loaded.connect(self._pilots_changed)
        self.session.pilot_loaded.connect(self._show_pilot)
        self.session.status.connect(lambda text: self.statusBar().showMessage(text, 8000))
        # Shown until the next message: the wait lasts as long as the other writer does.
        self.lane.waiting.connect(self.statusBar().showMessage)
        self.database.opened.connect(self._database_opened)
        self.database.listed.connect(self._pilots_changed)
        self.database.recent_changed.connect(self._fill_recent)
        self.database.password_needed.connect(self._ask_server_password)
        self._fill_recent(self.database.recent())
        self._closing = ClosingWait(self, lane, self.session)
        self._restore_geometry()
        for keys, step in (("F6", 1), ("Shift+F6", -1)):
            QShortcut(QKeySequence(keys), self).activated.connect(lambda s=step: self.next_pane(s))
        keyboard_friendly(self.pilots)
        # Every drop-down of every window, the filters and dialogs included: the wheel over one
        # that the user is not working in scrolls the page instead of changing (and saving) it.
        WheelGuard.install(QApplication.instance())

    def next_pane(self, step: int = 1) -> None:
        """F6: the pilot list, the pilot's sections, the section itself, and round again."""
        if self.pages.currentIndex() != 0 or self.detail is None:
            self.pilots.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
            return
        panes = [self.pilots.table, self.detail.sections, self.detail.pages.currentWidget()]
        focused = QApplication.focusWidget()
        here = next(
            (i for i, pane in enumerate(panes) if focused is pane or pane.isAncestorOf(focused)),
            -1,
        )
        target = panes[(here + step) % len(panes)]
        if target is panes[2]:
            focus_first_control(target)
        else:
            target.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _restore_geometry(self) -> None:
        """Where and how large the user left the window; 80% of the screen the first time."""
        settings = QSettings()
        geometry, splitter = settings.value(GEOMETRY_KEY), settings.value(SPLITTER_KEY)
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(self.screen().availableGeometry().size() * 0.8)
        # Until the user drags the divider (or a saved one is restored), the list keeps 3/8 of
        # the width whatever size the window is given: maximising must widen the sections.
        self._divider_chosen = splitter is not None and self.splitter.restoreState(splitter)
        self.splitter.splitterMoved.connect(self._divider_moved)

    def _divider_moved(self, *_: object) -> None:
        self._divider_chosen = True

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if not self._divider_chosen:
            width = self.splitter.width() or self.width()
            self.splitter.blockSignals(True)
            self.splitter.setSizes([width * 3 // 8, width - width * 3 // 8])
            self.splitter.blockSignals(False)

    # -- menus -----------------------------------------------------------------------------

    def _build_menus(self) -> None:
        file = self.menuBar().addMenu("&File")
        # Ctrl+N makes what people make most: a pilot (Pilot > New pilot). A new database is rare.
        self._action(file, "&New database...", self._new_database)
        self._action(file, "&Open...", self._open_database, QKeySequence.StandardKey.Open)
        self._action(file, "Open a ce&ntral store (PostgreSQL)...", self.open_central_store)
        self.recent_menu = file.addMenu("Open &recent")
        self._action(file, "Open the &demo", self.database.open_demo)
        self._action(file, "Save a &copy...", self._save_copy, QKeySequence("Ctrl+Shift+S"))
        self._action(file, "&Export the pilot list to Excel...", self.pilots.export_list)
        file.addSeparator()
        self._action(file, "&Quit", self.close, QKeySequence.StandardKey.Quit)

        edit = self.menuBar().addMenu("&Edit")
        # The group follows the pilot on screen, and its text names the pilot and field.
        undo = self.session.undo_group.createUndoAction(self, "&Undo")
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        redo = self.session.undo_group.createRedoAction(self, "&Redo")
        redo.setShortcut(QKeySequence.StandardKey.Redo)
        edit.addActions([undo, redo])
        self.undo_action, self.redo_action = undo, redo
        edit.addSeparator()
        self._action(
            edit, "&Find pilots", self.pilots.search.setFocus, QKeySequence.StandardKey.Find
        )
        edit.addSeparator()
        self.name_action = self._action(edit, "Your &name...", self.change_name)

        pilot = self.menuBar().addMenu("P&ilot")
        self.new_pilot_action = self._action(
            pilot, "&New pilot...", self._new_pilot, QKeySequence.StandardKey.New
        )
        from ui import pilot_removal

        pilot.addSeparator()
        self.archive_pilot_action = self._action(
            pilot, "&Archive pilot...", lambda: pilot_removal.archive_pilot(self)
        )
        self.delete_pilot_action = self._action(
            pilot, "&Delete pilot...", lambda: pilot_removal.delete_pilot(self)
        )
        from ui import notice_import

        pilot.addSeparator()
        self.import_notices_action = self._action(
            pilot, "Import procurement noti&ces...", lambda: notice_import.import_notices(self)
        )
        self.pilots.menu_opening.connect(self._pilot_menu)

        central = self.menuBar().addMenu("&Central")
        self._action(central, "&Merge department files...", self.merge_files)
        self._action(central, "&Conflicts...", self.show_conflicts)
        central.addSeparator()
        self._action(central, "&Export for the central team...", self._export_for_central)
        self._action(
            central,
            "Export for the central team &without commercial values...",
            lambda: self._export_for_central(without_commercial=True),
        )

        help_menu = self.menuBar().addMenu("&Help")
        self._action(
            help_menu,
            "testlearn &user guide",
            self._user_guide,
            QKeySequence.StandardKey.HelpContents,
        )
        self._action(help_menu, "&About testlearn", self._about)

    def change_name(self) -> None:
        """Edit > Your name: the name recorded against changes from now on."""
        from ui.name_dialog import ask_and_save

        name = ask_and_save(self, self.lane.actor)
        if name is not None:
            self.lane.set_actor(name)
            self.statusBar().showMessage(f"Changes are now recorded against {name}.", 8000)

    def _pilot_menu(self, menu: Any, reference: str) -> None:
        """Archive and delete in the list's right-click menu, for the pilot on screen."""
        from ui import pilot_removal

        # Both act on the pilot shown (they read its details); another row's menu offers
        # them once that pilot has been opened.
        shown = self.session.reference == reference and self.session.detail is not None
        archive = menu.addAction("&Archive pilot...", lambda: pilot_removal.archive_pilot(self))
        delete = menu.addAction("&Delete pilot...", lambda: pilot_removal.delete_pilot(self))
        archive.setEnabled(shown)
        delete.setEnabled(shown)

    def _action(self, menu: Any, text: str, slot: Any, shortcut: Any = None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(shortcut)
        action.triggered.connect(lambda _checked=False: slot())
        menu.addAction(action)
        return action

    def _fill_recent(self, paths: list[str]) -> None:
        self.recent_menu.clear()
        for path in paths:
            action = self.recent_menu.addAction(path)
            action.triggered.connect(lambda _c=False, p=path: self.database.open_recent(p))
        self.recent_menu.setEnabled(bool(paths))

    # -- file actions ----------------------------------------------------------------------

    def open_start(self, path: Path, *, is_default: bool) -> None:
        self.statusBar().showMessage(f"Opening {path}...")
        self.database.open_at_start(path, is_default=is_default)

    def _open_database(self) -> None:
        path = FileDialogs.ask_open_database(self)
        if path is not None:
            self.database.open(path)

    def open_central_store(self, *, address: str = "", why: str = "") -> None:
        from ui.central_store_dialog import CentralStoreDialog

        choice = CentralStoreDialog.ask(self, address=address, why=why)
        if choice is not None:
            self.statusBar().showMessage(f"Opening {choice.address}...")
            self.database.open_server(choice.address, choice.password)

    def _ask_server_password(self, address: str, refused: bool) -> None:
        why = (
            "The server did not accept that password. Type it again."
            if refused
            else "The server asks for a password."
        )
        self.statusBar().clearMessage()
        self.open_central_store(address=address, why=why)

    def _new_database(self) -> None:
        path = FileDialogs.ask_new_database(self)
        if path is not None:
            self.database.create(path)  # empty: the demo has a database of its own

    def _save_copy(self) -> None:
        if self.database.server is not None:
            MessageBox.inform(
                self,
                "Save a copy",
                "A central store on a server is backed up with the server's own tools "
                "(pg_dump); Save a copy makes copies of database files.",
            )
            return
        if self.database.path is None:
            MessageBox.inform(self, "Save a copy", "Open a database first.")
            return
        path = FileDialogs.ask_save_copy(self, f"{self.database.path.stem}-copy.sqlite")
        if path is not None:
            self.database.save_copy(path)

    def _new_pilot(self) -> None:
        from ui.new_pilot_dialog import NewPilotDialog

        # The references the list holds, so a taken one is caught with the dialog still open.
        taken = [pilot.reference for pilot in self.pilots.model.summaries()]
        values = NewPilotDialog.ask(self, existing_references=taken)
        if values is None:
            return

        def work(job: Any) -> Any:
            from testlearn.services.pilots import create_pilot

            return create_pilot(values, db=job.ctx.require_database(), actor=job.ctx.actor)

        def created(pilot: Any) -> None:
            self.session.reference = pilot.reference
            self.statusBar().showMessage(f"Created pilot {pilot.reference}", 8000)

        self.session.run("Creating the pilot", work, created)

    # -- central teams ---------------------------------------------------------------------

    def _database_needed(self, title: str) -> bool:
        if self.database.location is None:
            MessageBox.inform(self, title, "Open a database first.")
            return False
        return True

    def merge_files(self) -> None:
        if not self._database_needed("Merge department files"):
            return
        from ui.merge_wizard import MergeWizard

        if self.merge_wizard is not None:
            self.merge_wizard.deleteLater()
        self.merge_wizard = MergeWizard(self.lane, self)
        self.merge_wizard.merged.connect(lambda _report: self._merged())
        self.merge_wizard.open()

    def _merged(self) -> None:
        self.session.reload()
        if self.conflicts is not None and self.conflicts.isVisible():
            self.conflicts.refresh()

    def show_conflicts(self) -> None:
        if not self._database_needed("Conflicts"):
            return
        if self.conflicts is None:
            from ui.conflicts_view import ConflictsView

            self.conflicts = ConflictsView(self.lane, self)
            self.conflicts.resolved.connect(lambda _conflict: self.session.reload())
        self.conflicts.show()
        self.conflicts.raise_()
        self.conflicts.refresh()

    def _export_for_central(
        self,
        out: Path | None = None,
        department: str | None = None,
        *,
        without_commercial: bool = False,
    ) -> None:
        """Export for the central team; ``without_commercial`` leaves out commercially
        sensitive values (should-cost, bids, outturn) with their history."""
        if not self._database_needed("Export for the central team"):
            return
        if self.database.path is None:
            MessageBox.inform(
                self,
                "Export for the central team",
                "This is the central store: departments export their own database files, "
                "and the central store takes them in with Merge department files.",
            )
            return
        if out is None:
            stem = self.database.path.stem
            suffix = "-without-commercial" if without_commercial else ""
            out = FileDialogs.ask_export_path(self, f"{stem}-for-central{suffix}.sqlite")
        if out is None:
            return
        chosen = out

        def work(job: Any) -> str:
            from testlearn.services.merging import export_for_central, export_summary

            db, actor = job.ctx.require_database(), job.ctx.actor
            manifest = export_for_central(
                db=db,
                out=chosen,
                department=department,
                actor=actor,
                without_commercial=without_commercial,
            )
            return export_summary(
                chosen,
                manifest,
                leave_out="use Central > Export for the central team without commercial values",
            )

        def failed(error: BaseException) -> None:
            from ui.department_dialog import DepartmentDialog
            from ui.error_reporting import report_error

            if not DepartmentDialog.needed(error):
                report_error(self, error, "exporting for the central team")
            elif (given := DepartmentDialog.ask(self)) is not None:  # asked once per database
                self._export_for_central(chosen, given, without_commercial=without_commercial)

        self.session.run(
            "Exporting for the central team",
            work,
            lambda summary: self.statusBar().showMessage(summary[:1].upper() + summary[1:], 10_000),
            reload=False,
            on_error=failed,
        )

    def _user_guide(self) -> None:
        # Inside the app rather than in whatever opens .md files: many laptops have nothing
        # that does, and QDesktopServices then fails without a word.
        from ui.user_guide_window import UserGuideWindow

        if self.guide is None:
            self.guide = UserGuideWindow(USER_GUIDE, self)
        self.guide.show()
        self.guide.raise_()
        self.guide.activateWindow()

    def _about(self) -> None:
        path = self.database.location or "no database open"
        schema = self.database.generation if self.database.generation is not None else "-"
        MessageBox.inform(
            self,
            "About testlearn",
            f"testlearn {__version__}\n\nRegister, analyse and report test-and-learn "
            f"procurement pilots.\n\nDatabase: {path}\nSchema version: {schema}",
        )

    # -- reacting to the lane --------------------------------------------------------------

    def _database_opened(self, path: Path | str, summaries: Any, message: str) -> None:
        self.setWindowTitle(self.database.window_title(path))
        self.session.forget_history()
        self.session.reference = None
        self._pilots_changed(summaries)
        lasting = "Welcome" in message or bool(self.database.notice_label.text())
        self.statusBar().showMessage(message, 0 if lasting else 10_000)
        if summaries and not self.pilots.selected_reference():
            self.pilots.table.selectRow(0)
        if self.conflicts is not None and self.conflicts.isVisible():
            self.conflicts.refresh()

    def _pilots_changed(self, summaries: Any) -> None:
        self.pilots.set_pilots(summaries, select=self.session.reference)
        if self.portfolio is not None:
            self.portfolio.refresh()

    def _open_from_list(self, reference: str) -> None:
        """Open (the list's menu): the pilot's sections get the keyboard once it is shown."""
        if self.detail is not None and self.session.reference == reference:
            self.detail.sections.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self._focus_sections_when_shown = True

    def _show_pilot(self, detail: Any) -> None:
        if self.detail is None:
            from ui.pilot_detail_view import PilotDetailView

            self.detail = PilotDetailView(self.session, self)
            self.splitter.replaceWidget(1, self.detail)
            self._placeholder.deleteLater()
            keyboard_friendly(self.detail)
        self.detail.set_detail(detail)
        if self._focus_sections_when_shown:
            self._focus_sections_when_shown = False
            self.detail.sections.setFocus(Qt.FocusReason.OtherFocusReason)

    def _page_changed(self, index: int) -> None:
        if index == 1 and self.portfolio is None and self.database.location is not None:
            from ui.portfolio_view import PortfolioView

            # Built when shown, on a lane of its own; changes mark it out of date (refresh).
            self.portfolio = PortfolioView(self.database, self)
            old = self.pages.widget(1)
            self.pages.removeTab(1)
            old.deleteLater()
            self.pages.insertTab(1, self.portfolio, "P&ortfolio")
            self.pages.setCurrentIndex(1)

    # -- closing -----------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        """Save the field being typed in, wait for every queued save, then close.

        Nothing the user asked for is cancelled without asking: saves always finish; a long
        job (an analysis, a report) is waited for unless the user chooses to stop it.
        """
        from ui.record_form import RecordForm

        for form in self.findChildren(RecordForm):
            form.flush()
        if self.lane.busy and not self._closing.give_up:
            event.ignore()
            self._closing.wait()
            return
        self._closing.done()
        if self.portfolio is not None:
            self.portfolio.stop()  # a portfolio build only reads: stopping it loses nothing
        QSettings().setValue(GEOMETRY_KEY, self.saveGeometry())
        QSettings().setValue(SPLITTER_KEY, self.splitter.saveState())
        super().closeEvent(event)
