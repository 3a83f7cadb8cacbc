"""Creating a pilot: the few fields it cannot exist without."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget

from testlearn.domain.records import PilotFields
from testlearn.domain.vocabulary import Mission
from ui.new_record_dialog import NewRecordDialog


class NewPilotDialog(NewRecordDialog):
    """``ask`` returns the new pilot's values, or None."""

    @classmethod
    def ask(cls, parent: QWidget | None, *_: Any, **__: Any) -> dict[str, Any] | None:  # type: ignore[override]
        return NewRecordDialog.ask(
            parent,
            "New pilot",
            PilotFields,
            ("reference", "title", "lead_organisation", "primary_mission", "problem_statement"),
            {"primary_mission": Mission},
            ("problem_statement",),
        )
