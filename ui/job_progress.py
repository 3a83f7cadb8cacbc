"""The status bar's progress bar and Cancel button, shown for jobs that take over a second."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from ui.job import Job
from ui.worker_lane import WorkerLane

#: Jobs quicker than this show nothing: a flashing bar is worse than none.
SHOW_AFTER_MS = 1000


class JobProgress(QWidget):
    """Follows the lane: what is running, how far it has got, and a way to stop it."""

    def __init__(self, lane: WorkerLane, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._job: Job | None = None
        self.label = QLabel(self)
        self.bar = QProgressBar(self)
        self.bar.setAccessibleName("Progress")
        self.bar.setRange(0, 1000)
        self.bar.setTextVisible(False)
        self.cancel = QPushButton("Cancel", self)
        self.cancel.setAccessibleName("Cancel the running job")
        self.cancel.clicked.connect(self._cancel)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.label, self.bar, self.cancel):
            layout.addWidget(widget)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SHOW_AFTER_MS)
        self._timer.timeout.connect(self._reveal)
        lane.job_started.connect(self._started)
        lane.job_progressed.connect(self._progressed)
        lane.job_finished.connect(self._finished)
        self.hide()

    @property
    def job(self) -> Job | None:
        return self._job

    def _started(self, job: Job) -> None:
        self._job = job
        self.label.setText(job.title)
        self.bar.setRange(0, 0)  # busy until the job reports a fraction
        self.cancel.setEnabled(True)
        self._timer.start()

    def _progressed(self, job: Job, fraction: float) -> None:
        if job is self._job:
            self.bar.setRange(0, 1000)
            self.bar.setValue(int(fraction * 1000))

    def _finished(self, job: Job) -> None:
        if job is self._job:
            self._job = None
            self._timer.stop()
            self.hide()

    def _reveal(self) -> None:
        if self._job is not None:
            self.cancel.setVisible(self._job.cancellable)
            self.show()

    def _cancel(self) -> None:
        if self._job is not None:
            self._job.cancel()
            self.label.setText(f"{self._job.title}: cancelling...")
            self.cancel.setEnabled(False)
