"""Crafted department files: each is refused in one line naming the file, or its bad records
are rejected by name, and the central store passes ``verify`` after every merge."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from testlearn.services import databases, pilots, portfolio
from tests.integration.hostile import crafting
from tests.integration.hostile.conftest import copy_export, fresh_central, merge, verified

MOJ = "MOJ-TL-007"


@pytest.fixture
def export(honest_export: Path, tmp_path: Path) -> Path:
    return copy_export(honest_export, tmp_path)


@pytest.fixture
def central(empty_central: Path, tmp_path: Path) -> Path:
    return fresh_central(empty_central, tmp_path)


def pilot_id(path: Path, reference: str = MOJ) -> str:
    conn = sqlite3.connect(path)
    try:
        row = conn.execute("SELECT id FROM pilot WHERE reference = ?", (reference,)).fetchone()
    finally:
        conn.close()
    return str(row[0])


def first_id(path: Path, table: str) -> str:
    return crafting.record_ids(path, table)[0]


def refused(central: Path, path: Path, *words: str) -> str:
    [source] = merge(central, path).sources
    assert source.refused is not None, source
    assert "\n" not in source.refused and path.name in source.refused
    for word in words:
        assert word in source.refused
    assert verified(central).ok
    return source.refused


def rejected(central: Path, path: Path, entity: str, row: str, *words: str) -> None:
    """The file merges, but the named record (and what depends on it) is not stored."""
    [source] = merge(central, path).sources
    assert source.refused is None, source.refused
    found = {(r.entity, r.row_id.replace("-", "")): r.reason for r in source.rejected}
    assert (entity, row.replace("-", "")) in found, found
    for word in words:
        assert word in found[(entity, row.replace("-", ""))]
    assert verified(central).ok
    with databases.open_database(central) as db:
        assert portfolio.portfolio(db=db) is not None


# -- crafted records, every hash correct ------------------------------------------------------


def test_an_unknown_status_code_is_rejected_and_the_central_store_still_verifies(
    central: Path, export: Path
) -> None:
    row = pilot_id(export)
    crafting.change_record(export, "pilot", row, {"status": "pwned"})
    crafting.reissue_manifest(export)
    rejected(central, export, "pilot", row, "status")
    with databases.open_database(central) as db:
        assert MOJ not in {p.reference for p in pilots.list_pilots(db=db)}


def test_an_empty_reference_is_rejected(central: Path, export: Path) -> None:
    row = pilot_id(export)
    crafting.change_record(export, "pilot", row, {"reference": ""})
    crafting.reissue_manifest(export)
    rejected(central, export, "pilot", row, "reference")


def test_a_payload_that_is_not_json_is_rejected(central: Path, export: Path) -> None:
    row = first_id(export, "lesson")
    crafting.change_record(export, "lesson", row, {}, payload_text='{"category": "gov')
    crafting.reissue_manifest(export)
    rejected(central, export, "lesson", row)


def test_a_payload_nested_beyond_any_recursion_limit_is_rejected(
    central: Path, export: Path
) -> None:
    row = first_id(export, "lesson")
    crafting.change_record(export, "lesson", row, {}, payload_text="[" * 200_000 + "]" * 200_000)
    crafting.reissue_manifest(export)
    rejected(central, export, "lesson", row)


def test_deeply_nested_json_in_a_json_field_is_rejected(central: Path, export: Path) -> None:
    row = first_id(export, "analysis_result")
    crafting.change_record(export, "result", row, {"detail": crafting.nested(40)})
    crafting.reissue_manifest(export)
    rejected(central, export, "result", row, "detail", "nests")


def test_a_malformed_uuid_in_a_reference_to_a_pilot_is_rejected(
    central: Path, export: Path
) -> None:
    row = first_id(export, "decision")
    # The column keeps its canonical id (a CHECK constraint guards it); the payload does not.
    crafting.change_record(export, "decision", row, {"pilot_id": "not-a-uuid"}, column_values={})
    crafting.reissue_manifest(export)
    rejected(central, export, "decision", row, "pilot_id")


def test_a_number_where_money_belongs_as_text_is_rejected(central: Path, export: Path) -> None:
    row = first_id(export, "cost")
    crafting.change_record(export, "cost", row, {"amount": "lots"})
    crafting.reissue_manifest(export)
    rejected(central, export, "cost", row, "amount")


def test_text_where_yes_or_no_belongs_is_rejected(central: Path, export: Path) -> None:
    row = first_id(export, "lesson")
    crafting.change_record(export, "lesson", row, {"went_well": "maybe"})
    crafting.reissue_manifest(export)
    rejected(central, export, "lesson", row, "went_well")


def test_a_field_no_record_has_is_rejected(central: Path, export: Path) -> None:
    row = first_id(export, "decision")
    crafting.change_record(export, "decision", row, {"owner_password": "x"}, column_values={})
    crafting.reissue_manifest(export)
    rejected(central, export, "decision", row, "owner_password")


def test_a_nan_in_a_payload_is_rejected(central: Path, export: Path) -> None:
    row = first_id(export, "analysis_result")
    crafting.change_record(export, "result", row, {"estimate": float("nan")})
    crafting.reissue_manifest(export)
    rejected(central, export, "result", row, "estimate")


def test_an_unknown_dataset_shape_is_rejected(central: Path, export: Path) -> None:
    row = first_id(export, "dataset")
    crafting.change_record(export, "dataset", row, {"shape": "weird"})
    crafting.reissue_manifest(export)
    rejected(central, export, "dataset", row, "shape")


def test_a_registration_is_not_merged_when_its_hypothesis_is_rejected(
    central: Path, export: Path
) -> None:
    conn = sqlite3.connect(export)
    hypothesis, registration = conn.execute(
        "SELECT h.id, h.registration_id FROM hypothesis h JOIN pilot p ON p.id = h.pilot_id "
        "WHERE p.reference = ? AND h.code = 'H2'",
        (MOJ,),
    ).fetchone()
    conn.close()
    crafting.change_record(
        export, "hypothesis", hypothesis, {"registration_id": "zz"}, column_values={}
    )
    crafting.reissue_manifest(export)
    [source] = merge(central, export).sources
    if source.refused is None:
        gone = {(r.entity, r.row_id.replace("-", "")) for r in source.rejected}
        assert ("hypothesis", hypothesis) in gone and ("registration", registration) in gone
    else:
        assert export.name in source.refused
    assert verified(central).ok


# -- crafted schemas --------------------------------------------------------------------------


def test_an_extra_view_is_refused_before_any_query(central: Path, export: Path) -> None:
    crafting.run_sql(export, "CREATE VIEW leak AS SELECT * FROM pilot")
    crafting.reissue_manifest(export)
    refused(central, export, "view", "leak")


def test_an_extra_trigger_is_refused(central: Path, export: Path) -> None:
    crafting.run_sql(
        export,
        "CREATE TRIGGER poison AFTER INSERT ON lesson BEGIN DELETE FROM pilot; END",
    )
    crafting.reissue_manifest(export)
    refused(central, export, "trigger", "poison")


def test_an_extra_table_is_refused(central: Path, export: Path) -> None:
    crafting.run_sql(export, "CREATE TABLE payload_store (x TEXT)")
    crafting.reissue_manifest(export)
    refused(central, export, "payload_store")


def test_a_table_replaced_by_a_recursive_view_is_refused_and_never_runs(
    central: Path, export: Path
) -> None:
    crafting.run_sql(
        export,
        "ALTER TABLE lesson RENAME TO lesson_kept",
        "CREATE VIEW lesson AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) "
        "SELECT * FROM n",
    )
    done = threading.Event()
    outcome: list[str] = []

    def run() -> None:
        [source] = merge(central, export).sources
        outcome.append(source.refused or "")
        done.set()

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    # A merge that ran the view would never come back; a refused one returns at once.
    assert done.wait(120), "the merge ran the recursive view"
    worker.join()
    assert export.name in outcome[0] and "lesson" in outcome[0]
    assert verified(central).ok


def test_a_changed_table_definition_is_refused(central: Path, export: Path) -> None:
    crafting.run_sql(export, "ALTER TABLE pilot ADD COLUMN backdoor TEXT")
    crafting.reissue_manifest(export)
    refused(central, export, "pilot")


# -- sidecars ---------------------------------------------------------------------------------


def _hostile_wal(export: Path, folder: Path) -> Path:
    """A -wal that changes a threshold, made from a copy of the export, laid beside it."""
    work = folder / "work"
    work.mkdir()
    twin = work / export.name
    shutil.copyfile(export, twin)
    conn = sqlite3.connect(twin, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA wal_autocheckpoint=0")
    conn.execute("UPDATE pilot SET title = 'Changed by the -wal'")
    # Copy the -wal while the connection holds it open (a close would fold it in).
    wal = Path(f"{twin}-wal")
    shutil.copyfile(wal, Path(f"{export}-wal"))
    conn.close()
    return Path(f"{export}-wal")


def test_a_hostile_wal_beside_an_honest_export_is_refused_naming_it(
    central: Path, export: Path, tmp_path: Path, honest_export: Path
) -> None:
    wal = _hostile_wal(export, tmp_path)
    original = export.read_bytes()
    message = refused(central, export, wal.name)
    assert "manifest" in message
    assert export.read_bytes() == original and wal.exists()
    # The genuine file is not taken for already merged: it merges in full.
    genuine = copy_export(honest_export, tmp_path / "genuine", "moj-export.sqlite")
    [source] = merge(central, genuine).sources
    assert source.refused is None and source.counts["new"] > 0
    with databases.open_database(central) as db:
        titles = {p.title for p in pilots.list_pilots(db=db)}
    assert "Changed by the -wal" not in titles
    assert verified(central).ok


def test_a_wal_beside_a_file_without_manifest_is_merged_from_one_snapshot(
    central: Path, export: Path, tmp_path: Path
) -> None:
    wal = _hostile_wal(export, tmp_path)
    Path(f"{export}.manifest.json").unlink()
    [source] = merge(central, export).sources
    # The title change has no revision: the snapshot's pilots fail their hashes, by name.
    assert source.refused is None
    assert any(wal.name in note for note in source.notes)
    assert {r.entity for r in source.rejected} >= {"pilot"}
    assert source.sha256 != crafting.sha256_of(export)
    assert verified(central).ok


def test_a_hot_journal_beside_an_export_is_refused_naming_it(
    central: Path, export: Path, tmp_path: Path
) -> None:
    # A journal whose "original" pages are changed ones: SQLite rolls it back into the file.
    twin = tmp_path / "twin.sqlite"
    shutil.copyfile(export, twin)
    conn = sqlite3.connect(twin, isolation_level=None)
    conn.execute("UPDATE pilot SET title = 'Changed by the journal'")
    # A one-page cache spills at once, so the journal on disk is synced and whole.
    conn.execute("PRAGMA cache_size=1")
    conn.execute("BEGIN IMMEDIATE")
    for table, column in (
        ("pilot", "title"),
        ("lesson", "what_happened"),
        ("decision", "rationale"),
    ):
        conn.execute(f"UPDATE {table} SET {column} = 'never committed'")
    shutil.copyfile(Path(f"{twin}-journal"), Path(f"{export}-journal"))
    conn.execute("ROLLBACK")
    conn.close()
    original = export.read_bytes()
    refused(central, export, f"{export.name}-journal", "manifest")
    assert export.read_bytes() == original


# -- batches, duplicates, the command line ----------------------------------------------------


def test_one_bad_file_never_stops_the_others_nor_a_dry_run(
    central: Path, export: Path, tmp_path: Path, honest_export: Path
) -> None:
    bad = copy_export(honest_export, tmp_path / "bad", "bad.sqlite")
    crafting.run_sql(bad, "CREATE VIEW v AS SELECT 1")
    crafting.reissue_manifest(bad)
    for dry_run in (True, False):
        report = merge(central, bad, export, dry_run=dry_run)
        first, second = report.sources
        assert first.refused is not None and "bad.sqlite" in first.refused
        assert second.refused is None and second.counts["new"] > 0
    assert verified(central).ok


def test_a_pilot_whose_reference_another_pilot_has_is_rejected(
    central: Path, export: Path, tmp_path: Path, honest_export: Path
) -> None:
    merge(central, export)
    other = tmp_path / "other.sqlite"
    databases.create_database(other, actor="ana", department="Home Office").close()
    from tests.builders import pilot

    with databases.open_database(other) as db:
        pilots.create_pilot(pilot(reference=MOJ, title="Another pilot"), db=db, actor="ana")
    [source] = merge(central, other).sources
    assert source.refused is None
    [item] = [r for r in source.rejected if r.entity == "pilot"]
    assert MOJ in item.reason and "another pilot" in item.reason
    with databases.open_database(central) as db:
        assert [p.title for p in pilots.list_pilots(db=db) if p.reference == MOJ] != [
            "Another pilot"
        ]
    assert verified(central).ok


def test_the_command_line_names_the_refused_file_in_one_line_and_exits_1(
    central: Path, export: Path, tmp_path: Path, honest_export: Path
) -> None:
    bad = copy_export(honest_export, tmp_path / "bad", "bad.sqlite")
    crafting.run_sql(bad, "CREATE TRIGGER t AFTER INSERT ON lesson BEGIN SELECT 1; END")
    files = [str(bad), str(export)]
    for extra in (["--dry-run"], []):
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "testlearn",
                "merge",
                "--into",
                str(central),
                *extra,
                *files,
            ],
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 1, done.stderr
        lines = [line for line in done.stdout.splitlines() if "REFUSED" in line]
        assert len(lines) == 1, done.stdout + done.stderr
        assert "bad.sqlite" in lines[0] and "trigger" in lines[0]
        assert "unexpected error" not in done.stdout + done.stderr
    assert verified(central).ok
