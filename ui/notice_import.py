"""Pilot > Import procurement notices: a contract's notices from Find a Tender, on the lane."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ui.file_dialogs import FileDialogs
from ui.message_box import MessageBox


def import_notices(window: Any) -> None:
    """Ask for a notice file, then import it into the pilot on screen's contract."""
    detail = window.session.detail
    if window.session.reference is None or detail is None:
        MessageBox.inform(window, "Import procurement notices", "Select a pilot first.")
        return
    path = FileDialogs.ask_notice_file(window)
    if path is None:
        return
    import_notice_file(window, detail.pilot.reference, path)


def import_notice_file(window: Any, reference: str, path: Path) -> None:
    def work(job: Any) -> Any:
        from testlearn.services.notice_import import import_notices as bring_in

        return bring_in(reference, path, db=job.ctx.require_database(), actor=job.ctx.actor)

    def done(result: Any) -> None:
        text = f"{result.describe()}."
        if result.concerns:
            text += f" {len(result.concerns)} concerns: see the KPIs on Procurement and KPIs."
        window.session.status.emit(text)

    window.session.run(f"Importing notices from {path.name}", work, done)
