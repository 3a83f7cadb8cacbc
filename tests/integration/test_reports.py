"""The three reports of the demo database, read back from the PDFs as a reader would see them."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from reports import numbers
from reports.brief import write_brief
from reports.full_report import write_full_report
from reports.portfolio_report import write_portfolio
from testlearn.domain.fields import commercially_sensitive_fields
from testlearn.domain.records import ProcurementFields
from tests.integration.demo_pilots import DEMO_REFERENCES

# After the outcome data the tests import now (a report cannot be dated before what it
# reports), and less than a day ahead (nor far in the future).
# Later the same day or the next: after any data a test imports during a long run, and
# within the day ahead a report may be dated.
WHEN = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=20)).replace(second=0, microsecond=0)
SENSITIVE_MARKING = "OFFICIAL-SENSITIVE COMMERCIAL"


def flat(text: str) -> str:
    """Text with every run of whitespace as one space, as a sentence reads across lines."""
    return re.sub(r"\s+", " ", text).strip()


@dataclass
class Pdf:
    path: Path
    pages: list[str]

    @property
    def text(self) -> str:
        return flat(" ".join(self.pages))

    @property
    def metadata(self) -> Any:
        return PdfReader(self.path).metadata


def read(path: Path) -> Pdf:
    return Pdf(path, [page.extract_text() for page in PdfReader(path).pages])


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The demo database, every pilot analysed (made once for the module)."""
    from testlearn.services.analysis import analyse_all
    from testlearn.services.databases import create_database

    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    db = create_database(path, demo=True, actor="tester")
    analyse_all(db=db, actor="tester")
    yield db
    db.close()


@pytest.fixture(scope="module")
def details(demo: Any) -> dict[str, Any]:
    from testlearn.services.pilots import get_pilot

    return {ref: get_pilot(ref, db=demo) for ref in DEMO_REFERENCES}


@pytest.fixture(scope="module")
def briefs(demo: Any, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Pdf]:
    from testlearn.services.reporting import pilot_report

    folder = tmp_path_factory.mktemp("briefs")
    out = {}
    for ref in DEMO_REFERENCES:
        path = folder / f"{ref}.pdf"
        write_brief(pilot_report(ref, db=demo, generated_at=WHEN), path)
        out[ref] = read(path)
    return out


@pytest.mark.parametrize("ref", DEMO_REFERENCES)
def test_every_demo_brief_is_at_most_two_pages(briefs: dict[str, Pdf], ref: str) -> None:
    assert 1 <= len(briefs[ref].pages) <= 2


@pytest.mark.parametrize("ref", DEMO_REFERENCES)
def test_every_page_carries_marking_reference_version_and_page_count(
    briefs: dict[str, Pdf], details: dict[str, Any], ref: str
) -> None:
    pilot = details[ref].pilot
    marking = SENSITIVE_MARKING if pilot.marking == "OFFICIAL_SENSITIVE" else "OFFICIAL"
    pages = briefs[ref].pages
    for number, page in enumerate(pages, 1):
        lines = [line.strip() for line in page.splitlines()]
        assert lines.count(marking) >= 2, f"page {number}: marking top and bottom"
        assert f"{ref}-BRIEF, draft" in page
        assert f"Page {number} of {len(pages)}" in page
        assert "DRAFT" in page


@pytest.mark.parametrize("ref", DEMO_REFERENCES)
def test_brief_quotes_the_stored_sentence_and_cites_registration_and_data(
    briefs: dict[str, Pdf], details: dict[str, Any], ref: str
) -> None:
    text = briefs[ref].text
    detail = details[ref]
    assert f"Reference {ref}-BRIEF" in text
    for registration in detail.registrations:
        assert registration.content_hash in text
    for h in detail.hypotheses:
        result = h.current_result
        assert result is not None
        # Quoted whole, or (in a brief shortened to two pages) its opening estimate and
        # interval, or counted among those left to the full report.
        opening = flat(result.sentence).split("; ", 1)[0].rstrip(".")
        left = re.search(
            r"The results? for (?:\d+ more \()?([H\d, to]+)\)? (?:is|are) given in the full report",
            text,
        )
        assert opening in text or (left and h.hypothesis.code in left.group(1)), (
            f"{h.hypothesis.code}: the engine's sentence"
        )
        assert h.dataset is not None and result.data_fingerprint == h.dataset.fingerprint
    # The brief cites all the data by one fingerprint (docs/reports.md): the sha256 of the
    # datasets' fingerprints, sorted, one a line; the full report lists each.
    each = sorted({h.current_result.data_fingerprint for h in detail.hypotheses})
    listed = "".join(f"{value}\n" for value in each)
    assert f"Data fingerprint {hashlib.sha256(listed.encode()).hexdigest()}" in text


@pytest.mark.parametrize("ref", DEMO_REFERENCES)
def test_chart_text_gives_the_stored_estimate_and_interval(
    briefs: dict[str, Pdf], details: dict[str, Any], ref: str
) -> None:
    text = briefs[ref].text
    for h in details[ref].hypotheses:
        result = h.current_result
        assert result is not None and result.estimate is not None
        scale = {"binary": lambda v: v * 100, "count": lambda v: (v - 1) * 100}.get(
            h.hypothesis.outcome_type, lambda v: v
        )
        stored = (result.estimate, result.ci_low, result.ci_high)
        places = min(numbers.decimals_for(*(scale(v) for v in stored if v is not None)), 2)
        for value in stored:
            assert value is not None
            assert f"{scale(value):.{places}f}" in text


def _sensitive_values(detail: Any) -> list[float]:
    """Sensitive values of a pilot's contracts, less any equal to a published contract value.

    A winning bid often equals the contract value, which is public (the award notice), and
    the full report prints contract values; such a figure reveals nothing when it appears.
    """
    names = commercially_sensitive_fields(ProcurementFields)
    public = {p.contract_value for p in detail.procurements}
    return [
        getattr(p, name)
        for p in detail.procurements
        for name in names
        if getattr(p, name) is not None and getattr(p, name) not in public
    ]


@pytest.mark.parametrize("ref", DEMO_REFERENCES)
def test_default_brief_withholds_commercially_sensitive_values(
    briefs: dict[str, Pdf], details: dict[str, Any], ref: str
) -> None:
    text = briefs[ref].text
    assert "withheld from this brief" in text
    values = _sensitive_values(details[ref])
    assert values, "every demo pilot records should-cost, bid or outturn"
    for value in values:
        assert numbers.money(value) not in text
        assert f"{value:,.0f}" not in text


def test_brief_with_commercial_values_prints_them_and_is_marked_sensitive(
    demo: Any, details: dict[str, Any], tmp_path: Path
) -> None:
    from testlearn.services.reporting import pilot_report

    path = tmp_path / "brief.pdf"
    write_brief(
        pilot_report("DFE-TL-004", db=demo, generated_at=WHEN), path, include_commercial=True
    )
    pdf = read(path)
    for value in _sensitive_values(details["DFE-TL-004"]):
        assert numbers.money(value) in pdf.text
    assert "withheld" not in pdf.text
    assert all(SENSITIVE_MARKING in page for page in pdf.pages)


def test_the_same_data_and_timestamp_give_the_same_bytes(demo: Any, tmp_path: Path) -> None:
    from testlearn.services.reporting import pilot_report

    first, second = tmp_path / "a.pdf", tmp_path / "b.pdf"
    write_brief(pilot_report("HO-TL-003", db=demo, generated_at=WHEN), first)
    write_brief(pilot_report("HO-TL-003", db=demo, generated_at=WHEN), second)
    assert first.read_bytes() == second.read_bytes()
    assert first.with_suffix(".html").read_bytes() == second.with_suffix(".html").read_bytes()
    later = tmp_path / "c.pdf"
    write_brief(
        pilot_report("HO-TL-003", db=demo, generated_at=WHEN + dt.timedelta(hours=1)), later
    )
    assert later.read_bytes() != first.read_bytes()


def test_pdf_metadata_is_set(briefs: dict[str, Pdf]) -> None:
    pdf = briefs["DFE-TL-004"]
    meta = pdf.metadata
    assert meta.title == "Speech and language screening app in Reception classes: ministerial brief"
    assert meta.author == "Early Years Recovery Team"
    assert "DFE-TL-004" in meta.subject
    assert "DFE-TL-004" in meta["/Keywords"]
    assert meta["/CreationDate"].startswith(f"D:{WHEN:%Y%m%d%H%M%S}")
    assert PdfReader(pdf.path).trailer["/Root"]["/Lang"] == "en-GB"


def test_final_brief_has_no_watermark_and_version_one(demo: Any, tmp_path: Path) -> None:
    from testlearn.services.clearance import record_clearance
    from testlearn.services.reporting import pilot_report

    record_clearance(
        "MOJ-TL-007",
        kind="brief",
        cleared_by="Sam Patel",
        role="Deputy Director",
        cleared_on="15/12/2026",
        db=demo,
        actor="tester",
    )
    path = tmp_path / "final.pdf"
    report = pilot_report("MOJ-TL-007", db=demo, generated_at=WHEN, final=True, kind="brief")
    write_brief(report, path, final=True)
    pdf = read(path)
    assert "DRAFT" not in pdf.text
    assert all("MOJ-TL-007-BRIEF, v1.0" in page for page in pdf.pages)
    assert "Cleared by Sam Patel, Deputy Director, on 15 December 2026" in pdf.text


def test_brief_reads_as_a_submission(briefs: dict[str, Pdf]) -> None:
    text = briefs["DFT-TL-009"].text
    for heading in (
        "1. Issue",
        "2. Recommendations",
        "3. Timing",
        "4. Background",
        "5. Findings",
        "6. Why this was responsible test-and-learn",
        "7. Argument",
        "8. Options",
        "9. Risks, handling and communications",
        "10. Lines to take",
        "Annex: results and KPIs",
    ):
        assert heading in text
    assert "Stop (recommended)" in text
    assert "Why did you spend £880k on something that did not work?" in text
    # Kept before the U-turn line, so a brief shortened from the end still carries it.
    assert "What will you do differently?" in text
    assert "Stopping now avoids a national roll-out estimated at £46m" in text
    assert "Chart in words:" in text


def test_cost_per_additional_outcome_where_the_data_allow(briefs: dict[str, Pdf]) -> None:
    # MHCLG-TL-002: 3.9 points more (allowing for calendar time) of 7,226 applications after
    # switch-on; cost £1.04m.
    text = briefs["MHCLG-TL-002"].text
    assert "Value for money: Minor applications decided within eight weeks: about 284 more" in text
    assert "£4k for each additional one" in text
    assert "Value for money" not in briefs["DFE-TL-004"].text  # no gain, nothing to price


def test_html_brief_is_written_beside_the_pdf_from_the_same_content(
    briefs: dict[str, Pdf], details: dict[str, Any]
) -> None:
    pdf = briefs["DESNZ-TL-005"]
    html = pdf.path.with_suffix(".html").read_text(encoding="utf-8")
    assert '<html lang="en-GB">' in html
    assert html.count(f'<p class="marking">{SENSITIVE_MARKING}</p>') == 2
    assert "<h2>10. Lines to take</h2>" in html
    assert '<svg role="img"' in html and "<title>" in html and "<desc>" in html
    for h in details["DESNZ-TL-005"].hypotheses:
        assert h.current_result is not None
        # As in the PDF: the opening estimate and interval, or counted for the full report.
        opening = h.current_result.sentence.split("; ", 1)[0].rstrip(".").replace("&", "&amp;")
        assert (
            opening in html
            or f"The result for {h.hypothesis.code} is given in the full report" in html
        )


def test_full_report_covers_every_section_and_marks_every_page(
    demo: Any, details: dict[str, Any], tmp_path: Path
) -> None:
    from testlearn.services.reporting import pilot_report

    path = tmp_path / "full.pdf"
    pages = write_full_report(pilot_report("DESNZ-TL-005", db=demo, generated_at=WHEN), path)
    pdf = read(path)
    assert pages == len(pdf.pages) > 2
    for number, page in enumerate(pdf.pages, 1):
        assert page.count(SENSITIVE_MARKING) >= 2
        assert f"Page {number} of {pages}" in page
    text = pdf.text
    for heading in (
        "Document control",
        "1. Executive summary",
        "4. Hypotheses as registered",
        "5. Commercial approach",
        "8. Findings",
        "10. Lessons",
        "11. Decision and next steps",
        "Annex A: data and methods",
        "Annex B: KPI table",
        "Annex C: glossary",
    ):
        assert heading in text
    detail = details["DESNZ-TL-005"]
    for h in detail.hypotheses:
        assert h.current_result is not None
        assert flat(h.current_result.sentence) in text
        assert h.current_result.input_hash in text
    for value in _sensitive_values(detail):
        assert numbers.money(value) not in text


def test_portfolio_takes_the_highest_marking_and_counts_the_demo(demo: Any, tmp_path: Path) -> None:
    from testlearn.services.portfolio import portfolio

    found = portfolio(db=demo, generated_at=WHEN)
    assert found.marking.text == SENSITIVE_MARKING
    path = tmp_path / "portfolio.pdf"
    pages = write_portfolio(found, path)
    pdf = read(path)
    assert pages == len(pdf.pages)
    assert all(page.count(SENSITIVE_MARKING) >= 2 for page in pdf.pages)
    text = pdf.text
    assert "10 pilots cost £29.4m" in text
    assert (
        "3 were stopped before a national roll-out; the roll-outs not started were estimated "
        "at £161m" in text
    )
    # Each stopped pilot in the same words: a roll-out's cost is an estimate, not a saving.
    flat = " ".join(text.split())
    assert "the national roll-out not started was estimated at £46m" in flat
    assert "avoided" not in flat
    assert "DFT-TL-009" in text and "Passenger Transport Officer" in text
    assert "2026-27" in text and "2029-30" in text


def test_portfolio_of_official_pilots_is_official(demo: Any, tmp_path: Path) -> None:
    from testlearn.services.databases import open_database
    from testlearn.services.pilots import get_pilot, update_record
    from testlearn.services.portfolio import portfolio

    copy = tmp_path / "copy.sqlite"
    shutil.copy(demo.path, copy)
    db = open_database(copy)
    try:
        for ref in ("DESNZ-TL-005", "DESNZ-TL-010"):
            pilot = get_pilot(ref, db=db).pilot
            update_record(
                "pilot",
                pilot.id,
                {"marking": "OFFICIAL", "marking_descriptor": None},
                db=db,
                actor="tester",
            )
        found = portfolio(db=db, generated_at=WHEN)
    finally:
        db.close()
    assert found.marking.text == "OFFICIAL"
    path = tmp_path / "portfolio.pdf"
    write_portfolio(found, path)
    assert all("OFFICIAL-SENSITIVE" not in page for page in read(path).pages)
