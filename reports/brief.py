"""The ministerial brief as a PDF (one to two pages), with its accessible HTML twin.

Usage (the window or a script)::

    from testlearn.services.reporting import pilot_report
    from reports.brief import write_brief
    report = pilot_report("DFE-TL-004", db=db)
    pages = write_brief(report, Path("brief.pdf"), final=False, include_commercial=False)

``write_brief`` also writes ``brief.html`` beside the PDF (GOV.UK prefers HTML to PDF for
accessibility) from the same content.
"""

from __future__ import annotations

from pathlib import Path

from reports.blocks import Bullets, Chart, Citation, Document, Lettered, QandA, Table, Text
from reports.brief_content import MOST_COMPACT, brief_document
from reports.html import write_html
from reports.layout import render_story, story
from reports.line_breaks import shared_paragraphs
from reports.page import check_writable, styles, write_bytes_atomically
from reports.page_count import page_count
from reports.printable import for_print
from testlearn.domain.pilot_report import PilotReport

MAX_PAGES = 2
#: The estimated size (``_size``) up to which a brief may fit two pages: a little above the
#: largest size of any step of any demo brief that fits (8,081, measured 1 December 2026 after
#: the citation shortened; the smallest that runs over is 7,804). The laid-out page count
#: decides; the budget only chooses where to start, and being above the largest that fits, it
#: never starts past the least step that fits (a test holds it to the demo briefs).
FIT_BUDGET = 8_150


def write_brief(
    report: PilotReport,
    path: Path,
    *,
    final: bool = False,
    include_commercial: bool = False,
    html: bool = True,
) -> int:
    """Write the brief to ``path`` (PDF) and, with ``html``, its HTML version beside it.

    Args:
        report: the pilot, from ``testlearn.services.reporting.pilot_report``.
        path: the PDF to write; the HTML goes to the same name with ``.html``.
        final: leave off the DRAFT watermark and print the clearance handed in with the
            report (who, role, date) and its version; a report without one is refused
            (``NotClearedForFinal``).
        include_commercial: print commercially sensitive values (should-cost, bids,
            outturn); the brief is then marked at least OFFICIAL-SENSITIVE COMMERCIAL.
        html: also write the HTML version.

    Returns:
        The number of pages of the PDF.

    Raises:
        ReportWriteError: the file cannot be written (the message names the path).
    """
    check_writable(path)
    # A brief is one to two pages. Each step of compaction shortens what the brief can best
    # spare (first sentences of free text, fewer findings with the rest counted, shorter
    # answers), never a required part, so a brief only gives anything up when it would
    # otherwise run to a third page.
    # Printing a brief is most of its cost, so the estimate says where to start (the least
    # step whose estimated size fits: the budget is set so that it never starts past the
    # least step that fits, on the demo pilots, so starting there gives nothing up); each
    # step from there is laid out without being drawn until one fits, and only that one is
    # printed, from the same flowables.
    # Most paragraphs are the same at every step; they are parsed and broken into lines once.
    # A step that runs over is laid out only until its third page begins.
    start, documents = _first_fitting(report, final, include_commercial)
    with shared_paragraphs():
        for compact in range(start, MOST_COMPACT + 1):
            document = documents[compact]
            printable = for_print(document, report)
            flowables = story(printable, styles())
            if compact == MOST_COMPACT or page_count(flowables, most=MAX_PAGES) <= MAX_PAGES:
                break
        data, pages = render_story(printable, flowables, generated_at=report.generated_at)
    write_bytes_atomically(Path(path), data)
    if html:
        write_html(document, Path(path).with_suffix(".html"), generated_at=report.generated_at)
    return pages


def _first_fitting(
    report: PilotReport, final: bool, include_commercial: bool
) -> tuple[int, dict[int, Document]]:
    """The least compaction from which every step's estimated size fits, and the documents
    of the steps from there on, so that a brief is laid out at one step or two rather than at
    every step from the full brief on.

    Laying a brief out costs far more than estimating its size from the content. The
    estimate only chooses where to start: the page count of the layout decides. Each step
    shortens the one before, so the estimates fall from step to step, and the steps are
    made from the most compact back until one does not fit: two to four documents, where
    counting up from the full brief made four to six, the least fitting step one of them.
    """
    documents: dict[int, Document] = {}
    for compact in range(MOST_COMPACT, -1, -1):
        document = brief_document(
            report, final=final, include_commercial=include_commercial, compact=compact
        )
        if compact < MOST_COMPACT and _size(document) > FIT_BUDGET:
            break
        documents[compact] = document
    return min(documents), documents


def _size(document: Document) -> float:
    """A rough measure of a brief's length: characters, plus allowances for lines and rows."""
    size = 0.0
    for section in document.sections:
        size += 90
        for block in section.blocks:
            if isinstance(block, Text):
                size += len(block.text) + 40
            elif isinstance(block, Bullets | Lettered):
                size += sum(len(item) + 40 for item in block.items)
            elif isinstance(block, QandA):
                size += sum(len(q) + len(a) + 80 for q, a in block.pairs)
            elif isinstance(block, Table):
                size += 160 * len(block.rows) + 100
            elif isinstance(block, Chart):
                size += block.drawing.height * 7 + len(block.drawing.description)
            elif isinstance(block, Citation):
                size += 700
    return size
