"""Procurement and KPIs: the route and contract, and whether the KPIs measure outcomes."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHeaderView,
    QLabel,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from testlearn.domain.records import ProcurementFields
from testlearn.domain.vocabulary import (
    Accreditation,
    EngagementMethod,
    KpiLevel,
    KpiRating,
    MissionAlignment,
    PaymentMechanism,
    ProcurementRoute,
)
from ui.labels import mission_label, term_label
from ui.pilot_session import PilotSession
from ui.record_form import RecordForm
from ui.record_table_model import RecordTableModel

FIELDS = (
    "name",
    "route",
    "direct_award_justification",
    "contract_value",
    "pipeline_year",
    "supplier",
    "bidders",
    "engagement_methods",
    "suppliers_engaged",
    "smes_engaged",
    "engagement_changes",
    "payment_mechanism",
    "share_at_risk_pct",
    "contract_manager",
    "contract_manager_accreditation",
    "commercial_specialist",
    "break_clause",
    # Read by the brief (timing: when the contract ends) and the full report (commercial).
    "contract_start",
    "contract_end",
    "should_cost",
    "winning_bid",
    "outturn_cost",
)
FLAG_COLOUR = "#c62828"


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
    if not item.ratings:
        return ""
    rating = sorted(item.ratings, key=lambda r: r.year)[-1]
    return f"{term_label(KpiRating, rating.rating)} ({rating.year})"


class ProcurementTab(QScrollArea):
    """The pilot's procurement (editable) and its KPIs with level, alignment and flags."""

    def __init__(self, session: PilotSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setWidgetResizable(True)
        self.form = RecordForm(
            ProcurementFields,
            FIELDS,
            vocabularies={
                "route": ProcurementRoute,
                "payment_mechanism": PaymentMechanism,
                "contract_manager_accreditation": Accreditation,
                "engagement_methods[]": EngagementMethod,
            },
            long_text=("engagement_changes", "direct_award_justification"),
        )
        self.form.edited.connect(self._edited)
        self.none_label = QLabel("No procurement recorded for this pilot yet.")
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
                ("Concern", kpi_flag),
            ],
            accent=lambda k: FLAG_COLOUR if kpi_flag(k) else None,
            tooltip=lambda k: kpi_flag(k) or None,
            parent=self,
        )
        self.kpi_table = QTableView()
        self.kpi_table.setAccessibleName("KPIs")
        self.kpi_table.setModel(self.kpis)
        self.kpi_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.kpi_table.verticalHeader().setVisible(False)
        self.kpi_table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        self.kpi_table.horizontalHeader().setStretchLastSection(True)
        self.kpi_summary = QLabel()
        self.kpi_summary.setWordWrap(True)
        page = QWidget()
        layout = QVBoxLayout(page)
        contract = QGroupBox("Procurement", page)
        inner = QVBoxLayout(contract)
        inner.addWidget(self.none_label)
        inner.addWidget(self.form)
        kpis = QGroupBox("KPIs", page)
        kpi_layout = QVBoxLayout(kpis)
        kpi_layout.addWidget(self.kpi_summary)
        kpi_layout.addWidget(self.kpi_table)
        layout.addWidget(kpis)
        layout.addWidget(contract)
        self.setWidget(page)

    def set_detail(self, detail: Any) -> None:
        procurement = detail.procurements[0] if detail.procurements else None
        self.form.set_value(procurement)
        self.form.setVisible(procurement is not None)
        self.none_label.setVisible(procurement is None)
        self.kpis.set_records(detail.kpis)
        flagged = [k for k in detail.kpis if kpi_flag(k)]
        if not detail.kpis:
            self.kpi_summary.setText("No KPIs recorded.")
        elif flagged:
            self.kpi_summary.setText(
                f"{len(flagged)} of {len(detail.kpis)} KPIs are inputs or outputs, or are not "
                "linked to a mission: they can be rated Good while the outcome fails."
            )
        else:
            self.kpi_summary.setText("Every KPI is outcome-focused and linked to a mission.")
        row_height = self.kpi_table.verticalHeader().defaultSectionSize()
        self.kpi_table.setMinimumHeight(row_height * (min(len(detail.kpis), 6) + 2))

    def _edited(self, field: str, old: Any, new: Any) -> None:
        view = self.form.view()
        title = ProcurementFields.model_fields[field].title or field
        self.session.edit_field("procurement", view.id, field, old, new, str(title))
