"""`testlearn verify-report`: every figure and hash a printed report shows, checked against it.

Each report here is written by the command line, as a team writes it, and read back by the
same command a reader would use; the database is then changed the way a team honestly
could (a re-import, a deviation), or the printed file itself is edited.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import sqlite3
import time
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from reportlab.pdfgen.canvas import Canvas

from testlearn.services import pilots, registration
from tests.builders import hypothesis, pilot
from tests.conftest import Cli, Run

FIRST = "arm,n,successes\npilot,400,270\ncomparator,400,240\n"
SECOND = "arm,n,successes\npilot,400,300\ncomparator,400,240\n"


def soon() -> str:
    """A report time after the data just imported (the next second), within a day of now."""
    return f"{dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1):%Y-%m-%dT%H:%M:%S}Z"


def after(moment: str) -> None:
    """Wait (under two seconds) until the clock is past ``moment``: later changes are later."""
    until = dt.datetime.strptime(moment, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
    while dt.datetime.now(dt.UTC) <= until + dt.timedelta(seconds=1):
        time.sleep(0.05)


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def analysed(cli: Cli, db: Any, folder: Path) -> Path:
    """T-001 registered, its outcome file imported and analysed; returns the file."""
    pilots.create_pilot(pilot(), db=db, actor="ana")
    pilots.add_record("T-001", "hypothesis", hypothesis(), db=db, actor="ana")
    registration.register("T-001", db=db, actor="ana")
    data = write(folder, "outcomes.csv", FIRST)
    assert cli("import-results", "T-001", "H1", str(data)).code == 0
    assert cli("analyse", "T-001").code == 0
    return data


def report(cli: Cli, out: Path, *extra: str) -> Path:
    when = soon()
    run = cli("report", "T-001", "--out", str(out), "--timestamp", when, *extra)
    assert run.code == 0, run.err
    after(when)
    return out


def check(cli: Cli, path: Path) -> Run:
    run = cli("verify-report", str(path))
    assert "Traceback" not in run.err and "unexpected error" not in run.err
    return run


def text_of(path: Path) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(path).pages)


@pytest.fixture
def brief(cli: Cli, db: Any, tmp_path: Path) -> Path:
    analysed(cli, db, tmp_path)
    return report(cli, tmp_path / "brief.pdf")


def test_a_genuine_brief_and_its_html_agree_with_the_database(cli: Cli, brief: Path) -> None:
    for path in (brief, brief.with_suffix(".html")):
        run = check(cli, path)
        assert run.code == 0, run.out + run.err
        assert "agree with the database" in run.out
        assert re.search(r"all \d+ figures and [1-9]\d* hashes of T-001-BRIEF draft", run.out)


def test_a_reimport_after_the_brief_names_the_figure_and_fingerprint(
    cli: Cli, brief: Path, tmp_path: Path
) -> None:
    said = text_of(brief)
    assert "increase of 7.5 percentage points" in said
    second = write(tmp_path, "corrected.csv", SECOND)
    assert cli("import-results", "T-001", "H1", str(second)).code == 0
    assert cli("analyse", "T-001").code == 0
    run = check(cli, brief)
    assert run.code == 1
    assert "does NOT agree with the database" in run.out
    assert "the database changed after this brief was produced" in run.out
    assert "latest outcome data import (H1) of T-001" in run.out
    lines = run.out.splitlines()
    assert any(
        line.strip().startswith("page 1: the brief says")
        and "7.5" in line.split("; the database gives")[0]
        and "15.0" in line.split("; the database gives")[1]
        for line in lines
    ), run.out
    assert any("says hash" in line and "fingerprint" in line for line in lines), run.out


def test_a_deviation_after_the_brief_is_named(cli: Cli, brief: Path) -> None:
    run = cli("deviate", "T-001", "H1", "benefit_threshold", "0.1", "--reason", "Set higher")
    assert run.code == 0, run.err
    assert cli("analyse", "T-001").code == 0
    checked = check(cli, brief)
    assert checked.code == 1
    # The change came after the data, so the verdict and the threshold the brief printed stand;
    # what the database gives now, and the brief leaves out, is the post-hoc account of it.
    assert re.search(r"the brief leaves out .*Post hoc, not the registered test", checked.out), (
        checked.out
    )


def test_a_deviation_not_yet_analysed_says_the_brief_no_longer_stands(
    cli: Cli, brief: Path
) -> None:
    assert cli("deviate", "T-001", "H1", "alpha", "0.1", "--reason", "Agreed").code == 0
    run = check(cli, brief)
    assert run.code == 1
    assert "the database does not give this brief as it stands" in run.out
    assert "out of date" in run.out


def test_a_pdf_with_one_figure_edited_fails_naming_it(
    cli: Cli, brief: Path, tmp_path: Path
) -> None:
    # A forger's copy: every line of the genuine brief, with one figure changed.
    forged = tmp_path / "forged.pdf"
    canvas = Canvas(str(forged))
    for page in PdfReader(brief).pages:
        y = 800
        for line in page.extract_text().splitlines():
            canvas.drawString(40, y, line.replace("7.5 percentage", "9.0 percentage"))
            y -= 11
        canvas.showPage()
    canvas.save()
    assert "9.0 percentage points" in text_of(forged)
    run = check(cli, forged)
    assert run.code == 1
    assert re.search(
        r'page 1: the brief says "[^"]*9\.0[^"]*"; the database gives "[^"]*7\.5', run.out
    )
    assert "hash" not in run.out.split("\n", 1)[1]  # every hash it prints still agrees


def test_a_final_is_checked_with_its_clearance(cli: Cli, brief: Path, tmp_path: Path) -> None:
    assert cli("clear", "T-001", "--by", "Priya Shah", "--role", "SRO").code == 0
    final = report(cli, tmp_path / "final.pdf", "--final")
    assert "T-001-BRIEF, v1.0" in text_of(final)
    assert check(cli, final).code == 0
    # The content changes after the final: the clearance no longer covers it.
    assert cli("set", "T-001", "title", "A new title").code == 0
    run = check(cli, final)
    assert run.code == 1
    assert "the database has no clearance of this content" in run.out
    assert "A new title" in run.out or "new title" in run.out


def test_a_portfolio_agrees_then_names_a_changed_figure(cli: Cli, db: Any, tmp_path: Path) -> None:
    analysed(cli, db, tmp_path)
    assert cli("set", "T-001", "spend", "120000").code == 0
    out = tmp_path / "portfolio.pdf"
    when = soon()
    run = cli("portfolio", "--out", str(out), "--timestamp", when, "--final")
    assert run.code == 0, run.err
    after(when)
    assert check(cli, out).code == 0
    assert cli("set", "T-001", "spend", "150000").code == 0
    changed = check(cli, out)
    assert changed.code == 1
    assert re.search(
        r"the portfolio says [^;]*£120k[^;]*; the database gives [^;]*£150k", changed.out
    ), changed.out


def test_files_that_are_not_reports_get_one_clear_line(
    cli: Cli, brief: Path, tmp_path: Path, db_path: Path
) -> None:
    renamed = tmp_path / "brief-copy.pdf"
    shutil.copy(db_path, renamed)
    other = tmp_path / "letter.pdf"
    canvas = Canvas(str(other))
    canvas.drawString(72, 720, "Dear Minister, a letter that is not a testlearn report.")
    canvas.save()
    page = write(tmp_path, "notes.html", "just some notes\n")
    expected = {
        renamed: "is not a PDF",
        other: "does not look like a report testlearn wrote",
        page: "is not an HTML page",
        tmp_path / "missing.pdf": "no such file",
        write(tmp_path, "brief.txt", "x"): "give a report's PDF (.pdf) or its HTML twin (.html)",
    }
    for path, message in expected.items():
        run = check(cli, path)
        assert run.code == 1, path
        assert message in run.err, run.err
        assert run.err.count("\n") == 1 and str(path.name) in run.err


def test_a_copy_of_the_database_with_its_own_id_still_checks_every_figure(
    brief: Path, db: Any, db_path: Path, tmp_path: Path
) -> None:
    from testlearn.services.databases import open_database

    db.close()
    copy = tmp_path / "central.sqlite"
    shutil.copy(db_path, copy)
    other = open_database(copy)
    try:
        # Its first write gives the copy a replica id of its own.
        pilots.create_pilot(pilot(reference="T-002"), db=other, actor="central")
    finally:
        other.close()
    run = check(Cli(copy), brief)
    assert run.code == 0, run.out + run.err
    assert "made from the database replica" in run.out and "checked against replica" in run.out


def test_outcome_rows_changed_outside_testlearn_fail_the_check(
    cli: Cli, brief: Path, db_path: Path
) -> None:
    conn = sqlite3.connect(db_path)
    try:
        conn.execute("UPDATE aggregate_row SET successes = 300 WHERE arm = 'pilot'")
        conn.commit()
    finally:
        conn.close()
    run = check(cli, brief)
    assert run.code == 1
    assert "the database fails verification" in run.out, run.out
