"""Opening, creating and copying database files, on the lane, with the recent-files list."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QSettings, Qt, Signal, Slot
from PySide6.QtWidgets import QLabel, QWidget

from ui.error_reporting import report_error
from ui.job import Job

if TYPE_CHECKING:
    from ui.worker_lane import WorkerLane

RECENT_KEY = "recent_databases"
RECENT_MAX = 8
DEMO_LABEL = "Demo: fictional pilots, not your own register"


class DatabaseOpener(QObject):
    """Opens a database on the worker lane and announces it to the window.

    A file that is damaged, foreign or too new is refused by the store with a message and is
    not written to; the database that was open stays open.

    The demo (File > Open the demo) is a database of its own in the data folder, built from
    the demo data file when it is missing or outdated. At the first start the user's own
    database is created empty and the demo is shown.
    """

    opened = Signal(
        object, object, str
    )  # path or server address, list[PilotSummary], what happened
    #: The open database's pilots read again (the demo's list once it is built).
    listed = Signal(object)
    recent_changed = Signal(list)
    #: A central store asked for a password (address without it, whether one was refused).
    password_needed = Signal(str, bool)
    _previewed = Signal(object, object, str)  # emitted on the worker thread

    def __init__(self, lane: WorkerLane, parent: QWidget) -> None:
        super().__init__(parent)
        self._lane = lane
        self._window = parent
        #: The database file open, or None; a central store on a server has ``server``.
        self.path: Path | None = None
        self.server: str | None = None
        self.generation: int | None = None
        self.is_demo = False
        self._previewing = False
        self._label_placed = False
        self.demo_label = QLabel(DEMO_LABEL, parent)
        self.demo_label.setAccessibleName("This is the demo database")
        self.demo_label.hide()
        #: Why the open database was opened otherwise than asked (for reading only), for as
        #: long as it is open: a status message alone would be replaced by the next one.
        self.notice_label = QLabel("", parent)
        self.notice_label.setAccessibleName("How this database was opened")
        self.notice_label.hide()
        self._notice_placed = False
        self._previewed.connect(self._show_preview, Qt.ConnectionType.QueuedConnection)

    @property
    def location(self) -> str | None:
        """Where the open database is, as shown: its file, or its server without a password."""
        return str(self.path) if self.path is not None else self.server

    # -- what the menus call ---------------------------------------------------------------

    def open_at_start(self, path: Path, *, is_default: bool) -> None:
        """Open ``path``; at the user's first start, create it empty and show the demo."""
        if path.exists():
            self.open(path)
        elif is_default:
            self.open_demo(own=path)
        else:
            self.create(path, demo=False)

    def open(self, path: Path) -> None:
        def work(job: Job) -> Any:
            from testlearn.services import databases, pilots

            database = databases.open_database(path)
            return (*self._switch(job, database, pilots.list_pilots(db=database)), database.notice)

        self._submit(f"Opening {path.name}", work, f"Opened {path}")

    def open_server(self, address: str, password: str | None = None) -> None:
        """Open the central store at ``address`` (given without a password).

        A password typed is held in memory for this run only, where the portfolio's reading
        connection finds it too; none means libpq's own ways (PGPASSWORD, .pgpass).
        """
        from testlearn.services.databases import use_password

        if password:
            use_password(address, password)

        def work(job: Job) -> Any:
            from testlearn.services import databases, pilots

            database = databases.open_database(address)
            return self._switch(job, database, pilots.list_pilots(db=database))

        def failed(error: BaseException) -> None:
            from testlearn.errors import PasswordNeeded

            if isinstance(error, PasswordNeeded):
                self.password_needed.emit(address, error.refused)
            else:
                report_error(self._window, error, "opening the central store")

        self._submit("Opening the central store", work, f"Opened {address}", on_error=failed)

    def open_recent(self, location: str) -> None:
        """File > Open recent: a file, or a central store (remembered without a password)."""
        from testlearn.services.databases import is_server_url

        if is_server_url(location):
            self.open_server(location)
        else:
            self.open(Path(location))

    def create(self, path: Path, *, demo: bool = False) -> None:
        def work(job: Job) -> Any:
            from testlearn.services import databases, pilots

            database = databases.create_database(path, demo=demo, actor=job.ctx.actor)
            return self._switch(job, database, pilots.list_pilots(db=database))

        message = f"Created {path}" + (" with the ten demo pilots" if demo else "")
        self._submit(f"Creating {path.name}", work, message, cancellable=demo)

    def open_demo(self, *, own: Path | None = None) -> None:
        """File > Open the demo; at the first start ``own`` is the user's database, made empty.

        While a missing or outdated demo is built (a few seconds), the list it will have is
        shown from the data file; a pilot opened meanwhile shows once the demo is ready (the
        lane runs one job at a time). Cancel leaves the database that was open, or at the
        first start the user's own, empty one.
        """

        def work(job: Job) -> tuple[Any, ...]:
            from testlearn.services import databases, demo, pilots

            path = databases.default_demo_path()
            database = demo.open_demo(path)
            if database is None:
                self._previewed.emit(path, demo.preview(), preparing)
            if own is not None and not own.exists():
                databases.create_database(own, actor=job.ctx.actor).close()
            if database is not None:
                return (*self._switch(job, database, pilots.list_pilots(db=database)), None)
            try:
                database = demo.build_demo_database(
                    path,
                    actor=job.ctx.actor,
                    progress=job.progress,
                    should_cancel=job.should_cancel,
                )
            except Exception as error:
                cancelled = job.should_cancel()
                # Whatever was asked of the demo meanwhile (a pilot to show) was meant for a
                # demo that is not there: it is dropped, quietly, as cancelled jobs are.
                self._lane.cancel_all()
                return (*self._fall_back(job, own), None if cancelled else error)
            return (*self._switch(job, database, pilots.list_pilots(db=database)), None)

        preparing = "Preparing the demo: ten fictional pilots (a few seconds)..."
        self._lane.submit(
            Job(
                "Preparing the demo",
                work,
                on_done=lambda result: self._demo_done(result, own=own),
                cancellable=True,
                on_error=lambda e: report_error(self._window, e, "opening the demo"),
            )
        )

    def save_copy(self, destination: Path) -> None:
        source = self.path

        def work(job: Job) -> Path:
            from testlearn.services.databases import copy_database

            if source is None:
                job.ctx.require_database()
            assert source is not None
            copy_database(source, destination)
            return destination

        self._lane.submit(
            Job(
                "Saving a copy",
                work,
                on_done=lambda p: self.opened_status(f"Saved a copy at {p}"),
                on_error=lambda e: report_error(self._window, e, "saving a copy"),
            )
        )

    def window_title(self, path: Path | str) -> str:
        if isinstance(path, str):
            return f"Central store {path} - testlearn"
        if self.is_demo:
            return f"The demo (ten fictional pilots) - {path.name} - testlearn"
        return f"{path.name} - testlearn"

    def opened_status(self, text: str, timeout: int = 10_000) -> None:
        status_bar = getattr(self._window, "statusBar", None)
        if status_bar is not None:
            status_bar().showMessage(text, timeout)

    def recent(self) -> list[str]:
        value = QSettings().value(RECENT_KEY, [])
        items = [value] if isinstance(value, str) else list(value or [])
        return [str(item) for item in items if item]

    # -- internals -------------------------------------------------------------------------

    @staticmethod
    def _switch(job: Job, database: Any, summaries: Any) -> tuple[Path | str, int, Any, bool]:
        """Make ``database`` the lane's database (on the worker thread), closing the old one.

        Its location is its file, or for a central store its address without a password."""
        from testlearn.services.demo import is_demo

        previous = job.ctx.database
        job.ctx.database = database
        if previous is not None and previous is not database:
            previous.close()
        location = Path(database.path) if database.path is not None else str(database.url)
        return location, int(database.generation), summaries, is_demo(database)

    def _fall_back(self, job: Job, own: Path | None) -> tuple[Path | str, int, Any, bool]:
        """After a demo that was not built: the database that was open, or the user's own."""
        from testlearn.services import databases, pilots

        current = job.ctx.database
        if own is None and current is not None:
            return self._switch(job, current, pilots.list_pilots(db=current))
        target = own or databases.default_database_path()
        database = (
            databases.open_database(target)
            if target.exists()
            else databases.create_database(target, actor=job.ctx.actor)
        )
        return self._switch(job, database, pilots.list_pilots(db=database))

    @Slot(object, object, str)
    def _show_preview(self, path: Path, summaries: Any, message: str) -> None:
        self._previewing = True
        self._place(path)
        self.generation = None
        self._set_demo(True)
        self.opened.emit(path, summaries, message)

    def _demo_done(self, result: tuple[Any, ...], *, own: Path | None) -> None:
        path, generation, summaries, is_demo, error = result
        previewed, self._previewing = self._previewing, False
        first_start = own is not None
        self._place(path)
        self.generation = generation
        self._set_demo(is_demo)
        self._set_notice("")
        if own is not None and own.exists():
            self._remember(own)  # one click away: File > Open recent
        if not is_demo:
            self._remember(path)
        if is_demo:
            message = (
                "Welcome to testlearn. This is the demo: ten fictional pilots, analysed, to "
                "explore. Your own database is empty, ready for your pilots: File > Open recent."
                if first_start
                else "Opened the demo: ten fictional pilots. Nothing here goes into your own "
                "database or an export."
            )
        elif first_start and error is None:
            message = (
                f"Welcome to testlearn. The demo was cancelled; your own database is open: "
                f"{path}. File > Open the demo builds the demo again."
            )
        else:
            message = f"The demo was not opened; {path} is open"
        if previewed and is_demo:
            # The window shows the demo's list already: only the rows are new.
            self.listed.emit(summaries)
            self.opened_status(message, 0 if first_start else 10_000)
        else:
            self.opened.emit(path, summaries, message)
        if error is not None:
            report_error(self._window, error, "building the demo")

    def _set_notice(self, notice: str) -> None:
        status_bar = getattr(self._window, "statusBar", None)
        if notice and status_bar is not None and not self._notice_placed:
            status_bar().addPermanentWidget(self.notice_label)
            self._notice_placed = True
        self.notice_label.setText("Read only" if notice else "")
        self.notice_label.setToolTip(notice)
        self.notice_label.setVisible(bool(notice))

    def _set_demo(self, is_demo: bool) -> None:
        self.is_demo = is_demo
        status_bar = getattr(self._window, "statusBar", None)
        if is_demo and status_bar is not None and not self._label_placed:
            status_bar().insertPermanentWidget(0, self.demo_label)
            self._label_placed = True
        self.demo_label.setVisible(is_demo)

    def _place(self, location: Path | str) -> None:
        if isinstance(location, str):
            self.path, self.server = None, location
        else:
            self.path, self.server = location, None

    def _submit(
        self,
        title: str,
        work: Any,
        message: str,
        *,
        cancellable: bool = False,
        on_error: Any = None,
    ) -> None:
        def done(result: tuple[Any, ...]) -> None:
            path, generation, summaries, is_demo, *rest = result
            notice = str(rest[0]) if rest else ""
            self._place(path)
            self.generation = generation
            self._set_demo(is_demo)
            self._set_notice(notice)
            if not is_demo:
                self._remember(path)
            self.opened.emit(path, summaries, notice or message)

        self._lane.submit(
            Job(
                title,
                work,
                on_done=done,
                cancellable=cancellable,
                on_error=on_error or (lambda e: report_error(self._window, e, title.lower())),
            )
        )

    def _remember(self, path: Path | str) -> None:
        items = [str(path)] + [p for p in self.recent() if p != str(path)]
        QSettings().setValue(RECENT_KEY, items[:RECENT_MAX])
        self.recent_changed.emit(items[:RECENT_MAX])
