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
            shown = self._shown = self._answers(source.summaries())
        return shown[source_row]

    def _answers(self, pilots: list[PilotSummary]) -> list[bool]:
        """Whether each pilot is shown, in one pass with the filters read once."""
        f = self._filters
        checks = [
            (attribute, value)
            for attribute, value in (
                ("primary_mission", f["mission"]),
                ("status", f["status"]),
                ("lead_organisation", f["organisation"]),
                ("primary_verdict", f["verdict"]),
            )
            if value is not None
        ]
        words = self._words
        haystacks = self._haystacks_of(pilots) if words else []
        answers = []
        for row, pilot in enumerate(pilots):
            shown = all(getattr(pilot, a) == v for a, v in checks)
            if shown and words:
                haystack = haystacks[row]
                shown = all(word in haystack for word in words)
            answers.append(shown)
        return answers

    def _haystacks_of(self, pilots: list[PilotSummary]) -> list[str]:
        """The searchable text of each pilot; labels looked up once per code, not per row."""
        cache = self._haystacks
        labels: dict[tuple[str, str | None], str] = {}

        def label(kind: str, code: str | None) -> str:
            key = (kind, code)
            if key not in labels:
                find = {"mission": mission_label, "status": status_label}.get(kind)
                labels[key] = find(code) if find else verdict_label(code)
            return labels[key]

        found = []
        for pilot in pilots:
            haystack = cache.get(pilot.reference)
            if haystack is None:
                haystack = "\n".join(
                    (
                        pilot.reference,
                        pilot.title,
                        pilot.lead_organisation,
                        label("mission", pilot.primary_mission),
                        label("status", pilot.status),
                        label("verdict", pilot.primary_verdict),
                    )
                ).casefold()
                cache[pilot.reference] = haystack
            found.append(haystack)
        return found
