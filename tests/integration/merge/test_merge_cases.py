"""Every adversarial case of the merge design, against SQLite and PostgreSQL central stores."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import sqlite3
import uuid
from pathlib import Path
from typing import Any

from testlearn.services import databases, merging, pilots, verification
from testlearn.store.unit_of_work import audit_hash
from tests.integration.merge.conftest import merge, open_central
from tests.integration.merge.state import counts, state

SCHEMA_1 = Path(__file__).parent.parent.parent / "golden" / "schema1.sqlite"


def pilot(central: Any, reference: str) -> Any:
    with open_central(central) as db:
        return pilots.get_pilot(reference, db=db).pilot


def test_different_fields_edited_in_two_copies_merge_automatically(
    central: Any, department: Any
) -> None:
    a, b = department("a"), department("b")
    a.set("MHCLG-TL-008", "status", "closed")
    b.set("MHCLG-TL-008", "spend", "3700000")
    merge(central, a.export())
    report = merge(central, b.export())
    assert report.sources[0].counts["auto-merged"] == 1 and not report.sources[0].conflicts
    merged = pilot(central, "MHCLG-TL-008")
    assert (merged.status, merged.spend) == ("closed", 3_700_000)
    with open_central(central) as db:
        assert verification.verify(db=db).ok


def test_the_same_field_edited_twice_is_a_conflict_and_nothing_is_lost(
    central: Any, department: Any
) -> None:
    a, b = department("a"), department("b")
    a.set("MOJ-TL-007", "title", "Tags, as A wrote it")
    b.set("MOJ-TL-007", "title", "Tags, as B wrote it")
    merge(central, a.export(), b.export())
    with open_central(central) as db:
        [conflict] = merging.conflicts(db=db)
    assert conflict.kind == "edit-edit" and conflict.field == "title"
    assert {conflict.ours, conflict.theirs} == {"Tags, as A wrote it", "Tags, as B wrote it"}
    assert pilot(central, "MOJ-TL-007").title == conflict.ours
    assert "MOJ-TL-007" in conflict.label


def test_delete_against_edit_keeps_the_record_and_asks(central: Any, department: Any) -> None:
    a, b = department("a"), department("b")
    a.delete_pilot("DFT-TL-009")
    b.set("DFT-TL-009", "spend", "900000")
    merge(central, a.export(), b.export())
    with open_central(central) as db:
        kinds = {c.kind for c in merging.conflicts(db=db)}
    assert kinds == {"delete-edit"}
    assert pilot(central, "DFT-TL-009").spend == 900_000


def test_a_delete_alone_merges_as_a_delete(central: Any, department: Any) -> None:
    a = department("a")
    merge(central, a.export("first"))
    a.delete_pilot("DFT-TL-009")
    report = merge(central, a.export("second"))
    assert report.sources[0].counts["fast-forward"] == 1
    with open_central(central) as db:
        assert "DFT-TL-009" not in {p.reference for p in pilots.list_pilots(db=db)}


def test_merging_the_same_file_again_adds_nothing(central: Any, department: Any) -> None:
    exported = department("a").export()
    merge(central, exported)
    before = counts(central)
    report = merge(central, exported)
    assert counts(central) == before
    assert report.sources[0].counts["identical"] == 198  # every record of the demo pilots
    assert "was merged on" in " ".join(report.sources[0].notes)


def test_a_newer_copy_fast_forwards_and_a_stale_one_changes_nothing(
    central: Any, department: Any
) -> None:
    a, b = department("a"), department("b")
    merge(central, a.export("old"))
    a.set("HO-TL-003", "status", "closed")
    report = merge(central, a.export("new"))
    assert report.sources[0].counts["fast-forward"] == 1
    # b still holds HO-TL-003 as it was before a's change, and has moved on elsewhere.
    b.set("DWP-TL-006", "spend", "2100000")
    report = merge(central, b.export())
    assert report.sources[0].counts["stale"] == 1
    assert report.sources[0].counts["fast-forward"] == 1
    assert pilot(central, "HO-TL-003").status == "closed"
    assert pilot(central, "DWP-TL-006").spend == 2_100_000


def test_a_resolved_conflict_does_not_come_back(central: Any, department: Any) -> None:
    a, b = department("a"), department("b")
    a.set("MOJ-TL-007", "title", "A")
    b.set("MOJ-TL-007", "title", "B")
    files = (a.export(), b.export())
    merge(central, *files)
    with open_central(central) as db:
        [conflict] = merging.conflicts(db=db)
        merging.resolve(conflict.id[:10], "value", "Alcohol-monitoring tags", db=db, actor="lead")
    assert pilot(central, "MOJ-TL-007").title == "Alcohol-monitoring tags"
    before = counts(central)
    merge(central, *files)
    with open_central(central) as db:
        assert merging.conflicts(db=db) == []
    assert counts(central) == before
    assert pilot(central, "MOJ-TL-007").title == "Alcohol-monitoring tags"


def test_a_dry_run_reports_the_same_and_writes_nothing(central: Any, department: Any) -> None:
    a, b = department("a"), department("b")
    a.set("MOJ-TL-007", "title", "A")
    b.set("MOJ-TL-007", "title", "B")
    files = (a.export(), b.export())
    before = state(central)
    dry = merge(central, *files, dry_run=True)
    assert state(central) == before
    real = merge(central, *files)
    assert dry.totals == real.totals
    assert [c.id for s in dry.sources for c in s.conflicts] == [
        c.id for s in real.sources for c in s.conflicts
    ]


def test_provenance_says_where_each_pilot_came_from(central: Any, department: Any) -> None:
    merge(central, department("a").export("from-dhsc"))
    with open_central(central) as db:
        [origin] = merging.provenance_of_pilot("DFE-TL-004", db=db)
    assert origin.source == "from-dhsc-export.sqlite" and origin.department == "DHSC"
    assert origin.outcome == "new"


# -- files that must be refused or rejected --------------------------------------------------


def refused(central: Any, path: Path, expected: str) -> None:
    original = path.read_bytes()
    before = counts(central)
    report = merge(central, path)
    assert report.sources[0].refused is not None and expected in report.sources[0].refused
    assert counts(central) == before
    assert path.read_bytes() == original


def test_files_that_are_not_whole_testlearn_databases_are_refused(
    central: Any, department: Any, tmp_path: Path
) -> None:
    exported = department("a").export()
    data = exported.read_bytes()
    cases = {
        "zero.sqlite": (b"", "empty"),
        "text.sqlite": (b"reference,title\nP1,x\n", "not an SQLite file"),
        "short.sqlite": (data[: len(data) // 3], "cut short"),
    }
    for name, (content, message) in cases.items():
        path = tmp_path / name
        path.write_bytes(content)
        refused(central, path, message)
    zeroed = bytearray(data)
    page = int.from_bytes(zeroed[16:18], "big")
    zeroed[page * 4 : page * 6] = bytes(page * 2)
    path = tmp_path / "zeroed.sqlite"
    path.write_bytes(bytes(zeroed))
    refused(central, path, "damaged")


def test_a_file_from_a_newer_version_is_refused(
    central: Any, department: Any, tmp_path: Path
) -> None:
    path = tmp_path / "newer.sqlite"
    shutil.copy(department("a").export(), path)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.commit()
    conn.close()
    refused(central, path, "newer testlearn (schema 99)")


def test_an_older_file_is_merged_from_a_migrated_copy_and_left_as_it_was(
    central: Any, tmp_path: Path
) -> None:
    path = tmp_path / "schema1.sqlite"
    shutil.copy(SCHEMA_1, path)
    original = path.read_bytes()
    report = merge(central, path)
    assert report.sources[0].refused is None
    assert report.sources[0].counts["new"] == 3  # pilot, hypothesis, registration
    assert path.read_bytes() == original
    assert not list(tmp_path.glob("*backup*"))  # the migration ran on the private copy
    assert pilot(central, "DFE-TL-004").title == "Speech and language screening app"


def test_flipped_bytes_that_pass_integrity_check_are_rejected(
    central: Any, department: Any, tmp_path: Path
) -> None:
    exported = department("a").export()
    data = exported.read_bytes()
    # Text only the pilot holds: flipped bytes in registered content refuse the whole file.
    assert data.count(b"Drones flew on eligible calls") >= 2
    path = tmp_path / "flipped.sqlite"
    path.write_bytes(data.replace(b"Drones flew on eligible", b"Drunes flew on eligible"))
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    conn.close()
    report = merge(central, path)
    [rejected] = [r for r in report.sources[0].rejected if r.entity == "pilot"]
    assert "hash" in rejected.reason
    with open_central(central) as db:
        references = {p.reference for p in pilots.list_pilots(db=db)}
    assert "HO-TL-003" not in references and "DFE-TL-004" in references


def test_a_copy_without_its_wal_file_is_caught_by_the_manifest(
    central: Any, department: Any, tmp_path: Path
) -> None:
    a = department("a")
    exported = a.export()
    manifest = json.loads(Path(f"{exported}.manifest.json").read_text())
    # The department keeps working; a raw copy of the live file, taken while the last
    # changes sit in the -wal file, is sent with the manifest of the proper export.
    conn = sqlite3.connect(a.path)
    conn.execute("PRAGMA wal_autocheckpoint = 0")
    a.set("HO-TL-003", "status", "closed")
    raw = tmp_path / "raw-copy.sqlite"
    shutil.copy(a.path, raw)
    conn.close()
    Path(f"{raw}.manifest.json").write_text(
        json.dumps({**manifest, "sha256": hashlib.sha256(raw.read_bytes()).hexdigest()})
    )
    refused(central, raw, "copied without its -wal file")


def test_the_same_id_with_an_unrelated_history_is_kept_apart(
    central: Any, department: Any, tmp_path: Path
) -> None:
    a = department("a")
    merge(central, a.export())
    other = tmp_path / "other.sqlite"
    with databases.create_database(other, actor="x", department="DfT") as db:
        with db.transaction("x") as uow:
            uow.create(
                "pilot",
                {"reference": "DFT-OTHER", "title": "Unrelated"},
                row_id=pilot(central, "HO-TL-003").id,
            )
        report = merge(central, other)
    [conflict] = report.sources[0].conflicts
    assert conflict.kind == "id-collision"
    assert conflict.value_b["title"] == "Unrelated" or conflict.value_a["title"] == "Unrelated"
    assert pilot(central, "HO-TL-003").title == "Drones as first responder"


def test_a_registered_hypothesis_changed_in_a_copy_refuses_the_file(
    central: Any, department: Any, tmp_path: Path
) -> None:
    exported = department("a").export()
    conn = sqlite3.connect(exported)
    conn.execute(
        "UPDATE hypothesis SET benefit_threshold = 0.001 "
        "WHERE code = 'H1' AND statement LIKE '%screening%'"
    )
    conn.commit()
    conn.close()
    Path(f"{exported}.manifest.json").unlink()
    report = merge(central, exported)
    refusal = report.sources[0].refused or ""
    assert "hypothesis H1 of DFE-TL-004" in refusal and "without a recorded deviation" in refusal
    assert counts(central)["pilot"] == 0


def test_a_rewritten_audit_chain_is_refused(central: Any, department: Any, tmp_path: Path) -> None:
    a = department("a")
    exported = a.export()
    merge(central, exported)
    path = tmp_path / "rewritten.sqlite"
    shutil.copy(exported, path)
    conn = sqlite3.connect(path)
    # The guard is put back afterwards, word for word: a file missing it is refused for its
    # schema before its history is read.
    guard = conn.execute(
        "SELECT sql FROM sqlite_master WHERE name = 'audit_event_append_only_update'"
    ).fetchone()[0]
    conn.execute("DROP TRIGGER audit_event_append_only_update")
    rows = conn.execute(
        "SELECT replica_id, seq, at, actor, action, entity, row_id, revision_id, summary, "
        "detail, prev_hash FROM audit_event ORDER BY replica_id, seq"
    ).fetchall()
    prev = "0" * 64
    for i, row in enumerate(rows):
        event = dict(
            zip(
                (
                    "replica_id",
                    "seq",
                    "at",
                    "actor",
                    "action",
                    "entity",
                    "row_id",
                    "revision_id",
                    "summary",
                    "detail",
                    "prev_hash",
                ),
                row,
                strict=True,
            )
        )
        if i == 3:
            event["actor"] = "someone else"
        if event["seq"] == 1:
            prev = "0" * 64
        event["prev_hash"] = prev
        hashed = {
            **event,
            "replica_id": uuid.UUID(event["replica_id"]),
            "row_id": uuid.UUID(event["row_id"]) if event["row_id"] else None,
            "at": dt.datetime.fromisoformat(event["at"]).replace(tzinfo=dt.UTC),
            "detail": json.loads(event["detail"]),
        }
        prev = audit_hash(hashed)
        conn.execute(
            "UPDATE audit_event SET actor = ?, prev_hash = ?, hash = ? "
            "WHERE replica_id = ? AND seq = ?",
            (event["actor"], event["prev_hash"], prev, event["replica_id"], event["seq"]),
        )
    conn.execute(guard)
    conn.commit()
    conn.close()
    refused(central, path, "history was rewritten")


def test_an_unreachable_server_gets_one_line(tmp_path: Path) -> None:
    from tests.conftest import Cli

    run = Cli(tmp_path / "unused.sqlite")(
        "merge", "--into", "postgresql://nobody@127.0.0.1:1/pilots", str(SCHEMA_1), db=False
    )
    assert run.code == 1
    assert "cannot use this server" in run.err and run.err.count("\n") == 1
