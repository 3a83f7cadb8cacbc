"""The portfolio report for central teams: every pilot of a (merged) database on a few pages.

It carries the highest marking of its pilots, and answers the review questions of the source
report: verdicts by mission, the results of pilots that measured the same outcome pooled
across them (``reports.portfolio_pooling``), spend and the roll-outs not started, KPIs that
measure inputs or outputs or serve no mission, contracts managed without a commercial
specialist, market engagement that stopped at webinars, the commercial pipeline three years
ahead, and the lessons that recur across pilots.

Usage::

    from testlearn.services.portfolio import portfolio
    from reports.portfolio_report import write_portfolio
    write_portfolio(portfolio(db=db), Path("portfolio.pdf"), final=False)
"""

from __future__ import annotations

from pathlib import Path

from reports import numbers
from reports.blocks import (
    Block,
    Bullets,
    Chart,
    Document,
    Fields,
    Section,
    Table,
    Text,
)
from reports.charts import results_by_mission_chart
from reports.citation import portfolio_citation, portfolio_version
from reports.html import write_html
from reports.layout import write_document
from reports.page import check_writable
from reports.portfolio_pooling import pooling_blocks, summary_line
from reports.printable import for_print
from reports.verdict_words import category, words
from reports.wording import mission_label, term_label
from testlearn.domain.portfolio import Portfolio
from testlearn.domain.vocabulary import (
    Accreditation,
    DecisionKind,
    EngagementMethod,
    KpiRating,
    LessonCategory,
    LifecycleStatus,
    Mission,
)

__all__ = ["check_writable", "portfolio_document", "write_portfolio"]


def portfolio_document(found: Portfolio, *, final: bool, database: str = "") -> Document:
    """The content of the portfolio report; ``database`` names the database it cites."""
    date = numbers.long_date(found.generated_at)
    reference = f"PORTFOLIO-{found.generated_at:%Y%m%d}"
    labels = {m.value: m.label for m in Mission} | {"none": "No mission"}
    departments = sorted({p.lead_organisation for p in found.pilots if p.lead_organisation})
    sections = (
        Section("Summary", (Bullets(_summary(found)),), 1),
        Section("Pilots by mission and status", (_status_table(found),), 2),
        Section("Results by mission", (Chart(results_by_mission_chart(found, labels)),), 3),
        Section("Pooled results across pilots", pooling_blocks(found.pooling), 4),
        Section("Spend, and roll-outs not started", tuple(_spend(found)), 5),
        Section("KPIs to review", (_kpis(found),), 6),
        Section("Contracts managed without a commercial specialist", (_contracts(found),), 7),
        Section(
            "Market engagement that stopped at webinars (no one-to-one conversations)",
            (_engagement(found),),
            8,
        ),
        Section("Commercial pipeline by financial year", (_pipeline(found),), 9),
        Section("Lessons that recur across pilots", (_lessons(found),), 10),
        Section(
            "Annex: every pilot",
            (_pilot_table(found), portfolio_citation(found, reference, final, database)),
            None,
            new_page=True,
        ),
    )
    return Document(
        title="Test-and-learn portfolio report",
        kind="Portfolio report",
        reference=reference,
        marking=found.marking.text,
        handling=found.handling,
        final=final,
        version=portfolio_version(final),
        author="; ".join(departments[:3]) + (" and others" if len(departments) > 3 else ""),
        subject=f"Portfolio of {len(found.pilots)} test-and-learn pilots",
        keywords=("test and learn", "portfolio", "procurement", "missions"),
        front=(
            Fields(
                (
                    ("Date", date),
                    ("Version", portfolio_version(final)),
                    ("Pilots", numbers.count(len(found.pilots))),
                    ("Departments", numbers.count(len(departments))),
                    ("Marking", f"{found.marking.text} (the highest marking of its pilots)"),
                )
            ),
        ),
        sections=sections,
    )


def _summary(found: Portfolio) -> tuple[str, ...]:
    worked = sum(
        1 for p in found.pilots if words(p.verdict, p.grade, p.evidence_level).category == "Worked"
    )
    others = _other_categories(found)
    pooled = summary_line(found.pooling)
    return (
        f"{numbers.plural(len(found.pilots), 'pilot')} cost {numbers.money(found.total_cost)}; "
        f"{worked} worked: a fair test (evidence level 3 or above) showed a gain of at least "
        "the change worth having that they registered"
        + (f". The rest: {others}." if others else "."),
        f"{len(found.stopped)} were stopped before a national roll-out; the roll-outs not started "
        f"were estimated at {numbers.money(found.cost_avoided)}.",
        f"{len(found.kpi_concerns)} of {found.kpis_total} KPIs measure inputs or outputs, or are "
        "weakly linked or not linked to a mission.",
        f"{len(found.contracts_without_specialist)} of {found.contracts_total} let contracts are "
        "managed without a commercial specialist; "
        f"{len(found.engagement_concerns)} had no one-to-one market engagement.",
    ) + ((pooled,) if pooled else ())


def _other_categories(found: Portfolio) -> str:
    """The pilots that did not "work", counted by the wording table's category."""
    counts: dict[str, int] = {}
    for p in found.pilots:
        name = category(p.verdict, p.grade, p.evidence_level)
        if name != "Worked":
            counts[name] = counts.get(name, 0) + 1
    return "; ".join(f"{n} {name.lower()}" for name, n in counts.items())


def _status_table(found: Portfolio) -> Block:
    by_status = found.count_by("status")
    statuses = [s.value for s in LifecycleStatus if any(s.value in r for r in by_status.values())]
    rows = tuple(
        (
            mission_label(None if m == "none" else m),
            *(str(by_status[m].get(s, 0) or "-") for s in statuses),
            str(sum(by_status[m].values())),
        )
        for m in found.missions
    )
    headers = ("Mission", *(term_label(LifecycleStatus, s) for s in statuses), "Total")
    first = 0.34
    rest = (1 - first) / (len(statuses) + 1)
    return Table(headers, rows, (first, *([rest] * (len(statuses) + 1))))


def _spend(found: Portfolio) -> list[Block]:
    rows = []
    for mission in found.missions:
        pilots = [p for p in found.pilots if p.mission == mission]
        rows.append(
            (
                mission_label(None if mission == "none" else mission),
                str(len(pilots)),
                numbers.money(sum(p.cost or 0 for p in pilots)),
                numbers.money(sum(p.cost_avoided or 0 for p in pilots)),
            )
        )
    blocks: list[Block] = [
        Table(
            ("Mission", "Pilots", "Spend", "Roll-outs not started (estimated cost)"),
            tuple(rows),
            (0.4, 0.12, 0.2, 0.28),
        )
    ]
    stopped = [
        # An estimate of what was not spent, as the summary says, not a saving shown.
        f"{p.reference} ({p.title}): the pilot cost {numbers.money(p.cost)}; the national "
        f"roll-out not started was estimated at {numbers.money(p.cost_avoided)}; result: "
        f"{category(p.verdict, p.grade, p.evidence_level).lower()}."
        for p in found.stopped
    ]
    if stopped:
        blocks.append(
            Bullets(
                tuple(stopped[:40])
                + ((f"... and {len(stopped) - 40} more.",) if len(stopped) > 40 else ())
            )
        )
    return blocks


def _kpis(found: Portfolio) -> Block:
    if not found.kpi_concerns:
        return Text("Every KPI measures an outcome and is linked to a mission.")
    rows = tuple(
        (
            k.reference,
            k.kpi,
            "; ".join(k.reasons),
            term_label(KpiRating, k.latest_rating) if k.latest_rating else "Not rated",
        )
        for k in found.kpi_concerns
    )
    return Table(("Pilot", "KPI", "Why review it", "Latest rating"), rows, (0.17, 0.35, 0.32, 0.16))


def _contracts(found: Portfolio) -> Block:
    unknown = found.contracts_specialist_unknown
    note = f" {unknown} more do not record who manages them." if unknown else ""
    if not found.contracts_without_specialist:
        return Text(
            "Every let contract that records it is managed by a commercial specialist." + note
        )
    rows = tuple(
        (
            c.reference,
            c.contract,
            numbers.money(c.value),
            f"{c.manager or '-'} ("
            + (term_label(Accreditation, c.accreditation) if c.accreditation else "not recorded")
            + ")",
        )
        for c in found.contracts_without_specialist
    )
    return Table(
        ("Pilot", "Contract", "Value", "Managed by (accreditation)"),
        rows,
        (0.17, 0.4, 0.11, 0.32),
        caption=note.strip(),
    )


def _engagement(found: Portfolio) -> Block:
    if not found.engagement_concerns:
        return Text("Every let contract had one-to-one market engagement.")
    rows = tuple(
        (
            e.reference,
            e.contract,
            ", ".join(term_label(EngagementMethod, m) for m in e.methods) or "None recorded",
            numbers.count(e.suppliers_engaged),
            numbers.count(e.bidders),
        )
        for e in found.engagement_concerns
    )
    return Table(
        ("Pilot", "Contract", "Engagement", "Suppliers engaged", "Bids"),
        rows,
        (0.17, 0.38, 0.23, 0.12, 0.1),
    )


def _pipeline(found: Portfolio) -> Block:
    rows = tuple(
        (
            {"earlier": "Earlier years", "later": "Later years"}.get(y.year, y.year),
            str(y.contracts),
            numbers.money(y.value, unknown="-"),
            ", ".join(y.references[:6])
            + (f" and {len(y.references) - 6} more" if len(y.references) > 6 else ""),
        )
        for y in found.pipeline
    )
    return Table(
        ("Financial year", "Contracts", "Value", "Pilots"),
        rows,
        (0.18, 0.12, 0.14, 0.56),
        caption="This year and the three years ahead",
    )


def _lessons(found: Portfolio) -> Block:
    recurring = [r for r in found.recurring_lessons if len(r.pilots) >= 2]
    if not recurring:
        return Text("No lesson category recurs across two or more pilots.")
    rows = tuple(
        (
            term_label(LessonCategory, r.category),
            f"{len(r.pilots)} pilots, {r.lessons} lessons ({r.went_badly} went badly)",
            " / ".join(r.recommendations) or "-",
        )
        for r in recurring
    )
    return Table(("Category", "How often", "Most common recommendations"), rows, (0.2, 0.22, 0.58))


def _pilot_table(found: Portfolio) -> Block:
    rows = tuple(
        (
            p.reference,
            p.title,
            mission_label(None if p.mission == "none" else p.mission),
            category(p.verdict, p.grade, p.evidence_level),
            term_label(DecisionKind, p.decision) if p.decision else "-",
            numbers.money(p.cost, unknown="-"),
            p.marking.text,
        )
        for p in found.pilots
    )
    return Table(
        ("Pilot", "Title", "Mission", "Verdict", "Decision", "Spend", "Marking"),
        rows,
        (0.13, 0.27, 0.15, 0.12, 0.1, 0.08, 0.15),
    )


def write_portfolio(
    found: Portfolio, path: Path, *, final: bool = False, database: str = "", html: bool = True
) -> int:
    """Write the portfolio report to ``path``; returns the page count.

    With ``html``, its accessible HTML twin is written beside the PDF (the same name with
    ``.html``) from the same content.

    Raises:
        ReportWriteError: the file cannot be written (the message names the path).
    """
    document = portfolio_document(found, final=final, database=database)
    pages = write_document(for_print(document, found), Path(path), generated_at=found.generated_at)
    if html:
        write_html(document, Path(path).with_suffix(".html"), generated_at=found.generated_at)
    return pages
