"""Reports of pilots that are not ready, and outputs that cannot be written: clear messages."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from tests import builders
from tests.conftest import Cli

ROWS = [
    {"arm": "pilot", "n": 400, "successes": 270},
    {"arm": "comparator", "n": 400, "successes": 240},
]


def _pilot(db: Any, *, hypothesis: bool = True, register: bool = True, data: bool = True) -> None:
    from testlearn.services import outcome_import, pilots, registration

    pilots.create_pilot(builders.pilot(), db=db, actor="tester")
    if hypothesis:
        pilots.add_record("T-001", "hypothesis", builders.hypothesis(), db=db, actor="tester")
    if hypothesis and register:
        registration.register("T-001", db=db, actor="tester")
    if hypothesis and register and data:
        outcome_import.import_aggregates(
            "T-001", "H1", ROWS, source_name="t.csv", db=db, actor="tester"
        )


def _refused(cli: Cli, tmp_path: Path, *extra: str) -> str:
    out = tmp_path / "brief.pdf"
    run = cli("report", "T-001", "--out", str(out), *extra)
    assert run.code == 1
    assert not out.exists() and not out.with_suffix(".html").exists()
    assert not list(tmp_path.glob(".*.part"))
    message = run.err.strip()
    assert "\n" not in message and "Traceback" not in message
    return message


def test_pilot_without_hypotheses_is_refused(db: Any, cli: Cli, tmp_path: Path) -> None:
    _pilot(db, hypothesis=False)
    assert "T-001 has no hypotheses" in _refused(cli, tmp_path)


def test_pilot_without_registered_hypotheses_is_refused(db: Any, cli: Cli, tmp_path: Path) -> None:
    _pilot(db, register=False)
    message = _refused(cli, tmp_path)
    assert "no registered hypotheses" in message and "testlearn register T-001" in message


def test_registered_pilot_without_data_is_refused(db: Any, cli: Cli, tmp_path: Path) -> None:
    _pilot(db, data=False)
    assert "H1 has no outcome data yet" in _refused(cli, tmp_path)


def test_pilot_not_yet_analysed_is_refused(db: Any, cli: Cli, tmp_path: Path) -> None:
    _pilot(db)
    message = _refused(cli, tmp_path, "--kind", "full")
    assert "H1 is not analysed yet (testlearn analyse T-001)" in message


def test_stale_result_is_refused_with_the_reason(db: Any, cli: Cli, tmp_path: Path) -> None:
    from testlearn.services import analysis, registration

    _pilot(db)
    analysis.analyse_pilot("T-001", db=db, actor="tester")
    registration.record_deviation(
        "T-001", "H1", "planned_n_pilot", 380, "two sites closed", db=db, actor="tester"
    )
    message = _refused(cli, tmp_path)
    assert "the stored result of H1 is out of date" in message
    assert "deviation" in message


def test_incomplete_report_is_written_only_on_request_and_says_so(
    db: Any, cli: Cli, tmp_path: Path
) -> None:
    _pilot(db)
    out = tmp_path / "brief.pdf"
    run = cli("report", "T-001", "--out", str(out), "--incomplete")
    assert run.code == 0, run.err
    assert "marked incomplete" in run.out
    first = PdfReader(out).pages[0].extract_text()
    assert "INCOMPLETE: this brief does not stand as it is" in first
    assert "H1 is not analysed yet" in first
    assert "H1 (primary): not analysed yet, so no result." in " ".join(first.split())


def test_analysed_pilot_gives_brief_and_html(db: Any, cli: Cli, tmp_path: Path) -> None:
    from testlearn.services import analysis

    _pilot(db)
    analysis.analyse_pilot("T-001", db=db, actor="tester")
    out = tmp_path / "brief.pdf"
    when = f"{dt.datetime.now(dt.UTC) + dt.timedelta(minutes=10):%Y-%m-%dT%H:%MZ}"
    run = cli("report", "T-001", "--out", str(out), "--timestamp", when)
    assert run.code == 0, run.err
    assert run.out.startswith(f"wrote {out} and {out.with_suffix('.html')}: ")
    assert out.read_bytes().startswith(b"%PDF-")
    assert out.with_suffix(".html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    again = tmp_path / "again.pdf"
    cli("report", "T-001", "--out", str(again), "--timestamp", when)
    assert again.read_bytes() == out.read_bytes()


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("missing-folder/brief.pdf", "the folder {folder}/missing-folder does not exist"),
        ("a-file/brief.pdf", "the folder {folder}/a-file does not exist"),
        ("a-folder.pdf", "it is a folder"),
    ],
)
def test_unwritable_output_names_the_path(
    db: Any, cli: Cli, tmp_path: Path, target: str, expected: str
) -> None:
    from testlearn.services import analysis

    _pilot(db)
    analysis.analyse_pilot("T-001", db=db, actor="tester")
    (tmp_path / "a-file").write_text("not a folder")
    (tmp_path / "a-folder.pdf").mkdir()
    run = cli("report", "T-001", "--out", str(tmp_path / target))
    assert run.code == 1
    assert run.err.strip() == (
        f"testlearn: cannot write {tmp_path / target}: " + expected.format(folder=tmp_path)
    )


def test_output_must_be_a_pdf_and_timestamp_readable(db: Any, cli: Cli, tmp_path: Path) -> None:
    _pilot(db)
    run = cli("report", "T-001", "--out", str(tmp_path / "brief.docx"))
    assert run.code == 1 and "should end in .pdf" in run.err
    run = cli("report", "T-001", "--out", str(tmp_path / "b.pdf"), "--timestamp", "soon")
    assert run.code == 1 and "--timestamp 'soon'" in run.err


def test_unknown_pilot_and_empty_portfolio(db: Any, cli: Cli, tmp_path: Path) -> None:
    run = cli("report", "NOPE-1", "--out", str(tmp_path / "b.pdf"))
    assert run.code == 1 and "no pilot with reference 'NOPE-1'" in run.err
    run = cli("portfolio", "--out", str(tmp_path / "p.pdf"))
    assert run.code == 1 and "holds no pilots" in run.err
    assert not (tmp_path / "p.pdf").exists()


def test_portfolio_command_reports_unanalysed_pilots_as_such(
    db: Any, cli: Cli, tmp_path: Path
) -> None:
    _pilot(db)
    out = tmp_path / "portfolio.pdf"
    run = cli("portfolio", "--out", str(out))
    assert run.code == 0, run.err
    assert "1 pilot," in run.out and "marked OFFICIAL" in run.out
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(out).pages)
    assert "Not analysed" in text
