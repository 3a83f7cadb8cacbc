"""What the window says about where a database is stored: a file opened for reading only says
so in the status bar, and a merge that meets a full drive ends in the command line's one-line
storage message, not in an "unexpected error"."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Cli
from tests.gui.conftest import wait_idle


@pytest.fixture
def unwritable_folders(monkeypatch: pytest.MonkeyPatch) -> None:
    # Tests may run as root, who may write anywhere: the check is told no folder is
    # writable, as it would find for a folder on a read-only share.
    real_access = os.access
    monkeypatch.setattr(
        "testlearn.store.database_file.os.access",
        lambda path, mode: mode != os.W_OK and real_access(path, mode),
    )


def test_a_file_opened_for_reading_only_says_so_in_the_status_bar(
    qtbot: Any, window: Any, lane: Any, tmp_path: Path, unwritable_folders: None
) -> None:
    from testlearn.services import databases

    path = tmp_path / "shared.sqlite"
    databases.create_database(path, actor="ana").close()
    window.database.open(path)
    wait_idle(qtbot, lane)
    message = window.statusBar().currentMessage()
    assert message == f"{path}: opened for reading only, because the file is read-only"
    label = window.database.notice_label
    assert label.isVisible() and label.text() == "Read only"
    assert label.toolTip() == message
    qtbot.wait(200)  # the notice stays: it is true for as long as the file is open
    assert window.statusBar().currentMessage() == message


def test_a_writable_file_opened_next_clears_the_notice(
    qtbot: Any, window: Any, lane: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from testlearn.services import databases

    shared, own = tmp_path / "shared.sqlite", tmp_path / "own.sqlite"
    for path in (shared, own):
        databases.create_database(path, actor="ana").close()
    real_access = os.access
    monkeypatch.setattr(
        "testlearn.store.database_file.os.access",
        lambda path, mode: (
            not (mode == os.W_OK and Path(path) == shared) and real_access(path, mode)
        ),
    )
    window.database.open(shared)
    wait_idle(qtbot, lane)
    assert window.database.notice_label.isVisible()
    window.database.open(own)
    wait_idle(qtbot, lane)
    assert not window.database.notice_label.isVisible()
    assert window.statusBar().currentMessage() == f"Opened {own}"


@pytest.fixture
def small_drive(tmp_path: Path) -> Iterator[Path]:
    """A 4 MB filesystem made for the test (tmpfs, mounted), removed afterwards."""
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
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def fill(folder: Path, leave: int) -> Path:
    facts = os.statvfs(folder)
    filler = folder / "filler"
    with filler.open("wb") as out:
        os.posix_fallocate(out.fileno(), 0, facts.f_bavail * facts.f_frsize - leave)
    return filler


def test_a_merge_onto_a_full_drive_gives_the_storage_message(
    qtbot: Any,
    window: Any,
    lane: Any,
    messages: Any,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    small_drive: Path,
) -> None:
    from testlearn.services import databases, merging
    from tests.gui.test_merging import choose
    from tests.integration.test_two_writers import _file

    own = _file(tmp_path / "dfe.sqlite", ("A-001",))
    export = tmp_path / "dfe-export.sqlite"
    with databases.open_database(own) as db:
        merging.export_for_central(db=db, out=export)
    central = small_drive / "central.sqlite"
    databases.create_database(central, actor="central", department="Cabinet Office").close()
    window.database.open(central)
    wait_idle(qtbot, lane)
    choose(monkeypatch, [export])
    window.merge_files()
    wizard = window.merge_wizard
    wizard.add_files()
    wizard.run_preview()
    wait_idle(qtbot, lane)
    filler = fill(small_drive, leave=40_000)
    wizard.run_apply()
    wait_idle(qtbot, lane)
    [(title, text)] = messages.messages
    assert title == "testlearn"
    assert text.startswith(f"{central}: the drive is full; "), text
    assert f"on the drive holding {central}, then try again" in text
    assert "unexpected" not in text and "damaged" not in text
    assert "\n" not in text
    assert wizard.status.text() == text
    assert not wizard.applied and wizard.apply.isEnabled()
    filler.unlink()  # with room again, the same file merges
    messages.messages.clear()
    wizard.run_apply()
    wait_idle(qtbot, lane)
    assert wizard.status.text() == "The merge was saved."
    assert not messages.messages


def test_a_merge_whose_temporary_copies_meet_a_full_drive_gives_the_storage_message(
    qtbot: Any,
    window: Any,
    lane: Any,
    messages: Any,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    small_drive: Path,
) -> None:
    from testlearn.services import databases, merging
    from tests.gui.test_merging import choose
    from tests.integration.test_two_writers import _file

    own = _file(tmp_path / "dfe.sqlite", ("A-001",))
    export = tmp_path / "dfe-export.sqlite"
    with databases.open_database(own) as db:
        merging.export_for_central(db=db, out=export)
    central = tmp_path / "central.sqlite"
    databases.create_database(central, actor="central", department="Cabinet Office").close()
    window.database.open(central)
    wait_idle(qtbot, lane)
    # The app's temporary folder, where a merge checks its private copy of each file.
    monkeypatch.setenv("XDG_CACHE_HOME", str(small_drive))
    choose(monkeypatch, [export])
    window.merge_files()
    wizard = window.merge_wizard
    wizard.add_files()
    fill(small_drive, leave=20_000)
    wizard.run_preview()
    wait_idle(qtbot, lane)
    [(title, text)] = messages.messages
    assert title == "testlearn"
    assert text.startswith(f"{central}: the drive is full; ") and "unexpected" not in text
    assert wizard.status.text() == text
    # Word for word what `testlearn merge` says on the same full drive.
    said = Cli(central)("merge", "--into", str(central), str(export))
    assert said.code == 1 and said.err == f"testlearn: {text}\n"
