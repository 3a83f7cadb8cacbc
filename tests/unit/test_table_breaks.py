"""Where a table may break between pages: never a row alone, a short table never split.

Each test pushes a table down the page a line at a time, through every place a page break
can fall in it, and reads back with pypdf which page each row was printed on.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter

import pytest
from pypdf import PdfReader

from reports.blocks import Document, Section, Table, Text
from reports.layout import render_document

WHEN = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)
FILLER = (
    "The pilot ran for a year in six trusts, and the team recorded what happened each "
    "month so that the lessons could be learned. "
)


def _document(blocks: tuple[Text | Table, ...]) -> Document:
    return Document(
        title="Table breaks",
        kind="Lessons-learned report",
        reference="T-001-LESSONS",
        marking="OFFICIAL",
        handling="",
        final=False,
        author="Test team",
        subject="Table breaks",
        keywords=(),
        front=(),
        sections=(Section("Findings", blocks, 1),),
    )


def _pages_of(blocks: tuple[Text | Table, ...], words: tuple[str, ...]) -> dict[str, list[int]]:
    """The pages (1-based) on which each of ``words`` is printed."""
    data, _ = render_document(_document(blocks), generated_at=WHEN)
    found: dict[str, list[int]] = {w: [] for w in words}
    for number, page in enumerate(PdfReader(io.BytesIO(data)).pages, 1):
        text = page.extract_text()
        for word in words:
            if word in text:
                found[word].append(number)
    return found


def _table(rows: int, caption: str) -> Table:
    return Table(
        ("Row", "What happened"),
        tuple((f"Row{i:02d}", "A recorded event in the pilot's delivery.") for i in range(rows)),
        (0.3, 0.7),
        caption=caption,
    )


@pytest.mark.parametrize("rows", [1, 2, 3, 4])
def test_a_short_table_is_printed_whole_with_its_caption(rows: int) -> None:
    names = tuple(f"Row{i:02d}" for i in range(rows))
    split = []
    for paragraphs in range(20, 36):
        filler = tuple(Text(f"Paragraph {n}. {FILLER}") for n in range(paragraphs))
        pages = _pages_of((*filler, _table(rows, "CaptionOfShort")), ("CaptionOfShort", *names))
        where = {p for word in ("CaptionOfShort", *names) for p in pages[word]}
        if len(where) != 1:
            split.append((paragraphs, pages))
    assert split == []


def test_a_long_table_leaves_no_row_alone_on_either_page() -> None:
    names = tuple(f"Row{i:02d}" for i in range(12))
    alone = []
    breaks = 0
    for paragraphs in range(14, 36):
        filler = tuple(Text(f"Paragraph {n}. {FILLER}") for n in range(paragraphs))
        pages = _pages_of((*filler, _table(12, "CaptionOfLong")), ("CaptionOfLong", *names))
        per_page = Counter(pages[name][0] for name in names)
        breaks += len(per_page) > 1
        if min(per_page.values()) < 2:
            alone.append((paragraphs, dict(per_page)))
        # The caption is on the page of the table's first rows.
        assert pages["CaptionOfLong"] == [pages["Row00"][0]], paragraphs
    assert breaks, "the filler never pushed a page break into the table"
    assert alone == []


def test_a_result_and_its_groups_are_kept_together() -> None:
    groups = Table(
        ("Group", "n", "Value"),
        (("pilot", "412", "3.21"), ("comparator", "1,030", "2.94")),
        (0.4, 0.3, 0.3),
        caption="H1CaptionGroups",
    )
    estimate = Table(
        ("Estimate", "Interval", "Verdict"),
        (("EstimateRow +0.27", "95% CI 0.21 to 0.33", "Worked"),),
        (0.3, 0.4, 0.3),
    )
    words = ("H1CaptionGroups", "comparator", "EstimateRow")
    for paragraphs in range(20, 36):
        filler = tuple(Text(f"Paragraph {n}. {FILLER}") for n in range(paragraphs))
        pages = _pages_of((*filler, groups, estimate), words)
        assert len({pages[w][0] for w in words}) == 1, (paragraphs, pages)
