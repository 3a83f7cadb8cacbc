"""The sections of the full lessons-learned report, one function each, in the spec's order."""

from __future__ import annotations

from reports import numbers
from reports.blocks import Block, Bullets, Chart, Citation, Section, Table, Text
from reports.brief_content import kpi_table, primary_plain
from reports.charts import outcome_over_time_chart, outcome_points, result_rows, results_chart
from reports.facts import CostPerOutcome, cost_avoided, cost_per_outcome, latest_decision
from reports.wording import (
    SMS_PHRASES,
    decision_phrase,
    design_phrase,
    field_title,
    milestone_label,
    mission_label,
    term_label,
    verdict_label,
)
from testlearn.domain.pilot_detail import HypothesisDetail, PilotDetail
from testlearn.domain.portfolio import kpi_reasons
from testlearn.domain.vocabulary import (
    Accreditation,
    ActionStatus,
    ComparatorKind,
    DecisionKind,
    EngagementMethod,
    LessonCategory,
    PaymentMechanism,
    ProcurementRoute,
    StudyDesign,
)

WITHHELD = "withheld (commercially sensitive)"


def executive_summary(detail: PilotDetail) -> Section:
    pilot = detail.pilot
    registered = [h for h in detail.hypotheses if h.registered]
    primary = next((h for h in registered if h.hypothesis.role == "primary"), None)
    blocks: list[Block] = [
        Text(
            f"{pilot.lead_organisation or 'The team'} tested {pilot.title[:1].lower()}"
            f"{pilot.title[1:]}. {primary_plain(primary)}"
        ),
        Bullets(
            tuple(
                f"{h.hypothesis.code} ({h.hypothesis.role}): "
                + (h.current_result.sentence if h.current_result else "no current result.")
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
    milestones = "; ".join(milestone_label(m) for m in pilot.milestones) or "none recorded"
    blocks: list[Block] = [
        Text(
            f"Mission: {mission_label(pilot.primary_mission)}"
            + (f" (also: {secondary})" if secondary else "")
            + f". Milestones: {milestones}."
        ),
        Text(pilot.problem_statement or "No problem statement is recorded."),
    ]
    baselines = [
        f"{c.name}: {c.baseline_value:g} ({c.baseline_period or 'period not recorded'})"
        for c in detail.comparators
        if c.baseline_value is not None
    ]
    if baselines:
        blocks.append(Text("Baseline: " + "; ".join(baselines) + "."))
    return Section("Context and problem statement", tuple(blocks), 2)


def theory_of_change(detail: PilotDetail) -> Section:
    p = detail.pilot
    rows = tuple(
        (name, value or "Not recorded")
        for name, value in (
            ("Inputs", p.toc_inputs),
            ("Activities", p.toc_activities),
            ("Outputs", p.toc_outputs),
            ("Outcomes", p.toc_outcomes),
            ("Impact", p.toc_impact),
            ("Assumptions", p.toc_assumptions),
            ("Riskiest assumption", p.toc_riskiest_assumption),
        )
    )
    return Section("Theory of change", (Table(("Step", "What"), rows, (0.22, 0.78)),), 3)


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
        hyp = h.hypothesis
        unit_type, unit = hyp.outcome_type, hyp.outcome_unit
        rows = (
            ("Statement", hyp.statement),
            ("Role", hyp.role),
            ("Outcome", f"{hyp.outcome_name} ({unit or unit_type})"),
            ("Direction of benefit", hyp.direction),
            ("Comparison", term_label(StudyDesign, hyp.design)),
            (
                "Smallest change worth having",
                numbers.threshold(hyp.benefit_threshold, unit_type, unit),
            ),
            (
                "Harm margin",
                numbers.threshold(hyp.harm_margin or hyp.benefit_threshold, unit_type, unit),
            ),
            ("Alpha", f"{hyp.alpha:g}"),
            (
                "Planned n (pilot / comparator)",
                f"{numbers.count(hyp.planned_n_pilot)} / {numbers.count(hyp.planned_n_comparator)}",
            ),
            ("Design MDE", numbers.threshold(hyp.design_mde, unit_type, unit)),
            ("Evidence level", SMS_PHRASES.get(hyp.evidence_level or 0, "not recorded")),
            ("Registered", "yes" if h.registered else "no"),
        )
        blocks.append(
            Table(("Field", hyp.code), rows, (0.3, 0.7), caption=f"{hyp.code}: {hyp.outcome_name}")
        )
    deviations = [(h.hypothesis.code, d) for h in detail.hypotheses for d in h.deviations]
    if deviations:
        blocks.append(
            Table(
                ("Hypothesis", "Field", "Registered", "New", "Reason", "Recorded"),
                tuple(
                    (
                        code,
                        field_title(d.field),
                        str(d.old_value),
                        str(d.new_value),
                        d.reason,
                        numbers.long_date(d.recorded_at),
                    )
                    for code, d in deviations
                ),
                (0.1, 0.14, 0.11, 0.11, 0.4, 0.14),
                caption="Deviations from the registered plan",
            )
        )
    else:
        blocks.append(Text("No deviations from the registered plan were recorded."))
    return Section("Hypotheses as registered", tuple(blocks), 4)


def commercial(detail: PilotDetail, include_commercial: bool) -> Section:
    blocks: list[Block] = []

    def sensitive(value: float | None) -> str:
        return numbers.money(value) if include_commercial else WITHHELD

    for c in detail.procurements:
        methods = (
            ", ".join(term_label(EngagementMethod, m) for m in c.engagement_methods)
            or "none recorded"
        )
        specialist = {True: "yes", False: "NO", None: "not recorded"}[c.commercial_specialist]
        accreditation = (
            term_label(Accreditation, c.contract_manager_accreditation)
            if c.contract_manager_accreditation
            else "accreditation not recorded"
        )
        rows = (
            ("Route", term_label(ProcurementRoute, c.route) if c.route else "not recorded"),
            ("Contract value", numbers.money(c.contract_value)),
            ("Pipeline financial year", c.pipeline_year or "let"),
            (
                "Market engagement",
                f"{methods}; {numbers.count(c.suppliers_engaged)} suppliers "
                f"({numbers.count(c.smes_engaged)} SMEs)",
            ),
            ("What changed after engagement", c.engagement_changes or "not recorded"),
            ("Bids received", numbers.count(c.bidders)),
            (
                "Should-cost / winning bid / outturn",
                " / ".join(sensitive(v) for v in (c.should_cost, c.winning_bid, c.outturn_cost)),
            ),
            (
                "Payment mechanism",
                (
                    term_label(PaymentMechanism, c.payment_mechanism)
                    if c.payment_mechanism
                    else "not recorded"
                )
                + (f", {c.share_at_risk_pct:g}% at risk" if c.share_at_risk_pct else ""),
            ),
            (
                "Contract manager",
                f"{c.contract_manager or 'not recorded'} ({accreditation}); "
                f"commercial specialist: {specialist}",
            ),
        )
        blocks.append(Table(("", c.name or "Contract"), rows, (0.3, 0.7)))
    if not detail.procurements:
        blocks.append(Text("No procurement is recorded."))
    if not include_commercial:
        blocks.append(Text("Commercially sensitive figures are withheld from this copy."))
    weak = [
        k for k in detail.kpis if kpi_reasons(k.kpi.level, k.kpi.mission_alignment, k.kpi.mission)
    ]
    blocks.append(
        Text(
            f"KPIs: {len(detail.kpis)} recorded (Annex B); {len(weak)} measure inputs or outputs "
            "rather than outcomes, or are weakly linked to a mission"
            + (": " + "; ".join(k.kpi.name for k in weak) + "." if weak else ".")
        )
    )
    return Section("Commercial approach", tuple(blocks), 5)


def evaluation_design(detail: PilotDetail) -> Section:
    pilot = detail.pilot
    primary = next((h for h in detail.hypotheses if h.hypothesis.role == "primary"), None)
    level = primary.hypothesis.evidence_level if primary else None
    blocks: list[Block] = [Text(f"Design: {design_phrase(pilot.evaluation_design, level)}.")]
    for c in detail.comparators:
        blocks.append(
            Text(
                f"Comparator: {c.name} ({term_label(ComparatorKind, c.kind)}). {c.description} "
                f"Why: {c.rationale or 'not recorded'}"
            )
        )
    for h in detail.hypotheses:
        result = h.current_result
        hyp = h.hypothesis
        analysed = (
            f"analysed {numbers.count(result.detail.get('n_pilot'))} / "
            f"{numbers.count(result.detail.get('n_comparator'))}"
            if result
            else "not analysed"
        )
        mde = (
            numbers.threshold(result.mde_achieved, hyp.outcome_type, hyp.outcome_unit)
            if result and result.mde_achieved
            else "-"
        )
        blocks.append(
            Text(
                f"{hyp.code}: planned n {numbers.count(hyp.planned_n_pilot)} / "
                f"{numbers.count(hyp.planned_n_comparator)}, {analysed}; design MDE "
                f"{numbers.threshold(hyp.design_mde, hyp.outcome_type, hyp.outcome_unit)}, "
                f"achieved MDE {mde}. "
                f"Analysis plan: {hyp.analysis_plan or 'not recorded'}"
            )
        )
    return Section("Evaluation design", tuple(blocks), 6)


def delivery(detail: PilotDetail) -> Section:
    text = detail.pilot.delivery_summary or "No account of delivery is recorded."
    return Section("Delivery: what actually happened", (Text(text),), 7)


def findings(detail: PilotDetail) -> Section:
    blocks: list[Block] = []
    for h in detail.hypotheses:
        blocks.extend(_hypothesis_findings(detail, h))
    rows = result_rows(detail)
    if rows:
        blocks.append(Chart(results_chart(rows)))
    return Section("Findings", tuple(blocks), 8)


def _hypothesis_findings(detail: PilotDetail, h: HypothesisDetail) -> list[Block]:
    hyp = h.hypothesis
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
                    verdict_label(result.verdict),
                ),
            ),
            (0.16, 0.26, 0.16, 0.26, 0.16),
        ),
        Text(result.sentence),
    ]
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
    items: list[str] = []
    for h in detail.hypotheses:
        result = h.current_result
        level = h.hypothesis.evidence_level
        if level is not None and level <= 2:
            items.append(
                f"{h.hypothesis.code}: {SMS_PHRASES[level]}; the result shows an association, "
                "not a cause."
            )
        if result is None:
            continue
        cause = result.detail.get("inconclusive_cause")
        if cause:
            items.append(f"{h.hypothesis.code}: inconclusive ({cause.replace('_', ' ')}).")
        for s in result.detail.get("sensitivity", []):
            if str(s.get("method", "")).casefold() in ("", "none"):
                continue
            items.append(
                f"{h.hypothesis.code}: sensitivity analysis {s.get('method')}: "
                f"{s.get('note') or 'see annex'}"
            )
    items.append(
        "The results hold for the sites, people and period of the pilot; they do not show what "
        "would happen elsewhere, at national scale or over a longer period."
    )
    return Section("Interpretation and limitations", (Bullets(tuple(items)),), 9)


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
                    ("Input hash (sha256)", r.input_hash),
                    ("Registration hash (sha256)", r.registration_hash or "-"),
                ),
                heading=h.hypothesis.code,
            )
        )
    if not blocks:
        blocks.append(Text("No analysis is stored."))
    return Section("Annex A: data and methods", tuple(blocks), new_page=True)


GLOSSARY = (
    ("Benefit threshold", "The smallest change worth having, fixed before the data."),
    ("Harm margin", "The largest loss that would be accepted, fixed before the data."),
    ("95% interval (CI)", "The range in which the true effect probably lies."),
    ("MDE", "Minimum detectable effect: the smallest effect the design could reliably detect."),
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
