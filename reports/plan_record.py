"""What a report may say about the registration: when success was defined, what changed since.

Every sentence here is checked against the record before it is printed: "set out in advance"
only when the registration (and any change to what counts as success) came before the first
outcome data; a change after the data is called post hoc, with its reason and date, and the
result under it is shown beside the registered verdict, never in its place.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reports import numbers
from reports.verdict_words import comparison, words
from reports.wording import field_title
from testlearn.domain import plan_changes
from testlearn.domain.pilot_detail import HypothesisDetail, PilotDetail
from testlearn.domain.views import DeviationView

#: Fields whose values are thresholds, shown in the outcome's units (points, per cent).
THRESHOLD_FIELDS = frozenset({"benefit_threshold", "harm_margin", "benchmark_value"})


def value_words(h: HypothesisDetail, name: str, value: object) -> str:
    """A registered value as a reader reads it: 3 points rather than 0.03."""
    hyp = h.plan
    if name in THRESHOLD_FIELDS and isinstance(value, int | float):
        return numbers.threshold(float(value), hyp.outcome_type, hyp.outcome_unit)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "none" if value in (None, "") else str(value)
    return f"{int(value):,}" if float(value).is_integer() else f"{value:g}"


def set_in_advance(h: HypothesisDetail) -> str | None:
    """The date success was last defined before the data ("14 October 2024"), or None when
    the registration came after the first outcome data."""
    if h.registration is None or not h.registered_before_data:
        return None
    fixed = plan_changes.plan_fixed_at(h.registration.registered_at, h.deviations, h.first_data_at)
    return numbers.long_date(fixed)


def change_words(
    h: HypothesisDetail, d: DeviationView | Mapping[str, Any], *, reason_before_data: bool = True
) -> str:
    """One change: "benefit threshold from 3 points to 0.4 points, on 1 December 2026, after
    the outcome data were added (post hoc): lowered after seeing results".

    ``reason_before_data`` False leaves out the reason of a change made before any outcome
    data (a short brief; the full report gives it); a change after the data keeps its reason.
    """
    if isinstance(d, DeviationView):
        field, old, new, reason = d.field, d.old_value, d.new_value, d.reason
        when, after = d.recorded_at, h.after_data(d)
    else:
        field, old, new, reason = d["field"], d["old"], d["new"], d["reason"]
        when, after = _parse(d["recorded_at"]), True
    timing = (
        "after the outcome data were added (post hoc)"
        if after and field in plan_changes.SUCCESS_FIELDS
        else "after the outcome data were added"
        if after
        else "before any outcome data"
    )
    because = f": {reason}" if after or reason_before_data else ""
    return (
        f"{field_title(field).lower()} from {value_words(h, field, old)} to "
        f"{value_words(h, field, new)}, on {numbers.long_date(when)}, {timing}{because}"
    )


def post_hoc_sentence(h: HypothesisDetail) -> str | None:
    """The result under a plan changed after the data, labelled, or None when there is none."""
    later = h.post_hoc_result
    if later is None:
        return None
    changes = "; ".join(
        f"{field_title(c['field']).lower()} was changed from "
        f"{value_words(h, c['field'], c['old'])} to {value_words(h, c['field'], c['new'])} "
        f"on {numbers.long_date(_parse(c['recorded_at']))}"
        f" (reason given: {c['reason']})"
        for c in later.changes
    )
    reading = (
        words(later.verdict, later.grade, h.plan.evidence_level)
        .issue_line(
            h.hypothesis.outcome_name,
            h.plan.direction,
            comparison=comparison(h.hypothesis.design),  # the changed plan's comparison
        )
        .rstrip(".")
    )
    return (
        f"Post hoc, not the registered test: after the outcome data were added, "
        f"{h.hypothesis.code}'s {changes}. Under the changed plan the finding would be "
        f"\u201c{reading[:1].lower()}{reading[1:]}\u201d. The verdict given is against the plan "
        "as registered."
    )


def registration_sentence(detail: PilotDetail) -> str | None:
    """When success was defined, said only as far as the record bears it out."""
    registered = [h for h in detail.hypotheses if h.registered]
    if not registered or not detail.registrations:
        return None
    first_data = [t for h in registered if (t := h.first_data_at) is not None]
    data = f" ({numbers.long_date(min(first_data))})" if first_data else ""
    first = detail.registrations[0]
    late = [h.hypothesis.code for h in registered if not h.registered_before_data]
    if late:
        return (
            f"The hypotheses were registered on {numbers.long_date(first.registered_at)}, but "
            f"{', '.join(late)} only after outcome data had been added{data}: the registration "
            "cannot show that success was defined before the results were seen."
        )
    return (
        f"What success meant was fixed and registered on "
        f"{numbers.long_date(first.registered_at)}, before any outcome data were added{data}."
    )


def data_history(detail: PilotDetail) -> tuple[str, ...]:
    """One sentence per replaced import: which file, when, and what replaced it."""
    lines = []
    for h in detail.hypotheses:
        for earlier in h.replaced_imports:
            d = earlier.dataset
            when = f" on {numbers.long_date(earlier.replaced_at)}" if earlier.replaced_at else ""
            lines.append(
                f"{h.hypothesis.code}: the outcome data first imported from {d.source_name} on "
                f"{numbers.long_date(d.imported_at)} ({d.row_count:,} rows) were replaced{when} "
                "by a later import, and the earlier data are kept, so they can still be checked."
            )
    return tuple(lines)


def _parse(text: object) -> Any:
    import datetime as dt

    return dt.datetime.fromisoformat(str(text).replace("Z", "+00:00"))
