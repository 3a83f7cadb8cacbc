"""A pilot's Evaluation Registry entry pack: a page to copy from (PDF and HTML) and a row for
the registry's admin import CSV.

The page follows the registry's own form, part by part, giving for each answer the pilot
field it came from, so the person entering it can change the source rather than the copy.
The CSV has exactly the registry's header (UTF-8 with a byte-order mark, as the registry's
own file is, so that Excel opens it without mangling the £ sign) and one row; months are
written as names because the registry's importer reads them so.

Usage::

    from reports.registry_pack import write_registry_pack
    write_registry_pack(report, Path("DFE-TL-004-registry"))
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from reports import numbers
from reports.blocks import Block, Bullets, Document, Fields, Section, Table, Text
from reports.commercial_redaction import withhold_commercial
from reports.html import render_html
from reports.layout import render_document
from reports.limitations import limitations
from reports.page import ReportWriteError, write_bytes_atomically, write_text_atomically
from reports.printable import for_print
from reports.verdict_words import result_sentence
from testlearn import __version__
from testlearn.domain import registry_terms
from testlearn.domain.marking import printed_marking
from testlearn.domain.pilot_report import PilotReport
from testlearn.domain.registry_entry import RegistryEntry, registry_entry

__all__ = ["RegistryPack", "registry_pack_entry", "write_registry_pack"]


@dataclass(frozen=True)
class RegistryPack:
    pdf: Path
    html: Path
    csv: Path
    pages: int


def registry_pack_entry(report: PilotReport) -> RegistryEntry:
    """The entry, with commercially sensitive figures withheld from its free text (the registry
    is read across government and beyond) and the findings in the reports' words."""
    report = withhold_commercial(report, include_commercial=False)
    detail = report.detail
    findings = " ".join(
        f"{h.hypothesis.code}: {result_sentence(h, detail.comparators)}"
        for h in detail.hypotheses
        if h.registered and h.current_result is not None
    )
    found = limitations(detail)
    limits = " ".join([*found.pilot, *(s for _, items in found.hypotheses for s in items)])
    return registry_entry(detail, findings=findings, limitations=limits if found.specific else "")


def registry_pack_document(report: PilotReport, entry: RegistryEntry) -> Document:
    pilot = report.detail.pilot
    marking = printed_marking(pilot.marking, pilot.marking_descriptor)
    reference = f"{pilot.reference}-REGISTRY"
    front: list[Block] = [
        Fields(
            (
                ("Pilot", f"{pilot.reference}: {pilot.title}"),
                ("Registry id", pilot.registry_id or "not yet entered"),
                ("Produced", f"{numbers.long_date(report.generated_at)}, testlearn {__version__}"),
                ("Marking", marking.text),
            )
        ),
        Text(
            "Enter these answers in the Evaluation Registry's form, part by part, or send the "
            f"CSV file beside this page ({pilot.reference}-registry-entry.csv) to the registry's "
            "administrators for import. Each answer names the pilot field it comes from: to "
            "change an answer, change that field and make the pack again.",
        ),
    ]
    if marking.text != "OFFICIAL":
        front.append(
            Text(
                f"This pilot is marked {marking.text}. The registry is read across government: "
                "check with the senior responsible owner what may be entered before entering it.",
                "notice",
            )
        )
    if report.problems:
        front.append(
            Text(
                "Findings are given only for hypotheses with a current result: "
                + "; ".join(report.problems)
                + ".",
                "small",
            )
        )
    sections = [
        Section(
            part.title,
            (
                Table(
                    ("Question", "Answer", "From"),
                    tuple((line.label, line.value, line.source) for line in part.lines),
                    (0.26, 0.52, 0.22),
                ),
            ),
            number=number,
        )
        for number, part in enumerate(entry.parts, start=1)
    ]
    extra = [(column, value) for column, value in entry.extra_columns.items()]
    if extra:
        sections.append(
            Section(
                "More in the admin import row",
                (
                    Text(
                        "The registry's import takes these too; they are in the CSV file, "
                        "under the columns named here.",
                        "small",
                    ),
                    Table(
                        ("Column", "Value"),
                        tuple(extra),
                        (0.3, 0.7),
                    ),
                ),
                number=len(sections) + 1,
            )
        )
    if entry.notes:
        sections.append(
            Section("Before you enter it", (Bullets(entry.notes),), number=len(sections) + 1)
        )
    return Document(
        title=f"{pilot.title}: Evaluation Registry entry",
        kind="Evaluation Registry entry",
        reference=reference,
        marking=marking.text,
        handling=pilot.handling_instructions,
        final=True,  # a page to copy from, not a draft of a report to be cleared
        author=pilot.team or pilot.lead_organisation,
        subject=f"The Evaluation Registry entry of the pilot {pilot.reference}",
        keywords=(pilot.reference, "Evaluation Registry", "evaluation"),
        front=tuple(front),
        sections=tuple(sections),
        version="entry",
    )


def import_csv(entry: RegistryEntry) -> str:
    """The admin import file: the registry's header line as it is, then the entry's row."""
    columns = registry_terms.import_columns()
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(entry.import_row(columns))
    return "\ufeff" + registry_terms.import_header_line() + "\r\n" + out.getvalue()


def write_registry_pack(report: PilotReport, folder: Path) -> RegistryPack:
    """Write the pack into ``folder`` (made if missing): REF-registry-entry .pdf, .html, .csv.

    Everything is made before anything is written, and each file is written whole or not at
    all, so a refusal leaves the folder as it was.

    Raises:
        ReportWriteError: the folder cannot be made or written (the message names it).
        UnprintableText: text holds characters the PDF fonts cannot print.
    """
    folder = Path(folder)
    entry = registry_pack_entry(report)
    document = registry_pack_document(report, entry)
    pdf_bytes, pages = render_document(
        for_print(document, report), generated_at=report.generated_at
    )
    html_text = render_html(document, generated_at=report.generated_at)
    csv_text = import_csv(entry)
    if folder.exists() and not folder.is_dir():
        raise ReportWriteError(f"cannot write the pack into {folder}: it is a file, not a folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ReportWriteError(f"cannot make the folder {folder}: {error.strerror}") from None
    stem = folder / f"{report.detail.pilot.reference}-registry-entry"
    pack = RegistryPack(
        stem.with_suffix(".pdf"), stem.with_suffix(".html"), stem.with_suffix(".csv"), pages
    )
    write_bytes_atomically(pack.pdf, pdf_bytes)
    write_text_atomically(pack.html, html_text)
    # newline="" semantics: the text already holds the CSV's CRLF line endings.
    write_bytes_atomically(pack.csv, csv_text.encode("utf-8"))
    return pack
