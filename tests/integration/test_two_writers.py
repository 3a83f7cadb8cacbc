"""Two writers on one file take turns: the second waits, says for whom, and loses nothing.

Real command-line processes against a real file; the other writer is either another
testlearn or a plain sqlite3 connection holding ``BEGIN IMMEDIATE``, as any program might.
"""

from __future__ import annotations

import csv
import json
import os
import select
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from testlearn.services import databases, pilots, registration
from tests.builders import hypothesis, pilot
from tests.conftest import Cli

ROWS = 20_000
REPO = Path(__file__).resolve().parents[2]


def _file(path: Path, references: tuple[str, ...]) -> Path:
    with databases.create_database(path, actor="ana", department="DfE") as db:
        for reference in references:
            pilots.create_pilot(pilot(reference=reference), db=db, actor="ana")
            pilots.add_record(reference, "hypothesis", hypothesis(), db=db, actor="ana")
            registration.register(reference, db=db, actor="ana")
    return path


def _outcomes(path: Path, prefix: str, rows: int = ROWS) -> Path:
    with path.open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["arm", "value", "unit"])
        for i in range(rows):
            writer.writerow(["pilot" if i % 2 else "comparator", int(i % 3 == 0), f"{prefix}{i}"])
    return path


def _testlearn(*args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen(
        [sys.executable, "-m", "testlearn", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=REPO,
    )


def _first_line(process: subprocess.Popen[str], timeout: float = 60.0) -> str:
    """The first line ``process`` writes to stderr, waiting at most ``timeout`` seconds."""
    assert process.stderr is not None
    ready, _, _ = select.select([process.stderr], [], [], timeout)
    assert ready, f"nothing on stderr after {timeout} s"
    return process.stderr.readline()


def _rows(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(path)
    try:
        found = conn.execute(
            "SELECT p.reference, count(o.rowid) FROM pilot p "
            "JOIN hypothesis h ON h.pilot_id = p.id JOIN dataset d ON d.hypothesis_id = h.id "
            "JOIN observation o ON o.dataset_id = d.id "
            "GROUP BY p.reference"
        ).fetchall()
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        conn.close()
    return dict(found)


def _hold(path: Path) -> sqlite3.Connection:
    """Another program takes the file's write lock and keeps it until it commits."""
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    other.execute("UPDATE database_info SET value = value WHERE key = 'schema_generation'")
    return other


def test_two_imports_into_one_file_at_once_both_succeed_with_every_row(tmp_path: Path) -> None:
    path = _file(tmp_path / "pilots.sqlite", ("A-001", "B-001"))
    first = _testlearn(
        "--db", str(path), "import-results", "A-001", "H1", str(_outcomes(tmp_path / "a.csv", "a"))
    )
    second = _testlearn(
        "--db", str(path), "import-results", "B-001", "H1", str(_outcomes(tmp_path / "b.csv", "b"))
    )
    results = [(p.pid, *p.communicate(timeout=240), p.returncode) for p in (first, second)]
    for pid, out, err, code in results:
        assert code == 0, err
        assert f"imported {ROWS:,} unit rows" in out
        others = [other for other, *_ in results if other != pid]
        # Whichever had to wait said so once, naming the other by its note.
        if "waiting" in err:
            assert err.count("waiting") == 1
            assert f"another testlearn (import-results, process {others[0]}, since " in err
            assert f"is writing to {path}; waiting..." in err
    assert _rows(path) == {"A-001": ROWS, "B-001": ROWS}
    assert not (tmp_path / ".pilots.sqlite.writer").exists()
    verify = Cli(path)("verify")
    assert verify.code == 0, verify.out + verify.err


def test_an_import_waits_for_another_testlearn_and_names_it(tmp_path: Path) -> None:
    path = _file(tmp_path / "pilots.sqlite", ("A-001",))
    # A testlearn that takes the write lock through its own transaction and sits in it.
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\n"
            "from testlearn.services import databases\n"
            "with databases.announce_waits(print, doing='set'):\n"
            f"    with databases.open_database({str(path)!r}) as db, db.transaction('ana'):\n"
            "        print('holding', flush=True)\n"
            "        sys.stdin.readline()\n",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert holder.stdout is not None and holder.stdin is not None
    assert holder.stdout.readline().strip() == "holding"
    csv_file = _outcomes(tmp_path / "a.csv", "a", rows=500)
    waiter = _testlearn("--db", str(path), "import-results", "A-001", "H1", str(csv_file))
    try:
        notice = _first_line(waiter)
        assert notice == (
            f"testlearn: another testlearn (set, process {holder.pid}, since "
            + notice.split("since ", 1)[1].split(")")[0]
            + f") is writing to {path}; waiting...\n"
        )
        assert waiter.poll() is None  # still waiting, not failed
    finally:
        holder.stdin.write("\n")
        holder.stdin.flush()
        holder.wait(timeout=60)
    out, err = waiter.communicate(timeout=120)
    assert waiter.returncode == 0, err
    assert "imported 500 unit rows" in out
    assert _rows(path) == {"A-001": 500}


def test_an_import_waits_for_another_program_and_completes_when_it_lets_go(
    tmp_path: Path,
) -> None:
    path = _file(tmp_path / "pilots.sqlite", ("A-001",))
    other = _hold(path)
    csv_file = _outcomes(tmp_path / "a.csv", "a", rows=500)
    waiter = _testlearn("--db", str(path), "import-results", "A-001", "H1", str(csv_file))
    try:
        notice = _first_line(waiter)
        assert notice == (
            "testlearn: another program (perhaps another testlearn) is writing to "
            f"{path}; waiting...\n"
        )
        time.sleep(1.0)
        assert waiter.poll() is None
    finally:
        other.execute("COMMIT")
        other.close()
    _out, err = waiter.communicate(timeout=120)
    assert waiter.returncode == 0, err
    assert "waiting" not in err  # said once
    assert _rows(path) == {"A-001": 500}


def test_a_wait_past_the_limit_ends_in_one_line_and_changes_nothing(
    cli: Cli, db: Any, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from testlearn.store import writer_queue

    monkeypatch.setattr(writer_queue, "NOTICE_AFTER", 0.2)
    monkeypatch.setattr(writer_queue, "WAIT_LIMIT", 2.0)
    pilots.create_pilot(pilot(), db=db, actor="ana")
    other = _hold(db_path)
    try:
        run = cli("set", "T-001", "title", "Fleet telematics")
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert run.code == 1
    lines = run.err.splitlines()
    assert lines[0] == (
        f"testlearn: another program (perhaps another testlearn) is writing to {db_path}; "
        "waiting..."
    )
    assert lines[1:] == [
        f"testlearn: another program (perhaps another testlearn) has been writing to {db_path} "
        "for over 2 s; nothing from this action was saved. Try again when it has finished"
    ]
    assert cli("show", "T-001", "--json").json()["pilot"]["title"] != "Fleet telematics"
    assert cli("set", "T-001", "title", "Fleet telematics").code == 0  # free again


def test_a_note_left_by_a_killed_writer_names_no_one(
    cli: Cli, db: Any, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A writer killed mid-transaction leaves its note; a waiter does not believe it."""
    from testlearn.store import writer_queue

    monkeypatch.setattr(writer_queue, "NOTICE_AFTER", 0.2)
    monkeypatch.setattr(writer_queue, "WAIT_LIMIT", 0.6)
    pilots.create_pilot(pilot(), db=db, actor="ana")
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        text=True,
        capture_output=True,
        check=True,
    )
    note = {"pid": int(gone.stdout), "computer": socket.gethostname(), "doing": "import-results"}
    writer_queue.note_path(db_path).write_text(json.dumps({**note, "since": "09:00:00"}))
    other = _hold(db_path)
    try:
        run = cli("set", "T-001", "title", "Fleet telematics")
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert run.code == 1
    assert "another program (perhaps another testlearn) has been writing to" in run.err
    assert "process" not in run.err


def test_two_merges_into_one_central_file_at_once_both_land(tmp_path: Path) -> None:
    central = tmp_path / "central.sqlite"
    databases.create_database(central, actor="ana", department="central").close()
    exports = []
    for reference, department in (("DFE-001", "DfE"), ("HO-001", "Home Office")):
        own = _file(tmp_path / f"{department}.sqlite", (reference,))
        out = tmp_path / f"{reference}.export.sqlite"
        run = Cli(own)("export", "--out", str(out))
        assert run.code == 0, run.err
        exports.append(out)
    merges = [_testlearn("merge", "--into", str(central), str(out)) for out in exports]
    for merge in merges:
        _out, err = merge.communicate(timeout=240)
        assert merge.returncode == 0, err
        assert "unexpected" not in err
    listed = Cli(central)("pilots", "--json").json()
    assert sorted(p["reference"] for p in listed) == ["DFE-001", "HO-001"]
    verify = Cli(central)("verify")
    assert verify.code == 0, verify.out + verify.err
