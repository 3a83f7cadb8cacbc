"""Creating a pilot: the few fields it cannot exist without."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from PySide6.QtWidgets import QDialog, QWidget

from testlearn.domain.records import PilotFields
from testlearn.domain.vocabulary import Mission
from ui.new_record_dialog import NewRecordDialog

FIELDS = ("reference", "title", "lead_organisation", "primary_mission", "problem_statement")


class NewPilotDialog(NewRecordDialog):
    """``ask`` returns the new pilot's values, or None.

    Given the references already in use, a reference taken by another pilot is caught here,
    with the dialog still open, rather than refused after it has closed.
    """

    def __init__(
        self,
        parent: QWidget | None,
        existing_references: Collection[str] = (),
        values: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(
            "New pilot",
            PilotFields,
            FIELDS,
            {"primary_mission": Mission},
            ("problem_statement",),
            parent,
            values,
        )
        self.existing_references = tuple(existing_references)

    def check(self, values: Mapping[str, Any]) -> dict[str, str]:
        from testlearn.services.checks import check_new_pilot

        return check_new_pilot(values, existing_references=self.existing_references)

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        *_: Any,
        existing_references: Collection[str] = (),
        values: Mapping[str, Any] | None = None,
        **__: Any,
    ) -> dict[str, Any] | None:
        dialog = cls(parent, existing_references, values)
        return dialog.answer() if dialog.exec() == QDialog.DialogCode.Accepted else None
