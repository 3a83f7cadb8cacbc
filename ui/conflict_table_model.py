"""The kept conflicts as a table: record, field, base, ours (shown now), theirs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from testlearn.domain.merge_report import ConflictView
from ui.merge_words import CONFLICT_KINDS, field_words, value_text, when_text
from ui.record_table_model import RecordTableModel

COLUMNS = (
    ("Record", lambda c: c.label),
    ("Field", lambda c: field_words(c.entity, c.field)),
    ("Base (before either change)", lambda c: value_text(c.base)),
    ("Ours (shown now)", lambda c: value_text(c.ours)),
    ("Theirs", lambda c: value_text(c.theirs)),
    ("Status", lambda c: "open" if c.status == "open" else c.status),
    ("From file", lambda c: Path(c.source).name if c.source else ""),
    ("Found", lambda c: when_text(c.detected_at)),
)


def _tooltip(conflict: ConflictView) -> str:
    kind = CONFLICT_KINDS.get(conflict.kind, conflict.kind)
    text = f"{conflict.label}, {field_words(conflict.entity, conflict.field)}: {kind}"
    return text + (f"\n{conflict.detail}" if conflict.detail else "")


class ConflictTableModel(RecordTableModel):
    """One row per kept conflict (a ``ConflictView``), read-only."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(COLUMNS, tooltip=_tooltip, parent=parent)

    def conflict(self, row: int) -> ConflictView:
        found: ConflictView = self.record(row)
        return found
