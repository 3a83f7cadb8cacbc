"""A file with committed changes still in its -wal is whole: testlearn opens it with them.

A crash in the write-back that follows a commit (the WAL checkpoint) leaves the file's own
header counting pages only the -wal holds yet; a file copied with its -wal is the same. Both
must open with every row, and "damaged" is said only when SQLite itself says so.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from testlearn.errors import DatabaseFileError
from testlearn.services import pilots, registration, verification
from testlearn.services.databases import create_database, open_database
from testlearn.store.database_file import FileState, read_header
from testlearn.temporary_files import remove_leftovers, temporary_name
from tests.builders import hypothesis, pilot
from tests.conftest import Cli

ROWS = 3000


def observations(path: Path) -> int:
    conn = sqlite3.connect(f"file:{path.as_posix()}?mode=ro", uri=True)
    try:
        return int(conn.execute("SELECT count(*) FROM observation").fetchone()[0])
    finally:
        conn.close()


def integrity(path: Path) -> list[Any]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA integrity_check").fetchall()
    finally:
        conn.close()


@pytest.fixture
def pending(tmp_path: Path, db_path: Path, cli: Cli) -> Path:
    """A copy of a database whose committed import of ROWS rows lies in its -wal only."""
    with create_database(db_path, actor="ana") as db:
        pilots.create_pilot(pilot(), db=db, actor="ana")
        pilots.add_record("T-001", "hypothesis", hypothesis(), db=db, actor="ana")
        registration.register("T-001", db=db, actor="ana")
    outcomes = tmp_path / "outcomes.csv"
    outcomes.write_text(
        "arm,value\n"
        + "".join(f"{'pilot' if i % 2 else 'comparator'},{i % 3 % 2}\n" for i in range(ROWS))
    )
    # A second connection held open: testlearn's is then not the last to close, so SQLite
    # does not write the -wal back, as when the process is killed before it could.
    holder = sqlite3.connect(db_path)
    holder.execute("SELECT count(*) FROM pilot").fetchall()
    try:
        run = cli("import-results", "T-001", "H1", str(outcomes))
        assert run.code == 0, run.err
        assert Path(f"{db_path}-wal").stat().st_size > 0
        copied = tmp_path / "copied"
        copied.mkdir()
        for suffix in ("", "-wal"):  # copied as a user would: the file and its -wal
            shutil.copyfile(f"{db_path}{suffix}", copied / f"pilots.sqlite{suffix}")
    finally:
        holder.close()
    return copied / "pilots.sqlite"


def _cut_write_back(path: Path) -> None:
    """Do what a write-back killed after its first page does: page 1 from the -wal written
    into the file (the header then counts pages the file does not hold yet)."""
    wal = Path(f"{path}-wal").read_bytes()
    page_size = int.from_bytes(wal[8:12], "big")
    frame = 24 + page_size
    last_page_1 = None
    for offset in range(32, len(wal) - frame + 1, frame):
        if int.from_bytes(wal[offset : offset + 4], "big") == 1:
            last_page_1 = wal[offset + 24 : offset + frame]
    assert last_page_1 is not None
    with path.open("r+b") as handle:
        handle.write(last_page_1)


def _opens_whole(cli: Cli, path: Path) -> None:
    with open_database(path) as db:
        assert not db.read_only and db.notice == ""
        assert verification.verify(db=db).ok
    assert observations(path) == ROWS
    assert integrity(path) == [("ok",)]
    assert not Path(f"{path}-wal").exists() or Path(f"{path}-wal").stat().st_size == 0
    run = Cli(path)("verify")
    assert run.code == 0, run.out + run.err
    assert "damaged" not in run.err


def test_a_file_copied_with_its_wal_opens_with_every_row(pending: Path, cli: Cli) -> None:
    assert observations(pending) == ROWS  # SQLite sees them; the file alone does not
    _opens_whole(cli, pending)


def test_a_write_back_cut_short_is_not_called_damaged(pending: Path, cli: Cli) -> None:
    _cut_write_back(pending)
    size = pending.stat().st_size
    header = pending.read_bytes()[:100]
    assert int.from_bytes(header[28:32], "big") * int.from_bytes(header[16:18], "big") > size
    assert read_header(pending).state is FileState.TESTLEARN
    _opens_whole(cli, pending)


def test_without_its_wal_a_cut_file_is_damaged_and_the_message_says_where_to_look(
    pending: Path,
) -> None:
    _cut_write_back(pending)
    Path(f"{pending}-wal").unlink()
    with pytest.raises(DatabaseFileError) as refused:
        open_database(pending)
    message = str(refused.value)
    assert str(pending) in message and "cut short" in message
    assert "pilots.sqlite-wal" in message


_CHECKPOINT = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("PRAGMA synchronous=FULL")
print("ready", flush=True)
conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
"""


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_kill_9_during_the_write_back_never_loses_or_damages(pending: Path, tmp_path: Path) -> None:
    """The attack as found: kill -9 while SQLite writes a committed -wal back."""
    seed = random.randrange(1_000_000)
    chance = random.Random(seed)
    for attempt in range(5):
        folder = tmp_path / f"kill{attempt}"
        folder.mkdir()
        target = folder / "pilots.sqlite"
        for suffix in ("", "-wal"):
            shutil.copyfile(f"{pending}{suffix}", f"{target}{suffix}")
        child = subprocess.Popen(
            [sys.executable, "-c", _CHECKPOINT, str(target)], stdout=subprocess.PIPE, text=True
        )
        assert child.stdout is not None and child.stdout.readline() == "ready\n"
        delay = chance.uniform(0, 0.05)
        time.sleep(delay)
        child.send_signal(signal.SIGKILL)
        child.wait()
        where = f"seed {seed}, attempt {attempt}, killed after {delay:.4f} s"
        with open_database(target) as db:
            assert verification.verify(db=db).ok, where
        assert observations(target) == ROWS, where
        assert integrity(target) == [("ok",)], where


def test_a_damaged_file_is_called_damaged_by_sqlite(pending: Path) -> None:
    Path(f"{pending}-wal").unlink()
    shutil.copyfile(pending, pending.with_name("whole.sqlite"))
    data = bytearray(pending.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    data[page * 2 : page * 4] = b"\xff" * (page * 2)  # two pages of nonsense, size unchanged
    pending.write_bytes(bytes(data))
    with pytest.raises(DatabaseFileError) as refused:
        open_database(pending)
    assert str(pending) in str(refused.value) and "damaged" in str(refused.value)


def test_a_killed_runs_temporary_files_are_cleared_but_a_running_ones_are_kept(
    tmp_path: Path,
) -> None:
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    alive = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        target = tmp_path / "pilots.sqlite"
        mine = temporary_name(target)
        theirs = Path(str(mine).replace(f".tl{os.getpid()}-", f".tl{alive.pid}-"))
        dead = Path(str(mine).replace(f".tl{os.getpid()}-", f".tl{gone.pid}-"))
        dead_wal = Path(f"{dead}-wal")
        dead_folder = Path(str(dead).replace(".partial", ".scratch"))
        host = mine.name.split(".tl")[-1].split("-")[1]
        elsewhere = "0" * 6 if host != "0" * 6 else "1" * 6
        other_machine = Path(str(dead).replace(f"-{host}-", f"-{elsewhere}-"))
        unrelated = tmp_path / ".pilots.sqlite.partial"
        for path in (mine, theirs, dead, dead_wal, other_machine, unrelated):
            path.write_bytes(b"x")
        dead_folder.mkdir()
        (dead_folder / "copy.sqlite").write_bytes(b"x" * 1000)
        removed = remove_leftovers(tmp_path)
        assert sorted(removed) == sorted([dead, dead_wal, dead_folder])
        for kept in (mine, theirs, other_machine, unrelated):
            assert kept.exists()
    finally:
        alive.kill()
        alive.wait()


def test_a_file_that_cannot_be_written_is_read_with_its_wal_and_said_so(
    pending: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Tests may run as root, who may write anywhere: the check is told the folder is not
    # writable, as it would find for a folder on a read-only share.
    real_access = os.access
    monkeypatch.setattr(
        "testlearn.store.database_file.os.access",
        lambda path, mode: mode != os.W_OK and real_access(path, mode),
    )
    file_before = pending.read_bytes()
    with open_database(pending) as db:
        assert db.read_only
        assert str(pending) in db.notice and "reading only" in db.notice
        assert "-wal" in db.notice
        assert verification.verify(db=db).checked["datasets"] == 1
        with pytest.raises(DatabaseFileError) as refused, db.transaction("ana"):
            pass
        assert "reading only" in str(refused.value)
    assert pending.read_bytes() == file_before  # nothing written back into it
    assert observations(pending) == ROWS
