"""The brief as a submission: many hypotheses, incomplete pilots, timing, copy list, length.

Each brief is written to a PDF and read back with pypdf, as a private office would read it.
Reports are dated a little after now, when the test runs (never before the data).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from reports.brief import write_brief
from reports.brief_content import brief_document
from testlearn.services import pilots, registration
from testlearn.services.databases import open_database
from testlearn.services.reporting import pilot_report
from tests.builders import add_analysed_pilot, hypothesis, pilot
from tests.integration.demo_pilots import DEMO_REFERENCES

REQUIRED_HEADINGS = (
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
    "How to cite",
)
ROLES = {
    "private_office": "Private Office (Minister for Cleaner Buildings)",
    "special_adviser": "SpAd",
    "press_office": "Press Office",
    "analysts": "Analysis Directorate",
    "commercial_lead": "Commercial lead: Crown Commercial Service category team",
}


def when() -> dt.datetime:
    """A report's date: an hour after now, after any data the test imported."""
    return (dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)).replace(microsecond=0)


def pages(path: Path) -> list[str]:
    return [re.sub(r"\s+", " ", page.extract_text()) for page in PdfReader(path).pages]


def brief_pages(db: Any, reference: str, path: Path, **kwargs: Any) -> list[str]:
    report = pilot_report(reference, db=db, generated_at=when(), **kwargs)
    write_brief(report, path, html=False)
    return pages(path)


def expand(codes: str) -> list[str]:
    """ "H2 to H12" or "H2, H5" as the list of codes it names."""
    if " to " in codes:
        first, last = (int(c[1:]) for c in codes.split(" to "))
        return [f"H{i}" for i in range(first, last + 1)]
    return codes.split(", ")


def add_analysed(db: Any, reference: str, codes: list[str], **values: Any) -> None:
    """A pilot with one two-group hypothesis per code, registered, imported and analysed.
    Effects from clear (H1) to slight: some secondaries pass on raw p but not on Holm's."""
    add_analysed_pilot(db, reference, codes, **values)


def test_twelve_hypotheses_are_listed_in_natural_order_none_dropped_silently(
    db: Any, tmp_path: Path
) -> None:
    codes = [f"H{i}" for i in range(1, 13)]
    add_analysed(db, "T-012", list(reversed(codes)), **ROLES)
    detail = pilots.get_pilot("T-012", db=db)
    assert [h.hypothesis.code for h in detail.hypotheses] == codes

    text = " ".join(brief_pages(db, "T-012", tmp_path / "brief.pdf"))
    findings = text.split("5. Findings", 1)[1].split("6. Why this", 1)[0]
    shown = re.findall(r"\b(H\d+) \((?:primary|secondary)", findings)
    more = re.search(
        r"The results for (\d+) more \(([H\d, to]+)\) are given in the full report", findings
    )
    counted = expand(more.group(2)) if more else []
    assert shown == sorted(shown, key=lambda c: int(c[1:]))
    assert sorted(shown + counted, key=lambda c: int(c[1:])) == codes
    assert len(shown) + (int(more.group(1)) if more else 0) == 12
    adjusted = [h for h in detail.hypotheses if h.current_result and h.current_result.p_adjusted]
    assert adjusted, "the engine adjusts secondary hypotheses"
    marked = re.findall(r"(H\d+) \(secondary, Holm-adjusted p [=<] [\d.]+\)", findings)
    assert {h.hypothesis.code for h in adjusted} >= set(marked)
    shown_adjusted = [h.hypothesis.code for h in adjusted if h.hypothesis.code in shown]
    assert marked == shown_adjusted
    assert "Holm-adjusted" in text.split("7. Argument", 1)[1]


def test_a_twelve_hypothesis_brief_fits_on_two_pages(db: Any, tmp_path: Path) -> None:
    add_analysed(db, "T-012", [f"H{i}" for i in range(1, 13)], **ROLES)
    assert len(brief_pages(db, "T-012", tmp_path / "brief.pdf")) <= 2


def test_the_full_brief_shows_every_hypothesis_when_there_is_room(db: Any) -> None:
    add_analysed(db, "T-003", ["H10", "H2", "H1"])
    report = pilot_report("T-003", db=db, generated_at=when())
    document = brief_document(report, final=False, include_commercial=False)
    [findings] = [s for s in document.sections if s.title == "Findings"]
    items = findings.blocks[0].items  # type: ignore[attr-defined]
    assert [i.split(" ", 1)[0] for i in items[:3]] == ["H1", "H2", "H10"]
    assert not any(i.startswith("The result") for i in items)


@pytest.mark.parametrize("state", ["unregistered", "no_data", "no_hypotheses"])
def test_an_incomplete_brief_says_so_on_every_page_and_presumes_nothing(
    db: Any, tmp_path: Path, state: str
) -> None:
    pilots.create_pilot(pilot(reference="T-INC"), db=db, actor="ana")
    if state != "no_hypotheses":
        pilots.add_record("T-INC", "hypothesis", hypothesis(), db=db, actor="ana")
    if state == "no_data":
        registration.register("T-INC", db=db, actor="ana")

    found = brief_pages(db, "T-INC", tmp_path / "brief.pdf", allow_incomplete=True)

    assert all("INCOMPLETE" in page for page in found)
    text = " ".join(found)
    for heading in REQUIRED_HEADINGS:
        assert heading in text, heading
    assert not re.search(r"\bNone\b(?! recorded)", text)
    assert "not recorded again" not in text
    assert "registered before" not in text
    assert "tamper-evident" not in text
    assert "no legal considerations or equality impacts are recorded for this pilot." in text
    assert text.count("no legal considerations") == 1
    assert "Lead official Not recorded" in text
    if state == "no_data":
        assert "H1 (primary): no outcome data yet, so no result." in text
        assert "What success meant was fixed and registered" in text


def test_a_failing_and_incomplete_brief_carries_both_notices_on_every_page() -> None:
    from reports.blocks import UNVERIFIED_NOTICE
    from reports.brief_parts import INCOMPLETE_NOTICE, page_notice

    class Report:
        problems = ("T-INC has no hypotheses",)
        unverified = ("its history",)

    notice = page_notice(Report())  # type: ignore[arg-type]
    assert INCOMPLETE_NOTICE in notice and UNVERIFIED_NOTICE in notice


def contract_pilot(db: Any, reference: str, **contract: Any) -> None:
    add_analysed(db, reference, ["H1"])
    owner = pilots.get_pilot(reference, db=db).pilot
    pilots.add_record(
        reference,
        "procurement",
        {"pilot_id": owner.id, "name": "Cleaning pilot contract", **contract},
        db=db,
        actor="ana",
    )


def header(text: str) -> str:
    return text.split("Timing", 1)[1].split("Subject", 1)[0].strip()


def test_a_contract_ending_within_eight_weeks_makes_the_brief_urgent(
    db: Any, tmp_path: Path
) -> None:
    end = (when() + dt.timedelta(weeks=5)).date()
    contract_pilot(db, "T-END", contract_end=end.isoformat(), break_clause="At month six")
    text = " ".join(brief_pages(db, "T-END", tmp_path / "brief.pdf"))
    day = f"{end.day} {end:%B %Y}"
    assert header(text).startswith(f"Urgent: by {day}")
    assert f"Urgent: a decision is needed by {day}, because the pilot contract ends then" in text


def test_a_pipeline_procurement_this_financial_year_makes_the_brief_urgent(
    db: Any, tmp_path: Path
) -> None:
    today = when().date()
    start = today.year if today.month >= 4 else today.year - 1
    year = f"{start}-{(start + 1) % 100:02d}"
    contract_pilot(db, "T-FY", pipeline_year=year, contract_value=1_500_000)
    text = " ".join(brief_pages(db, "T-FY", tmp_path / "brief.pdf"))
    assert header(text).startswith(f"Urgent: by 31 March {start + 1}")
    assert "must start procurement this financial year" in text


def test_dates_further_off_leave_the_brief_routine(db: Any, tmp_path: Path) -> None:
    end = (when() + dt.timedelta(weeks=20)).date()
    today = when().date()
    start = (today.year if today.month >= 4 else today.year - 1) + 1
    contract_pilot(db, "T-LATER", contract_end=end.isoformat())
    owner = pilots.get_pilot("T-LATER", db=db).pilot
    pilots.add_record(
        "T-LATER",
        "procurement",
        {"pilot_id": owner.id, "pipeline_year": f"{start}-{(start + 1) % 100:02d}"},
        db=db,
        actor="ana",
    )
    text = " ".join(brief_pages(db, "T-LATER", tmp_path / "brief.pdf"))
    assert header(text) == "Routine"
    assert "Routine: " in text.split("3. Timing", 1)[1]


def test_the_copy_list_is_the_internal_roles_never_the_partners(db: Any, tmp_path: Path) -> None:
    add_analysed(
        db,
        "T-COPY",
        ["H1"],
        partner_organisations=["Two regional energy hubs"],
        senior_responsible_owner="Director, Net Zero Buildings",
        lead_official="Head of Cleaner Buildings",
        lead_official_contact="cleaner.buildings@example.gov.uk",
        **ROLES,
    )
    text = " ".join(brief_pages(db, "T-COPY", tmp_path / "brief.pdf"))
    copied = text.split("Copy to", 1)[1].split("Clearance", 1)[0]
    for role in ["Director, Net Zero Buildings", *ROLES.values()]:
        assert role in copied
    assert "energy hubs" not in copied
    assert "Lead official Head of Cleaner Buildings, cleaner.buildings@example.gov.uk" in text
    assert "cleaner.buildings@example.gov.uk" in text


def test_a_pilot_with_no_roles_says_none_recorded(db: Any, tmp_path: Path) -> None:
    add_analysed(db, "T-NONE", ["H1"], partner_organisations=["A partner council"])
    text = " ".join(brief_pages(db, "T-NONE", tmp_path / "brief.pdf"))
    assert text.split("Copy to", 1)[1].split("Clearance", 1)[0].strip() == "None recorded"


@pytest.mark.parametrize("reference", DEMO_REFERENCES)
def test_every_demo_brief_is_two_pages_with_every_required_part(
    demo_file: Path, tmp_path: Path, reference: str
) -> None:
    with open_database(demo_file) as db:
        found = brief_pages(db, reference, tmp_path / "brief.pdf")
        detail = pilots.get_pilot(reference, db=db)
    text = " ".join(found)
    assert len(found) <= 2, f"{reference} runs to {len(found)} pages"
    for heading in REQUIRED_HEADINGS:
        assert heading in text, heading
    argument = text.split("7. Argument", 1)[1].split("8. Options", 1)[0]
    for paragraph in ("The decision:", "The evidence:", "Financial:", "Legal:", "Equalities:"):
        assert paragraph in argument
    if any(x.recommendation and not x.went_well for x in detail.lessons):
        assert "What will you do differently?" in text
    assert "INCOMPLETE" not in text
    assert detail.pilot.lead_official in text
