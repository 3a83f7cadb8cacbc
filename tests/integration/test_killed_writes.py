"""A write killed just before its file is renamed into place leaves nothing a user must clear.

A brief, a receipt and a spreadsheet are each written under a temporary name beside the file
they become, then renamed. The writing process is killed (SIGKILL, as a crash or a forced
quit would) at the moment of the rename: the target is absent, the half-made file sits
beside it under a name that says what it was, and the next write into that folder removes
it, so a shared folder does not fill with dot-files from crashed runs.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import Cli

ROOT = Path(__file__).resolve().parents[2]

# Kills the process at the first rename into the folder named by argv[1], then runs the
# command line (or, for "sheet", writes a spreadsheet) with the remaining arguments.
_KILLED_AT_RENAME = """
import os, signal, sys
from pathlib import Path
folder = Path(sys.argv[1]).resolve()
real = os.replace
def replace(source, target, *args, **kwargs):
    if Path(target).resolve().parent == folder:
        os.kill(os.getpid(), signal.SIGKILL)
    return real(source, target, *args, **kwargs)
os.replace = replace
if sys.argv[2] == "sheet":
    from testlearn.services.spreadsheets import SheetColumn, write_table
    write_table(Path(sys.argv[3]), sheet="Pilots", columns=[SheetColumn("Reference")],
                rows=[["DFE-TL-001"]])
else:
    from testlearn.cli import main
    sys.exit(main(sys.argv[2:]))
"""


def _killed(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", _KILLED_AT_RENAME, str(folder), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


@pytest.fixture
def demo(demo_file: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "demo.sqlite"
    shutil.copy(demo_file, copy)
    return copy


@pytest.mark.parametrize("what", ["brief", "receipt", "sheet"])
def test_a_write_killed_at_its_rename_is_cleared_by_the_next_write_there(
    what: str, demo: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    target, command = {
        "brief": (
            folder / "brief.pdf",
            ["--db", str(demo), "report", "DFE-TL-004", "--out", str(folder / "brief.pdf")],
        ),
        "receipt": (
            folder / "DFE-TL-004.receipt.json",
            ["--db", str(demo), "receipt", "DFE-TL-004", "--out", "PATH"],
        ),
        "sheet": (folder / "pilots.xlsx", ["sheet", "PATH"]),
    }[what]
    command = [str(target) if part == "PATH" else part for part in command]

    run = _killed(folder, *command)

    assert run.returncode == -signal.SIGKILL, run.stderr
    assert not target.exists()
    [left] = os.listdir(folder)
    assert left.startswith(f".{target.name}.tl") and left.endswith(".partial")

    if what == "sheet":
        from testlearn.services.spreadsheets import SheetColumn, write_table

        write_table(target, sheet="Pilots", columns=[SheetColumn("Reference")], rows=[["x"]])
    else:
        again = Cli(demo)(*command[2:])
        assert again.code == 0, again.err
    written = sorted(os.listdir(folder))
    assert left not in written
    assert target.name in written
    assert all(not name.startswith(".") for name in written), written


def test_a_registry_pack_killed_mid_write_leaves_the_earlier_pack_whole(
    demo: Path, tmp_path: Path
) -> None:
    cli = Cli(demo)
    link = "https://www.gov.uk/government/publications/screening-evaluation"
    assert cli("set", "DFE-TL-004", "report_link", link).code == 0
    folder = tmp_path / "registry"
    command = ["registry-pack", "DFE-TL-004", "--out", str(folder)]
    assert cli(*command).code == 0
    earlier = {p.name: p.read_bytes() for p in folder.iterdir()}
    assert cli("set", "DFE-TL-004", "policy_areas", "education").code == 0

    run = _killed(folder, "--db", str(demo), *command)

    assert run.returncode == -signal.SIGKILL, run.stderr
    # Killed as its first file was renamed into place: every file of the earlier pack is as
    # it was, and the half-made one sits beside them under a name that says so.
    found = {p.name: p.read_bytes() for p in folder.iterdir() if not p.name.startswith(".")}
    assert found == earlier
    [left] = [p.name for p in folder.iterdir() if p.name.startswith(".")]
    assert left.endswith(".partial")
    again = cli(*command)
    assert again.code == 0, again.err
    assert sorted(p.name for p in folder.iterdir()) == sorted(earlier)
    # The new pack has the policy area (the form asks for it; the import has no column).
    assert "(education)" in (folder / "DFE-TL-004-registry-entry.html").read_text("utf-8")


def test_reports_are_written_readable_by_colleagues_not_owner_only(
    demo: Path, tmp_path: Path
) -> None:
    # A temporary file made by tempfile.mkstemp is owner-only, and the rename keeps that:
    # a brief put in a shared folder would be unreadable to the team it was written for.
    out = tmp_path / "brief.pdf"
    old = os.umask(0o022)
    try:
        assert Cli(demo)("report", "DFE-TL-004", "--out", str(out)).code == 0
    finally:
        os.umask(old)
    assert out.stat().st_mode & 0o044 == 0o044
    assert out.with_suffix(".html").stat().st_mode & 0o044 == 0o044
