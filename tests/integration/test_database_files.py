"""Opening files: ours are opened, anything else is refused with nothing written."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from testlearn.errors import DatabaseFileError
from testlearn.services.databases import SCHEMA_GENERATION, create_database, open_database
from testlearn.store.database_file import APPLICATION_ID
from tests.builders import pilot
from tests.conftest import Cli, files_snapshot


def make_database(path: Path) -> None:
    from testlearn.services import pilots

    with create_database(path, actor="tester") as db:
        for i in range(40):  # enough pages that damage lands inside the file
            pilots.create_pilot(
                pilot(reference=f"T-{i:03}", problem_statement="x" * 500), db=db, actor="t"
            )


def test_a_new_file_is_marked_as_ours(db_path: Path) -> None:
    create_database(db_path, actor="tester").close()
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_GENERATION
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("SELECT count(*) FROM replica WHERE is_self").fetchone()[0] == 1
    conn.close()


def test_the_replica_id_is_made_once_and_kept(db_path: Path) -> None:
    with create_database(db_path, actor="t") as db:
        first = db.replica_id
    with open_database(db_path) as db:
        assert db.replica_id == first


def test_init_never_overwrites_a_file(cli: Cli, db_path: Path) -> None:
    db_path.write_bytes(b"my thesis")
    run = cli("init")
    assert run.code == 1
    assert "already exists" in run.err
    assert db_path.read_bytes() == b"my thesis"


def _refused(cli: Cli, path: Path, expected: str) -> None:
    before = files_snapshot(path.parent)
    run = cli("pilots")
    assert run.code == 1, run.out
    assert expected in run.err
    assert str(path) in run.err
    assert "Traceback" not in run.err
    assert files_snapshot(path.parent) == before  # nothing written, no -wal or -shm left


def test_a_file_that_is_not_sqlite_is_refused(cli: Cli, db_path: Path) -> None:
    db_path.write_text("reference,title\nP1,Not a database\n")
    _refused(cli, db_path, "not a testlearn database")


def test_a_zero_byte_file_is_refused(cli: Cli, db_path: Path) -> None:
    db_path.write_bytes(b"")
    _refused(cli, db_path, "empty")


def test_a_truncated_file_is_refused(cli: Cli, db_path: Path) -> None:
    make_database(db_path)
    data = db_path.read_bytes()
    db_path.write_bytes(data[: len(data) // 2 + 100])
    _refused(cli, db_path, "damaged")


def test_a_file_with_zeroed_pages_is_refused(cli: Cli, db_path: Path) -> None:
    make_database(db_path)
    data = bytearray(db_path.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    data[page * 3 : page * 6] = bytes(page * 3)
    db_path.write_bytes(bytes(data))
    _refused(cli, db_path, "damaged")


def test_another_programs_sqlite_file_is_refused(cli: Cli, db_path: Path) -> None:
    conn = sqlite3.connect(db_path)
    conn.execute("CREATE TABLE contacts (name TEXT)")
    conn.commit()
    conn.close()
    _refused(cli, db_path, "not a testlearn one")


def test_a_file_from_a_newer_version_is_refused(cli: Cli, db_path: Path) -> None:
    make_database(db_path)
    conn = sqlite3.connect(db_path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_GENERATION + 1}")
    conn.commit()
    conn.close()
    _refused(cli, db_path, f"schema {SCHEMA_GENERATION + 1}")


def test_refusal_raises_the_users_error_type(db_path: Path) -> None:
    db_path.write_bytes(b"\x00" * 4096)
    with pytest.raises(DatabaseFileError):
        open_database(db_path)


def test_a_folder_given_as_the_database_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "pilots.sqlite"
    folder.mkdir()
    run = Cli(folder)("pilots")
    assert run.code == 1 and "this is a folder" in run.err and "Traceback" not in run.err
