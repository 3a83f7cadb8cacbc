"""The demo pilots' own history: each pilot registered, given data, analysed and decided in
that order, on its own dates, and the reports and `testlearn verify` saying so."""

from __future__ import annotations

import copy
import datetime as dt
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from reports.brief import write_brief
from testlearn.errors import InvalidValue
from testlearn.services import databases, demo, pilots, verification
from testlearn.services.demo_history import moments
from testlearn.services.reporting import ReportTimeRefused, pilot_report
from tests.integration.demo_pilots import DEMO_REFERENCES

DATE = r"(\d{1,2} [A-Z][a-z]+ \d{4})"


def _date(text: str) -> dt.date:
    return dt.datetime.strptime(text, "%d %B %Y").date()


@pytest.mark.parametrize("reference", DEMO_REFERENCES)
def test_each_demo_pilot_is_registered_given_data_analysed_and_decided_in_that_order(
    demo_file: Path, reference: str
) -> None:
    with databases.open_database_for_reading(demo_file) as db:
        detail = pilots.get_pilot(reference, db=db)
    registered = min(r.registered_at for r in detail.registrations)
    imported = [h.dataset.imported_at for h in detail.hypotheses if h.dataset is not None]
    analysed = [h.result.analysed_at for h in detail.hypotheses if h.result is not None]
    assert imported and len(analysed) == len(imported)
    decided = detail.decisions[0].decided_on
    assert decided is not None
    assert registered < min(imported) <= max(imported) < min(analysed)
    assert max(analysed).date() < decided < dt.datetime.now(dt.UTC).date()
    assert detail.pilot.start_date is not None and detail.pilot.end_date is not None
    assert (
        detail.pilot.start_date <= registered.date() < detail.pilot.end_date < min(imported).date()
    )


def test_the_demo_as_built_verifies_with_its_history_reading_forward(demo_file: Path) -> None:
    with databases.open_database_for_reading(demo_file) as db:
        report = verification.verify(db=db)
    assert report.ok, report.findings
    assert report.checked["registrations"] == 10


@pytest.mark.parametrize("reference", DEMO_REFERENCES)
def test_a_demo_brief_says_the_data_were_added_before_the_decision(
    demo_file: Path, reference: str, tmp_path: Path
) -> None:
    with databases.open_database_for_reading(demo_file) as db:
        report = pilot_report(reference, db=db)
    path = tmp_path / f"{reference}.pdf"
    write_brief(report, path, html=False)
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(path).pages).split())
    added = re.search(r"before any outcome data were added \(" + DATE + r"\)", text)
    decided = re.search(r"[Dd]ecided on " + DATE, text)
    registered = re.search(r"registered on " + DATE + ", before any outcome data", text)
    assert added and decided and registered, text
    assert _date(registered[1]) < _date(added[1]) < _date(decided[1])
    assert dt.datetime.now(dt.UTC).strftime("%-d %B %Y") not in {added[1], registered[1]}


def test_a_demo_report_dated_before_its_data_is_still_refused(demo_file: Path) -> None:
    with databases.open_database_for_reading(demo_file) as db:
        detail = pilots.get_pilot("DFE-TL-004", db=db)
        assert detail.hypotheses[0].dataset is not None
        imported = detail.hypotheses[0].dataset.imported_at
        with pytest.raises(ReportTimeRefused, match=r"before the latest outcome data import"):
            pilot_report("DFE-TL-004", db=db, generated_at=imported - dt.timedelta(days=1))
        # Dated the day after the data, before the decision, the report is allowed.
        later = pilot_report("DFE-TL-004", db=db, generated_at=imported + dt.timedelta(days=1))
    assert later.generated_at == imported + dt.timedelta(days=1)


def test_demo_dates_out_of_order_are_refused_naming_the_pilot_and_stages() -> None:
    wrong = copy.deepcopy(demo.demo_pilots()[3])
    wrong["data_added_at"] = dt.datetime(2026, 11, 1, 9, 30, tzinfo=dt.UTC)
    with pytest.raises(InvalidValue, match=r"DFE-TL-004: analysed \(09 September 2026\) comes "):
        moments(wrong)
    wrong = copy.deepcopy(demo.demo_pilots()[3])
    wrong["registered_at"] = dt.datetime(2025, 3, 1, 10, 0, tzinfo=dt.UTC)
    with pytest.raises(InvalidValue, match=r"registered \(01 March 2025\) comes before designed"):
        moments(wrong)


def test_copies_of_demo_pilots_added_today_follow_the_file_history(tmp_path: Path) -> None:
    # The benchmarks fill a file with copies: entered today, they keep its history forward.
    with databases.create_database(tmp_path / "copies.sqlite", actor="bench") as db:
        for i, original in enumerate(demo.demo_pilots()[:2]):
            pilot = copy.deepcopy(original)
            pilot["pilot"]["reference"] = f"COPY-{i}"
            demo.add_demo_pilot(pilot, db=db, actor="bench")
        report = verification.verify(db=db)
        copied = pilots.get_pilot("COPY-0", db=db)
    assert report.ok, report.findings
    assert copied.registrations[0].registered_at.date() == dt.datetime.now(dt.UTC).date()


def test_the_stopped_and_re_tested_pilots_say_the_same_thing_throughout(demo_file: Path) -> None:
    with databases.open_database_for_reading(demo_file) as db:
        stopped = pilots.get_pilot("DFE-TL-004", db=db)
        retest = pilots.get_pilot("HO-TL-003", db=db)
    # DFE-TL-004 stops: nothing is in its pipeline, and no lesson or next step plans a re-test.
    assert not [p for p in stopped.procurements if p.pipeline_year]
    words = [stopped.decisions[0].next_steps, *(v.recommendation for v in stopped.lessons)]
    assert not any("re-test" in (w or "") for w in words)
    # HO-TL-003 ran in two forces and re-tests in both.
    assert len(retest.pilot.partner_organisations) == 2
    texts = [retest.decisions[0].next_steps, *(v.recommendation for v in retest.lessons)]
    assert not any("one force" in (t or "") for t in texts)
    assert "both forces" in (retest.decisions[0].next_steps or "")
