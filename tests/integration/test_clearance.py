"""A final is made only of cleared content, and prints who cleared it, when, and its version."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import sqlite3
from pathlib import Path

import pytest
from pypdf import PdfReader

from testlearn.cli import main
from testlearn.services import databases, merging, pilots, verification
from testlearn.services.clearance import (
    NotCleared,
    clearance_state,
    list_clearances,
    record_clearance,
)
from testlearn.services.reporting import pilot_report

# Written by testlearn at schema generation 3 (before clearances were stored): one pilot,
# registered, with outcome data and a stored analysis, so its brief stands.
SCHEMA_3 = Path(__file__).parent.parent / "golden" / "schema3.sqlite"
REF = "T-001"
# After any outcome data the tests import during a long run (a report cannot be dated before
# what it reports), and within the day ahead a report may be dated.
WHEN = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=20)).replace(second=0, microsecond=0)


def pdf_text(path: Path) -> str:
    return re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(path).pages))


@pytest.fixture
def team_file(tmp_path: Path) -> Path:
    """A team's database (migrated from schema 3 on first open) whose brief stands: analysed
    again by this version's engine, as a report of an earlier engine's results is refused."""
    path = tmp_path / "team.sqlite"
    shutil.copy(SCHEMA_3, path)
    assert main(["--db", str(path), "analyse", REF]) == 0
    return path


def clear(path: Path, *args: str) -> int:
    return main(["--db", str(path), "clear", REF, *args])


def final(path: Path, out: Path, *args: str) -> int:
    when = WHEN.isoformat()
    return main(
        ["--db", str(path), "report", REF, "--final", "--out", str(out), *args, "--timestamp", when]
    )


def test_a_final_without_a_clearance_is_refused_in_one_line(
    team_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "brief.pdf"
    assert final(team_file, out) == 1
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0
    assert "the brief of T-001 has no clearance of its current content" in err
    assert "record one with `testlearn clear T-001 --kind brief" in err
    assert not out.exists()
    with databases.open_database(team_file) as db, pytest.raises(NotCleared):
        pilot_report(REF, db=db, final=True, kind="brief")


def test_a_cleared_final_prints_name_role_date_and_version(
    team_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        clear(team_file, "--by", "Priya Shah", "--role", "Deputy Director", "--date", "15/12/2026")
        == 0
    )
    said = capsys.readouterr().out
    assert "cleared by Priya Shah, Deputy Director, on 15 December 2026, as v1.0" in said
    out = tmp_path / "brief.pdf"
    assert final(team_file, out) == 0
    assert "final v1.0, cleared by Priya Shah, Deputy Director, on 15 December 2026" in (
        capsys.readouterr().out
    )
    text = pdf_text(out)
    assert "Cleared by Priya Shah, Deputy Director, on 15 December 2026" in text
    assert "DRAFT" not in text
    assert "T-001-BRIEF, v1.0" in text
    assert "Cleared by Alex Jones" not in text  # the SRO is not printed as if they cleared it
    html = out.with_suffix(".html").read_text(encoding="utf-8")
    assert "T-001-BRIEF, v1.0" in html
    assert "Cleared by Priya Shah, Deputy Director, on 15 December 2026" in html
    # The full report is cleared on its own.
    full = tmp_path / "full.pdf"
    assert final(team_file, full, "--kind", "full") == 1
    assert "the full report of T-001 has no clearance" in capsys.readouterr().err


def test_changed_content_needs_a_new_clearance_and_gets_the_next_version(
    team_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with databases.open_database(team_file) as db:
        first = record_clearance(
            REF, kind="brief", cleared_by="Priya Shah", role="SRO", db=db, actor="team"
        )
        again = record_clearance(
            REF, kind="brief", cleared_by="Sam Lee", role="Director", db=db, actor="team"
        )
        assert (first.version, again.version) == (1, 1)  # same content, same version
        assert first.content_hash == again.content_hash
        pilots.set_field(REF, "minister", "Chancellor of the Duchy of Lancaster", db=db, actor="t")
        state = clearance_state(REF, kind="brief", db=db)
        assert not state.cleared and state.latest is not None
        assert "changed since v1.0 was cleared by Sam Lee" in state.describe()
    out = tmp_path / "changed.pdf"
    assert final(team_file, out) == 1
    assert "no clearance of its current content" in capsys.readouterr().err
    assert clear(team_file, "--by", "Priya Shah", "--role", "SRO", "--date", "2026-12-17") == 0
    assert "as v2.0" in capsys.readouterr().out
    assert final(team_file, out) == 0
    text = pdf_text(out)
    assert "T-001-BRIEF, v2.0" in text and "on 17 December 2026" in text
    # Made again from the same content: the same version.
    assert final(team_file, tmp_path / "again.pdf") == 0
    assert "T-001-BRIEF, v2.0" in pdf_text(tmp_path / "again.pdf")
    # Back to the content cleared first: that content's version and clearance.
    with databases.open_database(team_file) as db:
        pilots.set_field(REF, "minister", "Minister for the Cabinet Office", db=db, actor="t")
        state = clearance_state(REF, kind="brief", db=db)
        assert state.clearance is not None
        assert (state.clearance.version, state.clearance.cleared_by) == (1, "Sam Lee")
        assert len(list_clearances(REF, db=db)) == 3


def test_the_commercial_edition_needs_its_own_clearance(team_file: Path) -> None:
    with databases.open_database(team_file) as db:
        record_clearance(REF, kind="brief", cleared_by="P Shah", role="SRO", db=db, actor="t")
        assert clearance_state(REF, kind="brief", db=db).cleared
        assert not clearance_state(REF, kind="brief", include_commercial=True, db=db).cleared
        with pytest.raises(NotCleared, match="--include-commercial"):
            pilot_report(REF, db=db, final=True, kind="brief", include_commercial=True)


def test_wrong_clearance_details_are_named_and_nothing_is_written(
    team_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert clear(team_file, "--by", " ", "--role", "SRO") == 1
    assert "Cleared by" in capsys.readouterr().err
    assert clear(team_file, "--by", "P Shah", "--role", "SRO", "--date", "31/02/2026") == 1
    assert "31/02/2026 is not a date on the calendar" in capsys.readouterr().err
    assert clear(team_file, "--by", "P Shah", "--role", "SRO", "--date", "next week") == 1
    assert "write it like 15/12/2026" in capsys.readouterr().err
    with databases.open_database(team_file) as db:
        assert list_clearances(REF, db=db) == []
        with pytest.raises(Exception, match="not something that can be added"):
            pilots.add_record(REF, "clearance", {}, db=db, actor="t")


def test_a_report_that_does_not_stand_cannot_be_cleared(tmp_path: Path) -> None:
    from tests import builders

    path = tmp_path / "new.sqlite"
    with databases.create_database(path, actor="t") as db:
        pilots.create_pilot(builders.pilot(), db=db, actor="t")
        with pytest.raises(Exception, match=r"does not stand as it is.*no hypotheses"):
            record_clearance(REF, kind="brief", cleared_by="P", role="SRO", db=db, actor="t")
        assert list_clearances(REF, db=db) == []


def test_a_clearance_survives_export_and_merge_and_verifies(
    team_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert clear(team_file, "--by", "Priya Shah", "--role", "SRO", "--date", "15/12/2026") == 0
    export = tmp_path / "team-export.sqlite"
    with databases.open_database(team_file) as db:
        merging.export_for_central(db=db, out=export)
    central = tmp_path / "central.sqlite"
    databases.create_database(central, actor="central", department="Cabinet Office").close()
    assert main(["merge", "--into", str(central), str(export)]) == 0
    assert main(["merge", "--into", str(central), str(export)]) == 0
    capsys.readouterr()
    with databases.open_database(central) as db:
        assert verification.verify(db=db).ok
        [clearance] = list_clearances(REF, db=db)
        state = clearance_state(REF, kind="brief", db=db)
    assert (clearance.cleared_by, clearance.version) == ("Priya Shah", 1)
    assert state.clearance == clearance  # the same records give the same fingerprint
    assert main(["--db", str(central), "verify"]) == 0
    out = tmp_path / "central-brief.pdf"
    assert final(central, out) == 0
    assert "Cleared by Priya Shah, SRO, on 15 December 2026" in pdf_text(out)


def test_a_schema_3_file_is_migrated_and_gains_clearances(tmp_path: Path) -> None:
    team_file = tmp_path / "team.sqlite"
    shutil.copy(SCHEMA_3, team_file)

    def generation(path: Path) -> int:
        conn = sqlite3.connect(path)
        try:
            return int(conn.execute("PRAGMA user_version").fetchone()[0])
        finally:
            conn.close()

    assert generation(team_file) == 3
    with databases.open_database(team_file) as db:
        assert db.generation == databases.SCHEMA_GENERATION == 10
        assert verification.verify(db=db).ok
        assert list_clearances(REF, db=db) == []
        record_clearance(REF, kind="full", cleared_by="P Shah", role="SRO", db=db, actor="t")
        assert verification.verify(db=db).ok
    assert generation(team_file) == 10
    [backup] = team_file.parent.glob("team.schema3-backup-*.sqlite")
    assert generation(backup) == 3
    conn = sqlite3.connect(backup)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    finally:
        conn.close()
    assert "clearance" not in tables and "analysis_result" in tables


def test_an_edit_to_a_clearance_outside_testlearn_is_caught(team_file: Path) -> None:
    with databases.open_database(team_file) as db:
        record_clearance(REF, kind="brief", cleared_by="P Shah", role="SRO", db=db, actor="t")
    conn = sqlite3.connect(team_file)
    conn.execute("UPDATE clearance SET cleared_by = 'Someone Senior'")
    conn.commit()
    conn.close()
    with databases.open_database(team_file) as db:
        report = verification.verify(db=db)
    assert not report.ok
    assert any("clearance" in f.where for f in report.findings)
