"""The full lessons-learned report of one pilot: everything a reviewer needs, with annexes.

Usage::

    from reports.full_report import write_full_report
    write_full_report(pilot_report("DFT-TL-009", db=db), Path("lessons.pdf"), final=False)
"""

from __future__ import annotations

from pathlib import Path

from reports import full_annexes as annexes
from reports import full_findings as later
from reports import full_sections as sections
from reports import numbers
from reports.blocks import UNVERIFIED_NOTICE, Block, Document, Fields, Table, Text
from reports.citation import citation
from reports.clearance_text import clearance_line, final_clearance, version_text
from reports.commercial_redaction import commercial_handling, withhold_commercial
from reports.html import write_html
from reports.layout import write_document
from reports.page import check_writable
from reports.printable import for_print
from reports.wording import lower_first, mission_label
from testlearn import __version__
from testlearn.domain.marking import printed_marking, raised_for_commercial
from testlearn.domain.pilot_report import PilotReport

__all__ = ["check_writable", "full_report_document", "write_full_report"]


def full_report_document(report: PilotReport, *, final: bool, include_commercial: bool) -> Document:
    """The content of the lessons-learned report."""
    # Cleared content is the content as recorded; the report prints it with figures withheld.
    cleared = final_clearance(
        report, final=final, include_commercial=include_commercial, kind="full"
    )
    report = withhold_commercial(report, include_commercial=include_commercial)
    detail = report.detail
    pilot = detail.pilot
    marking = printed_marking(pilot.marking, pilot.marking_descriptor)
    if include_commercial:
        marking = raised_for_commercial(marking)
    handling = commercial_handling(detail, raised=include_commercial)
    reference = f"{pilot.reference}-LESSONS"
    version = version_text(cleared)
    date = numbers.long_date(report.generated_at)
    title = f"{pilot.title}: lessons-learned report"
    front: list[Block] = [
        Fields(
            (
                ("Reference", reference),
                ("Version", version),
                ("Date", date),
                ("Department", pilot.lead_organisation or "Not recorded"),
                ("Pilot", pilot.reference),
                ("Mission", mission_label(pilot.primary_mission)),
            )
        ),
    ]
    if report.problems:
        front.append(
            Text(
                "INCOMPLETE: this report does not stand as it is. "
                + "; ".join(report.problems)
                + ".",
                "notice",
            )
        )
    distribution = [n for n in (pilot.minister, pilot.team, *pilot.partner_organisations) if n]
    front.extend(
        [
            Table(
                ("Version", "Date", "Change"),
                (
                    (
                        version,
                        date,
                        (
                            f"Final, {lower_first(clearance_line(detail, cleared))}"
                            if cleared
                            else "Draft"
                        )
                        + f", produced by testlearn {__version__} from the stored analysis",
                    ),
                ),
                (0.15, 0.25, 0.6),
                caption="Document control",
            ),
            Fields(
                (
                    ("Clearance", clearance_line(detail, cleared)),
                    ("Distribution", "; ".join(distribution) or "Not recorded"),
                    ("Handling", f"{marking.text}. {handling}".strip()),
                )
            ),
            citation(
                detail,
                title=title,
                reference=reference,
                version=version,
                generated=date,
                clearance=cleared,
                generated_at=report.generated_at,
                include_commercial=include_commercial,
                database=report.database,
                chain_head=report.chain_head,
            ),
        ]
    )
    body = (
        sections.executive_summary(detail),
        sections.context(detail),
        sections.theory_of_change(detail),
        sections.hypotheses(detail),
        sections.commercial(detail, include_commercial),
        sections.evaluation_design(detail),
        sections.delivery(detail),
        later.findings(detail),
        later.limitations(detail),
        later.lessons(detail),
        later.decision(detail),
        annexes.data_and_methods(detail),
        annexes.kpi_annex(detail),
        annexes.glossary(),
    )
    return Document(
        title=title,
        kind="Lessons-learned report",
        reference=reference,
        marking=marking.text,
        handling=handling,
        final=final,
        author=pilot.team or pilot.lead_organisation,
        subject=f"Lessons learned from the test-and-learn pilot {pilot.reference}",
        keywords=(
            pilot.reference,
            "test and learn",
            "lessons learned",
            mission_label(pilot.primary_mission),
        ),
        front=tuple(front),
        sections=body,
        version=version,
        page_notice=UNVERIFIED_NOTICE if report.unverified else "",
    )


def write_full_report(
    report: PilotReport,
    path: Path,
    *,
    final: bool = False,
    include_commercial: bool = False,
    html: bool = True,
) -> int:
    """Write the lessons-learned report to ``path``; returns the page count.

    Commercially sensitive values are printed only with ``include_commercial`` (the report is
    then marked at least OFFICIAL-SENSITIVE COMMERCIAL). A final prints the clearance handed
    in with the report, and is refused without one. With ``html``, its accessible HTML twin
    is written beside the PDF (the same name with ``.html``) from the same content.

    Raises:
        ReportWriteError: the file cannot be written (the message names the path).
        UnprintableText: text holds characters the PDF fonts cannot print (emoji, CJK).
    """
    document = full_report_document(report, final=final, include_commercial=include_commercial)
    pages = write_document(
        for_print(document, report), Path(path), generated_at=report.generated_at
    )
    if html:
        write_html(document, Path(path).with_suffix(".html"), generated_at=report.generated_at)
    return pages
