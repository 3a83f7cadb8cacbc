"""Read models that gather a pilot for display: one line in a list, or the whole pilot."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from testlearn.domain import plan_changes
from testlearn.domain.pilot_summary import PilotSummary as PilotSummary  # its old home
from testlearn.domain.registration import RegistrationCheck
from testlearn.domain.views import (
    AnalysisResultView,
    ComparatorView,
    CostView,
    DatasetView,
    DecisionView,
    DeviationView,
    HypothesisView,
    KpiRatingView,
    KpiView,
    LessonView,
    PilotView,
    ProcurementView,
    RegistrationView,
)


def code_order(code: str) -> tuple[tuple[int, int | str], ...]:
    """Sort key for hypothesis codes in the order people count: H2 before H10."""
    return tuple(
        (0, int(part)) if part.isdigit() else (1, part.casefold())
        for part in re.split(r"(\d+)", code)
        if part
    )


@dataclass(frozen=True)
class KpiWithRatings:
    kpi: KpiView
    ratings: tuple[KpiRatingView, ...]


@dataclass(frozen=True)
class DatasetImport:
    """One import of outcome data, current or replaced by a later one (kept, never lost)."""

    dataset: DatasetView
    replaced: bool = False
    replaced_at: dt.datetime | None = None  # when the later import tombstoned it


@dataclass(frozen=True)
class HypothesisDetail:
    hypothesis: HypothesisView
    registration: RegistrationView | None
    deviations: tuple[DeviationView, ...]
    dataset: DatasetView | None
    result: AnalysisResultView | None = None
    stale_reason: str | None = None  # why the stored result no longer stands, if it does not
    imports: tuple[DatasetImport, ...] = ()  # every import, oldest first, replaced ones too

    @property
    def first_data_at(self) -> dt.datetime | None:
        """When outcome data for this hypothesis were first added (replaced imports count)."""
        return plan_changes.first_data_at(i.dataset.imported_at for i in self.imports)

    @property
    def replaced_imports(self) -> tuple[DatasetImport, ...]:
        return tuple(i for i in self.imports if i.replaced)

    def after_data(self, deviation: DeviationView) -> bool:
        return plan_changes.after_data(deviation, self.first_data_at)

    @property
    def post_hoc_changes(self) -> tuple[DeviationView, ...]:
        """Changes after the data to what defines success (the verdict ignores them)."""
        return plan_changes.post_hoc_changes(self.deviations, self.first_data_at)

    @property
    def plan(self) -> HypothesisView:
        """The hypothesis as registered: what its verdict is judged against. Changes before
        the data stand; changes after the data to what defines success are undone here."""
        return plan_changes.registered_plan(self.hypothesis, self.deviations, self.first_data_at)

    @property
    def registered_before_data(self) -> bool:
        """Whether the registration came before any outcome data for this hypothesis."""
        if self.registration is None:
            return False
        first = self.first_data_at
        registered = self.registration.registered_at
        registered = registered if registered.tzinfo else registered.replace(tzinfo=dt.UTC)
        return first is None or registered < first

    @property
    def post_hoc_result(self) -> plan_changes.PostHocResult | None:
        """The result under the plan as changed after the data, if there were such changes."""
        result = self.current_result
        if result is None:
            return None
        return plan_changes.PostHocResult.from_json(result.detail.get("post_hoc"))

    @property
    def registered(self) -> bool:
        return self.registration is not None

    @property
    def current_result(self) -> AnalysisResultView | None:
        """The stored result if it still stands for the current inputs."""
        return self.result if self.stale_reason is None else None


@dataclass(frozen=True)
class PilotDetail:
    """Everything recorded about one pilot, as frozen views."""

    pilot: PilotView
    procurements: tuple[ProcurementView, ...]
    kpis: tuple[KpiWithRatings, ...]
    comparators: tuple[ComparatorView, ...]
    hypotheses: tuple[HypothesisDetail, ...]
    registrations: tuple[RegistrationView, ...]
    registration_checks: tuple[RegistrationCheck, ...]
    costs: tuple[CostView, ...]
    lessons: tuple[LessonView, ...]
    decisions: tuple[DecisionView, ...]
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def registration_intact(self) -> bool:
        return all(check.intact for check in self.registration_checks)

    def hypothesis(self, code: str) -> HypothesisDetail | None:
        for detail in self.hypotheses:
            if detail.hypothesis.code.casefold() == code.strip().casefold():
                return detail
        return None

    def to_json(self) -> dict[str, Any]:
        def dump(view: Any) -> Any:
            return view.model_dump(mode="json")

        return {
            "pilot": dump(self.pilot),
            "procurements": [dump(p) for p in self.procurements],
            "kpis": [{**dump(k.kpi), "ratings": [dump(r) for r in k.ratings]} for k in self.kpis],
            "comparators": [dump(c) for c in self.comparators],
            "hypotheses": [
                {
                    **dump(h.hypothesis),
                    "registered": h.registered,
                    "deviations": [dump(d) for d in h.deviations],
                    "dataset": dump(h.dataset) if h.dataset else None,
                    "result": dump(h.result) if h.result else None,
                    "result_stale": h.stale_reason,
                }
                for h in self.hypotheses
            ],
            "registrations": [
                {
                    "id": str(r.id),
                    "registered_at": r.registered_at.isoformat(),
                    "registered_by": r.registered_by,
                    "hash": r.content_hash,
                    "intact": check.intact,
                    "problems": list(check.problems),
                }
                for r, check in zip(self.registrations, self.registration_checks, strict=True)
            ],
            "costs": [dump(c) for c in self.costs],
            "lessons": [dump(lesson) for lesson in self.lessons],
            "decisions": [dump(d) for d in self.decisions],
        }
