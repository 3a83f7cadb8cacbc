"""Every demo pilot's full report, read back as a private secretary reads it: no template
fragment ("None", a lone dash, "NO" as a value, "1 points"), a front page that carries the
summary, and no page left mostly white before the last. The HTML twin is read the same way.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from reports.blocks import Table
from reports.full_contracts import commercial, kpi_sentence
from reports.full_report import write_full_report
from reports.page import BOTTOM, PAGE_HEIGHT, TOP
from tests.integration.demo_pilots import DEMO_REFERENCES

TEXT_TOP, TEXT_BOTTOM = PAGE_HEIGHT - TOP, BOTTOM
#: What a line or a table cell must never be on its own: a field printed from nothing.
FRAGMENTS = frozenset({"None", "-", "NO", "YES", "yes", "no", "let", "- / -", "n/a", "nan"})
#: Fragments inside a line: a dash for a value, a count that disagrees with its noun.
FRAGMENT_PATTERNS = (
    re.compile(r"(?<![\w.,+-])1 (?:points|minutes|rows|units|bids|suppliers|SMEs|KPIs)\b"),
    re.compile(r"\(1 rows\)"),
    re.compile(r"(?:^|[:;,(] )- (?:/|\(|suppliers)"),
    re.compile(r": (?:None|NO|YES)\b"),
    re.compile(r"\bNone\b(?! recorded)"),
    re.compile(r" -$"),
    re.compile(r"not recorded / not recorded"),
)


def _body_lines(page: Any) -> tuple[list[str], float]:
    """A page's lines of text inside the text frame, and how far down the page they reach
    (0 for an empty page, 1 for one filled to the foot)."""
    lowest = TEXT_TOP
    parts: list[str] = []

    def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
        nonlocal lowest
        y = cm[1] * tm[4] + cm[3] * tm[5] + cm[5]
        scale = (tm[2] ** 2 + tm[3] ** 2) ** 0.5 * (cm[2] ** 2 + cm[3] ** 2) ** 0.5
        # The DRAFT watermark and the markings and footer outside the frame are furniture.
        if abs(size * scale) < 50 and TEXT_BOTTOM - 1 <= y <= TEXT_TOP + 1:
            parts.append(text)
            if text.strip():
                lowest = min(lowest, y)

    page.extract_text(visitor_text=visit)
    lines = [line.strip() for line in "".join(parts).splitlines() if line.strip()]
    return lines, (TEXT_TOP - lowest) / (TEXT_TOP - TEXT_BOTTOM)


@pytest.fixture(scope="module")
def printed(
    demo_file: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, tuple[list[list[str]], list[float], str]]]:
    """Each demo pilot's full report: its pages' lines, how full each page is, its HTML."""
    from testlearn.services.databases import open_database
    from testlearn.services.reporting import pilot_report

    folder = tmp_path_factory.mktemp("fulltext")
    copy = folder / "demo.sqlite"
    shutil.copy(demo_file, copy)
    db = open_database(copy)
    when = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=20)).replace(second=0, microsecond=0)
    out = {}
    try:
        for ref in DEMO_REFERENCES:
            path = folder / f"{ref}.pdf"
            write_full_report(pilot_report(ref, db=db, generated_at=when, kind="full"), path)
            read = [_body_lines(page) for page in PdfReader(path).pages]
            out[ref] = (
                [lines for lines, _ in read],
                [filled for _, filled in read],
                path.with_suffix(".html").read_text(encoding="utf-8"),
            )
        yield out
    finally:
        db.close()


def _fragments(lines: list[str]) -> list[str]:
    found = [line for line in lines if line in FRAGMENTS]
    found += [line for line in lines for p in FRAGMENT_PATTERNS if p.search(line)]
    return found


@pytest.mark.parametrize("ref", DEMO_REFERENCES)
def test_no_line_of_the_pdf_is_a_template_fragment(
    printed: dict[str, tuple[list[list[str]], list[float], str]], ref: str
) -> None:
    pages, _, _ = printed[ref]
    found = [
        f"page {n}: {line!r}" for n, lines in enumerate(pages, 1) for line in _fragments(lines)
    ]
    assert found == []


@pytest.mark.parametrize("ref", DEMO_REFERENCES)
def test_no_cell_or_paragraph_of_the_html_is_a_template_fragment(
    printed: dict[str, tuple[list[list[str]], list[float], str]], ref: str
) -> None:
    _, _, page = printed[ref]
    pieces = [
        html.unescape(re.sub(r"<[^>]+>", "", piece)).strip()
        for piece in re.findall(r"<(?:td|th|p|li)\b[^>]*>(.*?)</(?:td|th|p|li)>", page, re.S)
    ]
    assert pieces, ref
    found = [p for p in pieces if p in FRAGMENTS]
    found += [p for p in pieces for pattern in FRAGMENT_PATTERNS if pattern.search(p)]
    assert found == []


@pytest.mark.parametrize("ref", DEMO_REFERENCES)
def test_the_front_page_carries_the_executive_summary(
    printed: dict[str, tuple[list[list[str]], list[float], str]], ref: str
) -> None:
    pages, filled, _ = printed[ref]
    assert "1. Executive summary" in pages[0]
    # The summary fills the page the title block starts, rather than a page break after it.
    assert filled[0] >= 0.75, f"the front page is {filled[0]:.0%} full"


@pytest.mark.parametrize("ref", DEMO_REFERENCES)
def test_no_middle_page_is_less_than_a_third_full(
    printed: dict[str, tuple[list[list[str]], list[float], str]], ref: str
) -> None:
    _, filled, _ = printed[ref]
    sparse = [f"page {n}: {f:.0%}" for n, f in enumerate(filled[1:-1], 2) if f < 1 / 3]
    assert sparse == []


def test_contracts_read_as_sentences(
    printed: dict[str, tuple[list[list[str]], list[float], str]],
) -> None:
    text = " ".join(" ".join(lines) for lines in printed["MOJ-TL-007"][0])
    assert "without contract management accreditation; no commercial specialist managed it" in (
        text
    )
    assert "Not yet let: in the procurement pipeline for 2027-28" in text
    assert "Let to existing electronic monitoring supplier, running from 1 October 2024" in text
    assert "1 bid" in text and "Bids received 1\n" not in text
    desnz = " ".join(" ".join(lines) for lines in printed["DESNZ-TL-005"][0])
    assert "with 18 suppliers (13 of them SMEs)" in desnz
    assert "accredited at expert level; a commercial specialist managed it" in desnz
    assert "planned n 1 unit of exposure in the pilot, against a fixed benchmark" in desnz
    assert "(1 row)" in desnz


@pytest.fixture(scope="module")
def moj(demo_file: Path) -> Iterator[Any]:
    """MOJ-TL-007's record as the full report gets it (its first contract is let, its
    second in the pipeline)."""
    from testlearn.services.databases import open_database_for_reading
    from testlearn.services.reporting import pilot_report

    db = open_database_for_reading(demo_file)
    try:
        yield pilot_report("MOJ-TL-007", db=db, kind="full").detail
    finally:
        db.close()


def _rows(section: Any) -> list[tuple[str, ...]]:
    return [row for block in section.blocks if isinstance(block, Table) for row in block.rows]


def test_a_let_contract_with_nothing_recorded_says_so_once(moj: Any) -> None:
    let = moj.procurements[0].model_copy(
        update={
            "route": None,
            "contract_value": None,
            "bidders": None,
            "engagement_methods": [],
            "suppliers_engaged": None,
            "smes_engaged": None,
            "engagement_changes": "",
            "payment_mechanism": None,
            "contract_manager": "",
            "contract_manager_accreditation": None,
            "commercial_specialist": None,
            "should_cost": None,
            "winning_bid": None,
            "outturn_cost": None,
        }
    )
    section = commercial(dataclasses.replace(moj, procurements=(let,)), False)
    rows = dict(_rows(section))
    assert rows["Not recorded"] == (
        "Procurement route; contract value; market engagement; what changed after "
        "engagement; bids received; payment; contract manager"
    )
    assert set(rows) == {"Stage", "Not recorded"}
    text = " ".join(str(getattr(b, "text", "")) for b in section.blocks)
    # Nothing sensitive is recorded, so nothing is said to be withheld.
    assert "withheld" not in text and "withheld" not in " ".join(rows.values())


def test_a_contract_in_the_pipeline_names_no_bids_or_outturn(moj: Any) -> None:
    planned = moj.procurements[1]
    assert planned.pipeline_year == "2027-28"
    rows = dict(_rows(commercial(dataclasses.replace(moj, procurements=(planned,)), False)))
    assert "Bids received" not in rows and "Not recorded" not in rows
    assert rows["Estimated contract value"] == "£9.5m"
    assert rows["Contract manager"].endswith("a commercial specialist is to manage it.")


def test_commercial_figures_print_only_when_included(moj: Any) -> None:
    priced = moj.procurements[0].model_copy(
        update={"should_cost": 750_000.0, "winning_bid": 800_000.0, "outturn_cost": None}
    )
    detail = dataclasses.replace(moj, procurements=(priced,))
    withheld = dict(_rows(commercial(detail, False)))
    included = dict(_rows(commercial(detail, True)))
    assert withheld["Should-cost and winning bid"] == (
        "Withheld from this copy (commercially sensitive)"
    )
    assert included["Should-cost and winning bid"] == "£750k and £800k"


@pytest.mark.parametrize(
    ("kpis", "sentence"),
    [
        (0, "No KPIs are recorded."),
        (1, "1 KPI is recorded (Annex B); it measures an input or output"),
        (2, "2 KPIs are recorded (Annex B); 1 of them measures an input or output"),
    ],
)
def test_the_kpi_count_agrees_with_its_verb(moj: Any, kpis: int, sentence: str) -> None:
    # MOJ-TL-007's second KPI is an output measure; its first an outcome.
    chosen = tuple(reversed(moj.kpis))[:kpis] if kpis < 2 else moj.kpis
    assert kpi_sentence(dataclasses.replace(moj, kpis=chosen)).startswith(sentence)


def _bare_report_lines(db: Any, folder: Path) -> list[str]:
    from testlearn.services.reporting import pilot_report

    when = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=10)
    report = pilot_report("T-001", db=db, generated_at=when, allow_incomplete=True, kind="full")
    path = folder / "T-001.pdf"
    write_full_report(report, path)
    return [line for page in PdfReader(path).pages for line in _body_lines(page)[0]]


@pytest.mark.parametrize("stage", ["no hypotheses", "unregistered", "registered, no data"])
def test_an_incomplete_full_report_prints_no_fragment(db: Any, tmp_path: Path, stage: str) -> None:
    from testlearn.services import pilots, registration
    from tests.builders import hypothesis, pilot

    pilots.create_pilot(pilot(), db=db, actor="ana")
    pilots.add_record("T-001", "procurement", {"name": "Pilot contract"}, db=db, actor="ana")
    if stage != "no hypotheses":
        pilots.add_record("T-001", "hypothesis", hypothesis(), db=db, actor="ana")
    if stage == "registered, no data":
        registration.register("T-001", db=db, actor="ana")
    lines = _bare_report_lines(db, tmp_path)
    assert _fragments(lines) == []
    text = " ".join(lines)
    assert "INCOMPLETE" in text
    assert "Not recorded Procurement route; contract value; market engagement" in text
    if stage == "registered, no data":
        assert "no current result (not analysed yet)" in text
