"""Files made only through testlearn have no findings: the checks accuse no honest file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from testlearn.services import analysis, databases, merging, pilots, verification


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("honest") / "demo.sqlite"
    databases.create_database(path, demo=True, actor="trainer", department="DHSC").close()
    return path


def findings(target: Path) -> list[object]:
    with databases.open_database(target) as db:
        return list(verification.verify(db=db).findings)


def test_the_demo_database_has_no_findings(demo_file: Path, tmp_path: Path) -> None:
    path = tmp_path / "demo.sqlite"
    shutil.copy(demo_file, path)
    with databases.open_database(path) as db:
        analysis.analyse_all(db=db, actor="trainer")
    assert findings(path) == []


def test_a_central_store_merged_from_two_departments_has_no_findings(
    demo_file: Path, tmp_path: Path
) -> None:
    exports = []
    for department, reference, field, value in (
        ("MOJ", "MOJ-TL-007", "title", "Electronic monitoring, second phase"),
        ("HO", "MOJ-TL-007", "minister", "Minister for Prisons"),
    ):
        path = tmp_path / f"{department}.sqlite"
        shutil.copy(demo_file, path)
        with databases.open_database(path) as db:
            pilots.set_field(reference, field, value, db=db, actor=department)
            out = tmp_path / f"{department}-export.sqlite"
            merging.export_for_central(db=db, out=out, department=department)
        exports.append(out)
    central = tmp_path / "central.sqlite"
    databases.create_database(central, actor="central", department="Cabinet Office").close()
    with databases.open_database(central) as db:
        report = merging.merge(exports, db=db, actor="central team")
        merged = verification.verify(db=db)
    assert [s.counts["auto-merged"] for s in report.sources] == [0, 1]  # both edits kept
    assert merged.findings == ()
    assert merged.checked["registrations"] == 10
