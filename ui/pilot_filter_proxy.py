"""Search and filters over the pilot list: text, mission, status, organisation and verdict."""

from __future__ import annotations

import uuid
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt

from ui.labels import mission_label, status_label, verdict_label
from ui.pilot_list_model import PilotListModel

Index = QModelIndex | QPersistentModelIndex
FILTERS = ("mission", "status", "organisation", "verdict")


class PilotFilterProxy(QSortFilterProxyModel):
    """Shows the pilots that match every filter and contain every word of the search.

    Sorting is handed to the source model, which sorts once with precomputed keys; the proxy
    then only filters, in source order.
    """

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setDynamicSortFilter(False)
        self._words: list[str] = []
        self._filters: dict[str, str | None] = dict.fromkeys(FILTERS)
        self._haystacks: dict[uuid.UUID, str] = {}

    def setSourceModel(self, source: Any) -> None:
        super().setSourceModel(source)
        # Cached search text is rebuilt whenever the rows it came from change.
        for signal in (source.modelReset, source.dataChanged, source.rowsInserted):
            signal.connect(self._forget_haystacks)

    def _forget_haystacks(self, *_: object) -> None:
        self._haystacks.clear()

    def set_search(self, text: str) -> None:
        words = text.casefold().split()
        if words != self._words:
            self.beginFilterChange()
            self._words = words
            self.endFilterChange()

    def set_filter(self, name: str, value: str | None) -> None:
        """Keep only pilots whose ``name`` (mission, status...) is ``value``; None for all."""
        if name not in FILTERS:
            raise ValueError(f"no filter {name!r}")
        if self._filters[name] != (value or None):
            self.beginFilterChange()
            self._filters[name] = value or None
            self.endFilterChange()

    def clear_filters(self) -> None:
        self.beginFilterChange()
        self._words = []
        self._filters = dict.fromkeys(FILTERS)
        self.endFilterChange()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        source = self.sourceModel()
        if source is not None:
            source.sort(column, order)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        source = self.sourceModel()
        if not isinstance(source, PilotListModel):
            return True
        pilot = source.summary(source_row)
        f = self._filters
        if f["mission"] is not None and pilot.primary_mission != f["mission"]:
            return False
        if f["status"] is not None and pilot.status != f["status"]:
            return False
        if f["organisation"] is not None and pilot.lead_organisation != f["organisation"]:
            return False
        if f["verdict"] is not None and (pilot.primary_verdict or "") != f["verdict"]:
            return False
        if not self._words:
            return True
        haystack = self._haystacks.get(pilot.id)
        if haystack is None:
            haystack = "\n".join(
                (
                    pilot.reference,
                    pilot.title,
                    pilot.lead_organisation,
                    mission_label(pilot.primary_mission),
                    status_label(pilot.status),
                    verdict_label(pilot.primary_verdict),
                )
            ).casefold()
            self._haystacks[pilot.id] = haystack
        return all(word in haystack for word in self._words)
