"""One field edit on the undo stack; undoing it saves the old value as a new revision."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QUndoCommand

if TYPE_CHECKING:
    from ui.pilot_session import PilotSession


class FieldEditCommand(QUndoCommand):
    """Setting ``field`` of a record from ``old`` to ``new``.

    The edit's save is already queued when the command is pushed, so the first ``redo`` (which
    QUndoStack calls on push) does nothing; an undo queued behind it runs after it. Undo and
    redo each write a new revision; nothing in the history is ever rewritten.
    """

    def __init__(
        self,
        session: PilotSession,
        entity: str,
        row_id: uuid.UUID,
        field: str,
        old: Any,
        new: Any,
        label: str,
    ) -> None:
        super().__init__(f"edit {label}")
        self._session = session
        self._entity, self._row_id, self._field = entity, row_id, field
        self._old, self._new = old, new
        self._label = label
        self._saved = True

    def redo(self) -> None:
        if self._saved:
            self._saved = False
            return
        self._session.save_field(self._entity, self._row_id, self._field, self._new, self._label)

    def undo(self) -> None:
        if self.isObsolete():
            return  # its save was refused: there is nothing to take back
        self._session.save_field(self._entity, self._row_id, self._field, self._old, self._label)
