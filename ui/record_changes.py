"""Adding, editing and removing one of the pilot's records from a tab, on the worker lane.

Each asks what it needs (the record's fields in a dialog, or a confirmation), then makes one
service call in one transaction; the session reloads the pilot once it is saved.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtWidgets import QWidget

from testlearn.domain.vocabulary import Term
from ui.message_box import MessageBox
from ui.new_record_dialog import NewRecordDialog
from ui.pilot_session import PilotSession

NOUNS = {
    "procurement": "procurement record",
    "kpi": "KPI",
    "kpi_rating": "KPI rating",
    "comparator": "comparator",
    "cost": "cost",
    "lesson": "lesson",
    "decision": "decision",
}


class Form:
    """What a dialog for one kind of record shows: its fields, pickers and long texts."""

    def __init__(
        self,
        entity: str,
        fields_of: Any,
        fields: Sequence[str],
        vocabularies: Mapping[str, type[Term]] | None = None,
        long_text: Sequence[str] = (),
    ) -> None:
        self.entity, self.fields_of, self.fields = entity, fields_of, tuple(fields)
        self.vocabularies = dict(vocabularies or {})
        self.long_text = tuple(long_text)

    @property
    def noun(self) -> str:
        return NOUNS[self.entity]

    def blank(self, field: str) -> Any:
        """What a field emptied in the dialog is saved as."""
        info = self.fields_of.model_fields[field]
        if info.default_factory is not None:
            return info.default_factory()
        return "" if info.is_required() or isinstance(info.default, str) else None


def commercial_note(session: PilotSession, entity: str) -> Any:
    """What a dialog says of commercial figures typed for ``entity`` of the session's pilot."""
    from testlearn.services.commercial_checks import commercial_warnings

    return lambda values: commercial_warnings(entity, values, session.detail)


def ask_and_add(
    session: PilotSession,
    parent: QWidget,
    reference: str,
    form: Form,
    *,
    title: str | None = None,
    kpi: Any = None,
) -> None:
    """Ask for a new record's fields; add it to the pilot (a rating to ``kpi``'s id)."""
    values = NewRecordDialog.ask(
        parent,
        title or f"Add a {form.noun}",
        form.fields_of,
        form.fields,
        form.vocabularies,
        form.long_text,
        warn=commercial_note(session, form.entity),
    )
    if values is None:
        return

    def work(job: Any) -> Any:
        from testlearn.services import pilot_records

        return pilot_records.add(
            reference,
            form.entity,
            values,
            kpi=kpi,
            db=job.ctx.require_database(),
            actor=job.ctx.actor,
        )

    session.run(
        f"Adding the {form.noun}", work, lambda _r: session.status.emit(f"Added the {form.noun}")
    )


def ask_and_edit(
    session: PilotSession, parent: QWidget, reference: str, form: Form, record: Any
) -> None:
    """Show ``record``'s fields filled in; save what was changed as one revision."""
    answer = NewRecordDialog.ask(
        parent,
        f"Edit the {form.noun}",
        form.fields_of,
        form.fields,
        form.vocabularies,
        form.long_text,
        values=record.model_dump(),
        button="Save",
        warn=commercial_note(session, form.entity),
    )
    if answer is None:
        return
    # The dialog leaves out what is empty: a field the user emptied is saved as blank.
    changes = {field: answer.get(field, form.blank(field)) for field in form.fields}

    def work(job: Any) -> Any:
        from testlearn.services import pilot_records

        return pilot_records.edit(
            reference,
            form.entity,
            record.id,
            changes,
            db=job.ctx.require_database(),
            actor=job.ctx.actor,
        )

    session.run(
        f"Saving the {form.noun}", work, lambda _r: session.status.emit(f"Saved the {form.noun}")
    )


def ask_and_remove(
    session: PilotSession,
    parent: QWidget,
    reference: str,
    entity: str,
    record: Any,
    label: str,
    *,
    also: str = "",
) -> None:
    """Confirm, then remove ``record``; it stays in the history as deleted."""
    noun = NOUNS[entity]
    question = (
        f"Remove the {noun} \u201c{label}\u201d from {reference}?{also}\n\n"
        "It leaves the pilot, but stays in the history as a deleted record, so the change "
        "can be traced and merged."
    )
    if not MessageBox.ask(parent, f"Remove the {noun}", question, yes="Remove"):
        return

    def work(job: Any) -> str:
        from testlearn.services import pilot_records

        return pilot_records.remove(
            reference, entity, record.id, db=job.ctx.require_database(), actor=job.ctx.actor
        )

    session.run(f"Removing the {noun}", work, lambda said: session.status.emit(said.capitalize()))
