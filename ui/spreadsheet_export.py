"""Saving a table the window shows as an Excel workbook: ask where, then write it on the lane."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QWidget

from ui.file_dialogs import FileDialogs

if TYPE_CHECKING:
    from testlearn.services.spreadsheets import SheetColumn, Value
    from ui.pilot_session import PilotSession


def export_table(
    session: PilotSession,
    parent: QWidget,
    *,
    title: str,
    suggested: str,
    sheet: str,
    columns: Sequence[SheetColumn],
    rows: Sequence[Sequence[Value]],
) -> None:
    """Ask for a file name, then write ``rows`` there; the status bar says when it is saved.

    The rows are plain values gathered on the window's thread from what it shows; the
    workbook is written on the worker lane. A file that cannot be written is reported in
    one line naming it (``SpreadsheetError``), and nothing is left half-written.
    """
    path = FileDialogs.ask_xlsx_path(parent, title, suggested)
    if path is None:
        return
    rows = [list(row) for row in rows]  # a snapshot: the list may change while it is written

    def work(_job: Any) -> int:
        from testlearn.services.spreadsheets import write_table

        return write_table(path, sheet=sheet, columns=columns, rows=rows)

    def done(count: int) -> None:
        session.status.emit(f"Saved {count:,} row{'s' if count != 1 else ''} to {path}")

    session.run(title, work, done, reload=False)
