"""Controlled vocabularies with stable codes.

The code of a term is what is stored and hashed; the label is what people read. Labels may be
reworded (a mission renamed) without touching a single stored record, and codes are never
reused. The store mirrors these terms into its ``vocabulary_term`` reference table so that a
database file is self-describing; this module is where they are defined.
Sources: ../docs/data-model.md lists them with the public guidance each comes from.
"""

from __future__ import annotations

import enum
from typing import Any, Self, cast


def _term(cls: type[Any], code: str, label: str) -> Any:
    # Enum replaces a member class's __new__ after class creation, so subclasses that
    # carry extra attributes build their members through this function instead.
    obj = str.__new__(cls, code)
    obj._value_ = code
    obj.label = label
    return obj


class Term(enum.StrEnum):
    """A vocabulary term: its value is the stable code; ``label`` is for people."""

    label: str

    def __new__(cls, code: str, label: str) -> Self:
        return _term(cls, code, label)  # type: ignore[no-any-return]

    @classmethod
    def parse(cls, text: str) -> Self:
        """Find a term by code or label, ignoring case, spaces, hyphens and underscores."""
        # A stored code is found at once: every record read back and every record a merge
        # checks holds codes, so the search below is for what people type.
        exact = cls._value2member_map_.get(text)
        if exact is not None:
            return cast(Self, exact)

        def key(s: str) -> str:
            return "".join(ch for ch in s.casefold() if ch.isalnum())

        wanted = key(text)
        for term in cls:
            if key(term.value) == wanted or key(term.label) == wanted:
                return term
        raise ValueError(
            f"{text!r} is not a {cls.vocabulary_name()}; expected one of: "
            + ", ".join(t.value for t in cls)
        )

    @classmethod
    def vocabulary_name(cls) -> str:
        name = cls.__name__
        return "".join(" " + c.lower() if c.isupper() else c for c in name).strip()


class Mission(Term):
    """The five missions of the Plan for Change (December 2024)."""

    GROWTH = "GROWTH", "Kickstart economic growth"
    NHS = "NHS", "Build an NHS fit for the future"
    STREETS = "STREETS", "Safer streets"
    OPPORTUNITY = "OPPORTUNITY", "Break down barriers to opportunity"
    CLEAN_ENERGY = "CLEAN_ENERGY", "Make Britain a clean energy superpower"


class Milestone(Term):
    """Plan for Change milestones; ``mission`` says which mission each serves."""

    mission: Mission

    def __new__(cls, code: str, label: str, mission: Mission) -> Self:
        obj: Self = _term(cls, code, label)
        obj.mission = mission
        return obj

    LIVING_STANDARDS = (
        "LIVING_STANDARDS",
        "Higher living standards in every part of the UK",
        Mission.GROWTH,
    )
    HOMES_INFRASTRUCTURE = (
        "HOMES_INFRASTRUCTURE",
        "1.5 million homes and 150 major infrastructure decisions",
        Mission.GROWTH,
    )
    ELECTIVE_18_WEEKS = (
        "ELECTIVE_18_WEEKS",
        "92% of elective patients treated within 18 weeks",
        Mission.NHS,
    )
    NEIGHBOURHOOD_POLICE = (
        "NEIGHBOURHOOD_POLICE",
        "13,000 more neighbourhood police and PCSOs",
        Mission.STREETS,
    )
    SCHOOL_READINESS = (
        "SCHOOL_READINESS",
        "75% of five-year-olds ready to learn",
        Mission.OPPORTUNITY,
    )
    CLEAN_POWER_2030 = "CLEAN_POWER_2030", "95% clean power by 2030", Mission.CLEAN_ENERGY


class Marking(Term):
    """Government Security Classifications this tool may hold. SECRET and above are refused."""

    rank: int

    def __new__(cls, code: str, label: str, rank: int) -> Self:
        obj: Self = _term(cls, code, label)
        obj.rank = rank
        return obj

    OFFICIAL = "OFFICIAL", "OFFICIAL", 1
    OFFICIAL_SENSITIVE = "OFFICIAL_SENSITIVE", "OFFICIAL-SENSITIVE", 2


class MarkingDescriptor(Term):
    COMMERCIAL = "COMMERCIAL", "COMMERCIAL"
    PERSONAL = "PERSONAL", "PERSONAL"
    LOCSEN = "LOCSEN", "LOCSEN"


class LifecycleStatus(Term):
    """Where a pilot is in its life; ``registry`` maps to the Evaluation Registry status."""

    registry: str

    def __new__(cls, code: str, label: str, registry: str) -> Self:
        obj: Self = _term(cls, code, label)
        obj.registry = registry
        return obj

    IDEA = "idea", "Idea", "planned"
    DESIGN = "design", "Design", "planned"
    REGISTERED = "registered", "Registered", "planned"
    PROCURING = "procuring", "Procuring", "ongoing"
    LIVE = "live", "Live", "ongoing"
    PAUSED = "paused", "Paused", "ongoing"
    ANALYSIS = "analysis", "Analysis", "ongoing"
    REPORTED = "reported", "Reported", "complete"
    DECIDED = "decided", "Decided", "complete"
    CLOSED = "closed", "Closed", "complete"
    WITHDRAWN = "withdrawn", "Withdrawn", "complete"
    # Kept in the register, out of the way: unlike Withdrawn it says nothing about how the
    # pilot ended (the status before archiving stays in its history).
    ARCHIVED = "archived", "Archived", "complete"


class ProcurementRoute(Term):
    """Procedures under the Procurement Act 2023, legacy PCR 2015 routes, innovation routes."""

    OPEN = "pa23_open", "Open procedure (Procurement Act 2023)"
    COMPETITIVE_FLEXIBLE = "pa23_competitive_flexible", "Competitive flexible procedure"
    DIRECT_AWARD = "pa23_direct_award", "Direct award"
    FRAMEWORK_CALL_OFF = "pa23_framework_call_off", "Framework call-off"
    DYNAMIC_MARKET = "pa23_dynamic_market", "Dynamic market"
    BELOW_THRESHOLD = "pa23_below_threshold", "Below-threshold procurement"
    PCR_OPEN = "pcr15_open", "Open procedure (PCR 2015)"
    PCR_RESTRICTED = "pcr15_restricted", "Restricted procedure (PCR 2015)"
    PCR_COMPETITIVE_DIALOGUE = "pcr15_competitive_dialogue", "Competitive dialogue (PCR 2015)"
    PCR_CPN = "pcr15_cpn", "Competitive procedure with negotiation (PCR 2015)"
    PCR_INNOVATION_PARTNERSHIP = "pcr15_innovation_partnership", "Innovation partnership (PCR 2015)"
    PCR_NEGOTIATED_NO_NOTICE = (
        "pcr15_negotiated_no_notice",
        "Negotiated without prior publication (PCR 2015)",
    )
    SBRI_PHASE_1 = "sbri_phase_1", "SBRI phase 1"
    SBRI_PHASE_2 = "sbri_phase_2", "SBRI phase 2"
    GRANT = "grant", "Grant"
    IN_HOUSE = "in_house", "In-house delivery"


class EngagementMethod(Term):
    """Preliminary market engagement methods."""

    INDUSTRY_DAY = "industry_day", "Industry day"
    QUESTIONNAIRE = "questionnaire", "Questionnaire"
    ONE_TO_ONE = "one_to_one", "One-to-one sessions"
    WEBINAR = "webinar", "Webinar"
    PROTOTYPE_SHOWCASE = "prototype_showcase", "Prototype showcase"
    CO_DESIGN = "co_design", "Co-design"


class PaymentMechanism(Term):
    FIXED_PRICE = "fixed_price", "Fixed price"
    MILESTONE = "milestone", "Milestone payments"
    TIME_AND_MATERIALS = "time_and_materials", "Time and materials"
    COST_PLUS = "cost_plus", "Cost-plus"
    PAYMENT_BY_RESULTS = "payment_by_results", "Payment by results"
    GAINSHARE = "gainshare", "Gainshare / painshare"
    AVAILABILITY = "availability", "Availability payments"


class Accreditation(Term):
    """Contract management accreditation of the person managing the contract."""

    NONE = "none", "Not accredited"
    FOUNDATION = "foundation", "Foundation"
    PRACTITIONER = "practitioner", "Practitioner"
    EXPERT = "expert", "Expert"


class KpiLevel(Term):
    INPUT = "input", "Input"
    OUTPUT = "output", "Output"
    OUTCOME = "outcome", "Outcome"
    IMPACT = "impact", "Impact"


class MissionAlignment(Term):
    STRONG = "strong", "Strong"
    PARTIAL = "partial", "Partial"
    WEAK = "weak", "Weak"
    NONE = "none", "None"


class KpiRating(Term):
    GOOD = "good", "Good"
    APPROACHING = "approaching", "Approaching target"
    REQUIRES_IMPROVEMENT = "requires_improvement", "Requires improvement"
    INADEQUATE = "inadequate", "Inadequate"
    OTHER = "other", "Other"


class EvaluationType(Term):
    IMPACT = "impact", "Impact evaluation"
    PROCESS = "process", "Process evaluation"
    VALUE_FOR_MONEY = "value_for_money", "Value-for-money evaluation"
    OTHER = "other", "Other (say which)"


class EvaluationDesign(Term):
    """Design types in the Evaluation Registry's terms."""

    INDIVIDUAL_RCT = "individual_rct", "Individual RCT"
    CLUSTER_RCT = "cluster_rct", "Cluster RCT"
    STEPPED_WEDGE = "stepped_wedge", "Stepped wedge"
    WAIT_LIST = "wait_list", "Wait-list"
    PROPENSITY_SCORE_MATCHING = "propensity_score_matching", "Propensity score matching"
    DIFFERENCE_IN_DIFFERENCES = "difference_in_differences", "Difference-in-differences"
    INTERRUPTED_TIME_SERIES = "interrupted_time_series", "Interrupted time series"
    REGRESSION_DISCONTINUITY = "regression_discontinuity", "Regression discontinuity"
    SYNTHETIC_CONTROL = "synthetic_control", "Synthetic control"
    HISTORICAL_COMPARISON = "historical_comparison", "Historical comparison"
    BEFORE_AFTER = "before_after", "Before-after"
    THEORY_BASED = "theory_based", "Theory-based"


class UnpublishedReason(Term):
    """Why a complete evaluation's report is not published, in the Evaluation Registry's terms
    (the registry asks for details of quality issues and of other reasons)."""

    SIGN_OFF = "signoff", "Sign-off delays"
    PROCUREMENT = "procurement", "Procurement delays"
    RESOURCE = "resource", "Resource constraints"
    QUALITY = "quality", "Quality issues (say which)"
    CHANGES = "changes", "Changes in the policy or programme being evaluated"
    OTHER = "other", "Other (say which)"


class DecisionKind(Term):
    SCALE = "scale", "Scale"
    SCALE_ADAPTED = "scale_adapted", "Scale adapted"
    ADAPT_AND_RETEST = "adapt_and_retest", "Adapt and re-test"
    EXTEND = "extend", "Extend"
    CONTINUE_LOCALLY = "continue_locally", "Continue locally"
    STOP = "stop", "Stop"
    TRANSFER = "transfer", "Transfer"
    PAUSE = "pause", "Pause"


class FailureKind(Term):
    """Why a pilot failed, beyond the statistics."""

    IMPLEMENTATION = "implementation", "Implementation failure (not delivered as intended)"
    THEORY = "theory", "Theory failure (delivered, but the assumption was wrong)"
    MEASUREMENT = "measurement", "Measurement failure"
    MARKET = "market", "Market failure (nobody could supply)"


class LessonCategory(Term):
    PROBLEM_DEFINITION = "problem_definition", "Problem definition"
    MARKET_ENGAGEMENT = "market_engagement", "Market engagement"
    PROCUREMENT_ROUTE = "procurement_route", "Procurement route"
    CONTRACT_AND_KPI_DESIGN = "contract_and_kpi_design", "Contract and KPI design"
    CONTRACT_MANAGEMENT = "contract_management", "Contract management"
    DELIVERY = "delivery", "Delivery"
    DATA_AND_EVALUATION = "data_and_evaluation", "Data and evaluation"
    GOVERNANCE = "governance", "Governance"
    PEOPLE_AND_CAPABILITY = "people_and_capability", "People and capability"
    TECHNOLOGY = "technology", "Technology"
    USERS = "users", "Users"
    FINANCE_AND_VALUE_FOR_MONEY = "finance_and_value_for_money", "Finance and value for money"
    COMMUNICATIONS = "communications", "Communications"


class ActionStatus(Term):
    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    DROPPED = "dropped", "Dropped"


class AppliesTo(Term):
    PILOT = "pilot", "This pilot"
    DEPARTMENT = "department", "The department"
    CROSS_GOVERNMENT = "cross_government", "Cross-government"


class ComparatorKind(Term):
    STATUS_QUO_CONTRACT = "status_quo_contract", "Status-quo contract"
    CONTROL_SITES = "control_sites", "Control sites or group"
    MATCHED_COMPARISON = "matched_comparison", "Matched comparison group"
    HISTORICAL_BASELINE = "historical_baseline", "Historical baseline"
    FIXED_BENCHMARK = "fixed_benchmark", "Fixed benchmark value"


class CostCategory(Term):
    DELIVERY = "delivery", "Pilot delivery (contract)"
    PROCUREMENT = "procurement", "Procurement"
    EVALUATION = "evaluation", "Evaluation"
    STAFF = "staff", "Staff and project team"
    OTHER = "other", "Other"


class HypothesisRole(Term):
    PRIMARY = "primary", "Primary"
    SECONDARY = "secondary", "Secondary"
    EXPLORATORY = "exploratory", "Exploratory"


class OutcomeType(Term):
    CONTINUOUS = "continuous", "Continuous (mean)"
    BINARY = "binary", "Binary (proportion)"
    COUNT = "count", "Count (events per exposure)"


class Direction(Term):
    INCREASE = "increase", "An increase is a benefit"
    DECREASE = "decrease", "A decrease is a benefit"


class StudyDesign(Term):
    """The comparison the analysis engine runs (statistics contract, section 2)."""

    TWO_GROUP = "two-group", "Two groups (pilot against a concurrent comparator)"
    DID = "did", "Difference-in-differences"
    BEFORE_AFTER = "before-after", "Before and after (pilot only)"
    ITS = "its", "Interrupted time series"
    BENCHMARK = "benchmark", "Against a fixed benchmark value"
    PAIRED = "paired", "Paired"
    STEPPED_WEDGE = (
        "stepped-wedge",
        "Stepped wedge (clusters switched on in turn; adjusted for calendar period and cluster)",
    )


VOCABULARIES: tuple[type[Term], ...] = (
    Mission,
    Milestone,
    Marking,
    MarkingDescriptor,
    LifecycleStatus,
    ProcurementRoute,
    EngagementMethod,
    PaymentMechanism,
    Accreditation,
    KpiLevel,
    MissionAlignment,
    KpiRating,
    EvaluationType,
    EvaluationDesign,
    UnpublishedReason,
    DecisionKind,
    FailureKind,
    LessonCategory,
    ActionStatus,
    AppliesTo,
    ComparatorKind,
    CostCategory,
    HypothesisRole,
    OutcomeType,
    Direction,
    StudyDesign,
)
