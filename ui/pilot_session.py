"""The pilot being worked on: runs its actions on the lane and tells the window what changed."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QWidget

from ui.error_reporting import report_error
from ui.field_edit_command import FieldEditCommand
from ui.job import Job

if TYPE_CHECKING:
    from ui.worker_lane import WorkerLane


class PilotSession(QObject):
    """Hands the current pilot's actions to the worker lane and reloads it after each.

    Every action is one service call in one transaction on the lane; when it has been saved,
    the pilot and the list are read again, so the screen shows what is stored, not what was
    typed.
    """

    pilot_loaded = Signal(object)  # PilotDetail
    pilots_loaded = Signal(object)  # list[PilotSummary]
    status = Signal(str)

    def __init__(self, lane: WorkerLane, parent: QWidget) -> None:
        super().__init__(parent)
        self.lane = lane
        self.window = parent
        self.undo_stack = QUndoStack(self)
        self.reference: str | None = None
        self.detail: Any = None
        #: Where the loaded pilot came from (list[Provenance]), read with it on the lane.
        self.provenance: list[Any] = []

    # -- running actions -------------------------------------------------------------------

    def run(
        self,
        title: str,
        work: Callable[[Job], Any],
        then: Callable[[Any], None] | None = None,
        *,
        reload: bool = True,
        cancellable: bool = False,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> Job:
        """Run ``work`` on the lane; on success call ``then`` and reload the pilot."""

        def done(result: Any) -> None:
            if then is not None:
                then(result)
            if reload:
                self.reload()

        def failed(error: BaseException) -> None:
            if on_error is not None:
                on_error(error)
            else:
                report_error(self.window, error, title.lower())
            self.status.emit(f"{title}: not done")

        return self.lane.submit(
            Job(title, work, on_done=done, on_error=failed, cancellable=cancellable)
        )

    def open_pilot(self, reference: str) -> None:
        self.reference = reference
        self._load(reference, with_list=False)

    def reload(self) -> None:
        self._load(self.reference, with_list=True)

    def _load(self, reference: str | None, *, with_list: bool) -> None:
        def work(job: Job) -> tuple[Any, Any, Any]:
            from testlearn.services import merging, pilots

            db = job.ctx.require_database()
            detail = pilots.get_pilot(reference, db=db) if reference else None
            origin = merging.provenance_of_pilot(reference, db=db) if reference else None
            summaries = pilots.list_pilots(db=db) if with_list else None
            return detail, origin, summaries

        def done(result: tuple[Any, Any, Any]) -> None:
            detail, origin, summaries = result
            if summaries is not None:
                self.pilots_loaded.emit(summaries)
            if detail is not None and detail.pilot.reference == self.reference:
                self.detail = detail
                self.provenance = origin or []
                self.pilot_loaded.emit(detail)

        def failed(error: BaseException) -> None:
            report_error(self.window, error, "reading the pilot")

        self.lane.submit(Job("Reading the pilot", work, on_done=done, on_error=failed))

    # -- edits -----------------------------------------------------------------------------

    def edit_field(
        self, entity: str, row_id: uuid.UUID, field: str, old: Any, new: Any, label: str
    ) -> None:
        """Save one field as one transaction; once saved it can be undone with Ctrl+Z."""

        def pushed(_result: Any) -> None:
            self.undo_stack.push(FieldEditCommand(self, entity, row_id, field, old, new, label))
            self.status.emit(f"Saved {label}")

        self.run(f"Saving {label}", self._update(entity, row_id, field, new), pushed)

    def save_field(self, entity: str, row_id: uuid.UUID, field: str, value: Any) -> None:
        """Write ``value`` as a new revision (used by undo and redo)."""
        self.run(
            f"Saving {field}",
            self._update(entity, row_id, field, value),
            lambda _r: self.status.emit(f"Restored {field}"),
        )

    @staticmethod
    def _update(entity: str, row_id: uuid.UUID, field: str, value: Any) -> Callable[[Job], Any]:
        def work(job: Job) -> Any:
            from testlearn.services.pilots import update_record

            return update_record(
                entity, row_id, {field: value}, db=job.ctx.require_database(), actor=job.ctx.actor
            )

        return work
