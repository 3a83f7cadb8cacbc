"""The pilot's overview: who, the problem, missions and milestones, and the theory of change."""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGroupBox, QLabel, QScrollArea, QVBoxLayout, QWidget

from testlearn.domain.records import PilotFields
from testlearn.domain.registry_terms import PolicyArea
from testlearn.domain.vocabulary import (
    EvaluationDesign,
    EvaluationType,
    LifecycleStatus,
    Marking,
    MarkingDescriptor,
    Milestone,
    Mission,
    UnpublishedReason,
)
from ui.merge_words import provenance_html
from ui.pilot_session import PilotSession
from ui.record_form import RecordForm

ABOUT = (
    "reference",
    "title",
    "lead_organisation",
    "partner_organisations",  # the brief's issue, copy list and handling read these
    "team",
    "senior_responsible_owner",
    "minister",
    "status",
    "marking",
    "marking_descriptor",  # printed with the marking on every page of a report
    "handling_instructions",
    "start_date",
    "end_date",
    "budget",
    "spend",
    "national_rollout_cost",
    "evaluation_types",
    "evaluation_design",  # the brief's "Design:" line
    "registry_id",  # the brief's timing names the Evaluation Registry entry
    "problem_statement",
    "delivery_summary",  # the findings' "What happened"
)
MISSIONS = ("primary_mission", "secondary_missions", "milestones")
THEORY = (
    "toc_inputs",
    "toc_activities",
    "toc_outputs",
    "toc_outcomes",
    "toc_impact",
    "toc_assumptions",
    "toc_riskiest_assumption",
)
#: What a brief's submission paragraphs, author line and copy list are written from.
SUBMISSION = (
    "lead_official",
    "lead_official_contact",
    "equality_impacts",
    "legal_considerations",
    "private_office",
    "special_adviser",
    "press_office",
    "analysts",
    "commercial_lead",
)
#: What the Evaluation Registry asks beyond the fields above (testlearn registry-pack).
REGISTRY = (
    "other_evaluation_type",
    "policy_areas",
    "evaluation_plan_link",
    "report_link",
    "report_published_on",
    "unpublished_reasons",
    "unpublished_details",
)
CHAIN = ("toc_inputs", "toc_activities", "toc_outputs", "toc_outcomes", "toc_impact")


class OverviewTab(QScrollArea):
    """Editable pilot fields, each saved when left, and the theory of change as a chain."""

    def __init__(self, session: PilotSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setWidgetResizable(True)
        vocab: dict[str, Any] = {
            "status": LifecycleStatus,
            "marking": Marking,
            "primary_mission": Mission,
            "secondary_missions[]": Mission,
            "milestones[]": Milestone,
            "marking_descriptor": MarkingDescriptor,
            "evaluation_types[]": EvaluationType,
            "evaluation_design": EvaluationDesign,
            "policy_areas[]": PolicyArea,
            "unpublished_reasons[]": UnpublishedReason,
        }
        self.about = RecordForm(
            PilotFields,
            ABOUT,
            vocabularies=vocab,
            long_text=("problem_statement", "delivery_summary"),
        )
        self.missions = RecordForm(PilotFields, MISSIONS, vocabularies=vocab)
        self.missions.widgets["secondary_missions"].setToolTip("Missions, separated by semicolons")
        self.missions.widgets["milestones"].setToolTip("Milestones, separated by semicolons")
        self.theory = RecordForm(PilotFields, THEORY, vocabularies=vocab, long_text=THEORY)
        self.submission = RecordForm(
            PilotFields,
            SUBMISSION,
            vocabularies=vocab,
            long_text=("equality_impacts", "legal_considerations"),
        )
        self.registry = RecordForm(
            PilotFields, REGISTRY, vocabularies=vocab, long_text=("unpublished_details",)
        )
        self.registry.widgets["policy_areas"].setToolTip(
            "The Evaluation Registry's policy areas, separated by semicolons"
        )
        self.chain = QLabel()
        self.chain.setWordWrap(True)
        self.chain.setTextFormat(Qt.TextFormat.RichText)
        self.chain.setAccessibleName("Theory of change as a chain")
        self.chain.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.origin = QLabel()
        self.origin.setWordWrap(True)
        self.origin.setTextFormat(Qt.TextFormat.RichText)
        self.origin.setAccessibleName("Where this pilot came from")
        self.origin.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        page = QWidget()
        layout = QVBoxLayout(page)
        origin_box = QGroupBox("Where this came from", page)
        QVBoxLayout(origin_box).addWidget(self.origin)
        layout.addWidget(origin_box)
        for title, body in (
            ("About the pilot", self.about),
            ("Missions and milestones", self.missions),
            ("Theory of change", self.theory),
            ("Submission: people and paragraphs", self.submission),
            ("Evaluation Registry", self.registry),
        ):
            box = QGroupBox(title, page)
            inner = QVBoxLayout(box)
            if body is self.theory:
                inner.addWidget(self.chain)
            inner.addWidget(body)
            layout.addWidget(box)
            body.edited.connect(self._edited)
            body.follow(session)
        layout.addStretch(1)
        self.setWidget(page)

    def set_detail(self, detail: Any) -> None:
        pilot = detail.pilot
        for form in (self.about, self.missions, self.theory, self.submission, self.registry):
            form.set_value(pilot)
        self.chain.setText(theory_chain(pilot))
        self.origin.setText(provenance_html(self.session.provenance))

    def _edited(self, field: str, old: Any, new: Any) -> None:
        pilot = self.about.view()
        title = PilotFields.model_fields[field].title or field
        self.session.edit_field("pilot", pilot.id, field, old, new, f"{pilot.reference} {title}")


def theory_chain(pilot: Any) -> str:
    """Inputs -> activities -> outputs -> outcomes -> impact, as one readable line."""
    steps = []
    for name in CHAIN:
        title = PilotFields.model_fields[name].title
        text = getattr(pilot, name) or "(not written yet)"
        steps.append(f"<b>{html.escape(str(title))}</b>: {html.escape(text)}")
    chain = " &rarr; ".join(steps)
    if pilot.toc_riskiest_assumption:
        chain += "<br><br><b>Riskiest assumption</b>: " + html.escape(pilot.toc_riskiest_assumption)
    return chain
