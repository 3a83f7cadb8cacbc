"""The pilot being worked on: runs its actions on the lane and tells the window what changed."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoGroup, QUndoStack
from PySide6.QtWidgets import QWidget

from testlearn.errors import DatabaseBusy
from ui.error_reporting import report_error
from ui.field_edit_command import FieldEditCommand
from ui.job import Job, JobCancelled

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
    #: A field's save ended: (row id, field, None when saved or the reason it was not).
    save_finished = Signal(object, str, object)

    def __init__(self, lane: WorkerLane, parent: QWidget) -> None:
        super().__init__(parent)
        self.lane = lane
        self.window = parent
        #: One undo history per pilot: Ctrl+Z undoes the last edit of the pilot on screen.
        self.undo_group = QUndoGroup(self)
        self._stacks: dict[uuid.UUID, QUndoStack] = {}
        self._saving: Counter[tuple[Any, str]] = Counter()
        #: Set while the window closes: saves still run, reloads are no longer wanted.
        self.closing = False
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
            if reload and not self.closing:
                self.reload()

        def failed(error: BaseException) -> None:
            if on_error is not None:
                on_error(error)
            else:
                report_error(self.window, error, title.lower())
            what = f"{title[0].lower()}{title[1:]}"
            cancelled = isinstance(error, JobCancelled)
            self.status.emit(
                f"Cancelled {what}; nothing from it was saved" if cancelled else f"Not done: {what}"
            )

        return self.lane.submit(
            Job(title, work, on_done=done, on_error=failed, cancellable=cancellable)
        )

    def open_pilot(self, reference: str) -> None:
        self.reference = reference
        self._load(reference, with_list=False)

    def forget_history(self) -> None:
        """A new database: no edit of the old one may be undone into it."""
        for stack in self._stacks.values():
            self.undo_group.removeStack(stack)
            stack.deleteLater()
        self._stacks.clear()

    def undo_stack(self, pilot_id: uuid.UUID | None = None) -> QUndoStack:
        """The undo history of ``pilot_id`` (by default the pilot on screen)."""
        if pilot_id is None:
            pilot_id = self.detail.pilot.id if self.detail is not None else uuid.UUID(int=0)
        stack = self._stacks.get(pilot_id)
        if stack is None:
            stack = QUndoStack(self.undo_group)
            self.undo_group.addStack(stack)
            self._stacks[pilot_id] = stack
        return stack

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
                self.undo_group.setActiveStack(self.undo_stack(detail.pilot.id))
                self.pilot_loaded.emit(detail)

        def failed(error: BaseException) -> None:
            report_error(self.window, error, "reading the pilot")

        self.lane.submit(Job("Reading the pilot", work, on_done=done, on_error=failed))

    # -- edits -----------------------------------------------------------------------------

    def is_saving(self, row_id: Any, field: str) -> bool:
        """True while a save of ``field`` of record ``row_id`` is queued or running."""
        return self._saving[(row_id, field)] > 0

    def edit_field(
        self, entity: str, row_id: uuid.UUID, field: str, old: Any, new: Any, label: str
    ) -> None:
        """Save one field as one transaction; once saved it can be undone with Ctrl+Z.

        The edit goes on the undo history of the pilot it belongs to, taken now: by the time
        it is saved the user may be looking at another pilot.
        """
        stack = self.undo_stack()
        reference = self.detail.pilot.reference if self.detail is not None else ""
        if reference and not label.startswith(reference):
            label = f"{reference} {label}"

        # On the history at once, so Ctrl+Z undoes what the user did last even before it is
        # saved: the lane runs the undo after the save. A refused save leaves the history.
        command = FieldEditCommand(self, entity, row_id, field, old, new, label)
        stack.push(command)

        def refused() -> None:
            command.setObsolete(True)
            if stack.command(stack.index() - 1) is command:
                stack.undo()  # an obsolete command is dropped when it is undone

        self._save(
            f"Saving {label}",
            entity,
            row_id,
            field,
            new,
            lambda _r: self.status.emit(f"Saved {label}" + self._note(entity, field, new)),
            refused,
        )

    def _note(self, entity: str, field: str, value: Any) -> str:
        """ ". Note: ..." when the saved text gives commercial figures reports will withhold."""
        from testlearn.services.commercial_checks import commercial_warnings

        found = commercial_warnings(entity, {field: value}, self.detail)
        return f". Note: {found[field]}" if field in found else ""

    def save_field(
        self, entity: str, row_id: uuid.UUID, field: str, value: Any, label: str
    ) -> None:
        """Write ``value`` as a new revision (used by undo and redo)."""
        self._save(
            f"Saving {label}",
            entity,
            row_id,
            field,
            value,
            lambda _r: self.status.emit(f"Restored {label}"),
        )

    def _save(
        self,
        title: str,
        entity: str,
        row_id: uuid.UUID,
        field: str,
        value: Any,
        then: Callable[[Any], None],
        refused_then: Callable[[], None] | None = None,
    ) -> None:
        key = (row_id, field)
        self._saving[key] += 1

        def saved(result: Any) -> None:
            self._saving[key] -= 1
            then(result)
            self.save_finished.emit(row_id, field, None)

        def refused(error: BaseException) -> None:
            if isinstance(error, DatabaseBusy) and not self.closing:
                # Another program held the file past the lane's long wait: the edit is
                # queued again, never dropped, and the status bar says why.
                self.status.emit(
                    f"Waiting to save {title.removeprefix('Saving ')}: {error.holder}; the edit "
                    "is kept and will be saved when the file is free"
                )
                self.run(title, work, saved, on_error=refused)
                return
            self._saving[key] -= 1
            report_error(self.window, error, title[0].lower() + title[1:])
            if refused_then is not None:
                refused_then()
            self.save_finished.emit(row_id, field, str(error))

        work = self._update(entity, row_id, field, value)
        self.run(title, work, saved, on_error=refused)

    @staticmethod
    def _update(entity: str, row_id: uuid.UUID, field: str, value: Any) -> Callable[[Job], Any]:
        def work(job: Job) -> Any:
            from testlearn.services.pilots import update_record

            return update_record(
                entity, row_id, {field: value}, db=job.ctx.require_database(), actor=job.ctx.actor
            )

        return work
