"""Closing the window while work is queued: saves finish first, and the user sees why."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QDialog, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget

if TYPE_CHECKING:
    from ui.pilot_session import PilotSession
    from ui.worker_lane import WorkerLane

#: Saves usually end sooner than this; only a longer wait is worth a window of its own.
SHOW_AFTER_MS = 400


class ClosingWait(QObject):
    """Keeps the window open until the lane is idle, then closes it.

    Saves cannot be cancelled and are always waited for. A long job the user started (an
    analysis, a report) can be stopped from the "Saving..." window, which appears only when
    the wait is longer than a moment.
    """

    def __init__(self, window: QWidget, lane: WorkerLane, session: PilotSession) -> None:
        super().__init__(window)
        self._window, self._lane, self._session = window, lane, session
        self.waiting = False
        self.give_up = False
        self.dialog = QDialog(window)
        self.dialog.setWindowTitle("Saving...")
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.label = QLabel(self.dialog)
        self.label.setWordWrap(True)
        self.label.setAccessibleName("What testlearn is finishing")
        bar = QProgressBar(self.dialog)
        bar.setRange(0, 0)  # busy: the lane knows no total for a queue of saves
        bar.setAccessibleName("Finishing")
        self.stop_button = QPushButton("&Stop it and close", self.dialog)
        self.stop_button.clicked.connect(self._stop_long_jobs)
        layout = QVBoxLayout(self.dialog)
        layout.addWidget(self.label)
        layout.addWidget(bar)
        layout.addWidget(self.stop_button)
        self.dialog.rejected.connect(self._stop_long_jobs)

    def wait(self) -> None:
        if not self.waiting:
            self.waiting = True
            self._session.closing = True
            self._lane.job_finished.connect(self._check)
            QTimer.singleShot(SHOW_AFTER_MS, self, self._show_if_still_busy)
        self._check()

    def done(self) -> None:
        if self.waiting:
            self._lane.job_finished.disconnect(self._check)
            self.waiting = False
        self.dialog.hide()

    def _describe(self) -> None:
        jobs = self._lane.pending_jobs()
        long_jobs = [job for job in jobs if job.cancellable]
        saves = len(jobs) - len(long_jobs)
        lines = []
        if saves:
            lines.append(
                f"Saving your changes ({saves} to go) before testlearn closes."
                if saves > 1
                else "Saving your last change before testlearn closes."
            )
        for job in long_jobs:
            lines.append(f"{job.title} is still running; it can be stopped.")
        self.label.setText("\n".join(lines))
        self.stop_button.setVisible(bool(long_jobs))

    def _show_if_still_busy(self) -> None:
        if self.waiting and self._lane.busy:
            self._describe()
            self.dialog.show()

    def _check(self, *_: object) -> None:
        if not self._lane.busy:
            self.dialog.hide()
            # With this object as the timer's context, the call dies with the window.
            QTimer.singleShot(0, self, self._window.close)
        elif self.dialog.isVisible():
            self._describe()

    def _stop_long_jobs(self) -> None:
        """Stop the analyses and reports (never a save) and close when the saves are done."""
        for job in self._lane.pending_jobs():
            if job.cancellable:
                job.cancel()
