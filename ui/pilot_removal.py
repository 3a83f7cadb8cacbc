"""Pilot > Archive pilot and Delete pilot: what happens to the history is said before it happens.

Archiving keeps the pilot in the register with status Archived. Deleting tombstones the pilot
and every record of it: they leave the register but stay in the history, so the deletion can
be traced and merged. A pilot with a registration cannot be deleted (its registered claims
must stay checkable); archiving is offered instead.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from ui.labels import status_label
from ui.message_box import MessageBox


def _current(window: Any, title: str) -> Any:
    detail = window.session.detail
    if window.session.reference is None or detail is None:
        MessageBox.inform(window, title, "Select a pilot first.")
        return None
    return detail


def archive_pilot(window: Any) -> None:
    """Ask, then set the selected pilot's status to Archived."""
    detail = _current(window, "Archive pilot")
    if detail is None:
        return
    pilot = detail.pilot
    if pilot.status == "archived":
        MessageBox.inform(window, "Archive pilot", f"{pilot.reference} is already archived.")
        return
    question = (
        f"Archive {pilot.reference} \u201c{pilot.title}\u201d?\n\n"
        f"Its status becomes Archived (it is {status_label(pilot.status)} now). It stays in the "
        "register with all its records, results and history, and can be brought back by "
        "setting its status again."
    )
    if MessageBox.ask(window, "Archive pilot", question, yes="Archive"):
        _archive(window, pilot.reference)


def _archive(window: Any, reference: str) -> None:
    def work(job: Any) -> Any:
        from testlearn.services.pilots import archive_pilot as archive

        return archive(reference, db=job.ctx.require_database(), actor=job.ctx.actor)

    window.session.run(
        "Archiving the pilot", work, lambda _p: window.session.status.emit(f"Archived {reference}")
    )


def delete_pilot(window: Any) -> None:
    """Ask, then tombstone the selected pilot and its records; offer archiving if registered."""
    detail = _current(window, "Delete pilot")
    if detail is None:
        return
    pilot = detail.pilot
    registered = [h.hypothesis.code for h in detail.hypotheses if h.registered]
    if registered or detail.registrations:
        question = (
            f"{pilot.reference} has registered hypotheses ({', '.join(registered)}). "
            "Registered claims must stay checkable, so it cannot be deleted.\n\n"
            "Archive it instead? It stays in the register with status Archived."
        )
        if MessageBox.ask(window, "Delete pilot", question, yes="Archive"):
            _archive(window, pilot.reference)
        return
    records = (
        len(detail.procurements)
        + sum(1 + len(k.ratings) for k in detail.kpis)
        + len(detail.comparators)
        + len(detail.hypotheses)
        + len(detail.costs)
        + len(detail.lessons)
        + len(detail.decisions)
    )
    question = (
        f"Delete {pilot.reference} \u201c{pilot.title}\u201d"
        + (f" and its {records} records" if records else "")
        + "?\n\nIt leaves the register. Every record stays in the history as deleted, so "
        "the deletion can be traced and reaches the central team with the next export. "
        "It cannot be undone from the window."
    )
    if not MessageBox.ask(window, "Delete pilot", question, yes="Delete"):
        return
    reference = pilot.reference

    def work(job: Any) -> int:
        from testlearn.services.pilots import delete_pilot as delete

        return delete(reference, db=job.ctx.require_database(), actor=job.ctx.actor)

    def deleted(_count: int) -> None:
        window.session.reference = None
        window.session.detail = None
        window.session.status.emit(f"Deleted {reference}")
        window.session.pilots_loaded.connect(
            _select_first, type=Qt.ConnectionType.SingleShotConnection
        )

    def _select_first(summaries: Any) -> None:
        if summaries:
            window.pilots.table.selectRow(0)

    window.session.run("Deleting the pilot", work, deleted)
