"""What the portfolio needs to know of each pilot: plain values, no more.

The store reads these for every pilot of a database in a few bulk queries
(``testlearn.store.portfolio_queries``), which is what makes a portfolio of ten thousand
pilots quick; ``facts_from_detail`` takes the same from one pilot's full detail, so the two
readings can be checked against each other. Each tuple keeps the order in which a pilot's
detail lists its records (KPIs by name, contracts by pipeline year, lessons by category,
decisions by date, costs by financial year), because the portfolio's lists follow it.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from testlearn.domain.commercial_text import WithheldValue, pilot_withheld
from testlearn.domain.pilot_detail import PilotDetail
from testlearn.domain.views import KpiRatingView


@dataclass(frozen=True)
class KpiFacts:
    name: str
    level: str
    mission_alignment: str
    mission: str | None
    latest_rating: str | None  # the pilot's own rating of the latest financial year, if any
    statutory_rating: str | None = None  # the latest a contract performance notice published


@dataclass(frozen=True)
class ContractFacts:
    name: str
    contract_value: float | None
    pipeline_year: str | None
    commercial_specialist: bool | None
    contract_manager: str
    contract_manager_accreditation: str | None
    engagement_methods: tuple[str, ...]
    suppliers_engaged: int | None
    bidders: int | None


@dataclass(frozen=True)
class LessonFacts:
    category: str
    went_well: bool
    recommendation: str


@dataclass(frozen=True)
class ResultFacts:
    """A stored analysis, with the inputs it pinned."""

    verdict: str
    hypothesis_rev: str
    dataset_id: uuid.UUID
    grade: str | None = None  # the verdict's grade, for the portfolio's words


@dataclass(frozen=True)
class PrimaryFacts:
    """The pilot's first registered primary hypothesis (by code) and its stored result."""

    rev: str
    dataset_id: uuid.UUID | None  # the latest imported dataset
    result: ResultFacts | None
    evidence_level: int | None = None  # SMS 1-5: causal words only at 3 and above


@dataclass(frozen=True)
class PilotFacts:
    reference: str
    title: str
    lead_organisation: str
    primary_mission: str | None
    status: str
    marking: str
    marking_descriptor: str | None
    spend: float | None
    budget: float | None
    national_rollout_cost: float | None
    cost_amounts: tuple[float, ...]  # recorded costs that have an amount
    decisions: tuple[tuple[dt.date | None, str], ...]  # (decided on, kind)
    primary: PrimaryFacts | None
    kpis: tuple[KpiFacts, ...]
    contracts: tuple[ContractFacts, ...]
    lessons: tuple[LessonFacts, ...]
    handling_instructions: str = ""
    #: Contract values the portfolio never prints, nor lets free text print.
    withheld: tuple[WithheldValue, ...] = ()


def facts_from_detail(detail: PilotDetail) -> PilotFacts:
    """The portfolio's facts of one pilot, taken from its full detail."""
    p = detail.pilot
    primaries = [h for h in detail.hypotheses if h.hypothesis.role == "primary" and h.registered]
    primary = None
    if primaries:
        first = primaries[0]
        result = first.result
        primary = PrimaryFacts(
            rev=first.hypothesis.rev,
            dataset_id=first.dataset.id if first.dataset is not None else None,
            result=None
            if result is None
            else ResultFacts(
                result.verdict, result.hypothesis_rev, result.dataset_id, result.grade
            ),
            evidence_level=first.plan.evidence_level,
        )
    return PilotFacts(
        reference=p.reference,
        title=p.title,
        lead_organisation=p.lead_organisation,
        primary_mission=p.primary_mission,
        status=p.status,
        marking=p.marking,
        marking_descriptor=p.marking_descriptor,
        spend=p.spend,
        budget=p.budget,
        national_rollout_cost=p.national_rollout_cost,
        cost_amounts=tuple(c.amount for c in detail.costs if c.amount is not None),
        decisions=tuple((d.decided_on, d.kind) for d in detail.decisions),
        primary=primary,
        kpis=tuple(
            KpiFacts(
                item.kpi.name,
                item.kpi.level,
                item.kpi.mission_alignment,
                item.kpi.mission,
                latest_rating(item.ratings),
                statutory_rating(item.ratings),
            )
            for item in detail.kpis
        ),
        contracts=tuple(
            ContractFacts(
                c.name,
                c.contract_value,
                c.pipeline_year,
                c.commercial_specialist,
                c.contract_manager,
                c.contract_manager_accreditation,
                tuple(c.engagement_methods),
                c.suppliers_engaged,
                c.bidders,
            )
            for c in detail.procurements
        ),
        lessons=tuple(
            LessonFacts(lesson.category, lesson.went_well, lesson.recommendation)
            for lesson in detail.lessons
        ),
        handling_instructions=p.handling_instructions,
        withheld=pilot_withheld(
            detail.procurements,
            (p.budget, p.spend, p.national_rollout_cost),
            [c.amount for c in detail.costs],
        ),
    )


def latest_rating(ratings: Sequence[KpiRatingView]) -> str | None:
    """The pilot's own rating of the latest financial year (statutory ones are apart)."""
    ordered = sorted((r for r in ratings if not r.source_notice), key=lambda r: r.year or "")
    return ordered[-1].rating if ordered else None


def statutory_rating(ratings: Sequence[KpiRatingView]) -> str | None:
    """The latest rating published in a contract performance notice, by date assessed."""
    ordered = sorted(
        (r for r in ratings if r.source_notice), key=lambda r: str(r.assessed_on or "")
    )
    return ordered[-1].rating if ordered else None
