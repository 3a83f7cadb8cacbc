"""The brief chooses how far to shorten itself from a layout that is not drawn
(``reports.page_count``): that count must be the printed PDF's, and laying the flowables out
first must not change the PDF they print."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from reports.brief import MAX_PAGES, _first_fitting, _size, write_brief
from reports.brief_content import MOST_COMPACT, brief_document
from reports.layout import render_document, render_story, story
from reports.page import styles
from reports.page_count import page_count
from reports.printable import for_print
from testlearn.domain.pilot_report import PilotReport
from testlearn.services.databases import open_database
from testlearn.services.reporting import pilot_report
from tests.builders import add_analysed_pilot
from tests.integration.demo_pilots import DEMO_REFERENCES


def when() -> dt.datetime:
    """A report's date: an hour after now, after any data the test imported."""
    return (dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)).replace(microsecond=0)


def printed_pages(data: bytes) -> int:
    return len(PdfReader(io.BytesIO(data)).pages)


def counted_and_printed(report: PilotReport, compact: int) -> tuple[int, int]:
    """The undrawn layout's page count and the printed PDF's, for one step of shortening."""
    document = for_print(
        brief_document(report, final=False, include_commercial=False, compact=compact), report
    )
    counted = page_count(story(document, styles()))
    data, _ = render_document(document, generated_at=report.generated_at)
    return counted, printed_pages(data)


@pytest.mark.parametrize("reference", DEMO_REFERENCES)
def test_the_undrawn_layout_counts_the_printed_pages_of_every_step_of_a_demo_brief(
    demo_file: Path, reference: str
) -> None:
    with open_database(demo_file) as db:
        report = pilot_report(reference, db=db, generated_at=when())
    counts = [counted_and_printed(report, compact) for compact in range(MOST_COMPACT + 1)]
    assert [counted for counted, _ in counts] == [printed for _, printed in counts]
    # The steps span both sides of the limit, so the count is tested where it decides.
    assert {printed > MAX_PAGES for _, printed in counts} == {True, False}
    # The size estimate may start the brief's search late, never past the least step that
    # fits: a brief that starts past it gives up text it had room for.
    least_fitting = min(c for c, (_, printed) in enumerate(counts) if printed <= MAX_PAGES)
    start, documents = _first_fitting(report, False, False)
    assert start <= least_fitting, (start, least_fitting)
    # The search walks back from the most compact step, which holds only while each step's
    # estimated size is below the one before.
    sizes = [
        _size(brief_document(report, final=False, include_commercial=False, compact=compact))
        for compact in range(MOST_COMPACT + 1)
    ]
    assert sizes == sorted(sizes, reverse=True) and len(set(sizes)) == len(sizes), sizes
    assert sorted(documents) == list(range(start, MOST_COMPACT + 1))
    # Asked whether a step fits, the count stops at the first page past the limit.
    for compact, (counted, _) in enumerate(counts):
        flowables = story(
            for_print(
                brief_document(report, final=False, include_commercial=False, compact=compact),
                report,
            ),
            styles(),
        )
        assert page_count(flowables, most=MAX_PAGES) == min(counted, MAX_PAGES + 1)


def add_long_pilot(db: Any, reference: str, hypotheses: int) -> None:
    """A pilot with many two-group hypotheses, registered, imported and analysed: a brief
    that runs past two pages at every step, with a chart taller than a page."""
    add_analysed_pilot(
        db,
        reference,
        [f"H{i}" for i in range(1, hypotheses + 1)],
        outcome="households reporting a warmer home on measure {code}",
        n=500,
        pilot_successes=330,
        step=3,
        comparator_successes=280,
    )


def test_the_undrawn_layout_counts_the_printed_pages_of_a_long_brief(
    db: Any, tmp_path: Path
) -> None:
    add_long_pilot(db, "T-LONG", 20)
    report = pilot_report("T-LONG", db=db, generated_at=when())
    counts = [counted_and_printed(report, compact) for compact in (0, MOST_COMPACT)]
    assert [counted for counted, _ in counts] == [printed for _, printed in counts]
    assert all(printed > MAX_PAGES for _, printed in counts)
    # What the brief reports to the user is what the file holds.
    path = tmp_path / "brief.pdf"
    assert write_brief(report, path, html=False) == len(PdfReader(path).pages)


@pytest.mark.parametrize("reference", DEMO_REFERENCES[:4])
def test_laying_a_brief_out_first_leaves_the_pdf_it_prints_unchanged(
    demo_file: Path, reference: str
) -> None:
    with open_database(demo_file) as db:
        report = pilot_report(reference, db=db, generated_at=when())
    document = for_print(
        brief_document(report, final=False, include_commercial=False, compact=4), report
    )
    flowables = story(document, styles())
    page_count(flowables)
    page_count(flowables)
    # A layout stopped at its second page leaves nothing on the flowables either.
    assert page_count(flowables, most=1) == 2
    laid_out_first, _ = render_story(document, flowables, generated_at=report.generated_at)
    fresh, _ = render_document(document, generated_at=report.generated_at)
    assert laid_out_first == fresh
