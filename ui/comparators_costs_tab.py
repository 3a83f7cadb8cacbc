"""Comparators and costs: what the pilot is compared against, and what it has cost."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QGroupBox, QLabel, QVBoxLayout, QWidget

from testlearn.domain.records import ComparatorFields, CostFields
from testlearn.domain.vocabulary import ComparatorKind, CostCategory
from ui.labels import money, term_label
from ui.message_box import MessageBox
from ui.pilot_session import PilotSession
from ui.record_changes import Form, ask_and_add, ask_and_edit, ask_and_remove
from ui.record_table import RecordTable
from ui.record_table_model import RecordTableModel

COMPARATOR = Form(
    "comparator",
    ComparatorFields,
    ("name", "kind", "description", "rationale", "baseline_value", "baseline_period"),
    {"kind": ComparatorKind},
    ("description", "rationale"),
)
COST = Form(
    "cost",
    CostFields,
    ("category", "amount", "financial_year", "description"),
    {"category": CostCategory},
)


def _number(value: float | None) -> str:
    return "" if value is None else format(value, "g")


class ComparatorsCostsTab(QWidget):
    """Two tables, each with buttons, a right-click menu, Enter to edit and Delete to remove."""

    def __init__(self, session: PilotSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.detail: Any = None
        self.comparators = RecordTableModel(
            [
                ("Comparator", lambda c: c.name),
                ("Kind", lambda c: term_label(ComparatorKind, c.kind)),
                ("Baseline", lambda c: _number(c.baseline_value)),
                ("Baseline period", lambda c: c.baseline_period),
                ("Why this comparator", lambda c: c.rationale),
            ],
            tooltip=lambda c: c.description or None,
            parent=self,
        )
        self.comparator_table = RecordTable(
            self.comparators,
            "Comparators",
            on_add=lambda _r: self._add(COMPARATOR),
            on_edit=lambda c: self._edit(COMPARATOR, c),
            on_remove=self.remove_comparator,
            stretch=4,
            parent=self,
        )
        self.costs = RecordTableModel(
            [
                ("Category", lambda c: term_label(CostCategory, c.category)),
                ("Amount", lambda c: money(c.amount)),
                ("Financial year", lambda c: c.financial_year or ""),
                ("Description", lambda c: c.description),
            ],
            parent=self,
        )
        self.cost_table = RecordTable(
            self.costs,
            "Costs",
            on_add=lambda _r: self._add(COST),
            on_edit=lambda c: self._edit(COST, c),
            on_remove=lambda c: self._remove("cost", c, c.description or c.category),
            parent=self,
        )
        self.total = QLabel(self)
        comparators = QGroupBox("Comparators", self)
        box = QVBoxLayout(comparators)
        box.addLayout(
            self.comparator_table.buttons(
                {
                    self.comparator_table.add_action: "Add co&mparator...",
                    self.comparator_table.edit_action: "Edit comparator...",
                    self.comparator_table.remove_action: "Remove comparator...",
                }
            )
        )
        box.addWidget(self.comparator_table)
        costs = QGroupBox("Costs", self)
        box = QVBoxLayout(costs)
        row = self.cost_table.buttons(
            {
                self.cost_table.add_action: "Add cos&t...",
                self.cost_table.edit_action: "Edit cost...",
                self.cost_table.remove_action: "Remove cost...",
            }
        )
        row.insertWidget(0, self.total, 1)
        box.addLayout(row)
        box.addWidget(self.cost_table)
        layout = QVBoxLayout(self)
        layout.addWidget(comparators, 1)
        layout.addWidget(costs, 1)

    def set_detail(self, detail: Any) -> None:
        self.detail = detail
        self.comparators.set_records(detail.comparators)
        self.costs.set_records(detail.costs)
        known = [c.amount for c in detail.costs if c.amount is not None]
        self.total.setText(f"Total {money(sum(known))}" if known else "No costs recorded.")

    def remove_comparator(self, comparator: Any) -> None:
        users = [
            h
            for h in (self.detail.hypotheses if self.detail is not None else ())
            if h.hypothesis.comparator_id == comparator.id
        ]
        registered = [h.hypothesis.code for h in users if h.registered]
        if registered:
            MessageBox.warn(
                self,
                "Remove the comparator",
                f"\u201c{comparator.name}\u201d is part of registered hypothesis "
                f"{', '.join(registered)}: registered claims must stay checkable, so it "
                "cannot be removed.",
            )
            return
        drafts = [h.hypothesis.code for h in users]
        also = f" {', '.join(drafts)} will no longer have a comparator." if drafts else ""
        self._remove("comparator", comparator, comparator.name, also=also)

    def _reference(self) -> str:
        return str(self.detail.pilot.reference) if self.detail is not None else ""

    def _add(self, form: Form) -> None:
        if self.detail is not None:
            ask_and_add(self.session, self, self._reference(), form)

    def _edit(self, form: Form, record: Any) -> None:
        ask_and_edit(self.session, self, self._reference(), form, record)

    def _remove(self, entity: str, record: Any, label: str, *, also: str = "") -> None:
        ask_and_remove(self.session, self, self._reference(), entity, record, label, also=also)
