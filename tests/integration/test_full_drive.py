"""A full drive, or a file-size limit, ends each writing action in one line naming the file.

The drive is a real, small filesystem made by the test (tmpfs, mounted; skipped with the
reason where mounting is impossible), filled until only a little is free; the file-size
limit (``RLIMIT_FSIZE``, which makes writes fail with EFBIG) needs no mount, so that path is
tested everywhere. Afterwards the database passes ``integrity_check`` and ``verify`` and
holds nothing of the refused action.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import Cli, Run
from tests.integration.test_two_writers import _file, _outcomes

TABLES = (
    "pilot",
    "revision",
    "dataset",
    "observation",
    "analysis_result",
    "audit_event",
    "merge_source",
)
REPO = Path(__file__).resolve().parents[2]


@dataclass
class Drive:
    folder: Path

    def fill(self, leave: int) -> None:
        """Take all but ``leave`` bytes of the drive's free space."""
        self.empty()
        facts = os.statvfs(self.folder)
        size = facts.f_bavail * facts.f_frsize - leave
        with (self.folder / "filler").open("wb") as filler:
            os.posix_fallocate(filler.fileno(), 0, size)

    def empty(self) -> None:
        (self.folder / "filler").unlink(missing_ok=True)

    def leftovers(self) -> list[str]:
        """Temporary files an action left on the drive (none may remain)."""
        return sorted(
            p.name for p in self.folder.iterdir() if p.name.endswith((".partial", ".part"))
        )


@pytest.fixture
def drive(tmp_path: Path) -> Iterator[Drive]:
    if sys.platform != "linux" or os.geteuid() != 0:
        pytest.skip("a small filesystem is made with mount, which needs root on Linux")
    folder = tmp_path / "drive"
    folder.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(folder)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {done.stderr.strip()}")
    try:
        yield Drive(folder)
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def counts(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        present = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        return {
            t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in TABLES
            if t in present
        }
    finally:
        conn.close()


def refused(run: Run, file: Path, *, room: str | None) -> str:
    """The run ended in one line naming ``file``, the full drive and the room to free."""
    assert run.code == 1, run.out + run.err
    lines = run.err.strip().splitlines()
    assert len(lines) == 1, run.err
    line = lines[0]
    assert line.startswith(f"testlearn: {file}: the drive is full; "), line
    assert "unexpected" not in line and "damaged" not in line
    if room is None:
        assert f"Free some space on the drive holding {file}, then try again" in line
    else:
        assert f"Free about {room} on the drive holding {file}, then try again" in line
    return line


def intact(path: Path, before: dict[str, int]) -> None:
    """The database as it was: whole, verified, and holding nothing of the refused action."""
    assert counts(path) == before
    verify = Cli(path)("verify")
    assert verify.code == 0, verify.out + verify.err


@pytest.fixture(scope="module")
def one_pilot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A file with one registered pilot, A-001, and no data yet: built once, copied."""
    return _file(tmp_path_factory.mktemp("one") / "pilots.sqlite", ("A-001",))


@pytest.fixture(scope="module")
def department_export(one_pilot: Path) -> Path:
    out = one_pilot.with_name("dfe.sqlite")
    run = Cli(one_pilot)("export", "--out", str(out))
    assert run.code == 0, run.err
    return out


@pytest.fixture(scope="module")
def empty_central(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from testlearn.services import databases

    path = tmp_path_factory.mktemp("central") / "central.sqlite"
    databases.create_database(path, actor="ana", department="central").close()
    return path


def test_an_import_onto_a_full_drive_says_how_much_to_free(
    drive: Drive, tmp_path: Path, one_pilot: Path
) -> None:
    db = Path(shutil.copyfile(one_pilot, drive.folder / "pilots.sqlite"))
    csv_file = _outcomes(tmp_path / "outcomes.csv", "a", rows=5_000)
    before = counts(db)
    drive.fill(leave=100_000)
    run = Cli(db)("import-results", "A-001", "H1", str(csv_file))
    from testlearn.errors import size_in_words

    line = refused(run, db, room=size_in_words(4 * csv_file.stat().st_size))
    assert "nothing of this change was saved; the database is whole" in line
    drive.empty()
    intact(db, before)
    assert Cli(db)("import-results", "A-001", "H1", str(csv_file)).code == 0  # room again


def test_an_export_onto_a_full_drive_names_the_export(drive: Drive, one_pilot: Path) -> None:
    db = Path(shutil.copyfile(one_pilot, drive.folder / "pilots.sqlite"))
    before = counts(db)
    out = drive.folder / "for-central.sqlite"
    drive.fill(leave=60_000)
    run = Cli(db)("export", "--out", str(out))
    from testlearn.errors import size_in_words

    line = refused(run, out, room=size_in_words(db.stat().st_size))
    assert "no copy was written" in line
    assert not out.exists() and not Path(f"{out}.manifest.json").exists()
    assert drive.leftovers() == []
    drive.empty()
    intact(db, before)


def test_a_merge_onto_a_full_drive_changes_nothing_at_the_centre(
    drive: Drive, department_export: Path, empty_central: Path
) -> None:
    central = Path(shutil.copyfile(empty_central, drive.folder / "central.sqlite"))
    before = counts(central)
    drive.fill(leave=40_000)
    run = Cli(central)("merge", "--into", str(central), str(department_export))
    from testlearn.errors import size_in_words

    refused(run, central, room=size_in_words(4 * department_export.stat().st_size))
    drive.empty()
    intact(central, before)
    merged = Cli(central)("merge", "--into", str(central), str(department_export))
    assert merged.code == 0, merged.err  # the same file merges once there is room


def test_analysing_on_a_full_drive_keeps_the_earlier_results(drive: Drive, demo_file: Path) -> None:
    db = drive.folder / "demo.sqlite"
    shutil.copyfile(demo_file, db)
    before = counts(db)
    drive.fill(leave=20_000)
    refused(Cli(db)("analyse", "MOJ-TL-007"), db, room=None)
    drive.empty()
    intact(db, before)


@pytest.mark.parametrize("kind", ["brief", "full"])
def test_a_report_onto_a_full_drive_names_it_and_its_size(
    drive: Drive, demo_file: Path, kind: str
) -> None:
    db = drive.folder / "demo.sqlite"
    shutil.copyfile(demo_file, db)
    before = counts(db)
    pdf, html = drive.folder / f"{kind}.pdf", drive.folder / f"{kind}.html"
    drive.fill(leave=16_000)
    run = Cli(db)("report", "MOJ-TL-007", "--kind", kind, "--out", str(pdf), "--incomplete")
    # The PDF is written first, then its HTML twin: whichever found the drive full is named.
    named = html if run.err.startswith(f"testlearn: {html}:") else pdf
    line = refused(run, named, room=line_room(run))
    assert f"{named.name} was not written (any earlier copy of it is unchanged)" in line
    assert not named.exists() and drive.leftovers() == []
    drive.empty()
    intact(db, before)


def line_room(run: Run) -> str:
    """The room a report's message asks for (its size is known only once it is built)."""
    return run.err.split("Free about ", 1)[1].split(" on the drive", 1)[0]


@pytest.mark.parametrize(
    "command", [["report", "MOJ-TL-007", "--incomplete"], ["analyse", "--all"]]
)
def test_a_file_on_a_drive_with_no_room_at_all_is_never_called_damaged(
    drive: Drive, demo_file: Path, command: list[str]
) -> None:
    """SQLite cannot even make its -shm file: the drive is full, the file is fine."""
    db = drive.folder / "demo.sqlite"
    shutil.copyfile(demo_file, db)
    before = counts(db)
    out = drive.folder / "brief.pdf"
    drive.fill(leave=4_096)
    if command[0] == "report":
        command = [*command, "--out", str(out)]
    run = Cli(db)(*command)
    if run.err.startswith(f"testlearn: {db}:"):
        refused(run, db, room=None)
    else:  # the database opened after all, and the report found no room
        refused(run, out, room=line_room(run))
    drive.empty()
    intact(db, before)


# -- a file-size limit: no mount needed ------------------------------------------------------

LIMITED = (
    "import resource, signal, sys\n"
    "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG instead of being killed\n"
    "limit = int(sys.argv[1])\n"
    "resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))\n"
    "from testlearn.cli import main\n"
    "sys.exit(main(sys.argv[2:]))\n"
)


def limited(limit: int, *args: str) -> Run:
    """`testlearn ARGS` in a process that may not write past ``limit`` bytes of any file."""
    done = subprocess.run(
        [sys.executable, "-c", LIMITED, str(limit), *args],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        cwd=REPO,
        timeout=300,
    )
    return Run(done.returncode, done.stdout, done.stderr)


def one_line_naming(run: Run, file: Path) -> str:
    assert run.code == 1, run.out + run.err
    lines = run.err.strip().splitlines()
    assert len(lines) == 1, run.err
    assert lines[0].startswith(f"testlearn: {file}: ") or lines[0].startswith(
        f"testlearn: cannot write {file}: "
    ), lines[0]
    assert "unexpected" not in lines[0] and "damaged" not in lines[0]
    return lines[0]


Case = Callable[[Path, Path, Path], tuple[Run, Path]]


def _import(db: Path, work: Path, _source: Path) -> tuple[Run, Path]:
    csv_file = _outcomes(work / "outcomes.csv", "a", rows=5_000)
    return limited(64_000, "--db", str(db), "import-results", "A-001", "H1", str(csv_file)), db


def _export(db: Path, work: Path, _source: Path) -> tuple[Run, Path]:
    out = work / "for-central.sqlite"
    return limited(64_000, "--db", str(db), "export", "--out", str(out)), out


def _merge(db: Path, _work: Path, source: Path) -> tuple[Run, Path]:
    return limited(64_000, "merge", "--into", str(db), str(source)), db


def _brief(db: Path, work: Path, _source: Path) -> tuple[Run, Path]:
    out = work / "brief.pdf"
    args = ("--db", str(db), "report", "A-001", "--out", str(out), "--incomplete", "--no-html")
    return limited(40_000, *args), out


@pytest.mark.parametrize("case", [_import, _export, _merge, _brief], ids=lambda c: c.__name__[1:])
def test_a_file_size_limit_ends_in_one_line_naming_the_file(
    tmp_path: Path, department_export: Path, one_pilot: Path, case: Case
) -> None:
    db = Path(shutil.copyfile(one_pilot, tmp_path / "pilots.sqlite"))
    before = counts(db)
    run, file = case(db, tmp_path, department_export)
    one_line_naming(run, file)
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith((".partial", ".part"))]
    intact(db, before)
