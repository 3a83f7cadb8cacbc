"""Search and filters over the pilot list: text, mission, status, organisation and verdict.

The search reads the columns and also each pilot's problem statement, hypotheses and lessons
(``PilotSummary.search_text``, casefolded on the worker lane when the list was read).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt

from ui.labels import mission_label, result_label, status_label
from ui.pilot_list_model import PilotListModel

if TYPE_CHECKING:
    from testlearn.domain.pilot_detail import PilotSummary

Index = QModelIndex | QPersistentModelIndex
FILTERS = ("mission", "status", "organisation", "verdict")


class PilotFilterProxy(QSortFilterProxyModel):
    """Shows the pilots that match every filter and contain every word of the search.

    Sorting is handed to the source model, which sorts once with precomputed keys, and so is
    showing and hiding: each search or filter change is answered for every pilot in one
    pass over the summaries, and the model then shows just those rows. The proxy itself
    asks nothing per row (it has no filter of its own), so Qt never calls back into Python
    ten thousand times for a keystroke.
    """

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setDynamicSortFilter(False)
        self._words: list[str] = []
        self._filters: dict[str, str | None] = dict.fromkeys(FILTERS)
        self._haystacks: dict[str, str] = {}  # search text by pilot reference
        self._applying = False

    def setSourceModel(self, source: Any) -> None:
        super().setSourceModel(source)
        # New or changed rows change what each search finds: rebuild the search text, and
        # apply the current search and filters to a newly filled list.
        source.modelReset.connect(self._rows_replaced)
        source.dataChanged.connect(self._forget_haystacks)

    def _rows_replaced(self) -> None:
        if not self._applying:
            self._haystacks.clear()
            self._apply()

    def _forget_haystacks(self, *_: object) -> None:
        self._haystacks.clear()

    def _apply(self) -> None:
        source = self.sourceModel()
        if not isinstance(source, PilotListModel):
            return
        self._applying = True
        try:
            active = self._words or any(v is not None for v in self._filters.values())
            source.show_only(self._answers(source.all_summaries()) if active else None)
        finally:
            self._applying = False

    def set_search(self, text: str) -> None:
        words = text.casefold().split()
        if words != self._words:
            self._words = words
            source = self.sourceModel()
            if isinstance(source, PilotListModel):
                source.set_search_words(words)
            self._apply()

    def set_filter(self, name: str, value: str | None) -> None:
        """Keep only pilots whose ``name`` (mission, status...) is ``value``; None for all."""
        if name not in FILTERS:
            raise ValueError(f"no filter {name!r}")
        if self._filters[name] != (value or None):
            self._filters[name] = value or None
            self._apply()

    def clear_filters(self) -> None:
        self._words = []
        source = self.sourceModel()
        if isinstance(source, PilotListModel):
            source.set_search_words([])
        self._filters = dict.fromkeys(FILTERS)
        self._apply()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        source = self.sourceModel()
        if source is not None:
            source.sort(column, order)

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
        """The searchable text of each pilot; labels looked up once per code, not per row.

        The long part (reference, title, organisation, problem statement, hypotheses and
        lessons) comes casefolded from the worker lane (``PilotSummary.search_words``); the
        labels are added here, once per combination. Built on the first keystroke after the
        list is filled and kept: each keystroke after that is one pass of substring tests.
        """
        cache = self._haystacks
        labels: dict[tuple[str | None, str, str | None, str | None, int | None], str] = {}
        found = []
        for pilot in pilots:
            haystack = cache.get(pilot.reference)
            if haystack is None:
                key = (
                    pilot.primary_mission,
                    pilot.status,
                    pilot.primary_verdict,
                    pilot.primary_grade,
                    pilot.primary_evidence_level,
                )
                label = labels.get(key)
                if label is None:
                    label = labels[key] = "\n".join(
                        (
                            mission_label(pilot.primary_mission),
                            status_label(pilot.status),
                            result_label(
                                pilot.primary_verdict,
                                pilot.primary_grade,
                                pilot.primary_evidence_level,
                            ),
                        )
                    ).casefold()
                words = (
                    pilot.search_words
                    or "\n".join((pilot.reference, pilot.title, pilot.lead_organisation)).casefold()
                )
                haystack = cache[pilot.reference] = f"{words}\n{label}"
            found.append(haystack)
        return found
