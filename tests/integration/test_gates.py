"""Nothing is analysed or reported from a pilot that fails verification, and a report
recomputes every result it quotes. Each attack is raw SQL through the sqlite3 module against
a real file, as someone with the file and a sqlite3 shell would make it."""

from __future__ import annotations

import json
import shutil
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from reports.brief import write_brief
from testlearn.domain.canonical import canonical_bytes, revision_id
from testlearn.errors import VerificationFailed
from testlearn.services import analysis, databases, pilots, recomputation
from testlearn.services.reporting import ReportRefused, pilot_report
from tests.conftest import Cli


@pytest.fixture
def path(demo_file: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "register.sqlite"
    shutil.copy(demo_file, copy)
    return copy


@pytest.fixture
def opened(path: Path) -> Iterator[Any]:
    db = databases.open_database(path)
    yield db
    db.close()


def _dataset_of(sql: sqlite3.Connection, reference: str, code: str) -> str:
    row = sql.execute(
        "SELECT d.id FROM dataset d JOIN hypothesis h ON h.id = d.hypothesis_id "
        "JOIN pilot p ON p.id = h.pilot_id "
        "WHERE p.reference = ? AND h.code = ? AND d.deleted = 0",
        (reference, code),
    ).fetchone()
    return str(row[0])


def change_one_outcome_row(path: Path) -> None:
    with sqlite3.connect(path) as sql:
        dataset = _dataset_of(sql, "MOJ-TL-007", "H1")
        sql.execute(
            "UPDATE aggregate_row SET successes = successes - 40 "
            "WHERE dataset_id = ? AND row_no = 1",
            (dataset,),
        )


def forge_a_result(path: Path) -> None:
    """Append a correctly hashed result revision with a better estimate, and point the
    record at it: no guard dropped, no row rewritten."""
    with sqlite3.connect(path) as sql:
        result_id, rev = sql.execute(
            "SELECT r.id, r.rev FROM analysis_result r JOIN hypothesis h ON h.id = r.hypothesis_id "
            "JOIN pilot p ON p.id = h.pilot_id WHERE p.reference = 'MOJ-TL-007' AND h.code = 'H1'"
        ).fetchone()
        payload_text, replica = sql.execute(
            "SELECT payload, replica_id FROM revision WHERE id = ?", (rev,)
        ).fetchone()
        payload = json.loads(payload_text)
        payload["estimate"] = -0.09
        row_id, replica_text = str(uuid.UUID(hex=result_id)), str(uuid.UUID(hex=replica))
        new = revision_id(
            entity="result", row_id=row_id, parents=[rev], replica=replica_text, payload=payload
        )
        sql.execute(
            "INSERT INTO revision (id, entity, row_id, parents, replica_id, payload, op, "
            "recorded_at, actor) VALUES (?, 'result', ?, ?, ?, ?, 'update', "
            "'2026-12-01 10:00:00.000000', 'ana')",
            (new, result_id, json.dumps([rev]), replica, canonical_bytes(payload).decode()),
        )
        sql.execute(
            "UPDATE analysis_result SET estimate = -0.09, rev = ? WHERE id = ?", (new, result_id)
        )


def test_an_altered_outcome_row_stops_analysis_and_reports(path: Path, tmp_path: Path) -> None:
    change_one_outcome_row(path)
    db = databases.open_database(path)
    try:
        with pytest.raises(VerificationFailed, match="cannot analyse MOJ-TL-007") as refused:
            analysis.analyse_pilot("MOJ-TL-007", db=db, actor="ana")
        assert "fingerprint" in str(refused.value) and "\n" not in str(refused.value)
        with pytest.raises(VerificationFailed, match="cannot report on MOJ-TL-007"):
            pilot_report("MOJ-TL-007", db=db)
        outcomes = {o.reference: o for o in analysis.analyse_all(db=db, actor="ana")}
        assert all(h.result is None for h in outcomes["MOJ-TL-007"].hypotheses)
        assert all(h.result is not None for h in outcomes["DFE-TL-004"].hypotheses)
        analysis.analyse_pilot("DFE-TL-004", db=db, actor="ana")  # another pilot: not stopped
        assert "fails verification" in (outcomes["MOJ-TL-007"].hypotheses[0].skipped or "")
    finally:
        db.close()


def test_a_forged_result_is_never_quoted(path: Path) -> None:
    before = _quoted_estimate(path)
    forge_a_result(path)
    db = databases.open_database(path)
    try:
        detail = pilots.get_pilot("MOJ-TL-007", db=db)
        problems = recomputation.recompute_results(db, detail.pilot).mismatched
        assert len(problems) == 1 and "does not match a recomputation" in problems[0]
        assert "stored success, estimate -0.09" in problems[0]
        with pytest.raises(VerificationFailed, match="cannot report on MOJ-TL-007"):
            pilot_report("MOJ-TL-007", db=db)
    finally:
        db.close()
    assert before != -0.09


def _quoted_estimate(path: Path) -> float:
    with sqlite3.connect(path) as sql:
        row = sql.execute(
            "SELECT r.estimate FROM analysis_result r JOIN hypothesis h ON h.id = r.hypothesis_id "
            "JOIN pilot p ON p.id = h.pilot_id WHERE p.reference = 'MOJ-TL-007' AND h.code = 'H1'"
        ).fetchone()
    return float(row[0])


def test_a_report_asked_for_anyway_says_so_on_every_page(path: Path, tmp_path: Path) -> None:
    change_one_outcome_row(path)
    db = databases.open_database(path)
    try:
        report = pilot_report("MOJ-TL-007", db=db, allow_incomplete=True)
    finally:
        db.close()
    assert report.unverified
    out = tmp_path / "brief.pdf"
    write_brief(report, out)
    pages = [p.extract_text() for p in PdfReader(out).pages]
    assert len(pages) >= 2
    assert all("FAILS VERIFICATION" in page for page in pages)
    html = out.with_suffix(".html").read_text(encoding="utf-8")
    assert html.count("FAILS VERIFICATION") >= 2  # top and bottom of the page


def test_the_commands_refuse_in_one_line(path: Path, tmp_path: Path) -> None:
    change_one_outcome_row(path)
    cli = Cli(path)
    analysed = cli("analyse", "MOJ-TL-007")
    assert analysed.code != 0
    assert analysed.err.strip().count("\n") == 0
    assert "MOJ-TL-007" in analysed.err and "fails verification" in analysed.err
    brief = cli("report", "MOJ-TL-007", "--out", str(tmp_path / "b.pdf"))
    assert brief.code != 0 and "fails verification" in brief.err
    assert not (tmp_path / "b.pdf").exists()
    anyway = cli("report", "MOJ-TL-007", "--out", str(tmp_path / "b.pdf"), "--incomplete")
    assert anyway.code == 0 and (tmp_path / "b.pdf").exists()
    checked = cli("verify", "--json")
    [finding] = checked.json()["findings"]
    assert finding["check"] == "data" and finding["entity"] == "dataset"
    with databases.open_database(path) as db:
        moj = pilots.get_pilot("MOJ-TL-007", db=db).pilot
    assert finding["pilot_id"] == str(moj.id)  # the finding says whose it is


def test_an_honest_file_is_analysed_and_reported(opened: Any, tmp_path: Path) -> None:
    assert not recomputation.recompute_results(
        opened, pilots.get_pilot("MOJ-TL-007", db=opened).pilot
    )
    report = pilot_report("MOJ-TL-007", db=opened)
    assert report.unverified == () and report.problems == ()


def test_a_portfolio_does_not_count_a_pilot_that_fails_verification(path: Path) -> None:
    from testlearn.services.portfolio import portfolio

    change_one_outcome_row(path)
    db = databases.open_database(path)
    try:
        found = {p.reference: p for p in portfolio(db=db).pilots}
    finally:
        db.close()
    assert found["MOJ-TL-007"].verdict == "fails_verification"
    # The finding names its pilot, so every other pilot is counted as before.
    assert found["DFE-TL-004"].verdict == "no_meaningful_effect"


def test_a_result_of_an_earlier_engine_is_out_of_date_not_tampered(tmp_path: Path) -> None:
    """A team's file analysed by an earlier version: its results cannot be recomputed as they
    were, so a report asks for the analysis to be run again, and says nothing of tampering."""
    golden = Path(__file__).parent.parent / "golden" / "schema3.sqlite"
    copy = tmp_path / "team.sqlite"
    shutil.copy(golden, copy)
    db = databases.open_database(copy)
    try:
        with pytest.raises(
            ReportRefused, match=r"computed by statistics engine 1\.0\.1"
        ) as refused:
            pilot_report("T-001", db=db)
        assert not isinstance(refused.value, VerificationFailed)
        assert "run testlearn analyse T-001" in str(refused.value)
        analysis.analyse_pilot("T-001", db=db, actor="ana")
        assert pilot_report("T-001", db=db).problems == ()
    finally:
        db.close()
