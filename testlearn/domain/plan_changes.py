"""Changes to a registered plan, and which of them came after the data.

A deviation made before the first outcome data of its hypothesis is part of the plan: nobody
could have seen the results. A change after the data to anything that defines success (the
outcome, which way is better, the threshold, the harm margin, the design, the role, alpha, the
comparator) is post hoc, as OSF and CONSORT treat it: the verdict stays the one the plan as
registered gives, and the result under the changed plan is shown beside it, labelled, with its
reason and date. This module holds those rules as pure functions over the records.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from testlearn.domain.views import DeviationView, HypothesisView

#: Fields that decide what counts as success: changing one after the data is post hoc.
SUCCESS_FIELDS: frozenset[str] = frozenset(
    {
        "outcome_name",
        "outcome_type",
        "direction",
        "benefit_threshold",
        "harm_margin",
        "design",
        "role",
        "alpha",
        "comparator_id",
        "benchmark_value",
        "clustered_design",
        "baseline_covariate",
    }
)

#: Titles of those fields as a reader would say them in a sentence.
FIELD_WORDS: Mapping[str, str] = {
    "outcome_name": "the outcome",
    "outcome_type": "the type of outcome",
    "direction": "the direction of benefit",
    "benefit_threshold": "the benefit threshold",
    "harm_margin": "the harm margin",
    "design": "the design",
    "role": "the role of the hypothesis",
    "alpha": "the significance level",
    "comparator_id": "the comparator",
    "benchmark_value": "the benchmark value",
    "clustered_design": "whether units were assigned in clusters",
    "baseline_covariate": "the baseline measure adjusted for",
}


def _utc(moment: dt.datetime) -> dt.datetime:
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)


def first_data_at(imports: Iterable[dt.datetime]) -> dt.datetime | None:
    """When the first outcome data of a hypothesis arrived (replaced imports count)."""
    times = [_utc(moment) for moment in imports]
    return min(times) if times else None


def after_data(deviation: DeviationView, first_data: dt.datetime | None) -> bool:
    """Whether a deviation was recorded once outcome data could be seen."""
    return first_data is not None and _utc(deviation.recorded_at) >= first_data


def is_post_hoc(deviation: DeviationView, first_data: dt.datetime | None) -> bool:
    """A change after the data to what defines success."""
    return deviation.field in SUCCESS_FIELDS and after_data(deviation, first_data)


def post_hoc_changes(
    deviations: Iterable[DeviationView], first_data: dt.datetime | None
) -> tuple[DeviationView, ...]:
    return tuple(
        d
        for d in sorted(deviations, key=lambda d: _utc(d.recorded_at))
        if is_post_hoc(d, first_data)
    )


def registered_plan(
    hypothesis: HypothesisView,
    deviations: Iterable[DeviationView],
    first_data: dt.datetime | None,
) -> HypothesisView:
    """The hypothesis as it stood when its data arrived: every post-hoc change undone.

    Each field changed after the data takes the value it had before its first post-hoc
    change; changes made before the data stand, since they are part of the plan.
    """
    restore: dict[str, Any] = {}
    for deviation in post_hoc_changes(deviations, first_data):
        restore.setdefault(deviation.field, deviation.old_value)
    if not restore:
        return hypothesis
    values = {**hypothesis.model_dump(), **restore}
    return type(hypothesis).model_validate(values)


def plan_fixed_at(
    registered_at: dt.datetime,
    deviations: Iterable[DeviationView],
    first_data: dt.datetime | None,
) -> dt.datetime:
    """When what success meant was last settled before the data: the registration, or the
    latest change before the data to what defines success."""
    moments = [_utc(registered_at)] + [
        _utc(d.recorded_at)
        for d in deviations
        if d.field in SUCCESS_FIELDS and not after_data(d, first_data)
    ]
    return max(moments)


@dataclass(frozen=True)
class PostHocResult:
    """The verdict under the changed plan, kept beside the registered one, never instead."""

    verdict: str
    grade: str | None
    sentence: str
    estimate: float | None
    ci_low: float | None
    ci_high: float | None
    changes: tuple[dict[str, Any], ...]  # field, old, new, reason, recorded_at (ISO)

    def to_json(self) -> dict[str, Any]:
        return {
            "verdict": self.verdict,
            "grade": self.grade,
            "sentence": self.sentence,
            "estimate": self.estimate,
            "ci_low": self.ci_low,
            "ci_high": self.ci_high,
            "changes": [dict(c) for c in self.changes],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> PostHocResult | None:
        if not data or "verdict" not in data:
            return None
        return cls(
            verdict=str(data["verdict"]),
            grade=data.get("grade"),
            sentence=str(data.get("sentence", "")),
            estimate=data.get("estimate"),
            ci_low=data.get("ci_low"),
            ci_high=data.get("ci_high"),
            changes=tuple(dict(c) for c in data.get("changes", ())),
        )


def change_record(deviation: DeviationView) -> dict[str, Any]:
    return {
        "field": deviation.field,
        "old": deviation.old_value,
        "new": deviation.new_value,
        "reason": deviation.reason,
        "recorded_at": _utc(deviation.recorded_at).isoformat(),
    }
