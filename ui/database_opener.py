"""Opening, creating and copying database files, on the lane, with the recent-files list."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtWidgets import QWidget

from ui.error_reporting import report_error
from ui.job import Job

if TYPE_CHECKING:
    from ui.worker_lane import WorkerLane

RECENT_KEY = "recent_databases"
RECENT_MAX = 8


class DatabaseOpener(QObject):
    """Opens a database on the worker lane and announces it to the window.

    A file that is damaged, foreign or too new is refused by the store with a message and is
    not written to; the database that was open stays open.
    """

    opened = Signal(object, object, str)  # path, list[PilotSummary], what happened
    recent_changed = Signal(list)

    def __init__(self, lane: WorkerLane, parent: QWidget) -> None:
        super().__init__(parent)
        self._lane = lane
        self._window = parent
        self.path: Path | None = None
        self.generation: int | None = None

    # -- what the menus call ---------------------------------------------------------------

    def open_at_start(self, path: Path, *, is_default: bool) -> None:
        """Open ``path``; at the user's first start, create it with the demo pilots."""
        if not path.exists():
            self.create(path, demo=is_default, first_start=is_default)
        else:
            self.open(path)

    def open(self, path: Path) -> None:
        def work(job: Job) -> Any:
            from testlearn.services import databases, pilots

            database = databases.open_database(path)
            return self._switch(job, database, pilots.list_pilots(db=database))

        self._submit(f"Opening {path.name}", work, f"Opened {path}")

    def create(self, path: Path, *, demo: bool, first_start: bool = False) -> None:
        def work(job: Job) -> Any:
            from testlearn.services import analysis, databases, pilots

            database = databases.create_database(path, demo=demo, actor=job.ctx.actor)
            if demo:
                # The demo is more use with its verdicts in place; a failure here is not worth
                # refusing the new database for, so it is left for the user's own Analyse.
                with contextlib.suppress(Exception):
                    analysis.analyse_all(
                        db=database,
                        actor=job.ctx.actor,
                        progress=job.progress,
                        should_cancel=job.should_cancel,
                    )
            return self._switch(job, database, pilots.list_pilots(db=database))

        if first_start:
            message = (
                f"Welcome to testlearn. Your database was created at {path} "
                "with the ten demo pilots, already analysed, to explore."
            )
        else:
            message = f"Created {path}" + (" with the ten demo pilots" if demo else "")
        self._submit(f"Creating {path.name}", work, message, cancellable=demo)

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

    def opened_status(self, text: str) -> None:
        status_bar = getattr(self._window, "statusBar", None)
        if status_bar is not None:
            status_bar().showMessage(text, 10_000)

    def recent(self) -> list[str]:
        value = QSettings().value(RECENT_KEY, [])
        items = [value] if isinstance(value, str) else list(value or [])
        return [str(item) for item in items if item]

    # -- internals -------------------------------------------------------------------------

    @staticmethod
    def _switch(job: Job, database: Any, summaries: Any) -> tuple[Path, int, Any]:
        """Make ``database`` the lane's database (on the worker thread), closing the old one."""
        previous = job.ctx.database
        job.ctx.database = database
        if previous is not None and previous is not database:
            previous.close()
        return Path(database.path), int(database.generation), summaries

    def _submit(self, title: str, work: Any, message: str, *, cancellable: bool = False) -> None:
        def done(result: tuple[Path, int, Any]) -> None:
            path, generation, summaries = result
            self.path, self.generation = path, generation
            self._remember(path)
            self.opened.emit(path, summaries, message)

        self._lane.submit(
            Job(
                title,
                work,
                on_done=done,
                cancellable=cancellable,
                on_error=lambda e: report_error(self._window, e, title.lower()),
            )
        )

    def _remember(self, path: Path) -> None:
        items = [str(path)] + [p for p in self.recent() if p != str(path)]
        QSettings().setValue(RECENT_KEY, items[:RECENT_MAX])
        self.recent_changed.emit(items[:RECENT_MAX])
