"""The demo database: built from the data file, marked as the demo, never exported.

The figures below are the ones the demo pilots gave when they were Python code: the data file
must load into the same pilots, registrations and analyses.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from testlearn.errors import InvalidValue, TestlearnError
from testlearn.services import databases, demo, merging, pilots, verification
from tests.conftest import Cli

#: (pilot, hypothesis) -> verdict and estimate, as the analysis engine gives them.
ANALYSES = {
    ("DHSC-TL-001", "H1"): ("inconclusive", 0.031),
    ("MHCLG-TL-002", "H1"): ("success", 0.0393),  # stepped wedge, period and cluster adjusted
    ("HO-TL-003", "H1"): ("success", -6.2),
    ("HO-TL-003", "H2"): ("non_inferior", 0.0301),
    ("DFE-TL-004", "H1"): ("no_meaningful_effect", 0.006),
    ("DESNZ-TL-005", "H1"): ("success", 0.27),
    ("DESNZ-TL-005", "H2"): ("harm", 0.62),
    ("DWP-TL-006", "H1"): ("no_meaningful_effect", 0.0163),
    ("MOJ-TL-007", "H1"): ("success", -0.0363),
    ("MHCLG-TL-008", "H1"): ("success", 0.4838),
    ("DFT-TL-009", "H1"): ("harm", 0.3472),
    ("DESNZ-TL-010", "H1"): ("success", -264.0),
}
REGISTERED_ON = {
    "DHSC-TL-001": dt.date(2025, 5, 19),
    "MHCLG-TL-002": dt.date(2025, 4, 22),
    "HO-TL-003": dt.date(2025, 5, 27),
    "DFE-TL-004": dt.date(2025, 7, 7),
    "DESNZ-TL-005": dt.date(2025, 6, 23),
    "DWP-TL-006": dt.date(2025, 5, 28),
    "MOJ-TL-007": dt.date(2024, 10, 1),
    "MHCLG-TL-008": dt.date(2025, 4, 15),
    "DFT-TL-009": dt.date(2025, 6, 16),
    "DESNZ-TL-010": dt.date(2025, 7, 14),
}


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    path = Path(tmp_path_factory.mktemp("data")) / "demo.sqlite"
    demo.build_demo_database(path, actor="test").close()
    yield path


@pytest.fixture
def demo_db(demo_path: Path) -> Iterator[Any]:
    db = databases.open_database(demo_path)
    yield db
    db.close()


def test_the_data_file_gives_todays_registrations_and_analyses(demo_db: Any) -> None:
    found = {}
    for summary in pilots.list_pilots(db=demo_db):
        detail = pilots.get_pilot(summary.reference, db=demo_db)
        assert detail.registration_intact
        for h in detail.hypotheses:
            assert h.registration is not None and h.result is not None
            assert h.registration.registered_at.date() == REGISTERED_ON[summary.reference]
            found[(summary.reference, h.hypothesis.code)] = (
                h.result.verdict,
                round(h.result.estimate, 4),
            )
    assert found == ANALYSES
    assert verification.verify(db=demo_db).ok


def test_the_list_shown_while_the_demo_is_built_is_the_list_it_then_has(demo_db: Any) -> None:
    def row(summary: Any) -> dict[str, Any]:
        fields = dataclasses.asdict(summary)
        # A result's verdict and grade come with the analysis; the list shown before has none.
        del fields["id"], fields["primary_verdict"], fields["primary_stale"]
        del fields["primary_grade"]
        return fields

    assert [row(p) for p in demo.preview()] == [row(p) for p in pilots.list_pilots(db=demo_db)]
    assert all(p.primary_verdict is None for p in demo.preview())


def test_the_demo_is_marked_and_kept_until_its_data_file_changes(
    demo_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened = demo.open_demo(demo_path)
    assert opened is not None
    assert demo.is_demo(opened)
    opened.close()
    monkeypatch.setattr(demo, "data_version", lambda: "0" * 64)
    assert demo.open_demo(demo_path) is None  # built from an older data file: built again


def test_a_database_made_with_the_demo_pilots_is_not_the_demo(tmp_path: Path) -> None:
    with databases.create_database(tmp_path / "training.sqlite", demo=True, actor="t") as db:
        assert len(pilots.list_pilots(db=db)) == 10
        assert not demo.is_demo(db)


def test_a_cancelled_build_leaves_the_folder_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "demo.sqlite"
    path.write_bytes(b"an outdated demo")  # whatever was there stays until a build is whole
    asked = []

    def should_cancel() -> bool:
        asked.append(True)
        return len(asked) > 3

    with pytest.raises(demo.DemoCancelled):
        demo.build_demo_database(path, actor="test", should_cancel=should_cancel)
    assert [p.name for p in tmp_path.iterdir()] == ["demo.sqlite"]
    assert path.read_bytes() == b"an outdated demo"


def test_the_demo_is_never_exported(demo_db: Any, tmp_path: Path) -> None:
    out = tmp_path / "for-central.sqlite"
    with pytest.raises(InvalidValue, match="demo database"):
        merging.export_for_central(db=demo_db, out=out, department="DHSC")
    assert list(tmp_path.iterdir()) == []


def test_an_export_names_its_department_given_once(db: Any, tmp_path: Path) -> None:
    first, second = tmp_path / "first.sqlite", tmp_path / "second.sqlite"
    with pytest.raises(merging.DepartmentNeeded, match="--department"):
        merging.export_for_central(db=db, out=first)
    assert not first.exists()
    manifest = merging.export_for_central(db=db, out=first, department="  DHSC ", actor="t")
    assert manifest["department"] == "DHSC"
    assert merging.export_department(db=db) == "DHSC"
    merging.export_for_central(db=db, out=second)  # kept in the database: not asked again
    saved = json.loads((tmp_path / "second.sqlite.manifest.json").read_text())
    assert saved["department"] == "DHSC"
    assert verification.verify(db=db).ok  # the change is in the audit chain, which holds


def test_an_empty_department_is_refused(db: Any, tmp_path: Path) -> None:
    with pytest.raises(TestlearnError, match="department"):
        merging.export_for_central(db=db, out=tmp_path / "x.sqlite", department=" ")
    assert merging.export_department(db=db) == ""


def test_the_command_line_exports_with_the_department(cli: Cli, tmp_path: Path) -> None:
    assert cli("init").code == 0
    out = tmp_path / "for-central.sqlite"
    refused = cli("export", "--out", str(out))
    assert refused.code != 0 and "--department" in refused.err
    done = cli("export", "--department", "DfE", "--out", str(out))
    assert done.code == 0, done.err
    assert "from DfE" in done.out
    assert json.loads(Path(f"{out}.manifest.json").read_text())["department"] == "DfE"


def test_init_demo_still_gives_the_ten_pilots(cli: Cli) -> None:
    assert cli("init", "--demo").code == 0
    listed = cli("pilots", "--json").json()
    assert len(listed) == 10


def test_init_demo_without_a_database_builds_the_demo_not_the_users_own() -> None:
    run = Cli(databases.default_database_path())("init", "--demo", db=False)
    assert run.code == 0, run.err
    assert "demo database" in run.out
    assert not databases.default_database_path().exists()
    with databases.open_database(databases.default_demo_path()) as db:
        assert demo.is_demo(db) and len(pilots.list_pilots(db=db)) == 10
