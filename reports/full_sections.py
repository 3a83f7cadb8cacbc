"""The sections of the full lessons-learned report, one function each, in the spec's order."""

from __future__ import annotations

from reports import numbers, plan_record
from reports.blocks import Block, Bullets, Section, Table, Text
from reports.brief_content import primary_plain
from reports.detectable import ACHIEVED_LABEL, DESIGN_LABEL, detectable
from reports.facts import cost_avoided, latest_decision
from reports.full_contracts import commercial
from reports.wording import (
    SMS_PHRASES,
    decision_phrase,
    design_phrase,
    field_title,
    lower_first,
    milestone_label,
    mission_label,
    term_label,
)
from testlearn.domain.pilot_detail import HypothesisDetail, PilotDetail
from testlearn.domain.vocabulary import ComparatorKind, Direction, StudyDesign

__all__ = [
    "commercial",
    "context",
    "delivery",
    "evaluation_design",
    "executive_summary",
    "hypotheses",
    "theory_of_change",
]


def executive_summary(detail: PilotDetail) -> Section:
    pilot = detail.pilot
    registered = [h for h in detail.hypotheses if h.registered]
    primary = next((h for h in registered if h.hypothesis.role == "primary"), None)
    blocks: list[Block] = [
        Text(
            f"{pilot.lead_organisation or 'The team'} tested {lower_first(pilot.title)}. "
            f"{primary_plain(primary)}"
        ),
        Bullets(
            tuple(
                f"{h.hypothesis.code} ({h.hypothesis.role}): "
                + (
                    h.current_result.sentence
                    if h.current_result
                    else f"no current result ({h.stale_reason or 'not analysed yet'})."
                )
                + (f" {later}" if (later := plan_record.post_hoc_sentence(h)) else "")
                for h in registered
            )
        ),
    ]
    kind = latest_decision(detail)
    if kind:
        blocks.append(Text(f"Decision: {decision_phrase(kind)}."))
    avoided = cost_avoided(detail)
    if avoided:
        blocks.append(Text(avoided))
    return Section("Executive summary", tuple(blocks), 1)


def context(detail: PilotDetail) -> Section:
    pilot = detail.pilot
    secondary = ", ".join(mission_label(m) for m in pilot.secondary_missions)
    milestones = "; ".join(milestone_label(m) for m in pilot.milestones)
    blocks: list[Block] = [
        Text(
            f"Mission: {mission_label(pilot.primary_mission)}"
            + (f" (also: {secondary})" if secondary else "")
            + (f". Milestones: {milestones}." if milestones else ". No milestone is recorded.")
        ),
        Text(pilot.problem_statement or "No problem statement is recorded."),
    ]
    baselines = [
        f"{c.name}: {c.baseline_value:,.10g}"
        + (f" ({c.baseline_period})" if c.baseline_period else "")
        for c in detail.comparators
        if c.baseline_value is not None
    ]
    if baselines:
        blocks.append(Text("Baseline: " + "; ".join(baselines) + "."))
    return Section("Context and problem statement", tuple(blocks), 2)


def theory_of_change(detail: PilotDetail) -> Section:
    p = detail.pilot
    steps = (
        ("Inputs", p.toc_inputs),
        ("Activities", p.toc_activities),
        ("Outputs", p.toc_outputs),
        ("Outcomes", p.toc_outcomes),
        ("Impact", p.toc_impact),
        ("Assumptions", p.toc_assumptions),
        ("Riskiest assumption", p.toc_riskiest_assumption),
    )
    rows = [(name, value) for name, value in steps if value]
    if not rows:
        return Section("Theory of change", (Text("No theory of change is recorded."),), 3)
    missing = [name.lower() for name, value in steps if not value]
    if missing:
        rows.append(("Not recorded", "; ".join(missing).capitalize()))
    return Section("Theory of change", (Table(("Step", "What"), tuple(rows), (0.22, 0.78)),), 3)


def hypotheses(detail: PilotDetail) -> Section:
    blocks: list[Block] = []
    for registration, check in zip(detail.registrations, detail.registration_checks, strict=True):
        state = "intact" if check.intact else "CHANGED: " + "; ".join(check.problems)
        blocks.append(
            Text(
                f"Registered {numbers.timestamp(registration.registered_at)} by "
                f"{registration.registered_by or 'not recorded'}; hash (sha256) "
                f"{registration.content_hash}; check: {state}."
            )
        )
    for h in detail.hypotheses:
        hyp = h.plan
        unit_type, unit = hyp.outcome_type, hyp.outcome_unit
        rows = (
            ("Statement", hyp.statement or "No statement is recorded."),
            ("Role", hyp.role.capitalize()),
            ("Outcome", f"{hyp.outcome_name} ({unit or unit_type})"),
            ("Benefit", term_label(Direction, hyp.direction)),
            ("Comparison", term_label(StudyDesign, hyp.design)),
            (
                "Smallest change worth having",
                numbers.threshold(hyp.benefit_threshold, unit_type, unit),
            ),
            ("Harm margin", _harm_margin(hyp.harm_margin, hyp.benefit_threshold, unit_type, unit)),
            ("Significance level (alpha)", f"{hyp.alpha:g}"),
            ("Planned sample", planned_sample(h)),
            ("Design MDE (80% power)", detectable(h).design_text),
            (
                "Evidence level",
                _cap(SMS_PHRASES.get(hyp.evidence_level or 0, "not recorded")),
            ),
            ("Registration", _registration(h)),
        )
        blocks.append(
            Table(("Field", hyp.code), rows, (0.3, 0.7), caption=f"{hyp.code}: {hyp.outcome_name}")
        )
    deviations = [(h, d) for h in detail.hypotheses for d in h.deviations]
    if deviations:
        blocks.append(
            Table(
                ("Hypothesis", "Field", "Registered", "New", "Reason", "Recorded"),
                tuple(
                    (
                        h.hypothesis.code,
                        field_title(d.field),
                        plan_record.value_words(h, d.field, d.old_value),
                        plan_record.value_words(h, d.field, d.new_value),
                        d.reason,
                        numbers.long_date(d.recorded_at)
                        + (
                            ", after the data (post hoc)"
                            if d in h.post_hoc_changes
                            else ", after the data"
                            if h.after_data(d)
                            else ", before the data"
                        ),
                    )
                    for h, d in deviations
                ),
                (0.1, 0.14, 0.11, 0.11, 0.34, 0.2),
                caption="Deviations from the registered plan",
            )
        )
    else:
        blocks.append(Text("No deviations from the registered plan were recorded."))
    return Section("Hypotheses as registered", tuple(blocks), 4)


def _registration(h: HypothesisDetail) -> str:
    if not h.registered:
        return "Not registered"
    if h.registration is None:
        return "Registered"
    return f"Registered on {numbers.long_date(h.registration.registered_at)}"


def sample(pilot: float | None, comparator: float | None, *, design: str, unit: str = "") -> str:
    """Sizes in words: '600 in the pilot and 1,000 in the comparison', '2,400 in each group',
    '1 unit of exposure in each group'; empty when neither is recorded. ``unit`` names what
    is counted when it is not people or cases ("unit of exposure" for a count outcome)."""

    def size(n: float) -> str:
        return (
            numbers.plural(round(n), unit, unit.replace("unit", "units", 1))
            if unit
            else (numbers.count(n))
        )

    if pilot is None and comparator is None:
        return ""
    if pilot is not None and comparator is not None:
        if round(pilot) == round(comparator):
            return f"{size(pilot)} in each group"
        return f"{size(pilot)} in the pilot and {numbers.count(comparator)} in the comparison"
    if pilot is not None:
        alone = ", against a fixed benchmark" if design == "benchmark" else ""
        return f"{size(pilot)} in the pilot{alone}"
    return f"{size(comparator or 0)} in the comparison"


def _counted(h: HypothesisDetail) -> str:
    return "unit of exposure" if h.plan.outcome_type == numbers.COUNT else ""


def planned_sample(h: HypothesisDetail) -> str:
    hyp = h.plan
    text = sample(
        hyp.planned_n_pilot, hyp.planned_n_comparator, design=hyp.design, unit=_counted(h)
    )
    return text[:1].upper() + text[1:] if text else "Not recorded"


def _harm_margin(margin: float | None, benefit: float, outcome_type: str, unit: str) -> str:
    """The harm margin as registered, or, when none was, the engine's default said as one."""
    if margin is not None:
        return numbers.threshold(margin, outcome_type, unit)
    default = numbers.threshold(benefit, outcome_type, unit)
    return f"not registered; the engine's default of {default} (the benefit threshold) was used"


def evaluation_design(detail: PilotDetail) -> Section:
    pilot = detail.pilot
    primary = next((h for h in detail.hypotheses if h.hypothesis.role == "primary"), None)
    level = primary.hypothesis.evidence_level if primary else None
    blocks: list[Block] = [Text(f"Design: {design_phrase(pilot.evaluation_design, level)}.")]
    for c in detail.comparators:
        description = c.description.strip()
        if description and description[-1] not in ".!?":
            description += "."
        why = f" Why this comparator: {c.rationale}" if c.rationale else ""
        blocks.append(
            Text(
                f"Comparator ({term_label(ComparatorKind, c.kind).lower()}): {c.name}."
                + (f" {description}" if description else "")
                + why
            )
        )
    for h in detail.hypotheses:
        blocks.append(Text(_design_of(h)))
    return Section("Evaluation design", tuple(blocks), 6)


def _design_of(h: HypothesisDetail) -> str:
    """One hypothesis's planned and analysed sample, its two MDEs and its analysis plan."""
    hyp, result = h.plan, h.current_result
    planned = sample(
        hyp.planned_n_pilot, hyp.planned_n_comparator, design=hyp.design, unit=_counted(h)
    )
    parts = [f"planned n {planned}" if planned else "planned n not recorded"]
    if result is None:
        parts.append("not analysed yet")
    else:
        analysed = sample(
            _number(result.detail.get("n_pilot")),
            _number(result.detail.get("n_comparator")),
            design=hyp.design,
        )
        if analysed:
            parts.append(f"analysed {analysed}")
        elif any(arm.get("events") is not None for arm in result.detail.get("arms", [])):
            parts.append("analysed as counts of events (section 8)")
        else:
            parts.append("the analysis records no sample size")
    mdes = detectable(h)
    plan = hyp.analysis_plan.strip()
    return (
        f"{hyp.code}: {'; '.join(parts)}; {DESIGN_LABEL} {mdes.design_text}; "
        f"{ACHIEVED_LABEL} {mdes.achieved_text}. "
        + (f"Analysis plan: {plan}" if plan else "No analysis plan is recorded.")
    )


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def delivery(detail: PilotDetail) -> Section:
    text = detail.pilot.delivery_summary or "No account of delivery is recorded."
    return Section("Delivery: what actually happened", (Text(text),), 7)
