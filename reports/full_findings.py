"""The later sections of the full report: findings, limitations, lessons, decision, annexes."""

from __future__ import annotations

import math
from typing import Any

from reports import limitations as limits
from reports import numbers, plan_record
from reports.blocks import Block, Bullets, Chart, Section, Table, Text
from reports.charts import outcome_over_time_chart, outcome_points, result_rows, results_charts
from reports.facts import CostPerOutcome, cost_per_outcome
from reports.page_breaks import FRAME_HEIGHT
from reports.verdict_words import label
from reports.wording import term_label
from testlearn.domain.pilot_detail import HypothesisDetail, PilotDetail
from testlearn.domain.vocabulary import (
    ActionStatus,
    DecisionKind,
    LessonCategory,
)


def findings(detail: PilotDetail) -> Section:
    blocks: list[Block] = []
    for h in detail.hypotheses:
        blocks.extend(_hypothesis_findings(detail, h))
    rows = result_rows(detail)
    if rows:
        # Over several charts when the rows are too many for a page, so none is shrunk
        # (the layout's room for a chart, with its words under it).
        blocks.extend(Chart(d) for d in results_charts(rows, FRAME_HEIGHT - 60))
    return Section("Findings", tuple(blocks), 8)


def _hypothesis_findings(detail: PilotDetail, h: HypothesisDetail) -> list[Block]:
    hyp = h.plan
    result = h.current_result
    heading = f"{hyp.code} ({hyp.role}): {hyp.outcome_name}"
    if result is None:
        why = h.stale_reason or ("not analysed yet" if h.registered else "not registered")
        return [Text(f"{heading}: no current result ({why}).", "notice")]
    arms = _arms_table(result.detail.get("arms", []), hyp.outcome_type, hyp.outcome_unit, heading)
    p = numbers.p_value(result.p_value)
    if result.p_adjusted is not None:
        p += f" (Holm-adjusted {numbers.p_value(result.p_adjusted).removeprefix('p ')})"
    blocks: list[Block] = [
        arms,
        Table(
            ("Estimate", "Interval", "p", "Method", "Verdict"),
            (
                (
                    numbers.effect(result.estimate, hyp.outcome_type, hyp.outcome_unit),
                    numbers.effect_interval(
                        result.ci_low,
                        result.ci_high,
                        hyp.outcome_type,
                        hyp.outcome_unit,
                        float(result.detail.get("ci_level") or 0.95),
                    ),
                    p,
                    result.method,
                    label(result.verdict, result.grade, hyp.evidence_level),
                ),
            ),
            (0.16, 0.26, 0.16, 0.26, 0.16),
        ),
        Text(result.sentence),
    ]
    later = plan_record.post_hoc_sentence(h)
    if later is not None:
        blocks.append(Text(later))
    if result.warnings:
        blocks.append(Bullets(tuple(f"Warning: {w}" for w in result.warnings)))
    points = outcome_points(detail, hyp.code)
    if points:
        labels = {
            "pilot": hyp.pilot_label or "pilot",
            "comparator": hyp.comparator_label or "comparator",
        }
        blocks.append(
            Chart(
                outcome_over_time_chart(
                    points,
                    outcome=hyp.outcome_name,
                    outcome_type=hyp.outcome_type,
                    unit=hyp.outcome_unit,
                    labels=labels,
                )
            )
        )
    value = cost_per_outcome(detail, h)
    blocks.append(
        Text(
            "Value for money: "
            + (
                value.sentence()
                if isinstance(value, CostPerOutcome)
                else f"no cost per additional outcome, because {value}."
            )
        )
    )
    return blocks


def _arms_table(arms: list[dict[str, Any]], outcome_type: str, unit: str, heading: str) -> Table:
    """The groups as analysed; a column no group has (a period, a count) is left out."""
    columns: list[tuple[str, float, Any]] = [
        ("Group", 0.3, lambda arm: str(arm.get("arm") or "not named")),
    ]
    if any(arm.get("period") for arm in arms):
        columns.append(("Period", 0.2, lambda arm: str(arm.get("period") or "not recorded")))
    if any(_finite(arm.get("n")) for arm in arms):
        columns.append(
            (
                "n",
                0.2,
                lambda arm: _number(arm.get("n")),
            )
        )
    # A count over an exposure of one (a year, a benchmark) is its own value: its events
    # would print the same figure twice.
    if any(_finite(arm.get("exposure")) and arm.get("exposure") != 1 for arm in arms):
        columns.append(("Events", 0.15, lambda arm: _number(arm.get("events"))))
        columns.append(("Exposure", 0.15, lambda arm: _number(arm.get("exposure"))))
    columns.append(
        (
            "Value",
            0.3,
            lambda arm: (
                numbers.arm_value(arm["mean"], outcome_type, unit)
                if _finite(arm.get("mean"))
                else "not recorded"
            ),
        )
    )
    total = sum(width for _, width, _ in columns)
    return Table(
        tuple(name for name, _, _ in columns),
        tuple(tuple(cell(arm) for _, _, cell in columns) for arm in arms),
        tuple(width / total for _, width, _ in columns),
        caption=heading,
    )


def _number(value: object) -> str:
    if isinstance(value, int | float) and _finite(value):
        return numbers.count(value)
    return "not recorded"


def _finite(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def limitations(detail: PilotDetail) -> Section:
    """What the evidence does not show: for the pilot, then for each hypothesis's result."""
    found = limits.limitations(detail)
    if not found.specific:
        return Section("Interpretation and limitations", (Text(limits.STOCK),), 9)
    blocks: list[Block] = []
    if found.pilot:
        blocks.extend((Text("The pilot as a whole:"), Bullets(found.pilot)))
    for heading, items in found.hypotheses:
        if items:
            blocks.extend((Text(f"{heading}:"), Bullets(items)))
    return Section("Interpretation and limitations", tuple(blocks), 9)


def lessons(detail: PilotDetail) -> Section:
    if not detail.lessons:
        return Section("Lessons", (Text("No lessons are recorded."),), 10)
    rows = tuple(
        (
            term_label(LessonCategory, lesson.category)
            + (" (went well)" if lesson.went_well else ""),
            lesson.what_happened,
            lesson.root_cause or "Not recorded",
            lesson.recommendation or "Not recorded",
            f"{lesson.owner or 'No owner recorded'} "
            f"({term_label(ActionStatus, lesson.action_status).lower()})",
        )
        for lesson in detail.lessons
    )
    return Section(
        "Lessons",
        (
            Table(
                ("Category", "What happened", "Root cause", "Recommendation", "Owner (status)"),
                rows,
                (0.15, 0.25, 0.2, 0.25, 0.15),
            ),
        ),
        10,
    )


def decision(detail: PilotDetail) -> Section:
    if not detail.decisions:
        return Section("Decision and next steps", (Text("No decision is recorded yet."),), 11)
    blocks: list[Block] = []
    for d in detail.decisions:
        blocks.append(
            Text(
                f"{term_label(DecisionKind, d.kind)}, decided on {numbers.long_date(d.decided_on)}"
                + (f" by {d.decided_by}." if d.decided_by else "; who decided is not recorded.")
                + (f" {d.rationale}" if d.rationale else "")
                + (
                    f" Next steps: {d.next_steps}"
                    if d.next_steps
                    else " No next steps are recorded."
                )
            )
        )
    return Section("Decision and next steps", tuple(blocks), 11)
