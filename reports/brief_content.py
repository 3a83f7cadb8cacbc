"""What a ministerial brief says: the submission format, written from a pilot's record.

The brief follows the private-office submission: a header (from, date, to, copy list,
clearance, timing, subject), then issue, recommendations, timing, background, findings, why
this was responsible test-and-learn, options, risks and handling, lines to take, and an annex
with the results chart and the KPI table. Findings quote the engine's sentence as it is.
Commercially sensitive values are left out unless the user includes them, and the brief says
so either way.
"""

from __future__ import annotations

from reports import numbers, plan_record
from reports.blocks import (
    UNVERIFIED_NOTICE,
    Block,
    Bullets,
    Chart,
    Document,
    Fields,
    Lettered,
    QandA,
    Section,
    Table,
    Text,
)
from reports.charts import result_rows, results_chart
from reports.citation import citation
from reports.clearance_text import clearance_line, final_clearance, version_text
from reports.commercial_redaction import commercial_handling, withhold_commercial
from reports.detectable import detectable
from reports.facts import (
    CostPerOutcome,
    cost_avoided,
    cost_per_outcome,
    pilot_cost,
)
from reports.handling import join_names, lines_to_take, primary_hypothesis, primary_plain, risks
from reports.options import decision_taken, options_table
from reports.other_findings import harm_sentences, theory_failures
from reports.wording import (
    decision_phrase,
    design_phrase,
    first_sentences,
    lower_first,
    milestone_label,
    mission_label,
    term_label,
)
from testlearn.domain.clearance import ClearanceView
from testlearn.domain.fields import commercially_sensitive_fields
from testlearn.domain.marking import printed_marking, raised_for_commercial
from testlearn.domain.pilot_detail import HypothesisDetail, PilotDetail
from testlearn.domain.pilot_report import PilotReport
from testlearn.domain.records import ProcurementFields
from testlearn.domain.views import DecisionView
from testlearn.domain.vocabulary import KpiLevel, KpiRating, MissionAlignment

KIND = "Ministerial brief"
#: How far ``brief_document`` can compact a brief that would run over two pages.
MOST_COMPACT = 3


def brief_reference(reference: str) -> str:
    return f"{reference}-BRIEF"


def brief_document(
    report: PilotReport, *, final: bool, include_commercial: bool, compact: int = 0
) -> Document:
    """The content of a ministerial brief for one pilot.

    Args:
        report: the pilot.
        final: whether the brief is marked final; it then prints the clearance handed in
            with the report (``report.clearance``), and refuses without one.
        include_commercial: print commercially sensitive values.
        compact: 0 for the full brief; 1, 2 and 3 leave out, in turn, what a brief can best
            spare when it would otherwise run over two pages.
    """
    # Cleared content is the content as recorded; the brief prints it with figures withheld.
    cleared = final_clearance(report, final=final, include_commercial=include_commercial)
    report = withhold_commercial(report, include_commercial=include_commercial)
    detail = report.detail
    pilot = detail.pilot
    marking = printed_marking(pilot.marking, pilot.marking_descriptor)
    commercial = _commercial_values(detail) if include_commercial else []
    if commercial:
        marking = raised_for_commercial(marking)
    date = numbers.long_date(report.generated_at)
    reference = brief_reference(pilot.reference)
    version = version_text(cleared)
    primary = primary_hypothesis(detail)
    sections = (
        Section("Issue", (Text(_issue(detail, primary)),), 1),
        Section("Recommendations", (Lettered(_recommendations(detail)),), 2),
        Section("Timing", (Text(_timing(detail, report, short=compact >= 2)),), 3),
        Section(
            "Background",
            tuple(_background(detail, commercial, include_commercial, problem=compact == 0)),
            4,
        ),
        Section("Findings", (Bullets(_findings(detail, extra=compact == 0)),), 5),
        Section("Why this was responsible test-and-learn", (Bullets(_responsible(detail)),), 6),
        Section("Options", (options_table(detail, primary),), 7),
        Section("Risks, handling and communications", (Bullets(risks(detail, primary)),), 8),
        Section("Lines to take", (QandA(lines_to_take(detail, primary)[: 4 - compact]),), 9),
        Section(
            "Annex: results and KPIs",
            tuple(_annex(report, reference, version, date, cleared, include_commercial)),
            None,
        ),
    )
    front: list[Block] = [
        Fields(
            (
                ("From", pilot.team or pilot.lead_organisation or "Not recorded"),
                ("Date", date),
                ("To", pilot.minister or "The responsible minister"),
                ("Copy to", _copy_list(detail)),
                ("Clearance", clearance_line(detail, cleared)),
                ("Timing", _header_timing(detail, report)),
                ("Subject", f"{pilot.title}: results and decision ({pilot.reference})"),
            )
        )
    ]
    if report.problems:
        front.append(
            Text(
                "INCOMPLETE: this brief does not stand as it is. "
                + "; ".join(report.problems)
                + ". Findings are given only where a current result exists.",
                "notice",
            )
        )
    return Document(
        title=f"{pilot.title}: ministerial brief",
        kind=KIND,
        reference=reference,
        marking=marking.text,
        handling=commercial_handling(detail, raised=bool(commercial)),
        final=final,
        author=pilot.team or pilot.lead_organisation,
        subject=f"Results of the test-and-learn pilot {pilot.reference} and the decision on it",
        keywords=(
            pilot.reference,
            "test and learn",
            "ministerial brief",
            mission_label(pilot.primary_mission),
        ),
        front=tuple(front),
        sections=sections,
        heading="Ministerial brief",
        version=version,
        page_notice=UNVERIFIED_NOTICE if report.unverified else "",
    )


def _issue(detail: PilotDetail, primary: HypothesisDetail | None) -> str:
    pilot = detail.pilot
    where = (
        f" with {join_names(pilot.partner_organisations)}" if pilot.partner_organisations else ""
    )
    when = ""
    if pilot.start_date and pilot.end_date:
        when = f" from {numbers.long_date(pilot.start_date)} to {numbers.long_date(pilot.end_date)}"
    found = [primary_plain(primary), *harm_sentences(detail)]
    found.extend(
        f"The theory behind it did not hold: {lower_first(t)}" for t in theory_failures(detail)[:1]
    )
    decision = decision_taken(detail)
    if decision is None:
        ask = (
            "You are asked to note the findings, to decide what happens next from the options "
            "at paragraph 7, and to agree the handling."
        )
    else:
        ask = (
            f"{_decided(decision)[:-1]}; you are asked to note the findings and agree the handling."
        )
    return (
        f"{pilot.lead_organisation or 'We'} tested {lower_first(pilot.title)}{where}{when}. "
        + " ".join(found)
        + f" {ask}"
    )


def _decided(decision: DecisionView) -> str:
    """A decision already taken, as taken: "Decided on 15 October 2026 by the Board to stop it."""
    on = f" on {numbers.long_date(decision.decided_on)}" if decision.decided_on else ""
    by = f" by {decision.decided_by}" if decision.decided_by else ""
    return f"Decided{on}{by} to {decision_phrase(decision.kind)}."


def _recommendations(detail: PilotDetail) -> tuple[str, ...]:
    decision = decision_taken(detail)
    if decision is None:
        second = (
            "Decide what happens next from the options at paragraph 7; no decision has been "
            "recorded yet. Scale / adapt and re-test / stop."
        )
    else:
        next_steps = first_sentences(decision.next_steps, 1) if decision.next_steps else ""
        second = "Note the decision" + (f": {lower_first(next_steps)}" if next_steps else ".")
    return (
        "Note the findings at paragraph 5. Agree / disagree / discuss.",
        second,
        "Agree the handling and publication at paragraph 8 and the lines to take at "
        "paragraph 9. Agree / disagree / discuss.",
    )


def _let_contracts(detail: PilotDetail) -> list[object]:
    return [p for p in detail.procurements if not p.pipeline_year]


def _timing(detail: PilotDetail, report: PilotReport, *, short: bool = False) -> str:
    parts = []
    today = report.generated_at.date()
    for contract in detail.procurements:
        if contract.pipeline_year:
            parts.append(
                f"The next contract ({contract.name or 'follow-on'}, "
                f"{numbers.money(contract.contract_value)}) is in the pipeline for "
                f"{contract.pipeline_year}"
                + (
                    ", so procurement must start this financial year."
                    if contract.pipeline_year == numbers.financial_year(today)
                    else "."
                )
            )
        elif contract.contract_end:
            tense = "ends" if contract.contract_end >= today else "ended"
            parts.append(
                f"The pilot contract {tense} on {numbers.long_date(contract.contract_end)}."
            )
            if contract.break_clause and contract.contract_end >= today:
                parts.append(f"Break clause: {contract.break_clause}.")
    registry = detail.pilot.registry_id
    parts.append(
        f"The results should be added to Evaluation Registry entry {registry}."
        if registry
        else "The results must go on the Evaluation Registry, where no entry is recorded yet."
    )
    return " ".join(parts[-2:] if short else parts)


def _header_timing(detail: PilotDetail, report: PilotReport) -> str:
    today = report.generated_at.date()
    for contract in detail.procurements:
        end = contract.contract_end
        if end and not contract.pipeline_year and 0 <= (end - today).days <= 56:
            return f"Urgent: by {numbers.long_date(end)}, when the pilot contract ends"
    return "Routine"


def _copy_list(detail: PilotDetail) -> str:
    pilot = detail.pilot
    names = [n for n in [pilot.senior_responsible_owner, *pilot.partner_organisations] if n]
    return "; ".join(names) or "None recorded"


def _background(
    detail: PilotDetail, commercial: list[tuple[str, float]], included: bool, *, problem: bool
) -> list[Block]:
    pilot = detail.pilot
    primary = primary_hypothesis(detail)
    level = primary.hypothesis.evidence_level if primary else None
    mission = mission_label(pilot.primary_mission)
    milestones = "; ".join(milestone_label(m) for m in pilot.milestones)
    tested = first_sentences(pilot.toc_activities, 1) if pilot.toc_activities else pilot.title + "."
    text = (
        (
            f"The problem: {first_sentences(pilot.problem_statement, 1)} "
            if problem and pilot.problem_statement
            else ""
        )
        + f"What was tested: {tested} Cost: {numbers.money(pilot_cost(detail))}. "
        f"Mission: {mission}"
        + (f" (milestone: {milestones})." if milestones else ".")
        + f" Design: {design_phrase(pilot.evaluation_design, level)}."
    )
    if commercial:
        values = "; ".join(f"{name} {numbers.money(v)}" for name, v in commercial)
        text += f" Commercially sensitive figures, included on request: {values}."
    elif included:
        text += " No commercially sensitive figures are recorded."
    else:
        text += (
            " Commercially sensitive figures (should-cost, bids, outturn) are withheld from "
            "this brief."
        )
    return [Text(text)]


def _commercial_values(detail: PilotDetail) -> list[tuple[str, float]]:
    names = commercially_sensitive_fields(ProcurementFields)
    found = []
    for contract in _let_contracts(detail):
        for name in sorted(names):
            value = getattr(contract, name)
            if value is not None:
                title = ProcurementFields.model_fields[name].title or name
                found.append((title.replace(" (GBP)", "").lower(), float(value)))
    return found


def _findings(detail: PilotDetail, *, extra: bool = True) -> tuple[str, ...]:
    items: list[str] = []
    for h in detail.hypotheses:
        if not h.registered:
            continue
        role = h.hypothesis.role
        result = h.current_result
        if result is None:
            items.append(f"{h.hypothesis.code} ({role}): no current result.")
            continue
        items.append(f"{h.hypothesis.code} ({role}): {result.sentence}")
        later = plan_record.post_hoc_sentence(h)
        if later is not None:
            items.append(later)
    primary = primary_hypothesis(detail)
    if primary is not None:
        value = cost_per_outcome(detail, primary)
        if isinstance(value, CostPerOutcome):
            items.append("Value for money: " + value.sentence())
    for lesson in detail.lessons:
        if lesson.failure_kind and len(items) < 5:
            kind = lesson.failure_kind.replace("_", " ")
            items.append(f"Why ({kind} failure): {lesson.what_happened}")
    if extra and len(items) < 3 and detail.pilot.delivery_summary:
        items.append(f"What happened: {first_sentences(detail.pilot.delivery_summary, 1)}")
    return tuple(items[:5])


def _responsible(detail: PilotDetail) -> tuple[str, ...]:
    items = []
    registered = plan_record.registration_sentence(detail)
    if registered is not None:
        state = (
            ""
            if detail.registration_intact
            else " The registration check now FAILS: see the citation block."
        )
        items.append(registered + state)
    changes = [plan_record.change_words(h, d) for h in detail.hypotheses for d in h.deviations]
    if changes:
        items.append(
            "Changes to the registered plan were recorded openly, with reasons and dates: "
            + "; ".join(changes)
            + "."
        )
    items.extend(plan_record.data_history(detail))
    primary = primary_hypothesis(detail)
    if primary is not None:
        items.append(_designed_to_detect(primary))
    avoided = cost_avoided(detail)
    if avoided:
        items.append(avoided)
    return tuple(items)


def _designed_to_detect(h: HypothesisDetail) -> str:
    """What the pilot could detect: the design's aim, then, once there is a result, what the
    pilot as run could detect (the achieved MDE), which is the one a claim rests on."""
    hyp = h.plan
    # The same two figures, at the same precision, as the full report and the result's sentence.
    found = detectable(h)
    design, achieved = found.design, found.achieved
    threshold = numbers.threshold(hyp.benefit_threshold, hyp.outcome_type, hyp.outcome_unit)
    mde = achieved or design
    if mde is None:
        return f"The smallest change worth having was set in advance at {threshold}."

    aimed = (
        f"It was designed to detect a change of {found.design_text} in {hyp.outcome_name}"
        if design is not None
        else f"No design MDE was recorded for {hyp.outcome_name}"
    )
    if achieved is None:
        if mde <= hyp.benefit_threshold * 1.001:
            return (
                f"{aimed}; the smallest change worth having was {threshold}, so a "
                "worthwhile effect would probably have shown."
            )
        return (
            f"{aimed}, but the smallest change worth having was {threshold}: it was too "
            "small to be sure of seeing a worthwhile effect, a lesson for the next stage."
        )
    shortfall = (
        f" (it was designed to detect {found.design_text})"
        if design is not None and achieved > design * 1.05
        else ""
    )
    if achieved <= hyp.benefit_threshold * 1.001:
        return (
            f"As run, it could detect a change of {found.achieved_text} in {hyp.outcome_name}"
            f"{shortfall}; the smallest change worth having was {threshold}, so a worthwhile "
            "effect would probably have shown."
        )
    return (
        f"As run, it could only detect a change of {found.achieved_text} or more in "
        f"{hyp.outcome_name}{shortfall}, but the smallest change worth having was {threshold}: "
        "it was too small to be sure of seeing a worthwhile effect, a lesson for the next stage."
    )


def _annex(
    report: PilotReport,
    reference: str,
    version: str,
    date: str,
    cleared: ClearanceView | None,
    include_commercial: bool,
) -> list[Block]:
    detail = report.detail
    blocks: list[Block] = []
    rows = result_rows(detail)
    if rows:
        blocks.append(Chart(results_chart(rows)))
    blocks.append(kpi_table(detail))
    blocks.append(
        citation(
            detail,
            title=f"{detail.pilot.title}: ministerial brief",
            reference=reference,
            version=version,
            generated=date,
            clearance=cleared,
            generated_at=report.generated_at,
            include_commercial=include_commercial,
            database=report.database,
            chain_head=report.chain_head,
        )
    )
    return blocks


def kpi_table(detail: PilotDetail) -> Block:
    """The pilot's KPIs with their level, mission alignment and latest rating."""
    if not detail.kpis:
        return Text("No KPIs are recorded for this pilot's contracts.")
    rows = []
    for item in detail.kpis:
        ratings = sorted(item.ratings, key=lambda r: r.year or "")
        latest = ratings[-1] if ratings else None
        rating = (
            f"{term_label(KpiRating, latest.rating)} ({latest.year})" if latest else "Not rated"
        )
        rows.append(
            (
                item.kpi.name,
                term_label(KpiLevel, item.kpi.level),
                term_label(MissionAlignment, item.kpi.mission_alignment),
                item.kpi.target or "-",
                rating,
            )
        )
    return Table(
        ("Key performance indicator", "Level", "Mission alignment", "Target", "Latest rating"),
        tuple(rows),
        (0.34, 0.1, 0.14, 0.2, 0.22),
    )


__all__ = ["brief_document", "brief_reference", "kpi_table", "primary_plain"]
