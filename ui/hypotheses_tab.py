"""Hypotheses: pre-registration fields with the live design MDE, registration and deviations."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QItemSelection, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from testlearn.domain.records import HypothesisFields
from testlearn.domain.vocabulary import Direction, HypothesisRole, OutcomeType, StudyDesign
from ui.deviation_dialog import DeviationDialog
from ui.file_dialogs import FileDialogs
from ui.labels import term_label, verdict_label
from ui.new_record_dialog import NewRecordDialog
from ui.pilot_session import PilotSession
from ui.record_form import RecordForm
from ui.record_table_model import RecordTableModel
from ui.register_dialog import RegisterDialog

FIELDS = (
    "code",
    "statement",
    "role",
    "outcome_name",
    "outcome_unit",
    "outcome_type",
    "direction",
    "design",
    "benefit_threshold",
    "harm_margin",
    "alpha",
    "planned_n_pilot",
    "planned_n_comparator",
    "allocation_ratio",
    "clustered_design",
    "planned_clusters_per_arm",
    "icc",
    "assumed_sd",
    "baseline_value",
    "benchmark_value",
    "evidence_level",
    "pilot_label",
    "comparator_label",
    "its_lag",
    "baseline_covariate",
    "analysis_plan",
)
NEW_FIELDS = (
    "code",
    "statement",
    "role",
    "outcome_name",
    "outcome_type",
    "direction",
    "design",
    "benefit_threshold",
)
VOCABULARIES: dict[str, Any] = {
    "role": HypothesisRole,
    "outcome_type": OutcomeType,
    "direction": Direction,
    "design": StudyDesign,
}


def threshold_text(value: float, outcome_type: str | None) -> str:
    """A threshold-unit number as people read it: points for proportions, % for counts."""
    if outcome_type == "binary":
        return f"{value * 100:.1f} percentage points"
    if outcome_type == "count":
        return f"{value:.1f}% change"
    return f"{value:.3g}"


class HypothesesTab(QWidget):
    """The pilot's hypotheses; the selected one in a form, read-only once registered."""

    def __init__(self, session: PilotSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.detail: Any = None
        self.model = RecordTableModel(
            [
                ("Code", lambda h: h.hypothesis.code),
                ("Role", lambda h: term_label(HypothesisRole, h.hypothesis.role)),
                ("Hypothesis", lambda h: h.hypothesis.statement),
                ("State", lambda h: "Registered" if h.registered else "Draft"),
                (
                    "Verdict",
                    lambda h: verdict_label(
                        h.result.verdict if h.result else None, stale=h.stale_reason is not None
                    ),
                ),
            ],
            parent=self,
        )
        self.table = QTableView(self)
        self.table.setAccessibleName("Hypotheses")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().selectionChanged.connect(self._selected)

        self.add_button = QPushButton("&Add hypothesis...", self)
        self.register_button = QPushButton("Re&gister...", self)
        self.register_button.setToolTip("Freeze the hypotheses with a timestamp and hash")
        self.deviation_button = QPushButton("Record de&viation...", self)
        self.receipt_button = QPushButton("Save &receipt...", self)
        self.receipt_button.setToolTip(
            "Save the latest registration's receipt (its hash and the history's chain head) "
            "to send to the central team or the Evaluation Registry"
        )
        self.receipt_button.clicked.connect(self.save_receipt)
        self.add_button.clicked.connect(self.add_hypothesis)
        self.register_button.clicked.connect(self.register)
        self.deviation_button.clicked.connect(self.record_deviation)
        buttons = QHBoxLayout()
        for button in (
            self.add_button,
            self.register_button,
            self.deviation_button,
            self.receipt_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)

        self.state = QLabel(self)
        self.state.setWordWrap(True)
        self.state.setAccessibleName("Registration state")
        self.state.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.warning = QLabel(self)
        self.warning.setWordWrap(True)
        self.warning.setAccessibleName("Verification warning")
        self.warning.setStyleSheet("QLabel { color: #c62828; font-weight: bold; }")
        self.mde = QLabel(self)
        self.mde.setWordWrap(True)
        self.mde.setAccessibleName("Design MDE")
        self.form = RecordForm(
            HypothesisFields,
            FIELDS,
            vocabularies=VOCABULARIES,
            long_text=("statement", "analysis_plan"),
        )
        self.form.edited.connect(self._edited)
        self.form.follow(session)
        self.form.changed.connect(self.update_mde)
        self.deviations = RecordTableModel(
            [
                (
                    "Field",
                    lambda d: (
                        HypothesisFields.model_fields[d.field].title
                        if d.field in HypothesisFields.model_fields
                        else d.field
                    ),
                ),
                ("Registered value", lambda d: d.old_value),
                ("New value", lambda d: d.new_value),
                ("Reason", lambda d: d.reason),
                ("Recorded", lambda d: f"{d.recorded_at:%d %b %Y} by {d.recorded_by}"),
            ],
            parent=self,
        )
        self.deviation_table = QTableView(self)
        self.deviation_table.setAccessibleName("Deviations")
        self.deviation_table.setModel(self.deviations)
        self.deviation_table.verticalHeader().setVisible(False)
        self.deviation_table.horizontalHeader().setStretchLastSection(True)

        # The state and the design MDE stay in view above the form: the MDE follows each
        # keystroke in planned n, which sits far down a long form.
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        inner = QWidget()
        inner_layout = QVBoxLayout(inner)
        inner_layout.addWidget(self.form)
        inner_layout.addWidget(QLabel("Deviations from the registration:"))
        inner_layout.addWidget(self.deviation_table)
        scroll.setWidget(inner)
        bottom = QWidget(self)
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        bottom_layout.addWidget(self.state)
        bottom_layout.addWidget(self.warning)
        bottom_layout.addWidget(self.mde)
        bottom_layout.addWidget(scroll, 1)
        top = QWidget(self)
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addLayout(buttons)
        top_layout.addWidget(self.table)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(top)
        splitter.addWidget(bottom)
        splitter.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

    # -- showing ---------------------------------------------------------------------------

    def set_detail(self, detail: Any) -> None:
        previous = self.current()
        self.detail = detail
        self.model.set_records(detail.hypotheses)
        codes = [h.hypothesis.code for h in detail.hypotheses]
        row = (
            codes.index(previous.hypothesis.code)
            if previous and previous.hypothesis.code in codes
            else 0
        )
        if codes:
            self.table.selectRow(row)
        self._show(self.current())
        if detail.registration_intact:
            self.warning.hide()
        else:
            problems = [p for c in detail.registration_checks for p in c.problems]
            self.warning.setText(
                "Warning: verification failed. The registered content no longer "
                "matches its hash: " + "; ".join(problems)
            )
            self.warning.show()

    def current(self) -> Any:
        rows = self.table.selectionModel().selectedRows() if self.detail is not None else []
        return self.model.record(rows[0].row()) if rows else None

    def _selected(self, *_: QItemSelection) -> None:
        self._show(self.current())

    def _show(self, item: Any) -> None:
        self.form.setVisible(item is not None)
        pending = [h for h in (self.detail.hypotheses if self.detail else ()) if not h.registered]
        self.register_button.setEnabled(bool(pending))
        self.deviation_button.setEnabled(item is not None and item.registered)
        self.receipt_button.setEnabled(bool(self.detail and self.detail.registrations))
        if item is None:
            self.state.setText(
                "No hypotheses yet: add one, fill in its pre-registration fields "
                "and register it before any outcome data exist."
            )
            self.mde.clear()
            self.deviations.set_records([])
            return
        self.form.set_value(item.hypothesis)
        self.form.set_read_only(item.registered)
        self.deviations.set_records(item.deviations)
        if item.registered:
            r = item.registration
            self.state.setText(
                f"<b>Registered</b> {r.registered_at:%d %B %Y %H:%M} UTC by {r.registered_by}. "
                f"Hash <code>{r.content_hash}</code>. The fields are read-only: change one "
                "with Record deviation."
            )
        else:
            from testlearn.services.registration import missing_for_registration

            missing = missing_for_registration(item.hypothesis)
            self.state.setText(
                "<b>Draft</b>: not registered. "
                + (
                    "Still needed to register: " + ", ".join(missing)
                    if missing
                    else "Ready to register."
                )
            )
        self.update_mde()

    def update_mde(self) -> None:
        """Recompute the design MDE from the values as typed (a pure, sub-millisecond sum)."""
        from testlearn.services.planning import preview_design_mde

        values = self.form.value()
        values.pop("code", None)
        mde = preview_design_mde(values)
        kind = values.get("outcome_type")
        if mde is None:
            self.mde.setText(
                "Design MDE (80% power): needs planned n and the assumed SD or comparator value."
            )
            return
        text = f"Design MDE (80% power): <b>{threshold_text(mde, kind)}</b>"
        try:
            threshold = float(values.get("benefit_threshold") or "nan")
        except ValueError:
            threshold = float("nan")
        later = ""
        item = self.current()
        if item is not None and item.registered and item.post_hoc_changes:
            # The verdict is judged against the threshold as registered, so the design is too.
            registered = item.plan.benefit_threshold
            if registered != threshold:
                later = (
                    f" (the registered threshold; changed to {threshold_text(threshold, kind)} "
                    "after the data, post hoc)"
                )
                threshold = registered
        if threshold == threshold:
            verdict = (
                "the design can detect the benefit threshold"
                if mde <= threshold
                else "larger than the benefit threshold: the pilot is too small to detect it"
            )
            text += f" against a threshold of {threshold_text(threshold, kind)}{later}: {verdict}."
        self.mde.setText(text)

    # -- actions ---------------------------------------------------------------------------

    def _edited(self, field: str, old: Any, new: Any) -> None:
        item = self.current()
        title = HypothesisFields.model_fields[field].title or field
        self.session.edit_field(
            "hypothesis", item.hypothesis.id, field, old, new, f"{item.hypothesis.code} {title}"
        )

    def add_hypothesis(self) -> None:
        values = NewRecordDialog.ask(
            self, "Add a hypothesis", HypothesisFields, NEW_FIELDS, VOCABULARIES, ("statement",)
        )
        if values is None or self.detail is None:
            return
        reference = self.detail.pilot.reference

        def work(job: Any) -> Any:
            from testlearn.services.pilots import add_record

            return add_record(
                reference, "hypothesis", values, db=job.ctx.require_database(), actor=job.ctx.actor
            )

        self.session.run("Adding the hypothesis", work)

    def register(self) -> None:
        if self.detail is None:
            return
        reference = self.detail.pilot.reference
        codes = [h.hypothesis.code for h in self.detail.hypotheses if not h.registered]
        if not RegisterDialog.ask(self, reference, codes):
            return

        def work(job: Any) -> tuple[Any, str]:
            from testlearn.errors import TestlearnError
            from testlearn.services import receipts
            from testlearn.services.registration import register

            db = job.ctx.require_database()
            done = register(reference, db=db, actor=job.ctx.actor)
            # The receipt is the outside witness of this registration (docs/registration.md):
            # saved beside the database, to send to the central team or the Evaluation Registry.
            try:
                path = receipts.write_receipt(receipts.receipt_for(done, db=db), db=db)
            except (TestlearnError, OSError) as error:
                return done, f"; the receipt could not be saved ({error})"
            return done, f"; receipt saved as {path}"

        self.session.run(
            "Registering",
            work,
            lambda answer: self.session.status.emit(
                f"Registered, hash {answer[0].content_hash}{answer[1]}"
            ),
        )

    def save_receipt(self) -> None:
        """Save the receipt of the pilot's latest registration where the user chooses."""
        if self.detail is None or not self.detail.registrations:
            return
        reference = self.detail.pilot.reference
        path = FileDialogs.ask_receipt_path(self, f"{reference}-registration.receipt.json")
        if path is None:
            return

        def work(job: Any) -> Any:
            from testlearn.services import receipts

            db = job.ctx.require_database()
            return receipts.write_receipt(
                receipts.receipt_for_pilot(reference, db=db), db=db, out=path
            )

        self.session.run(
            "Saving the receipt",
            work,
            lambda saved: self.session.status.emit(f"Receipt saved as {saved}"),
            reload=False,
        )

    def record_deviation(self) -> None:
        item = self.current()
        if item is None or not item.registered:
            return
        answer = DeviationDialog.ask(self, item.hypothesis, has_data=item.first_data_at is not None)
        if answer is None:
            return
        field, value, reason = answer
        reference, code = self.detail.pilot.reference, item.hypothesis.code

        def work(job: Any) -> Any:
            from testlearn.services.registration import record_deviation

            return record_deviation(
                reference,
                code,
                field,
                value or None,
                reason,
                db=job.ctx.require_database(),
                actor=job.ctx.actor,
            )

        self.session.run("Recording the deviation", work)
