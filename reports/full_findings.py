"""The later sections of the full report: findings, limitations, lessons, decision, annexes."""

from __future__ import annotations

from reports import limitations as limits
from reports import numbers, plan_record
from reports.blocks import Block, Bullets, Chart, Citation, Section, Table, Text
from reports.brief_content import kpi_table
from reports.charts import outcome_over_time_chart, outcome_points, result_rows, results_charts
from reports.citation import HASHES_EXPLAINED
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
    arms = tuple(
        (
            arm.get("arm", ""),
            arm.get("period") or "-",
            numbers.count(arm.get("n")),
            numbers.arm_value(arm.get("mean"), hyp.outcome_type, hyp.outcome_unit),
        )
        for arm in result.detail.get("arms", [])
    )
    p = numbers.p_value(result.p_value)
    if result.p_adjusted is not None:
        p += f" (Holm-adjusted {numbers.p_value(result.p_adjusted).removeprefix('p ')})"
    blocks: list[Block] = [
        Table(("Group", "Period", "n", "Value"), arms, (0.3, 0.2, 0.2, 0.3), caption=heading),
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
            lesson.root_cause or "-",
            lesson.recommendation or "-",
            f"{lesson.owner or '-'} ({term_label(ActionStatus, lesson.action_status).lower()})",
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
                f"{term_label(DecisionKind, d.kind)}, decided {numbers.long_date(d.decided_on)} by "
                f"{d.decided_by or 'not recorded'}. {d.rationale} "
                f"Next steps: {d.next_steps or 'not recorded'}"
            )
        )
    return Section("Decision and next steps", tuple(blocks), 11)


def data_and_methods(detail: PilotDetail) -> Section:
    blocks: list[Block] = []
    for h in detail.hypotheses:
        r = h.result
        if r is None:
            continue
        dataset = h.dataset
        source = f"{dataset.source_name} ({dataset.row_count} rows)" if dataset else "-"
        seed = r.seed if r.seed is not None else "-"
        stale = f" OUT OF DATE: {h.stale_reason}." if h.stale_reason else ""
        blocks.append(
            Citation(
                f"{r.method}; engine {r.engine_version}; seed {seed}; analysed "
                f"{numbers.timestamp(r.analysed_at)}; data {source}.{stale}",
                (
                    ("Data fingerprint (sha256)", r.data_fingerprint),
                    # The file's own sha256, so a reader holding it can check it with
                    # sha256sum; the fingerprint is testlearn's hash of the rows.
                    (
                        "Source file sha256",
                        dataset.source_sha256
                        if dataset is not None and dataset.id == r.dataset_id
                        else "-",
                    ),
                    ("Input hash (sha256)", r.input_hash),
                    ("Registration hash (sha256)", r.registration_hash or "-"),
                ),
                heading=h.hypothesis.code,
                explained=HASHES_EXPLAINED if not blocks else "",
            )
        )
    history = plan_record.data_history(detail)
    if history:
        blocks.append(Bullets(history))
    if not blocks:
        blocks.append(Text("No analysis is stored."))
    return Section("Annex A: data and methods", tuple(blocks), new_page=True)


GLOSSARY = (
    ("Benefit threshold", "The smallest change worth having, fixed before the data."),
    (
        "Harm margin",
        "The largest loss that would be accepted, fixed before the data; where none was "
        "registered the engine uses the benefit threshold, and the report says so.",
    ),
    (
        "95% interval (CI)",
        "The range of effects consistent with the data (a 95% confidence interval): intervals "
        "made this way contain the true effect in 95 of 100 pilots.",
    ),
    (
        "Design MDE",
        "Minimum detectable effect of the registered design: what it aimed to detect with "
        "80% power.",
    ),
    (
        "Achieved MDE",
        "The smallest effect the analysis of the data as collected could detect with 80% "
        "power; a worthwhile effect of this size or more would probably have shown.",
    ),
    (
        "Evidence level (SMS)",
        "Maryland Scientific Methods Scale, 1 (before-after) to 5 (randomised trial).",
    ),
    (
        "Registration",
        "Freezing the hypotheses, with a timestamp and hash, before any outcome data.",
    ),
    ("Deviation", "A recorded change to a registered field, with its reason."),
    ("Data fingerprint", "A sha256 of the outcome data; any change to the data changes it."),
    ("Holm adjustment", "A correction of p-values when several secondary hypotheses are tested."),
)


def kpi_annex(detail: PilotDetail) -> Section:
    return Section("Annex B: KPI table", (kpi_table(detail),))


def glossary() -> Section:
    return Section("Annex C: glossary", (Table(("Term", "Meaning"), GLOSSARY, (0.25, 0.75)),))
