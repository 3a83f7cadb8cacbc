"""The sections of the full lessons-learned report, one function each, in the spec's order."""

from __future__ import annotations

from reports import numbers, plan_record
from reports.blocks import Block, Bullets, Section, Table, Text
from reports.brief_content import primary_plain
from reports.detectable import ACHIEVED_LABEL, DESIGN_LABEL, detectable
from reports.facts import cost_avoided, latest_decision
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
from testlearn.domain.pilot_detail import PilotDetail
from testlearn.domain.portfolio import kpi_reasons
from testlearn.domain.vocabulary import (
    Accreditation,
    ComparatorKind,
    EngagementMethod,
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
            f"{pilot.lead_organisation or 'The team'} tested {lower_first(pilot.title)}. "
            f"{primary_plain(primary)}"
        ),
        Bullets(
            tuple(
                f"{h.hypothesis.code} ({h.hypothesis.role}): "
                + (h.current_result.sentence if h.current_result else "no current result.")
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
        hyp = h.plan
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
            ("Harm margin", _harm_margin(hyp.harm_margin, hyp.benefit_threshold, unit_type, unit)),
            ("Alpha", f"{hyp.alpha:g}"),
            (
                "Planned n (pilot / comparator)",
                f"{numbers.count(hyp.planned_n_pilot)} / {numbers.count(hyp.planned_n_comparator)}",
            ),
            ("Design MDE (80% power)", detectable(h).design_text),
            ("Evidence level", SMS_PHRASES.get(hyp.evidence_level or 0, "not recorded")),
            ("Registered", "yes" if h.registered else "no"),
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


def _harm_margin(margin: float | None, benefit: float, outcome_type: str, unit: str) -> str:
    """The harm margin as registered, or, when none was, the engine's default said as one."""
    if margin is not None:
        return numbers.threshold(margin, outcome_type, unit)
    default = numbers.threshold(benefit, outcome_type, unit)
    return f"not registered; the engine's default of {default} (the benefit threshold) was used"


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
        hyp = h.plan
        analysed = (
            f"analysed {numbers.count(result.detail.get('n_pilot'))} / "
            f"{numbers.count(result.detail.get('n_comparator'))}"
            if result
            else "not analysed"
        )
        mdes = detectable(h)
        blocks.append(
            Text(
                f"{hyp.code}: planned n {numbers.count(hyp.planned_n_pilot)} / "
                f"{numbers.count(hyp.planned_n_comparator)}, {analysed}; {DESIGN_LABEL} "
                f"{mdes.design_text}; {ACHIEVED_LABEL} {mdes.achieved_text}. "
                f"Analysis plan: {hyp.analysis_plan or 'not recorded'}"
            )
        )
    return Section("Evaluation design", tuple(blocks), 6)


def delivery(detail: PilotDetail) -> Section:
    text = detail.pilot.delivery_summary or "No account of delivery is recorded."
    return Section("Delivery: what actually happened", (Text(text),), 7)
