"""`testlearn pilots` read with sqlite3 alone says exactly what it says through the ORM.

Each case runs the command twice on the same file: as it runs (the plain way) and with the
plain way turned off, which is how a central store or a file to migrate is read. The output,
the messages and the exit code must be the same, byte for byte; and the plain way must have
been the one taken, or the comparison would prove nothing.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from testlearn.services import pilots
from testlearn.services.databases import SCHEMA_GENERATION, create_database
from tests.builders import hypothesis, pilot
from tests.conftest import Cli, Run, files_snapshot

GOLDEN = Path(__file__).resolve().parents[1] / "golden"


def both_ways(path: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> tuple[Run, Run]:
    """The command's run the plain way, then the ORM's way, on the same file."""
    from testlearn.services import plain_reads

    opened: list[Any] = []
    real = plain_reads.open_plain

    def recording(target: Any) -> Any:
        opened.append(real(target))
        return opened[-1]

    with monkeypatch.context() as patch:
        patch.setattr(plain_reads, "open_plain", recording)
        plain = Cli(path)(*args)
    with monkeypatch.context() as patch:
        patch.setattr(plain_reads, "open_plain", lambda _target: None)
        orm = Cli(path)(*args)
    assert opened and opened[0] is not None, "the plain way was not taken"
    return plain, orm


def assert_same(plain: Run, orm: Run) -> None:
    assert (plain.code, plain.out, plain.err) == (orm.code, orm.out, orm.err)


@pytest.fixture
def demo(demo_file: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "demo.sqlite"
    shutil.copyfile(demo_file, copy)
    return copy


@pytest.mark.parametrize(
    "options", [(), ("--json",), ("--hide-archived",), ("--hide-archived", "--json")]
)
def test_the_demo_pilots_are_listed_the_same(
    demo: Path, monkeypatch: pytest.MonkeyPatch, options: tuple[str, ...]
) -> None:
    plain, orm = both_ways(demo, monkeypatch, "pilots", *options)
    assert plain.code == 0 and plain.out.count("-TL-0") == 10
    assert_same(plain, orm)


@pytest.mark.parametrize("options", [(), ("--json",)])
def test_an_empty_database_is_listed_the_same(
    db_path: Path, monkeypatch: pytest.MonkeyPatch, options: tuple[str, ...]
) -> None:
    create_database(db_path, actor="tester").close()
    plain, orm = both_ways(db_path, monkeypatch, "pilots", *options)
    assert plain.code == 0
    assert plain.out.strip() == "[]" if options else plain.out.startswith("reference")
    assert_same(plain, orm)


@pytest.mark.parametrize("options", [(), ("--json",), ("--hide-archived",)])
def test_pilots_without_hypotheses_with_non_ascii_titles_and_archived_are_listed_the_same(
    db_path: Path, monkeypatch: pytest.MonkeyPatch, options: tuple[str, ...]
) -> None:
    with create_database(db_path, actor="tester") as db:
        pilots.create_pilot(
            pilot(
                reference="CYM-001",
                title="Gwasanaeth cyfieithu ar-lein i gynghorau — ŵyr, ŷd, ‘dyfynodau’ a €",
                lead_organisation="Llywodraeth Cymru — Adran Iechyd",
            ),
            db=db,
            actor="tester",
        )
        pilots.create_pilot(
            pilot(reference="T-002", title="Zoë’s café pilot", primary_mission=None),
            db=db,
            actor="tester",
        )
        pilots.add_record("T-002", "hypothesis", hypothesis(), db=db, actor="tester")
        pilots.create_pilot(pilot(reference="T-003", title="Done"), db=db, actor="tester")
        pilots.set_field("T-003", "status", "decided", db=db, actor="tester")
    assert Cli(db_path)("archive", "T-003").code == 0
    plain, orm = both_ways(db_path, monkeypatch, "pilots", *options)
    assert plain.code == 0 and "CYM-001" in plain.out
    assert ("T-003" in plain.out) is ("--hide-archived" not in options)
    assert_same(plain, orm)


def test_a_file_opened_for_reading_only_says_so_the_same(
    demo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As root a read-only file can still be written, so the reason is given as the file
    # system would give it to anyone else.
    from testlearn.store import database_file

    monkeypatch.setattr(database_file, "why_unwritable", lambda _path: "the file is read-only")
    before = demo.read_bytes()
    plain, orm = both_ways(demo, monkeypatch, "pilots")
    assert "opened for reading only, because the file is read-only" in plain.err
    assert plain.code == 0 and plain.out.count("-TL-0") == 10
    assert_same(plain, orm)
    assert demo.read_bytes() == before


def _refused_both_ways(path: Path, monkeypatch: pytest.MonkeyPatch, *, named: bool = True) -> Run:
    """A refused file: the same one-line message either way, and the file left as it was."""
    from testlearn.services import plain_reads

    before = files_snapshot(path.parent)
    plain = Cli(path)("pilots")
    with monkeypatch.context() as patch:
        patch.setattr(plain_reads, "open_plain", lambda _target: None)
        orm = Cli(path)("pilots")
    assert plain.code == 1 and "Traceback" not in plain.err
    assert (str(path) in plain.err) is named
    assert_same(plain, orm)
    assert files_snapshot(path.parent) == before
    return plain


def test_a_newer_file_is_refused_the_same(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    create_database(db_path, actor="tester").close()
    conn = sqlite3.connect(db_path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_GENERATION + 1}")
    conn.close()
    run = _refused_both_ways(db_path, monkeypatch)
    assert "made by a newer version" in run.err


def test_another_programs_file_is_refused_the_same(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    conn = sqlite3.connect(db_path)
    conn.execute("CREATE TABLE contacts (name TEXT)")
    conn.commit()
    conn.close()
    assert "not a testlearn one" in _refused_both_ways(db_path, monkeypatch).err


def test_a_damaged_file_is_refused_the_same(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    create_database(db_path, actor="tester").close()
    data = bytearray(db_path.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    data[page * 3 : page * 6] = bytes(page * 3)
    db_path.write_bytes(bytes(data))
    assert "damaged" in _refused_both_ways(db_path, monkeypatch).err


def test_a_file_without_its_replica_is_refused_the_same(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    create_database(db_path, actor="tester").close()
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA foreign_keys=OFF")
    conn.execute("UPDATE replica SET is_self = 0")
    conn.commit()
    conn.close()
    # The replica check's message does not name the file, either way (it comes from the
    # unit of work, which does not know it).
    assert "no replica id" in _refused_both_ways(db_path, monkeypatch, named=False).err


def test_an_older_file_is_migrated_and_listed_as_before(tmp_path: Path) -> None:
    # The plain way cannot migrate: an older file goes the ORM's way, which backs it up first.
    path = tmp_path / "old.sqlite"
    shutil.copyfile(GOLDEN / "schema3.sqlite", path)
    run = Cli(path)("pilots", "--json")
    assert run.code == 0, run.err
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_GENERATION
    assert any("backup" in p.name for p in tmp_path.iterdir())


@pytest.fixture(scope="module")
def merged(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A central store holding an edit-edit conflict (non-ASCII titles), a delete-edit one
    and a conflict already resolved."""
    from testlearn.services import databases, merging

    folder = tmp_path_factory.mktemp("merged")
    template = folder / "department.sqlite"
    create_database(template, demo=True, actor="department", department="DHSC").close()
    exports = []
    for name, title, spend in (
        ("a", "Tagiau — fel yr ysgrifennodd A", "900000"),
        ("b", "Tags, as B wrote it: café ‘quotes’", "950000"),
    ):
        copy = folder / f"{name}.sqlite"
        shutil.copyfile(template, copy)
        with databases.open_database(copy) as db:
            pilots.set_field("MOJ-TL-007", "title", title, db=db, actor=name)
            pilots.set_field("HO-TL-003", "title", title, db=db, actor=name)
            if name == "a":
                found = pilots.get_pilot("DFT-TL-009", db=db).pilot
                pilots.delete_record("pilot", found.id, db=db, actor=name)
            else:
                pilots.set_field("DFT-TL-009", "spend", spend, db=db, actor=name)
            out = folder / f"{name}-export.sqlite"
            merging.export_for_central(db=db, out=out)
        exports.append(out)
    central = folder / "central.sqlite"
    create_database(central, actor="central", department="Cabinet Office").close()
    with databases.open_database(central) as db:
        merging.merge(exports, db=db, actor="central team")
        first = next(c for c in merging.conflicts(db=db) if "HO-TL-003" in c.label)
        merging.resolve(first.id, "theirs", None, db=db, actor="central team")
    return central


@pytest.mark.parametrize("options", [(), ("--json",), ("--all",), ("--all", "--json")])
def test_the_conflicts_merges_kept_are_listed_the_same(
    merged: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, options: tuple[str, ...]
) -> None:
    central = tmp_path / "central.sqlite"
    shutil.copyfile(merged, central)
    plain, orm = both_ways(central, monkeypatch, "conflicts", *options)
    assert plain.code == 0 and "MOJ-TL-007" in plain.out and "delete-edit" in plain.out
    assert ("HO-TL-003" in plain.out) is ("--all" in options)
    assert_same(plain, orm)


@pytest.mark.parametrize("options", [(), ("--json",)])
def test_no_conflicts_are_listed_the_same(
    demo: Path, monkeypatch: pytest.MonkeyPatch, options: tuple[str, ...]
) -> None:
    plain, orm = both_ways(demo, monkeypatch, "conflicts", *options)
    assert plain.code == 0 and plain.out.strip() in ("no open conflicts", "[]")
    assert_same(plain, orm)


def test_every_record_table_is_known_to_the_plain_conflict_list() -> None:
    from testlearn.store.tables import RECORDS
    from testlearn.sync.plain_conflicts import TABLE_OF

    assert {entity: str(t.__tablename__) for entity, (t, _f) in RECORDS.items()} == TABLE_OF
