"""The one background thread that does every database query, analysis and PDF build.

Like Anki's collection lane, all work on the open database is serialised through a single
thread: SQLite is happiest with one writer, jobs never race each other, and the window's
thread only ever hands work over and receives frozen read models back.
"""

from __future__ import annotations

import logging
import queue
import weakref
from typing import Any, ClassVar

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot

from ui.job import Job, LaneContext

log = logging.getLogger("testlearn.ui")


class WorkerLane(QThread):
    """A queue of jobs run one at a time on a worker thread.

    Signals are emitted from the worker thread and delivered, queued, on the window's
    thread, which is where the lane object itself lives.
    """

    job_started = Signal(object)
    job_progressed = Signal(object, float)
    job_finished = Signal(object)
    #: A job waits for another program writing to the database: the one-line message.
    waiting = Signal(str)
    _delivered = Signal(object, object, object)
    _progress = Signal(object, float)
    _started = Signal(object)
    _waiting = Signal(str)

    #: Every lane not yet stopped, so tests can check that none outlives them.
    live: ClassVar[weakref.WeakSet[WorkerLane]] = weakref.WeakSet()

    def __init__(self, actor: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("worker-lane")
        self._queue: queue.Queue[Job | None] = queue.Queue()
        self._context = LaneContext(actor=actor)
        self._pending: dict[int, Job] = {}
        self._delivered.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self._progress.connect(self._relay_progress, Qt.ConnectionType.QueuedConnection)
        self._started.connect(self.job_started, Qt.ConnectionType.QueuedConnection)
        self._waiting.connect(self.waiting, Qt.ConnectionType.QueuedConnection)
        WorkerLane.live.add(self)
        self.start()

    @property
    def actor(self) -> str:
        """The name that jobs record their changes against."""
        return self._context.actor

    def set_actor(self, name: str) -> None:
        # One attribute replaced whole: a job reads the old name or the new, never a mix.
        self._context.actor = name

    @property
    def busy(self) -> bool:
        return bool(self._pending)

    def submit(self, job: Job) -> Job:
        """Queue ``job``; its callbacks run on the window's thread when it ends."""
        job.context = self._context
        job._report = lambda j, fraction: self._progress.emit(j, fraction)
        self._pending[job.id] = job
        self._queue.put(job)
        return job

    def pending_jobs(self) -> list[Job]:
        """The jobs queued or running, oldest first."""
        return list(self._pending.values())

    def cancel_all(self) -> None:
        for job in list(self._pending.values()):
            job.cancel()

    def stop(self) -> None:
        """Cancel what is queued, finish the current job, and end the thread."""
        self.cancel_all()
        self._queue.put(None)
        self.wait()
        WorkerLane.live.discard(self)
        database = self._context.database
        if database is not None:
            database.close()
            self._context.database = None

    def run(self) -> None:
        from testlearn.services.writer_waits import announce_waits

        # A save that finds the file held by another writer waits on this thread (the job
        # stays queued), and the window says why in its status bar.
        with announce_waits(self._waiting.emit, doing="the window"):
            self._run_jobs()

    def _run_jobs(self) -> None:
        while True:
            job = self._queue.get()
            if job is None:
                return
            self._started.emit(job)
            result: Any = None
            error: BaseException | None = None
            try:
                job.check_cancel()
                result = job.work(job)
            except Exception as exc:  # handed to the window's thread, which reports it
                error = exc
            self._delivered.emit(job, result, error)

    @Slot(object, float)
    def _relay_progress(self, job: Job, fraction: float) -> None:
        if job.id in self._pending:
            self.job_progressed.emit(job, fraction)

    @Slot(object, object, object)
    def _deliver(self, job: Job, result: Any, error: BaseException | None) -> None:
        self._pending.pop(job.id, None)
        try:
            if error is None:
                if job.on_done is not None:
                    job.on_done(result)
            elif job.on_error is not None:
                job.on_error(error)
            else:
                log.error("unhandled error in %s: %r", job.title, error)
        finally:
            self.job_finished.emit(job)
