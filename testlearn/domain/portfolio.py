"""The portfolio read model: what a central team sees across a whole (merged) database.

Built by ``build_portfolio`` from each pilot's facts (``testlearn.domain.portfolio_facts``),
as a pure function, so the service only reads and this module only counts. It answers the
questions the source report asks central teams to put to departments: which KPIs measure
inputs or outputs, or serve no mission; which contracts are managed without a commercial
specialist; where market engagement stopped at webinars; whether the commercial pipeline
looks three years ahead; and which lessons recur.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from testlearn.domain.commercial_text import withhold_sentences
from testlearn.domain.marking import (
    PrintedMarking,
    highest_marking,
    printed_marking,
    strictest_handling,
)
from testlearn.domain.pilot_detail import PilotDetail
from testlearn.domain.pooling import Pooling
from testlearn.domain.portfolio_facts import PilotFacts, PrimaryFacts
from testlearn.domain.vocabulary import (
    DecisionKind,
    EngagementMethod,
    KpiLevel,
    Mission,
    MissionAlignment,
)

NO_MISSION = "none"
NOT_ANALYSED = "not_analysed"
OUT_OF_DATE = "out_of_date"
#: A pilot whose registration, data or history fails verification: its result is not counted.
FAILS_VERIFICATION = "fails_verification"
#: Engagement that includes a real conversation with suppliers, not a broadcast.
CONVERSATION_METHODS = frozenset(
    {EngagementMethod.ONE_TO_ONE.value, EngagementMethod.CO_DESIGN.value}
)


@dataclass(frozen=True)
class PortfolioPilot:
    """One pilot's line in the portfolio."""

    reference: str
    title: str
    lead_organisation: str
    mission: str  # a Mission code, or NO_MISSION
    status: str
    marking: PrintedMarking
    cost: float | None  # spend to date, else the sum of recorded costs
    national_rollout_cost: float | None
    verdict: str  # the primary hypothesis's verdict, NOT_ANALYSED or OUT_OF_DATE
    decision: str | None  # the latest decision's kind
    cost_avoided: float | None  # the national roll-out cost, when the pilot was stopped
    grade: str | None = None  # the primary verdict's grade, when it has one
    evidence_level: int | None = None  # the primary hypothesis's SMS level


@dataclass(frozen=True)
class KpiConcern:
    reference: str
    kpi: str
    level: str
    alignment: str
    latest_rating: str | None
    reasons: tuple[str, ...]
    statutory_rating: str | None = None  # from the contract's performance notices (UK9)


@dataclass(frozen=True)
class ContractConcern:
    reference: str
    contract: str
    value: float | None
    manager: str
    accreditation: str | None


@dataclass(frozen=True)
class EngagementConcern:
    reference: str
    contract: str
    methods: tuple[str, ...]  # EngagementMethod codes; empty when none was recorded
    suppliers_engaged: int | None
    bidders: int | None


@dataclass(frozen=True)
class PipelineYear:
    year: str  # "2027-28", or "earlier" / "later"
    contracts: int
    value: float
    references: tuple[str, ...]


@dataclass(frozen=True)
class RecurringLesson:
    category: str  # a LessonCategory code
    lessons: int
    pilots: tuple[str, ...]
    went_badly: int
    recommendations: tuple[str, ...]


@dataclass(frozen=True)
class Portfolio:
    """Counts and lists across every pilot of a database."""

    generated_at: dt.datetime
    pilots: tuple[PortfolioPilot, ...]
    marking: PrintedMarking
    kpi_concerns: tuple[KpiConcern, ...]
    kpis_total: int
    contracts_without_specialist: tuple[ContractConcern, ...]
    contracts_specialist_unknown: int
    contracts_total: int
    engagement_concerns: tuple[EngagementConcern, ...]
    pipeline: tuple[PipelineYear, ...]
    recurring_lessons: tuple[RecurringLesson, ...]
    #: Printed under the marking: the strictest handling instructions of its pilots.
    handling: str = ""
    #: The outcome measures two or more pilots registered, pooled where two have results
    #: (``testlearn.services.pooling``); each pilot's own verdict stays beside the pooling.
    pooling: Pooling = field(default_factory=Pooling)

    @property
    def missions(self) -> list[str]:
        """Mission codes present, in the order of first appearance by reference."""
        return sorted({p.mission for p in self.pilots}, key=_mission_order)

    def count_by(self, attribute: str) -> dict[str, dict[str, int]]:
        """Pilots counted by mission and ``attribute`` ("status" or "verdict")."""
        table: dict[str, dict[str, int]] = defaultdict(dict)
        for p in self.pilots:
            row = table[p.mission]
            key = str(getattr(p, attribute))
            row[key] = row.get(key, 0) + 1
        return dict(table)

    @property
    def total_cost(self) -> float:
        return sum(p.cost or 0.0 for p in self.pilots)

    @property
    def stopped(self) -> tuple[PortfolioPilot, ...]:
        return tuple(p for p in self.pilots if p.decision == DecisionKind.STOP.value)

    @property
    def cost_avoided(self) -> float:
        return sum(p.cost_avoided or 0.0 for p in self.pilots)


def _mission_order(code: str) -> tuple[int, str]:
    codes = [m.value for m in Mission]
    return (codes.index(code) if code in codes else len(codes), code)


def pilot_cost(detail: PilotDetail) -> float | None:
    """What a pilot cost: spend to date, else the sum of its recorded costs, else its budget."""
    amounts = [c.amount for c in detail.costs if c.amount is not None]
    return _cost(detail.pilot.spend, amounts, detail.pilot.budget)


def _cost(spend: float | None, amounts: Sequence[float], budget: float | None) -> float | None:
    if spend is not None:
        return spend
    return sum(amounts) if amounts else budget


def latest_decision(detail: PilotDetail) -> str | None:
    """The kind of the pilot's latest decision, by date (undated ones count as oldest)."""
    return _latest_kind([(d.decided_on, d.kind) for d in detail.decisions])


def _latest_kind(decisions: Sequence[tuple[dt.date | None, str]]) -> str | None:
    if not decisions:
        return None
    latest = max(enumerate(decisions), key=lambda item: (item[1][0] or dt.date.min, item[0]))
    return latest[1][1]


def _verdict(primary: PrimaryFacts | None) -> str:
    """The primary hypothesis's current verdict, or why there is none."""
    if primary is None or primary.result is None:
        return NOT_ANALYSED
    result = primary.result
    # The rule of ``testlearn.domain.results.stale_reason``: the hypothesis or the data have
    # moved on since the analysis.
    if result.hypothesis_rev != primary.rev or result.dataset_id != primary.dataset_id:
        return OUT_OF_DATE
    return result.verdict


def build_portfolio(
    pilots_facts: Iterable[PilotFacts],
    *,
    generated_at: dt.datetime,
    pipeline_years_ahead: int = 3,
    failing: frozenset[str] = frozenset(),
) -> Portfolio:
    """Count and list across pilots; ``generated_at`` fixes the current financial year.

    Pilots in ``failing`` (references) fail verification: their results are not counted.
    """
    pilots: list[PortfolioPilot] = []
    kpis: list[KpiConcern] = []
    kpis_total = 0
    unmanaged: list[ContractConcern] = []
    unknown_specialist = contracts_total = 0
    engagement: list[EngagementConcern] = []
    pipeline: dict[str, list[tuple[str, float]]] = defaultdict(list)
    lessons: dict[str, list[tuple[str, bool, str]]] = defaultdict(list)
    # A register has a handful of markings and ten thousand pilots: parse each marking once.
    markings: dict[tuple[str, str | None], PrintedMarking] = {}
    ordered = sorted(pilots_facts, key=lambda f: f.reference)
    for p in ordered:
        marking = markings.get((p.marking, p.marking_descriptor))
        if marking is None:
            marking = printed_marking(p.marking, p.marking_descriptor)
            markings[p.marking, p.marking_descriptor] = marking
        decision = _latest_kind(p.decisions)
        stopped = decision == DecisionKind.STOP.value
        pilots.append(
            PortfolioPilot(
                reference=p.reference,
                title=p.title,
                lead_organisation=p.lead_organisation,
                mission=p.primary_mission or NO_MISSION,
                status=p.status,
                marking=marking,
                cost=_cost(p.spend, p.cost_amounts, p.budget),
                national_rollout_cost=p.national_rollout_cost,
                verdict=FAILS_VERIFICATION if p.reference in failing else _verdict(p.primary),
                decision=decision,
                cost_avoided=p.national_rollout_cost if stopped else None,
                grade=p.primary.result.grade
                if p.primary is not None and p.primary.result is not None
                else None,
                evidence_level=p.primary.evidence_level if p.primary is not None else None,
            )
        )
        for kpi in p.kpis:
            kpis_total += 1
            reasons = kpi_reasons(kpi.level, kpi.mission_alignment, kpi.mission)
            if reasons:
                kpis.append(
                    KpiConcern(
                        p.reference,
                        kpi.name,
                        kpi.level,
                        kpi.mission_alignment,
                        kpi.latest_rating,
                        reasons,
                        kpi.statutory_rating,
                    )
                )
        for contract in p.contracts:
            if contract.pipeline_year:
                pipeline[contract.pipeline_year].append((p.reference, contract.contract_value or 0))
                continue  # a planned contract: not yet managed, not yet engaged on
            contracts_total += 1
            if contract.commercial_specialist is False:
                unmanaged.append(
                    ContractConcern(
                        p.reference,
                        contract.name,
                        contract.contract_value,
                        contract.contract_manager,
                        contract.contract_manager_accreditation,
                    )
                )
            elif contract.commercial_specialist is None:
                unknown_specialist += 1
            if not CONVERSATION_METHODS & set(contract.engagement_methods):
                engagement.append(
                    EngagementConcern(
                        p.reference,
                        contract.name,
                        contract.engagement_methods,
                        contract.suppliers_engaged,
                        contract.bidders,
                    )
                )
        for lesson in p.lessons:
            # The portfolio never prints commercial figures, so nor may a recommendation.
            advice = withhold_sentences(lesson.recommendation, p.withheld)
            lessons[lesson.category].append((p.reference, lesson.went_well, advice))
    return Portfolio(
        generated_at=generated_at,
        pilots=tuple(pilots),
        marking=highest_marking(p.marking for p in pilots),
        kpi_concerns=tuple(kpis),
        kpis_total=kpis_total,
        contracts_without_specialist=tuple(unmanaged),
        contracts_specialist_unknown=unknown_specialist,
        contracts_total=contracts_total,
        engagement_concerns=tuple(engagement),
        pipeline=_pipeline(pipeline, generated_at.date(), pipeline_years_ahead),
        recurring_lessons=_recurring(lessons),
        handling=strictest_handling(
            (pilot.marking, facts.handling_instructions)
            for pilot, facts in zip(pilots, ordered, strict=True)
        ),
    )


def kpi_reasons(level: str, alignment: str, mission: str | None) -> tuple[str, ...]:
    """Why a KPI needs review: it measures inputs or outputs, or serves no mission well."""
    reasons = []
    if level in (KpiLevel.INPUT.value, KpiLevel.OUTPUT.value):
        reasons.append(f"measures an {KpiLevel.parse(level).label.lower()}, not an outcome")
    if mission is None or alignment == MissionAlignment.NONE.value:
        reasons.append("not linked to a mission")
    elif alignment == MissionAlignment.WEAK.value:
        reasons.append("weakly aligned with its mission")
    return tuple(reasons)


def _financial_year(day: dt.date, offset: int = 0) -> str:
    start = (day.year if day.month >= 4 else day.year - 1) + offset
    return f"{start}-{(start + 1) % 100:02d}"


def _pipeline(
    found: dict[str, list[tuple[str, float]]], today: dt.date, ahead: int
) -> tuple[PipelineYear, ...]:
    years = [_financial_year(today, i) for i in range(ahead + 1)]
    buckets: dict[str, list[tuple[str, float]]] = {y: [] for y in ["earlier", *years, "later"]}
    for year, items in found.items():
        key = year if year in years else ("earlier" if year < years[0] else "later")
        buckets[key].extend(items)
    return tuple(
        PipelineYear(
            year, len(items), sum(v for _, v in items), tuple(sorted({r for r, _ in items}))
        )
        for year, items in buckets.items()
        if items or year in years
    )


def _recurring(found: dict[str, list[tuple[str, bool, str]]]) -> tuple[RecurringLesson, ...]:
    out = []
    for category, items in found.items():
        pilots = tuple(sorted({ref for ref, _, _ in items}))
        advice = Counter(rec for _, well, rec in items if rec and not well)
        out.append(
            RecurringLesson(
                category,
                len(items),
                pilots,
                sum(1 for _, well, _ in items if not well),
                tuple(rec for rec, _ in advice.most_common(2)),
            )
        )
    out.sort(key=lambda r: (-len(r.pilots), -r.lessons, r.category))
    return tuple(out)
