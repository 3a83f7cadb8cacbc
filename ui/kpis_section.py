"""The pilot's KPIs with their level, mission link and ratings: added, edited, removed, rated."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtWidgets import QGroupBox, QLabel, QVBoxLayout, QWidget

from testlearn.domain.formats import format_date
from testlearn.domain.records import KpiFields, KpiRatingFields
from testlearn.domain.vocabulary import KpiLevel, KpiRating, Mission, MissionAlignment
from ui.labels import mission_label, term_label
from ui.pilot_session import PilotSession
from ui.record_changes import Form, ask_and_add, ask_and_edit, ask_and_remove
from ui.record_table import RecordTable
from ui.record_table_model import RecordTableModel

FLAG_COLOUR = "#c62828"
KPI = Form(
    "kpi",
    KpiFields,
    ("name", "level", "mission_alignment", "mission", "target", "description", "published"),
    {"level": KpiLevel, "mission_alignment": MissionAlignment, "mission": Mission},
    ("description",),
)
RATING = Form("kpi_rating", KpiRatingFields, ("year", "rating", "note"), {"rating": KpiRating})


def kpi_flag(item: Any) -> str:
    """Why a KPI is a weak measure of the pilot's purpose, or "" if it is not."""
    kpi = item.kpi
    problems = []
    if kpi.level in ("input", "output"):
        problems.append(f"{term_label(KpiLevel, kpi.level).lower()} KPI, not an outcome")
    if kpi.mission_alignment in ("none", "weak") or not kpi.mission:
        problems.append("not linked to a mission")
    return "; ".join(problems)


def latest_rating(item: Any) -> str:
    """The pilot's own latest rating, by financial year (statutory ones are shown apart)."""
    own = [r for r in item.ratings if not r.source_notice]
    if not own:
        return ""
    rating = sorted(own, key=lambda r: r.year)[-1]
    return f"{term_label(KpiRating, rating.rating)} ({rating.year})"


def statutory_rating(item: Any) -> str:
    """The latest rating a contract performance notice (UK9) published, with its date."""
    published = [r for r in item.ratings if r.source_notice]
    if not published:
        return ""
    rating = sorted(published, key=lambda r: (r.assessed_on or dt.date.min, r.year))[-1]
    when = format_date(rating.assessed_on) if rating.assessed_on else rating.year
    return f"{term_label(KpiRating, rating.rating)} ({when})"


class KpisSection(QGroupBox):
    """KPIs in a table (buttons, right-click menu, Enter and Delete), the ratings of the
    selected one below."""

    def __init__(self, session: PilotSession, parent: QWidget | None = None) -> None:
        super().__init__("KPIs", parent)
        self.session = session
        self.detail: Any = None
        self.kpis = RecordTableModel(
            [
                ("KPI", lambda k: k.kpi.name),
                ("Level", lambda k: term_label(KpiLevel, k.kpi.level)),
                (
                    "Mission alignment",
                    lambda k: term_label(MissionAlignment, k.kpi.mission_alignment),
                ),
                ("Mission", lambda k: mission_label(k.kpi.mission)),
                ("Latest rating", latest_rating),
                ("Statutory rating", statutory_rating),
                ("Concern", kpi_flag),
            ],
            accent=lambda k: FLAG_COLOUR if kpi_flag(k) else None,
            tooltip=lambda k: kpi_flag(k) or None,
            parent=self,
        )
        self.table = RecordTable(
            self.kpis,
            "KPIs",
            on_add=lambda _r: self.add_kpi(),
            on_edit=lambda item: ask_and_edit(session, self, self._reference(), KPI, item.kpi),
            on_remove=self.remove_kpi,
            parent=self,
        )
        self.rate_action = self.table.action("Add rating...", self.add_rating)
        self.ratings = RecordTableModel(
            [
                ("Financial year", lambda r: r.year),
                ("Rating", lambda r: term_label(KpiRating, r.rating)),
                ("From notice", lambda r: r.source_notice),
                ("Note", lambda r: r.note),
            ],
            parent=self,
        )
        self.rating_table = RecordTable(
            self.ratings,
            "Ratings of the selected KPI",
            on_add=lambda _r: self._rate_selected(),
            on_edit=lambda r: ask_and_edit(session, self, self._reference(), RATING, r),
            on_remove=self.remove_rating,
            stretch=2,
            parent=self,
        )
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._show_ratings())
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.ratings_label = QLabel("Ratings of the selected KPI:", self)
        self.ratings_label.setBuddy(self.rating_table)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addLayout(
            self.table.buttons(
                {
                    # Mnemonics that no tab, menu or other button of the window uses.
                    self.table.add_action: "Add KPI...",
                    self.table.edit_action: "Edi&t KPI...",
                    self.table.remove_action: "Re&move KPI...",
                    self.rate_action: "Add &rating...",
                }
            )
        )
        layout.addWidget(self.table)
        layout.addWidget(self.ratings_label)
        layout.addWidget(self.rating_table)
        row = self.rating_table.buttons(
            {
                self.rating_table.add_action: "Add rating...",
                self.rating_table.edit_action: "Edit rating...",
                self.rating_table.remove_action: "Remove rating...",
            }
        )
        layout.addLayout(row)

    def set_detail(self, detail: Any) -> None:
        selected = self._selected_kpi()
        self.detail = detail
        self.kpis.set_records(detail.kpis)
        ids = [item.kpi.id for item in detail.kpis]
        if selected is not None and selected.kpi.id in ids:
            self.table.select_row(ids.index(selected.kpi.id))
        else:
            self.table.select_row(0)  # so the ratings below are of something
        self._show_ratings()
        flagged = [k for k in detail.kpis if kpi_flag(k)]
        if not detail.kpis:
            text = "No KPIs recorded: add the KPIs the contract is managed by."
        elif flagged:
            text = (
                f"{len(flagged)} of {len(detail.kpis)} KPIs are inputs or outputs, or are not "
                "linked to a mission: they can be rated Good while the outcome fails."
            )
        else:
            text = "Every KPI is outcome-focused and linked to a mission."
        # The Procurement Act's duty on contracts above £5m, said first.
        from testlearn.services.checks import contract_concerns

        duties = [c for c in contract_concerns(detail) if c.startswith("Contract ")]
        self.summary.setText(" ".join([*(f"{c}." for c in duties), text]))
        row_height = self.table.verticalHeader().defaultSectionSize()
        self.table.setMinimumHeight(row_height * (min(len(detail.kpis), 6) + 2))

    # -- actions ---------------------------------------------------------------------------

    def add_kpi(self) -> None:
        ask_and_add(self.session, self, self._reference(), KPI)

    def add_rating(self, item: Any) -> None:
        ask_and_add(
            self.session,
            self,
            self._reference(),
            RATING,
            title=f"Rate the KPI \u201c{item.kpi.name}\u201d",
            kpi=item.kpi.id,
        )

    def remove_kpi(self, item: Any) -> None:
        count = len(item.ratings)
        also = f" Its {count} rating{'s' if count != 1 else ''} go with it." if count else ""
        ask_and_remove(
            self.session, self, self._reference(), "kpi", item.kpi, item.kpi.name, also=also
        )

    def remove_rating(self, rating: Any) -> None:
        item = self._selected_kpi()
        name = item.kpi.name if item is not None else "KPI"
        label = f"{name} {rating.year}"
        ask_and_remove(self.session, self, self._reference(), "kpi_rating", rating, label)

    # -- internals -------------------------------------------------------------------------

    def _reference(self) -> str:
        return str(self.detail.pilot.reference) if self.detail is not None else ""

    def _selected_kpi(self) -> Any:
        return self.table.selected_record()

    def _rate_selected(self) -> None:
        item = self._selected_kpi()
        if item is not None:
            self.add_rating(item)

    def _show_ratings(self) -> None:
        item = self._selected_kpi()
        self.ratings.set_records(sorted(item.ratings, key=lambda r: r.year) if item else [])
        self.rating_table.add_action.setEnabled(item is not None)
        rows = min(max(self.ratings.rowCount(), 1), 4)
        row_height = self.rating_table.verticalHeader().defaultSectionSize()
        self.rating_table.setFixedHeight(row_height * (rows + 2))
