"""The records a pilot is made of, as fields shared by tables, forms and read models.

Each ``XFields`` class lists what a user can set on one kind of record, with a title (the
label in forms and in error messages) and, where it applies, the commercially sensitive mark.
Identity (``id``), head revision and tombstone live in the store's table classes; read models
add them back (see ``testlearn.domain.views``).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any

from pydantic import StringConstraints
from sqlmodel import Field

from testlearn.domain.fields import (
    Count,
    Date,
    FinancialYear,
    Link,
    Money,
    Names,
    OptionalFloat,
    RecordFields,
    coded,
    coded_list,
    coded_list_of,
    sensitive,
)
from testlearn.domain.vocabulary import (
    Accreditation,
    ActionStatus,
    AppliesTo,
    ComparatorKind,
    CostCategory,
    DecisionKind,
    Direction,
    EngagementMethod,
    EvaluationDesign,
    EvaluationType,
    FailureKind,
    HypothesisRole,
    KpiLevel,
    KpiRating,
    LessonCategory,
    LifecycleStatus,
    Marking,
    MarkingDescriptor,
    Milestone,
    Mission,
    MissionAlignment,
    OutcomeType,
    PaymentMechanism,
    ProcurementRoute,
    StudyDesign,
    UnpublishedReason,
)

Reference = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, min_length=1, max_length=40, pattern=r"^[A-Za-z0-9][A-Za-z0-9._/-]*$"
    ),
]
Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]


class PilotFields(RecordFields):
    reference: Reference = Field(
        title="Reference", description="Short unique reference, e.g. DHSC-TL-001"
    )
    title: Title = Field(title="Title")
    lead_organisation: str = Field("", title="Lead organisation")
    partner_organisations: Names = Field(default_factory=list, title="Partner organisations")
    team: str = Field(
        "", title="Team", description="The team that owns the pilot ('from' on a brief)"
    )
    senior_responsible_owner: str = Field("", title="Senior responsible owner")
    minister: str = Field("", title="Minister", description="Who briefs are addressed to")
    primary_mission: Annotated[str | None, coded(Mission)] = Field(None, title="Primary mission")
    secondary_missions: Annotated[list[str], coded_list(Mission)] = Field(
        default_factory=list, title="Secondary missions"
    )
    milestones: Annotated[list[str], coded_list(Milestone)] = Field(
        default_factory=list, title="Milestones"
    )
    problem_statement: str = Field("", title="Problem statement")
    toc_inputs: str = Field("", title="Inputs", description="Theory of change: what goes in")
    toc_activities: str = Field("", title="Activities")
    toc_outputs: str = Field("", title="Outputs")
    toc_outcomes: str = Field("", title="Outcomes")
    toc_impact: str = Field("", title="Impact")
    toc_assumptions: str = Field("", title="Assumptions")
    toc_riskiest_assumption: str = Field("", title="Riskiest assumption")
    status: Annotated[str, coded(LifecycleStatus)] = Field(
        LifecycleStatus.IDEA.value, title="Status"
    )
    start_date: Date = Field(None, title="Start date")
    end_date: Date = Field(None, title="End date")
    budget: Money = Field(None, title="Budget (GBP)")
    spend: Money = Field(None, title="Spend to date (GBP)")
    national_rollout_cost: Money = Field(
        None,
        title="National roll-out cost (GBP)",
        description="Estimated cost of rolling the pilot out nationally; the cost a stop avoids",
    )
    marking: Annotated[str, coded(Marking)] = Field(
        Marking.OFFICIAL.value, title="Security marking"
    )
    marking_descriptor: Annotated[str | None, coded(MarkingDescriptor)] = Field(
        None, title="Marking descriptor"
    )
    handling_instructions: str = Field("", title="Handling instructions")
    evaluation_types: Annotated[list[str], coded_list(EvaluationType)] = Field(
        default_factory=list, title="Evaluation types"
    )
    evaluation_design: Annotated[str | None, coded(EvaluationDesign)] = Field(
        None, title="Evaluation design"
    )
    registry_id: str = Field("", title="Evaluation Registry id")
    delivery_summary: str = Field("", title="What actually happened")
    # The submission's own paragraphs and people (schema 6). A brief prints these as they
    # are written; an empty one is said once to be not recorded.
    equality_impacts: str = Field(
        "",
        title="Equality impacts",
        description="Who the change affects differently (public sector equality duty)",
    )
    legal_considerations: str = Field(
        "",
        title="Legal considerations",
        description="e.g. a contract modification or termination under the Procurement Act",
    )
    lead_official: str = Field(
        "", title="Lead official", description="The official named on a brief as its author"
    )
    lead_official_contact: str = Field(
        "", title="Lead official contact", description="Telephone or email for the lead official"
    )
    private_office: str = Field(
        "",
        title="Private office",
        description="Copied on briefs, e.g. Private Office (Minister for ...)",
    )
    special_adviser: str = Field("", title="Special adviser")
    press_office: str = Field("", title="Press office")
    analysts: str = Field("", title="Analysts", description="e.g. the Analysis Directorate")
    commercial_lead: str = Field("", title="Commercial lead")
    # What the Evaluation Registry asks that nothing above says (schema 10); the registry
    # entry pack (testlearn registry-pack) checks them against the registry's rules.
    other_evaluation_type: str = Field(
        "", title="Other evaluation type", description="What the 'Other' evaluation type is"
    )
    policy_areas: Annotated[
        list[str],
        coded_list_of(
            "testlearn.domain.registry_terms",
            "PolicyArea",
            kind="Evaluation Registry's policy areas",
        ),
    ] = Field(
        default_factory=list,
        title="Policy areas",
        description="The Evaluation Registry's policy taxonomies, separated by semicolons",
    )
    evaluation_plan_link: Link = Field("", title="Evaluation plan link")
    report_link: Link = Field(
        "", title="Published report link", description="Where the evaluation report is published"
    )
    report_published_on: Date = Field(None, title="Report published on")
    unpublished_reasons: Annotated[list[str], coded_list(UnpublishedReason)] = Field(
        default_factory=list,
        title="Why the report is unpublished",
        description="For a complete evaluation with no published report",
    )
    unpublished_details: str = Field(
        "",
        title="Unpublished: details",
        description="The quality issues or other reason the report is unpublished",
    )


#: Fields added after the first schema, left out of a record's revision while they are empty,
#: so that every record written before them keeps its revision id and its check (verify
#: compares a record with its last revision byte for byte).
OMITTED_WHILE_EMPTY: dict[str, tuple[str, ...]] = {
    "pilot": (
        "equality_impacts",
        "legal_considerations",
        "lead_official",
        "lead_official_contact",
        "private_office",
        "special_adviser",
        "press_office",
        "analysts",
        "commercial_lead",
        "other_evaluation_type",
        "policy_areas",
        "evaluation_plan_link",
        "report_link",
        "report_published_on",
        "unpublished_reasons",
        "unpublished_details",
    ),
    "hypothesis": ("baseline_covariate",),
    "procurement": ("ocid", "notices", "no_agreed_metrics_rationale"),
    "kpi": ("notice_metric_id",),
    "kpi_rating": ("assessed_on", "period", "source_notice", "notice_observation_id"),
}


def revision_payload(table: str, values: dict[str, Any]) -> dict[str, Any]:
    """What a revision records of a record's columns: fields added later count only once set.

    A record written before a field existed has no such key in its revisions; leaving the
    field out while it is empty keeps those revisions its own (``OMITTED_WHILE_EMPTY``).
    """
    later = OMITTED_WHILE_EMPTY.get(table, ())
    return {k: v for k, v in values.items() if not (k in later and v in ("", None, []))}


class ProcurementFields(RecordFields):
    pilot_id: uuid.UUID = Field(title="Pilot")
    name: str = Field("", title="Contract or lot")
    route: Annotated[str | None, coded(ProcurementRoute)] = Field(None, title="Procurement route")
    direct_award_justification: str = Field("", title="Direct award justification")
    contract_value: Money = Field(None, title="Contract value (GBP)")
    pipeline_year: FinancialYear = Field(None, title="Pipeline financial year")
    supplier: str = Field("", title="Supplier")
    bidders: Count = Field(None, title="Bids received")
    engagement_methods: Annotated[list[str], coded_list(EngagementMethod)] = Field(
        default_factory=list, title="Market engagement methods"
    )
    suppliers_engaged: Count = Field(None, title="Suppliers engaged")
    smes_engaged: Count = Field(None, title="SMEs engaged")
    engagement_changes: str = Field("", title="What changed after market engagement")
    payment_mechanism: Annotated[str | None, coded(PaymentMechanism)] = Field(
        None, title="Payment mechanism"
    )
    share_at_risk_pct: OptionalFloat = Field(None, title="Share of payment at risk (%)")
    should_cost: Money = sensitive(title="Should-cost estimate (GBP)")
    winning_bid: Money = sensitive(title="Winning bid price (GBP)")
    outturn_cost: Money = sensitive(title="Outturn cost (GBP)")
    contract_manager: str = Field("", title="Contract manager")
    contract_manager_accreditation: Annotated[str | None, coded(Accreditation)] = Field(
        None, title="Contract manager accreditation"
    )
    commercial_specialist: bool | None = Field(None, title="Managed by a commercial specialist")
    break_clause: str = Field("", title="Break clause")
    contract_start: Date = Field(None, title="Contract start")
    contract_end: Date = Field(None, title="Contract end")
    # From the contract's Procurement Act notices on Find a Tender (services/notice_import.py).
    ocid: str = Field("", title="OCID", description="The contracting process's id in its notices")
    notices: list[dict[str, str]] = Field(
        default_factory=list,
        title="Notices imported",
        description="Each notice's type (UK7, UK9...), release id and date",
    )
    no_agreed_metrics_rationale: str = Field("", title="Why no KPIs were published")


class KpiFields(RecordFields):
    pilot_id: uuid.UUID = Field(title="Pilot")
    procurement_id: uuid.UUID | None = Field(None, title="Contract")
    name: Title = Field(title="KPI")
    description: str = Field("", title="Description")
    level: Annotated[str, coded(KpiLevel)] = Field(title="Level")
    mission_alignment: Annotated[str, coded(MissionAlignment)] = Field(
        MissionAlignment.NONE.value, title="Mission alignment"
    )
    mission: Annotated[str | None, coded(Mission)] = Field(None, title="Mission it serves")
    target: str = Field("", title="Target")
    published: bool = Field(False, title="Published KPI")
    notice_metric_id: str = Field("", title="KPI id in the notices")


class KpiRatingFields(RecordFields):
    kpi_id: uuid.UUID = Field(title="KPI")
    year: FinancialYear = Field(title="Financial year")
    rating: Annotated[str, coded(KpiRating)] = Field(title="Rating")
    note: str = Field("", title="Note")
    # Set on a statutory rating, taken from a contract performance notice (UK9).
    assessed_on: Date = Field(None, title="Date assessed")
    period: str = Field("", title="Period assessed")
    source_notice: str = Field("", title="Notice", description="The notice's type and release id")
    notice_observation_id: str = Field("", title="Rating id in the notice")


class ComparatorFields(RecordFields):
    pilot_id: uuid.UUID = Field(title="Pilot")
    name: Title = Field(title="Comparator")
    kind: Annotated[str, coded(ComparatorKind)] = Field(title="Kind")
    description: str = Field("", title="Description")
    rationale: str = Field("", title="Why this comparator")
    baseline_value: OptionalFloat = Field(None, title="Baseline value")
    baseline_period: str = Field("", title="Baseline period")


class HypothesisFields(RecordFields):
    """A hypothesis with every pre-registration field of the statistics contract, section 1."""

    pilot_id: uuid.UUID = Field(title="Pilot")
    code: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=12)] = (
        Field(title="Code")
    )
    statement: Title = Field(title="Hypothesis")
    role: Annotated[str, coded(HypothesisRole)] = Field(HypothesisRole.PRIMARY.value, title="Role")
    outcome_name: str = Field("", title="Outcome")
    outcome_unit: str = Field("", title="Outcome unit")
    outcome_type: Annotated[str, coded(OutcomeType)] = Field(title="Outcome type")
    direction: Annotated[str, coded(Direction)] = Field(title="Direction of benefit")
    design: Annotated[str, coded(StudyDesign)] = Field(title="Design")
    comparator_id: uuid.UUID | None = Field(None, title="Comparator")
    benefit_threshold: float = Field(
        gt=0,
        title="Benefit threshold",
        description="Smallest effect worth having: outcome units, a fraction for proportions "
        "(0.043 is 4.3 points), per cent of change for counts",
    )
    harm_margin: Annotated[float | None, Field(ge=0)] = Field(None, title="Harm margin")
    alpha: float = Field(0.05, gt=0, lt=0.5, title="Alpha")
    planned_n_pilot: Count = Field(None, title="Planned n (pilot)")
    planned_n_comparator: Count = Field(None, title="Planned n (comparator)")
    allocation_ratio: Annotated[float | None, Field(gt=0)] = Field(
        None,
        title="Allocation ratio (pilot:comparator)",
        description="Planned ratio of pilot to comparator units; turns on the sample-ratio check",
    )
    clustered_design: bool = Field(False, title="Assigned in clusters")
    planned_clusters_per_arm: Count = Field(None, title="Planned clusters per arm")
    icc: Annotated[float | None, Field(ge=0, lt=1)] = Field(None, title="ICC")
    assumed_sd: OptionalFloat = Field(None, title="Assumed standard deviation")
    baseline_value: OptionalFloat = Field(
        None,
        title="Assumed comparator value",
        description="Comparator proportion or rate assumed when planning (for the design MDE)",
    )
    benchmark_value: OptionalFloat = Field(None, title="Benchmark value")
    design_mde: OptionalFloat = Field(None, title="Design MDE")
    evidence_level: Annotated[int | None, Field(ge=1, le=5)] = Field(
        None, title="Evidence level (SMS)"
    )
    pilot_label: str = Field(
        "", title="Pilot group, as read in sentences", description="e.g. pilot schools"
    )
    comparator_label: str = Field(
        "", title="Comparator group, as read in sentences", description="e.g. comparison schools"
    )
    its_lag: Count = Field(None, title="Newey-West lag (time series)")
    analysis_plan: str = Field("", title="Analysis plan")
    baseline_covariate: str = Field(
        "",
        title="Baseline measure to adjust for",
        description="The same measure before the pilot, one value per unit (the outcome "
        "file's baseline column), as it reads in a sentence; empty for no adjustment",
    )


#: Hypothesis fields frozen by registration. Everything a user can set is frozen: the point
#: of registration is that none of it moves once outcome data can be seen.
FROZEN_HYPOTHESIS_FIELDS: tuple[str, ...] = tuple(HypothesisFields.model_fields)


class CostFields(RecordFields):
    pilot_id: uuid.UUID = Field(title="Pilot")
    category: Annotated[str, coded(CostCategory)] = Field(title="Category")
    description: str = Field("", title="Description")
    amount: Money = Field(title="Amount (GBP)")
    financial_year: FinancialYear = Field(None, title="Financial year")


class LessonFields(RecordFields):
    pilot_id: uuid.UUID = Field(title="Pilot")
    category: Annotated[str, coded(LessonCategory)] = Field(title="Category")
    what_happened: Title = Field(title="What happened")
    went_well: bool = Field(False, title="Went well")
    root_cause: str = Field("", title="Root cause")
    recommendation: str = Field("", title="Recommendation")
    owner: str = Field("", title="Owner")
    action_status: Annotated[str, coded(ActionStatus)] = Field(
        ActionStatus.OPEN.value, title="Action status"
    )
    applies_to: Annotated[str, coded(AppliesTo)] = Field(AppliesTo.PILOT.value, title="Applies to")
    failure_kind: Annotated[str | None, coded(FailureKind)] = Field(None, title="Kind of failure")


class DecisionFields(RecordFields):
    pilot_id: uuid.UUID = Field(title="Pilot")
    kind: Annotated[str, coded(DecisionKind)] = Field(title="Decision")
    decided_on: Date = Field(None, title="Decided on")
    decided_by: str = Field("", title="Decided by")
    rationale: str = Field("", title="Rationale")
    next_steps: str = Field("", title="Next steps")


class RegistrationFields(RecordFields):
    """The frozen pre-registration of a pilot's hypotheses, made once and never edited."""

    pilot_id: uuid.UUID = Field(title="Pilot")
    registered_at: dt.datetime = Field(title="Registered at")
    registered_by: str = Field("", title="Registered by")
    content_hash: str = Field(title="Registration hash")
    hypothesis_ids: list[uuid.UUID] = Field(default_factory=list, title="Hypotheses")
    snapshot: dict[str, Any] = Field(default_factory=dict, title="Registered content")


class DeviationFields(RecordFields):
    """A recorded change to registered content: what, old, new and why."""

    hypothesis_id: uuid.UUID = Field(title="Hypothesis")
    registration_id: uuid.UUID = Field(title="Registration")
    field: str = Field(title="Field")
    old_value: Any = Field(None, title="Registered value")
    new_value: Any = Field(None, title="New value")
    reason: Title = Field(title="Reason")
    recorded_at: dt.datetime = Field(title="Recorded at")
    recorded_by: str = Field("", title="Recorded by")


class DatasetFields(RecordFields):
    """One import of outcome data for a hypothesis: unit rows or aggregates."""

    hypothesis_id: uuid.UUID = Field(title="Hypothesis")
    shape: str = Field(title="Shape")  # "unit" or "aggregate"
    source_name: str = Field("", title="Source file")
    source_sha256: str = Field("", title="Source file sha256")
    row_count: int = Field(0, title="Rows")
    fingerprint: str = Field(title="Data fingerprint")
    columns: list[str] = Field(default_factory=list, title="Columns")
    imported_at: dt.datetime = Field(title="Imported at")
    imported_by: str = Field("", title="Imported by")


class AnalysisResultFields(RecordFields):
    """A stored analysis of one hypothesis, with what it was computed from.

    ``hypothesis_rev`` and ``dataset_id`` pin the inputs: when either has moved on (a
    deviation, a re-import) the result is stale, and is shown as such until re-run.
    """

    hypothesis_id: uuid.UUID = Field(title="Hypothesis")
    dataset_id: uuid.UUID = Field(title="Dataset")
    hypothesis_rev: str = Field(title="Hypothesis revision analysed")
    data_fingerprint: str = Field(title="Data fingerprint")
    registration_hash: str = Field("", title="Registration hash")
    engine_version: str = Field(title="Engine version")
    method: str = Field(title="Method")
    seed: int | None = Field(None, title="Random seed")
    input_hash: str = Field(title="Input hash")
    verdict: str = Field(title="Verdict")
    grade: str | None = Field(None, title="Grade")
    estimate: float | None = Field(None, title="Estimate")
    ci_low: float | None = Field(None, title="CI low")
    ci_high: float | None = Field(None, title="CI high")
    p_value: float | None = Field(None, title="p")
    p_adjusted: float | None = Field(None, title="Holm-adjusted p")
    mde_achieved: float | None = Field(None, title="Achieved MDE")
    sentence: str = Field("", title="Sentence")
    warnings: list[str] = Field(default_factory=list, title="Warnings")
    detail: dict[str, Any] = Field(default_factory=dict, title="Full result")
    analysed_at: dt.datetime = Field(title="Analysed at")
    analysed_by: str = Field("", title="Analysed by")
