"""Clearances merge like every other record, into SQLite and PostgreSQL central stores."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path
from typing import Any

from testlearn.services import analysis, databases, verification
from testlearn.services.clearance import clearance_state, list_clearances, record_clearance
from tests.integration.merge.conftest import merge, open_central

REF = "MOJ-TL-007"


def cleared_department(department: Any, name: str, who: str) -> Any:
    dept = department(name)
    with databases.open_database(dept.path) as db:
        analysis.analyse_pilot(REF, db=db, actor=name)
        record_clearance(
            REF,
            kind="brief",
            cleared_by=who,
            role="Deputy Director",
            cleared_on="15/12/2026",
            db=db,
            actor=name,
        )
    return dept


def test_a_clearance_merges_once_and_still_clears_the_same_content(
    central: Any, department: Any
) -> None:
    exported = cleared_department(department, "a", "Priya Shah").export()
    first = merge(central, exported)
    assert first.sources[0].counts["new"] > 0
    again = merge(central, exported)
    assert not again.sources[0].changed
    with open_central(central) as db:
        [clearance] = list_clearances(REF, db=db)
        state = clearance_state(REF, kind="brief", db=db)
        assert verification.verify(db=db).ok
    assert (clearance.cleared_by, clearance.version_label) == ("Priya Shah", "v1.0")
    assert state.clearance == clearance


def test_a_clearance_edited_outside_testlearn_is_rejected(
    central: Any, department: Any, tmp_path: Path
) -> None:
    exported = cleared_department(department, "b", "Priya Shah").export()
    forged = tmp_path / "forged.sqlite"
    forged.write_bytes(exported.read_bytes())
    conn = sqlite3.connect(forged)
    conn.execute("UPDATE clearance SET cleared_by = 'The Permanent Secretary'")
    conn.commit()
    conn.close()
    report = merge(central, forged)
    [rejected] = [r for r in report.sources[0].rejected if r.entity == "clearance"]
    assert "changed outside testlearn" in rejected.reason
    with open_central(central) as db:
        assert list_clearances(REF, db=db) == []
        assert verification.verify(db=db).ok


SCHEMA_3 = Path(__file__).parent.parent.parent / "golden" / "schema3.sqlite"


def test_an_export_from_the_version_before_clearances_merges(central: Any, tmp_path: Path) -> None:
    import json

    from testlearn.sync.export import describe_snapshot, manifest_path, sha256_of

    # An export made by testlearn at schema 3: the file and the manifest that version wrote,
    # which counts the tables it had (no clearance table).
    exported = tmp_path / "dept-export.sqlite"
    shutil.copy(SCHEMA_3, exported)
    facts = describe_snapshot(exported)
    assert "clearance" not in facts["counts"] and facts["counts"]["pilot"] == 1
    manifest = {"format": "testlearn-export/1", "sha256": sha256_of(exported), **facts}
    manifest_path(exported).write_text(json.dumps(manifest), encoding="utf-8")
    report = merge(central, exported)
    [source] = report.sources
    assert not source.refused, source.refused
    assert source.counts["new"] == 5
    with open_central(central) as db:
        assert verification.verify(db=db).ok
        assert list_clearances("T-001", db=db) == []
