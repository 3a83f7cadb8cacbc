"""Procurement and KPIs: the route and contract, and whether the KPIs measure outcomes.

A pilot may have several contracts or lots: the form shows the one picked above it.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from testlearn.domain.records import ProcurementFields
from testlearn.domain.vocabulary import (
    Accreditation,
    EngagementMethod,
    PaymentMechanism,
    ProcurementRoute,
)
from ui.kpis_section import KpisSection
from ui.pilot_session import PilotSession
from ui.record_changes import Form, ask_and_add, ask_and_remove
from ui.record_form import RecordForm

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
    # From the contract's notices (Pilot > Import procurement notices), or typed.
    "ocid",
    "no_agreed_metrics_rationale",
)
VOCABULARIES: dict[str, Any] = {
    "route": ProcurementRoute,
    "payment_mechanism": PaymentMechanism,
    "contract_manager_accreditation": Accreditation,
    "engagement_methods[]": EngagementMethod,
}
LONG_TEXT = ("engagement_changes", "direct_award_justification", "no_agreed_metrics_rationale")
#: What a new procurement record asks for first; the rest is filled in on the form.
NEW_PROCUREMENT = Form(
    "procurement",
    ProcurementFields,
    ("name", "route", "supplier", "contract_value", "pipeline_year", "payment_mechanism"),
    {"route": ProcurementRoute, "payment_mechanism": PaymentMechanism},
)


class ProcurementTab(QScrollArea):
    """The pilot's procurement (added, then edited field by field) and its KPIs."""

    def __init__(self, session: PilotSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.detail: Any = None
        self.setWidgetResizable(True)
        self.form = RecordForm(
            ProcurementFields, FIELDS, vocabularies=VOCABULARIES, long_text=LONG_TEXT
        )
        self.form.edited.connect(self._edited)
        self.none_label = QLabel("No procurement recorded for this pilot yet.")
        self.none_label.setWordWrap(True)
        self.contract = QComboBox()
        self.contract.setAccessibleName("Contract or lot shown")
        self.contract.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.contract.setMinimumContentsLength(24)
        self.contract.activated.connect(lambda _i: self._show_contract())
        self.contract_label = QLabel("Contract or lot:")
        self.contract_label.setBuddy(self.contract)
        self.add_button = QPushButton("Add proc&urement...")
        self.add_button.setAccessibleName("Add procurement")
        self.add_button.clicked.connect(self.add_procurement)
        self.remove_button = QPushButton("Remove procureme&nt...")
        self.remove_button.setAccessibleName("Remove procurement")
        self.remove_button.clicked.connect(self.remove_procurement)
        self.kpis = KpisSection(session)
        page = QWidget()
        layout = QVBoxLayout(page)
        contract = QGroupBox("Procurement", page)
        inner = QVBoxLayout(contract)
        # The chooser on one line and its buttons on the next: side by side they were wider
        # than the section on a 1280-pixel screen.
        row = QHBoxLayout()
        row.addWidget(self.none_label, 1)
        row.addWidget(self.contract_label)
        row.addWidget(self.contract, 1)
        inner.addLayout(row)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        inner.addLayout(buttons)
        inner.addWidget(self.form)
        layout.addWidget(self.kpis)
        layout.addWidget(contract)
        self.setWidget(page)

    def set_detail(self, detail: Any) -> None:
        shown = self.form.view()
        self.detail = detail
        procurements = list(detail.procurements)
        self.contract.clear()
        for number, procurement in enumerate(procurements, start=1):
            self.contract.addItem(procurement.name or f"Contract {number}", procurement.id)
        ids = [p.id for p in procurements]
        if shown is not None and shown.id in ids:
            self.contract.setCurrentIndex(ids.index(shown.id))
        several = len(procurements) > 1
        self.contract.setVisible(several)
        self.contract_label.setVisible(several)
        self.none_label.setVisible(not procurements)
        self.remove_button.setEnabled(bool(procurements))
        self.add_button.setText(
            "Add another contract..." if procurements else "Add proc&urement..."
        )
        self._show_contract()
        self.kpis.set_detail(detail)

    def add_procurement(self) -> None:
        if self.detail is not None:
            ask_and_add(self.session, self, self.detail.pilot.reference, NEW_PROCUREMENT)

    def remove_procurement(self) -> None:
        procurement = self._procurement()
        if procurement is None or self.detail is None:
            return
        name = procurement.name or "the procurement record"
        ask_and_remove(
            self.session,
            self,
            self.detail.pilot.reference,
            "procurement",
            procurement,
            name,
            also=" Its KPIs stay with the pilot.",
        )

    def _procurement(self) -> Any:
        if self.detail is None or not self.detail.procurements:
            return None
        wanted = self.contract.currentData()
        found = [p for p in self.detail.procurements if p.id == wanted]
        return found[0] if found else self.detail.procurements[0]

    def _show_contract(self) -> None:
        procurement = self._procurement()
        self.form.set_value(procurement)
        self.form.setVisible(procurement is not None)

    def _edited(self, field: str, old: Any, new: Any) -> None:
        view = self.form.view()
        title = ProcurementFields.model_fields[field].title or field
        self.session.edit_field("procurement", view.id, field, old, new, str(title))
