"""What a ministerial brief says: the submission format, written from a pilot's record.

The brief follows the private-office submission: a header (from, lead official, date, to,
copy list, clearance, timing, subject), then issue, recommendations, timing, background,
findings, why this was responsible test-and-learn, the argument (the case for each option,
money, law and equalities), options, risks and handling, lines to take, and an annex with the
results chart and the KPI table. An incomplete brief says so on every page, and says nothing
that presumes a registration, data or a verdict it does not have. Findings quote the engine's
sentence as it is. Commercially sensitive values are left out unless the user includes them,
and the brief says so either way.
"""

from __future__ import annotations

import functools
from dataclasses import replace

from reports import numbers, plan_record
from reports.blocks import (
    Block,
    Bullets,
    Chart,
    Citation,
    Document,
    Fields,
    Lettered,
    QandA,
    Section,
    Table,
    Text,
)
from reports.brief_argument import argument
from reports.brief_findings import findings
from reports.brief_numbering import PARAGRAPH
from reports.brief_parts import (
    copy_list,
    kpi_list,
    lead_official,
    lines,
    options_block,
    page_notice,
    shortened,
)
from reports.brief_timing import header_timing, timing
from reports.charts import ChartDrawing, ResultRow, result_rows, results_chart
from reports.citation import DATA_FINGERPRINT_MADE, citation, how_to_check
from reports.clearance_text import clearance_line, final_clearance, version_text
from reports.commercial_redaction import commercial_handling, withhold_commercial
from reports.detectable import detectable
from reports.facts import (
    cost_avoided,
    pilot_cost,
)
from reports.handling import join_names, primary_hypothesis, primary_plain, risks
from reports.options import decision_taken
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
MOST_COMPACT = 5


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
        compact: 0 for the full brief; 1 to ``MOST_COMPACT`` shorten it in turn (first
            sentences of free text, fewer findings with the rest counted, shorter answers)
            when it would otherwise run over two pages. No required part is ever left out.
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
    today = report.generated_at.date()
    reference = brief_reference(pilot.reference)
    version = version_text(cleared)
    primary = primary_hypothesis(detail)
    # The first sentences only, from the first step of compaction on.
    sentences = None if compact == 0 else (2 if compact == 1 else 1)
    n = PARAGRAPH
    sections = (
        Section(
            "Issue", (Text(_issue(detail, primary, partners=compact < MOST_COMPACT)),), n["issue"]
        ),
        Section("Recommendations", (Lettered(_recommendations(detail)),), n["recommendations"]),
        Section(
            "Timing",
            (Text(timing(detail, today, short=compact >= 1, shortest=compact >= 3)),),
            n["timing"],
        ),
        Section(
            "Background",
            tuple(
                _background(
                    detail,
                    commercial,
                    include_commercial,
                    problem=compact == 0,
                    briefly=compact >= 4,
                )
            ),
            n["background"],
        ),
        Section(
            "Findings",
            (
                Bullets(
                    findings(
                        detail,
                        shown=FINDINGS_SHOWN[compact],
                        sentences=sentences,
                        clause=compact >= 3,
                        lesson=compact < 4,
                    )
                ),
            ),
            n["findings"],
        ),
        Section(
            "Why this was responsible test-and-learn",
            (
                Bullets(
                    shortened(
                        _responsible(detail, reasons=compact < 3),
                        1 if compact >= 2 else None,
                        clause=compact >= 4,
                    )
                ),
            ),
            n["responsible"],
        ),
        Section("Argument", (Bullets(argument(detail, compact=compact)),), n["argument"]),
        Section("Options", (options_block(detail, primary),), n["options"]),
        Section(
            "Risks, handling and communications",
            (
                Bullets(
                    shortened(
                        risks(detail, primary),
                        1 if compact >= 3 else None,
                        clause=compact >= 4,
                    )
                ),
            ),
            n["handling"],
        ),
        Section(
            "Lines to take",
            (
                QandA(
                    lines(
                        detail,
                        primary,
                        sentences=(None, None, 2, 1, 1, 1)[compact],
                        fewest=compact >= 4,
                        u_turn=compact < MOST_COMPACT,
                    )
                ),
            ),
            n["lines"],
        ),
        Section(
            "Annex: results and KPIs",
            tuple(
                _annex(
                    report,
                    reference,
                    version,
                    date,
                    cleared,
                    include_commercial,
                    kpis_listed=compact >= 3,
                    charted_rows=CHARTED_ROWS[compact],
                )
            ),
            None,
        ),
    )
    front: list[Block] = [
        Fields(
            (
                ("From", pilot.team or pilot.lead_organisation or "Not recorded"),
                ("Lead official", lead_official(detail)),
                ("Date", date),
                ("To", pilot.minister or "The responsible minister"),
                ("Copy to", copy_list(detail)),
                ("Clearance", clearance_line(detail, cleared)),
                ("Timing", header_timing(detail, today)),
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
        page_notice=page_notice(report),
    )


#: How many hypotheses get a findings bullet of their own at each step of compaction.
FINDINGS_SHOWN = (5, 4, 3, 1, 1, 1)
#: How many results the annex chart shows (the rest are named, and charted in the full report).
CHARTED_ROWS = (4, 4, 3, 2, 1, 1)


def _issue(detail: PilotDetail, primary: HypothesisDetail | None, *, partners: bool = True) -> str:
    """The Issue; ``partners`` False leaves the partner organisations to the full report."""
    pilot = detail.pilot
    where = (
        f" with {join_names(pilot.partner_organisations)}"
        if partners and pilot.partner_organisations
        else ""
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
            f"at paragraph {PARAGRAPH['options']}, and to agree the handling."
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
            f"Decide what happens next from the options at paragraph {PARAGRAPH['options']}; no "
            "decision has been "
            "recorded yet. Scale / adapt and re-test / stop."
        )
    else:
        next_steps = first_sentences(decision.next_steps, 1) if decision.next_steps else ""
        second = "Note the decision" + (f": {lower_first(next_steps)}" if next_steps else ".")
    return (
        f"Note the findings at paragraph {PARAGRAPH['findings']}. Agree / disagree / discuss.",
        second,
        f"Agree the handling and publication at paragraph {PARAGRAPH['handling']} and the lines "
        f"to take at paragraph {PARAGRAPH['lines']}. Agree / disagree / discuss.",
    )


def _let_contracts(detail: PilotDetail) -> list[object]:
    return [p for p in detail.procurements if not p.pipeline_year]


def _background(
    detail: PilotDetail,
    commercial: list[tuple[str, float]],
    included: bool,
    *,
    problem: bool,
    briefly: bool = False,
) -> list[Block]:
    pilot = detail.pilot
    primary = primary_hypothesis(detail)
    level = primary.hypothesis.evidence_level if primary else None
    mission = mission_label(pilot.primary_mission)
    milestones = "; ".join(milestone_label(m) for m in pilot.milestones)
    tested = first_sentences(pilot.toc_activities, 1) if pilot.toc_activities else pilot.title + "."
    # The Issue says what was tested already: the shortest brief does not say it twice.
    what = "" if briefly else f"What was tested: {tested} "
    text = (
        (
            f"The problem: {first_sentences(pilot.problem_statement, 1)} "
            if problem and pilot.problem_statement
            else ""
        )
        + f"{what}Cost: {numbers.money(pilot_cost(detail))}. "
        f"Mission: {mission}"
        + (f" (milestone: {milestones})." if milestones else ".")
        + f" Design: {design_phrase(pilot.evaluation_design, level)}."
    )
    if commercial:
        values = "; ".join(f"{name} {numbers.money(v)}" for name, v in commercial)
        text += f" Commercially sensitive figures, included on request: {values}."
    elif included:
        text += " No commercially sensitive figures are recorded."
    elif briefly:
        text += " Commercially sensitive figures are withheld from this brief."
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


def _responsible(detail: PilotDetail, *, reasons: bool = True) -> tuple[str, ...]:
    items = []
    registered = plan_record.registration_sentence(detail)
    if registered is not None:
        state = (
            ""
            if detail.registration_intact
            else " The registration check now FAILS: see the citation block."
        )
        items.append(registered + state)
    changes = [
        plan_record.change_words(h, d, reason_before_data=reasons)
        for h in detail.hypotheses
        for d in h.deviations
    ]
    if changes:
        items.append(
            "Changes to the registered plan were recorded openly, with reasons and dates"
            + ("" if reasons else " (in the full report)")
            + ": "
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
    if achieved <= hyp.benefit_threshold * 1.05:
        # Within 5% of the threshold (power at the threshold still about three in four), and
        # often printed as the same figure: "could only detect 4.3, but worth having was 4.3"
        # would read as a contradiction.
        near = "no more than" if achieved <= hyp.benefit_threshold * 1.001 else "about"
        return (
            f"As run, it could detect a change of {found.achieved_text} in {hyp.outcome_name}"
            f"{shortfall}, {near} the smallest change worth having ({threshold}), so a "
            "worthwhile effect would probably have shown."
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
    *,
    kpis_listed: bool = False,
    charted_rows: int = 4,
) -> list[Block]:
    detail = report.detail
    blocks: list[Block] = []
    rows = result_rows(detail)
    primary = primary_hypothesis(detail)
    first = primary.hypothesis.code if primary else ""
    # The primary first, then the others in order, as many as the brief has room for.
    ordered = sorted(rows, key=lambda r: r.label.split(":", 1)[0] != first)
    charted, left = ordered[:charted_rows], ordered[charted_rows:]
    if charted:
        blocks.append(Chart(_chart(tuple(sorted(charted, key=rows.index)))))
    if left:
        # Not charted for want of room, but still given in words, as the chart would.
        words = _chart(tuple(sorted(left, key=rows.index))).description
        blocks.append(Text(f"Charted in the full report: {words}", "small"))
    blocks.append(kpi_list(detail) if kpis_listed else kpi_table(detail))
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
            pilot_level=not report.cited_per_hypothesis,
        )
    )
    cited = blocks[-1]
    if kpis_listed and isinstance(cited, Citation):
        # A brief short of room says how to check the hashes; the full report says what each
        # is, but not how the brief's one fingerprint of all the data is made from its list.
        made = "" if report.cited_per_hypothesis else f" {DATA_FINGERPRINT_MADE}"
        blocks[-1] = replace(
            cited, explained=f"{how_to_check()} The full report says what each hash is.{made}"
        )
    return blocks


@functools.lru_cache(maxsize=16)
def _chart(rows: tuple[ResultRow, ...]) -> ChartDrawing:
    """The results chart of ``rows``, drawn once for every step of shortening that shows the
    same rows (drawing it is most of the cost of a brief's content, and a brief is written
    at several steps to find the one that fits two pages). Drawings are not changed when
    printed, so one can be printed more than once."""
    return results_chart(rows)


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


__all__ = [
    "brief_document",
    "brief_reference",
    "copy_list",
    "kpi_table",
    "page_notice",
    "primary_plain",
]
