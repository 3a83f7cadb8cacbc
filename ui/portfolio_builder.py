"""Builds the portfolio on a read lane of its own, when it is looked at, never in a save's way.

The window's lane saves every edit. A portfolio of a large register takes a second or more
to read, so it is read on a second lane, through a read-only connection of its own to the
same file: WAL mode lets it read the last commit while the window's lane writes. It is
built on demand: a change while the portfolio is hidden only marks it out of date; when it
is shown, or changes while shown (after a pause, so a burst of edits builds once), a build
that is running is cancelled and a new one started, so builds never queue behind each other.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal

from testlearn.errors import TestlearnError
from ui.error_reporting import log_unexpected
from ui.job import Job, JobCancelled
from ui.worker_lane import WorkerLane

if TYPE_CHECKING:
    from ui.database_opener import DatabaseOpener

#: Changes closer together than this build one portfolio, not one each.
SETTLE_MS = 300
CANCELLED = "Portfolio not built (cancelled)."


class PortfolioBuilder(QObject):
    """Keeps the portfolio up to date for whoever shows it, on its own lane."""

    started = Signal()
    progressed = Signal(float)
    #: (Portfolio, chart SVG, chart description, pooled measures): each measure pooled across
    #: pilots as (``reports.portfolio_pooling.PooledMeasure``, its plot's SVG, description).
    built = Signal(object)
    not_built = Signal(str)  # why: cancelled, nothing to count, or what failed

    def __init__(self, database: DatabaseOpener, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._database = database
        self.lane: WorkerLane | None = None
        self._job: Job | None = None
        #: The data changed since the last build started (or nothing was built yet).
        self.dirty = True
        #: The user cancelled: nothing is built again until they ask.
        self.cancelled = False
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(SETTLE_MS)
        self._settle.timeout.connect(self.build)
        database.opened.connect(self._database_opened)

    @property
    def building(self) -> bool:
        return self._job is not None

    def changed(self, *, visible: bool) -> None:
        """The data changed: build again soon if the portfolio is shown, else when it is."""
        self.dirty = True
        self._abandon()  # what it is counting is already out of date
        if visible and not self.cancelled:
            self._settle.start()

    def shown(self) -> None:
        if self.dirty and not self.cancelled and self._job is None:
            self.build()

    def build(self) -> None:
        """Start a build now, in place of any that is running."""
        self._settle.stop()
        target = self._database.location
        if target is None:
            return
        self._abandon()
        self.dirty = self.cancelled = False
        if self.lane is None:
            self.lane = WorkerLane("portfolio", self)
            self.lane.job_progressed.connect(self._progressed)
        job = Job("Building the portfolio", _work(target), cancellable=True)
        job.on_done = lambda answer: self._done(job, answer)
        job.on_error = lambda error: self._failed(job, error)
        self._job = self.lane.submit(job)
        self.started.emit()

    def cancel(self) -> None:
        """The user's Cancel: the build stops at its next step and the page says so."""
        if self._job is not None:
            self._job.cancel()

    def stop(self) -> None:
        """End the lane and its read connection (the window is closing)."""
        self._settle.stop()
        self._stop_lane()

    def _stop_lane(self) -> None:
        self._abandon()
        if self.lane is not None:
            self.lane.stop()
            self.lane.deleteLater()
            self.lane = None

    # -- answers from the lane -------------------------------------------------------------

    def _abandon(self) -> None:
        if self._job is not None:
            self._job.cancel()
            self._job = None  # its answer, if it still comes, is ignored

    def _database_opened(self, *_args: Any) -> None:
        # The lane's connection is to the file open before. A build the window asks for
        # (it reloads its pilots and calls ``changed``) starts a new lane on the new file.
        self._stop_lane()
        self.dirty, self.cancelled = True, False

    def _progressed(self, job: Job, fraction: float) -> None:
        if job is self._job:
            self.progressed.emit(fraction)

    def _done(self, job: Job, answer: Any) -> None:
        if job is self._job:
            self._job = None
            self.built.emit(answer)

    def _failed(self, job: Job, error: BaseException) -> None:
        if job is not self._job:
            return
        from testlearn.services.portfolio import PortfolioCancelled

        self._job = None
        if isinstance(error, JobCancelled | PortfolioCancelled):
            self.cancelled = self.dirty = True
            self.not_built.emit(CANCELLED)
        elif isinstance(error, TestlearnError):
            self.not_built.emit(f"No portfolio: {error}.")
        else:
            path = log_unexpected(error, "building the portfolio")
            self.not_built.emit(f"Portfolio not built: something went wrong (details in {path}).")


def _work(target: Path | str) -> Any:
    """The build, run on the portfolio's lane: read, count, pool, draw the charts."""

    def work(job: Job) -> tuple[Any, str, str, list[tuple[Any, str, str]]]:
        from reports import charts
        from reports.portfolio_pooling import measures
        from testlearn.domain.vocabulary import Mission
        from testlearn.services import databases
        from testlearn.services.portfolio import portfolio

        db = job.ctx.database
        if db is None:
            db = job.ctx.database = databases.open_database_for_reading(target)
        found = portfolio(db=db, progress=job.progress, should_cancel=job.should_cancel)
        job.check_cancel()
        labels = {m.value: m.label for m in Mission}
        drawing = charts.results_by_mission_chart(found, labels)
        # The pooled measures' words and plots are made here too, off the window's thread.
        pooled = [
            (m, "", "")
            if m.chart is None
            else (m, charts.drawing_to_svg(m.chart), str(m.chart.description))
            for m in measures(found.pooling)
        ]
        return found, charts.drawing_to_svg(drawing), str(drawing.description), pooled

    return work
