"""The layout of every demo report, read back from the PDF as a reader turns the pages.

Each page's text is read with its height on the page and its type size (pypdf's text
visitor), so these tests see what a reader sees: a heading at the foot of a page with
nothing under it, a page left mostly white, a table header or a reference cut in two.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from reports.brief import write_brief
from reports.brief_content import brief_document
from reports.full_report import full_report_document, write_full_report
from reports.page import BOTTOM, PAGE_HEIGHT, TOP
from reports.portfolio_report import portfolio_document, write_portfolio
from tests.integration.demo_pilots import DEMO_REFERENCES as REFERENCES

# Reports are dated after the data the tests import, and within the day ahead.
WHEN = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=20)).replace(second=0, microsecond=0)
TEXT_TOP, TEXT_BOTTOM = PAGE_HEIGHT - TOP, BOTTOM
HEADING_SIZE = 12.9  # section headings are printed at 13 points, body text at 11


@dataclass(frozen=True)
class Run:
    """A piece of text as printed: its baseline height, type size and font."""

    y: float
    size: float
    bold: bool
    text: str


@dataclass
class Laid:
    """A report as printed: its pages' text runs (the page furniture left out) and lines."""

    name: str
    pages: list[list[Run]]
    lines: list[list[str]]


def _runs(page: Any) -> list[Run]:
    runs: list[Run] = []

    def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
        if not text.strip():
            return
        y = cm[1] * tm[4] + cm[3] * tm[5] + cm[5]
        scale = (tm[2] ** 2 + tm[3] ** 2) ** 0.5 * (cm[2] ** 2 + cm[3] ** 2) ** 0.5
        printed = abs(size * scale)
        name = str(font.get("/BaseFont", "")) if font else ""
        # The DRAFT watermark and the markings and footer outside the text frame are
        # page furniture, not the report's text.
        if printed < 50 and TEXT_BOTTOM - 1 <= y <= TEXT_TOP + 1:
            runs.append(Run(y, printed, "Bold" in name, text))

    page.extract_text(visitor_text=visit)
    return runs


def _read(path: Path) -> Laid:
    reader = PdfReader(path)
    return Laid(
        path.name,
        [_runs(page) for page in reader.pages],
        [page.extract_text().splitlines() for page in reader.pages],
    )


@pytest.fixture(scope="module")
def db(demo_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from testlearn.services.databases import open_database

    copy = tmp_path_factory.mktemp("layout") / "demo.sqlite"
    shutil.copy(demo_file, copy)
    database = open_database(copy)
    yield database
    database.close()


@pytest.fixture(scope="module")
def reports(db: Any, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Laid]:
    """Every demo pilot's brief and full report, and the portfolio, as printed."""
    from testlearn.services.portfolio import portfolio
    from testlearn.services.reporting import pilot_report

    folder = tmp_path_factory.mktemp("laid")
    out = {}
    for ref in REFERENCES:
        brief, full = folder / f"{ref}-brief.pdf", folder / f"{ref}-full.pdf"
        write_brief(pilot_report(ref, db=db, generated_at=WHEN), brief, html=False)
        write_full_report(pilot_report(ref, db=db, generated_at=WHEN, kind="full"), full)
        out[f"{ref} brief"], out[f"{ref} full"] = _read(brief), _read(full)
    path = folder / "portfolio.pdf"
    write_portfolio(portfolio(db=db, generated_at=WHEN), path)
    out["portfolio"] = _read(path)
    return out


@pytest.fixture(scope="module")
def documents(db: Any) -> dict[str, Any]:
    """The content of the same reports, to know which words their tables head."""
    from testlearn.services.portfolio import portfolio
    from testlearn.services.reporting import pilot_report

    out: dict[str, Any] = {}
    for ref in REFERENCES:
        report = pilot_report(ref, db=db, generated_at=WHEN)
        out[f"{ref} brief"] = brief_document(report, final=False, include_commercial=False)
        out[f"{ref} full"] = full_report_document(report, final=False, include_commercial=False)
    out["portfolio"] = portfolio_document(portfolio(db=db, generated_at=WHEN), final=False)
    return out


def _heights(runs: list[Run]) -> list[float]:
    return sorted({round(r.y) for r in runs}, reverse=True)


def test_no_heading_ends_a_page_without_what_follows(reports: dict[str, Laid]) -> None:
    orphaned = []
    for laid in reports.values():
        for number, runs in enumerate(laid.pages, 1):
            for heading in (r for r in runs if r.bold and r.size >= HEADING_SIZE):
                below = [y for y in _heights(runs) if y < heading.y - 2]
                if len(below) < 2:
                    orphaned.append(f"{laid.name} page {number}: {heading.text.strip()}")
    assert orphaned == []


def test_every_page_but_the_last_is_at_least_a_third_full(reports: dict[str, Laid]) -> None:
    sparse = []
    for laid in reports.values():
        for number, runs in enumerate(laid.pages[:-1], 1):
            lowest = min((r.y for r in runs), default=TEXT_TOP)
            filled = (TEXT_TOP - lowest) / (TEXT_TOP - TEXT_BOTTOM)
            if filled < 1 / 3:
                sparse.append(f"{laid.name} page {number}: {filled:.0%} full")
    assert sparse == []


def test_every_demo_brief_fits_two_pages(reports: dict[str, Laid]) -> None:
    assert {n: len(r.pages) for n, r in reports.items() if n.endswith("brief")} == {
        f"{ref} brief": 2 for ref in REFERENCES
    }


def _split_words(lines: list[str], words: set[str]) -> list[str]:
    """Words of ``words`` that a line ends part-way through and the next line finishes."""
    found = []
    for line, following in itertools.pairwise(lines):
        head, tail = line.rstrip(), following.lstrip()
        for word in words:
            for cut in range(1, len(word)):
                if head.endswith(word[:cut]) and tail.startswith(word[cut:]):
                    before = head[:-cut][-1:]
                    after = tail[len(word) - cut : len(word) - cut + 1]
                    if not before.isalnum() and not after.isalnum():
                        found.append(f"{word[:cut]} / {word[cut:]}")
    return found


def test_table_headers_are_never_cut_inside_a_word(
    reports: dict[str, Laid], documents: dict[str, Any]
) -> None:
    from reports.blocks import Table

    cut = []
    for name, document in documents.items():
        words = {
            w.strip("()")
            for section in document.sections
            for block in section.blocks
            if isinstance(block, Table)
            for header in block.headers
            for w in header.split()
        }
        words = {w for w in words if len(w) >= 4}
        for number, lines in enumerate(reports[name].lines, 1):
            cut += [f"{name} page {number}: {s}" for s in _split_words(lines, words)]
    assert cut == []


def test_references_are_whole_in_the_portfolio_annex_and_every_report(
    reports: dict[str, Laid],
) -> None:
    portfolio_text = " ".join(" ".join(lines) for lines in reports["portfolio"].lines)
    for ref in REFERENCES:
        assert ref in portfolio_text
    cut = []
    for laid in reports.values():
        for number, lines in enumerate(laid.lines, 1):
            cut += [f"{laid.name} page {number}: {s}" for s in _split_words(lines, set(REFERENCES))]
    assert cut == []
    for ref in REFERENCES:
        assert ref in " ".join(" ".join(lines) for lines in reports[f"{ref} brief"].lines)


_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def test_chart_axes_are_at_round_values_through_zero(reports: dict[str, Laid]) -> None:
    # The tick labels are the numbers printed on one height under each chart row.
    for ref in REFERENCES:
        laid = reports[f"{ref} brief"]
        rows = 0
        for runs in laid.pages:
            by_height: dict[int, list[str]] = {}
            for r in runs:
                # Tick labels are plain numbers; zero is printed in bold to stand out.
                if _NUMBER.match(r.text.strip()) and (not r.bold or r.text.strip() == "0"):
                    by_height.setdefault(round(r.y), []).append(r.text.strip())
            for texts in by_height.values():
                if "0" not in texts or len(texts) < 3:
                    continue
                rows += 1
                values = sorted(float(t) for t in texts)
                steps = {round(b - a, 9) for a, b in itertools.pairwise(values)}
                assert len(steps) == 1, (ref, texts)
                (step,) = steps
                mantissa = step / 10 ** math.floor(math.log10(step))
                assert round(mantissa, 6) in (1.0, 2.0, 2.5, 5.0), (ref, texts)
        assert rows >= 1, f"{ref}: no chart axis with a labelled zero"


def test_table_cells_keep_their_words_whole_where_the_page_has_room(
    reports: dict[str, Laid], documents: dict[str, Any]
) -> None:
    from reports.blocks import Table

    cut = []
    for name, document in documents.items():
        words = {
            w.strip("().,;:")
            for section in document.sections
            for block in section.blocks
            if isinstance(block, Table)
            for row in block.rows
            for cell in row
            for w in cell.split()
        }
        # Words of up to 15 letters: a longer one (a hash, a file name) may wrap in a column.
        words = {w for w in words if 6 <= len(w) <= 15}
        for number, lines in enumerate(reports[name].lines, 1):
            cut += [f"{name} page {number}: {s}" for s in _split_words(lines, words)]
    assert cut == []
