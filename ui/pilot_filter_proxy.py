"""Search and filters over the pilot list: text, mission, status, organisation and verdict."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt

from ui.labels import mission_label, status_label, verdict_label
from ui.pilot_list_model import PilotListModel

if TYPE_CHECKING:
    from testlearn.domain.pilot_detail import PilotSummary

Index = QModelIndex | QPersistentModelIndex
FILTERS = ("mission", "status", "organisation", "verdict")


class PilotFilterProxy(QSortFilterProxyModel):
    """Shows the pilots that match every filter and contain every word of the search.

    Sorting is handed to the source model, which sorts once with precomputed keys; the proxy
    then only filters, in source order. Each search or filter change is answered for every
    row in one pass over the summaries, so the proxy's per-row question is a list look-up:
    a keystroke over ten thousand pilots stays well inside what a typist notices.
    """

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setDynamicSortFilter(False)
        self._words: list[str] = []
        self._filters: dict[str, str | None] = dict.fromkeys(FILTERS)
        self._haystacks: dict[str, str] = {}  # search text by pilot reference
        self._shown: list[bool] | None = None  # the answer for each source row

    def setSourceModel(self, source: Any) -> None:
        # Answers are dropped before the rows move, so the proxy never asks about a row
        # with an answer that belonged to another one.
        for signal in (
            source.modelAboutToBeReset,
            source.layoutAboutToBeChanged,
            source.rowsAboutToBeInserted,
            source.rowsAboutToBeRemoved,
        ):
            signal.connect(self._forget_answers)
        super().setSourceModel(source)
        # Cached search text is rebuilt whenever the rows it came from change.
        for signal in (source.modelReset, source.dataChanged, source.rowsInserted):
            signal.connect(self._forget_haystacks)

    def _forget_answers(self, *_: object) -> None:
        self._shown = None

    def _forget_haystacks(self, *_: object) -> None:
        self._haystacks.clear()
        self._shown = None

    def set_search(self, text: str) -> None:
        words = text.casefold().split()
        if words != self._words:
            self.beginFilterChange()
            self._words = words
            self._shown = None
            self.endFilterChange()

    def set_filter(self, name: str, value: str | None) -> None:
        """Keep only pilots whose ``name`` (mission, status...) is ``value``; None for all."""
        if name not in FILTERS:
            raise ValueError(f"no filter {name!r}")
        if self._filters[name] != (value or None):
            self.beginFilterChange()
            self._filters[name] = value or None
            self._shown = None
            self.endFilterChange()

    def clear_filters(self) -> None:
        self.beginFilterChange()
        self._words = []
        self._filters = dict.fromkeys(FILTERS)
        self._shown = None
        self.endFilterChange()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        source = self.sourceModel()
        if source is not None:
            source.sort(column, order)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        source = self.sourceModel()
        if not isinstance(source, PilotListModel):
            return True
        shown = self._shown
        if shown is None or len(shown) != source.rowCount():
            shown = self._shown = [self._accepts(p) for p in source.summaries()]
        return shown[source_row]

    def _accepts(self, pilot: PilotSummary) -> bool:
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
        haystack = self._haystacks.get(pilot.reference)
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
            self._haystacks[pilot.reference] = haystack
        return all(word in haystack for word in self._words)
