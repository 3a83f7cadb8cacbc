"""The pilot list as a table model over frozen summaries.

Rows are held as the service returned them and formatted only when a view asks for a cell,
so ten thousand pilots cost a list of small records and nothing more. Which rows are shown is
decided here too, in one pass (see ``show_only``): a filter proxy would ask Python about every
one of ten thousand rows on every keystroke. Sorting is done here
with precomputed keys (one Python sort) instead of through the proxy's per-comparison
callbacks, which would call back into Python hundreds of thousands of times.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from testlearn.services.spreadsheets import SheetColumn
from ui.labels import VERDICT_ACCENTS, mission_label, money, result_label, status_label

if TYPE_CHECKING:
    from testlearn.domain.pilot_detail import PilotSummary

Index = QModelIndex | QPersistentModelIndex
# The verdict comes straight after the title: it is what a reader of the register looks for,
# and it stays in view when the list is narrow; the long organisation names come last.
COLUMNS = ("Reference", "Title", "Primary verdict", "Mission", "Status", "Spend", "Organisation")
REFERENCE, TITLE, VERDICT, MISSION, STATUS, SPEND, ORGANISATION = range(len(COLUMNS))
#: Returns the summary behind a row, for the filter proxy and the window.
SummaryRole = Qt.ItemDataRole.UserRole + 1


class PilotListModel(QAbstractTableModel):
    """One row per pilot: reference, title, organisation, mission, status, verdict, spend."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._all: list[PilotSummary] = []  # every pilot, in the current sort order
        self._rows: list[PilotSummary] = []  # the ones shown
        self._keep: list[bool] | None = None  # per pilot in _all; None shows all
        self._words: list[str] = []  # the search, casefolded: tooltips say where it matched

    # -- filling -------------------------------------------------------------------------

    def set_pilots(self, pilots: Sequence[PilotSummary]) -> None:
        self.beginResetModel()
        self._all = list(pilots)
        self._keep = None
        self._rows = list(self._all)
        self.endResetModel()

    def show_only(self, keep: Sequence[bool] | None) -> None:
        """Show the pilots whose flag is true (one per pilot of ``all_summaries``); None: all."""
        rows = (
            list(self._all)
            if keep is None
            else [p for p, k in zip(self._all, keep, strict=True) if k]
        )
        if rows == self._rows:
            return
        self.beginResetModel()
        self._keep = None if keep is None else list(keep)
        self._rows = rows
        self.endResetModel()

    def set_search_words(self, words: list[str]) -> None:
        """The current search, so each row's tooltip can say where it was found."""
        self._words = list(words)

    def matched_in(self, pilot: PilotSummary) -> list[str]:
        """Where the current search was found beyond the columns (problem statement...)."""
        return pilot.matched_in(self._words) if self._words else []

    def all_summaries(self) -> list[PilotSummary]:
        """Every pilot, shown or not, in the current order."""
        return list(self._all)

    def total(self) -> int:
        return len(self._all)

    def replace_pilot(self, pilot: PilotSummary) -> None:
        """Update one row in place after an edit (or add it if it is new)."""
        for position, current in enumerate(self._all):
            if current.id == pilot.id:
                self._all[position] = pilot
                break
        else:
            self._all.append(pilot)
            if self._keep is not None:
                self._keep.append(True)  # a pilot just added stays in view until refiltered
        for row, current in enumerate(self._rows):
            if current.id == pilot.id:
                self._rows[row] = pilot
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))
                return
        self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows))
        self._rows.append(pilot)
        self.endInsertRows()

    def summary(self, row: int) -> PilotSummary:
        return self._rows[row]

    def summaries(self) -> list[PilotSummary]:
        return list(self._rows)

    def sheet(self) -> tuple[list[SheetColumn], list[list[Any]]]:
        """The rows shown, in the order shown, for a spreadsheet: spend as a number."""
        columns = [
            SheetColumn(title, "money" if c == SPEND else "text") for c, title in enumerate(COLUMNS)
        ]
        rows = [
            [p.spend if c == SPEND else self._text(p, c) for c in range(len(COLUMNS))]
            for p in self._rows
        ]
        return columns, rows

    def longest_reference(self) -> str:
        """The reference that needs the most room, of every pilot (shown or not)."""
        return max((p.reference for p in self._all), key=len, default="")

    def row_of(self, reference: str) -> int:
        for row, pilot in enumerate(self._rows):
            if pilot.reference == reference:
                return row
        return -1

    # -- the model interface ---------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(COLUMNS)
            and role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole)
        ):
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        pilot = self._rows[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(pilot, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(pilot, column)
        if role == Qt.ItemDataRole.DecorationRole and column == VERDICT:
            accent = VERDICT_ACCENTS.get(pilot.primary_verdict or "")
            return QColor(accent) if accent else None
        if role == Qt.ItemDataRole.TextAlignmentRole and column == SPEND:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == SummaryRole:
            return pilot
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS):
            return
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        old_ids = [self._rows[i.row()].id for i in old]

        def key(p: PilotSummary) -> Any:
            if column == SPEND:
                return (p.spend is None, p.spend or 0.0)
            return self._text(p, column).casefold()

        descending = order == Qt.SortOrder.DescendingOrder
        if self._keep is None:
            self._all.sort(key=key, reverse=descending)
        else:  # keep each pilot's shown flag with it
            pairs = sorted(
                zip(self._all, self._keep, strict=True),
                key=lambda pk: key(pk[0]),
                reverse=descending,
            )
            self._all, self._keep = [p for p, _ in pairs], [k for _, k in pairs]
        self._rows.sort(key=key, reverse=descending)
        position = {pilot.id: row for row, pilot in enumerate(self._rows)}
        self.changePersistentIndexList(
            old,
            [self.index(position[pid], i.column()) for pid, i in zip(old_ids, old, strict=True)],
        )
        self.layoutChanged.emit()

    def _tooltip(self, pilot: PilotSummary, column: int) -> str | None:
        # Asked only for the row under the pointer, so working out the match here is free.
        lines = [self._text(pilot, column)] if column not in (STATUS, SPEND) else []
        found = self.matched_in(pilot)
        if found:
            lines.append("Search found in: " + ", ".join(found))
        return "\n".join(line for line in lines if line) or None

    @staticmethod
    def _text(pilot: PilotSummary, column: int) -> str:
        if column == REFERENCE:
            return pilot.reference
        if column == TITLE:
            return pilot.title
        if column == ORGANISATION:
            return pilot.lead_organisation
        if column == MISSION:
            return mission_label(pilot.primary_mission)
        if column == STATUS:
            return status_label(pilot.status)
        if column == VERDICT:
            return result_label(
                pilot.primary_verdict,
                pilot.primary_grade,
                pilot.primary_evidence_level,
                stale=pilot.primary_stale,
            )
        if column == SPEND:
            return money(pilot.spend)
        return ""
