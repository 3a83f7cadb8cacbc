"""An older database is backed up, then migrated; nothing in it is lost."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from testlearn.services import pilots, verification
from testlearn.services.databases import SCHEMA_GENERATION, open_database

# Written by testlearn at schema generation 1 (before analysis results were stored): one
# registered pilot. Kept as a file so the test migrates what a user really has on disk.
SCHEMA_1 = Path(__file__).parent.parent / "golden" / "schema1.sqlite"


def generation(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute("PRAGMA user_version").fetchone()[0])
    finally:
        conn.close()


def test_an_older_file_is_backed_up_and_migrated(tmp_path: Path) -> None:
    path = tmp_path / "team.sqlite"
    shutil.copy(SCHEMA_1, path)
    assert generation(path) == 1

    with open_database(path) as db:
        detail = pilots.get_pilot("DFE-TL-004", db=db)
        report = verification.verify(db=db)

    assert generation(path) == SCHEMA_GENERATION
    assert detail.pilot.title == "Speech and language screening app"
    assert detail.registration_intact and detail.hypotheses[0].registered
    assert report.ok, report.findings
    [backup] = tmp_path.glob("team.schema1-backup-*.sqlite")
    assert generation(backup) == 1
    conn = sqlite3.connect(backup)
    assert conn.execute("SELECT reference FROM pilot").fetchall() == [("DFE-TL-004",)]
    conn.close()
    conn = sqlite3.connect(path)
    events = conn.execute("SELECT action, summary FROM audit_event ORDER BY seq").fetchall()
    assert events[-1] == ("migrate", f"schema 1 -> {SCHEMA_GENERATION}")
    assert "analysis_result" in {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    conn.close()


def test_the_migrated_file_opens_again_without_another_backup(tmp_path: Path) -> None:
    path = tmp_path / "team.sqlite"
    shutil.copy(SCHEMA_1, path)
    open_database(path).close()
    open_database(path).close()
    assert len(list(tmp_path.glob("*backup*"))) == 1


def test_a_failed_migration_leaves_the_file_as_it_was(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from testlearn.store import database

    path = tmp_path / "team.sqlite"
    shutil.copy(SCHEMA_1, path)

    def broken(conn, target="head"):  # type: ignore[no-untyped-def]
        conn.exec_driver_sql("CREATE TABLE half_done (x)")
        raise RuntimeError("disk unplugged")

    monkeypatch.setattr(database, "_upgrade", broken)
    with pytest.raises(RuntimeError, match="disk unplugged"):
        open_database(path)
    assert generation(path) == 1
    conn = sqlite3.connect(path)
    assert "half_done" not in {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    conn.close()


def test_schema_6_adds_the_submission_fields_and_keeps_every_record_its_own(
    tmp_path: Path,
) -> None:
    path = tmp_path / "team.sqlite"
    shutil.copy(SCHEMA_1, path)
    conn = sqlite3.connect(path)
    [(before,)] = conn.execute("SELECT rev FROM pilot").fetchall()
    conn.close()

    with open_database(path) as db:
        detail = pilots.get_pilot("DFE-TL-004", db=db)
        assert (detail.pilot.equality_impacts, detail.pilot.lead_official) == ("", "")
        assert detail.pilot.rev == before
        assert verification.verify(db=db).ok
        pilots.set_field(
            "DFE-TL-004", "lead_official", "Priya Shah, Deputy Director", db=db, actor="me"
        )
        pilots.set_field(
            "DFE-TL-004",
            "private_office",
            "Private Office (Minister for Schools)",
            db=db,
            actor="me",
        )
        after = pilots.get_pilot("DFE-TL-004", db=db).pilot
        report = verification.verify(db=db)

    assert after.lead_official == "Priya Shah, Deputy Director"
    assert after.private_office == "Private Office (Minister for Schools)"
    assert after.rev != before
    assert report.ok, report.findings
    conn = sqlite3.connect(path)
    columns = {r[1] for r in conn.execute("PRAGMA table_info(pilot)")}
    conn.close()
    assert {"equality_impacts", "legal_considerations", "lead_official_contact"} <= columns
    assert {"special_adviser", "press_office", "analysts", "commercial_lead"} <= columns
