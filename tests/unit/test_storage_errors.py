"""Which errors are the drive's, and how each is said: one line naming the file."""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

import pytest

from testlearn.errors import StorageError, shown_name, size_in_words
from testlearn.store import storage_errors
from testlearn.store.storage_errors import expecting, storage_failure, writing_to

FILE = Path("/data/pilots.sqlite")


def sqlite_error(code: int, text: str) -> sqlite3.OperationalError:
    error = sqlite3.OperationalError(text)
    error.sqlite_errorcode = code  # type: ignore[attr-defined]  # as SQLite sets it
    return error


class Wrapped(Exception):
    """As SQLAlchemy wraps a driver's error: the original is ``orig``."""

    def __init__(self, orig: BaseException) -> None:
        super().__init__(str(orig))
        self.orig = orig


def test_sqlite_full_wrapped_or_not_is_a_full_drive_naming_the_file() -> None:
    for error in (sqlite_error(13, "database or disk is full"), Wrapped(sqlite_error(13, "x"))):
        failure = storage_failure(error, FILE)
        assert isinstance(failure, StorageError)
        assert str(failure) == (
            f"{FILE}: the drive is full; nothing of this change was saved; the database is "
            f"whole. Free some space on the drive holding {FILE}, then try again"
        )


def test_the_room_needed_comes_from_the_action_that_knows_it() -> None:
    with expecting(12_300_000):
        failure = storage_failure(OSError(errno.ENOSPC, "No space left on device"), FILE)
    assert f"Free about 13 MB on the drive holding {FILE}" in str(failure)
    assert "Free some space" in str(storage_failure(OSError(errno.EDQUOT, "quota"), FILE))


def test_an_io_error_with_room_on_the_drive_is_a_failing_drive_not_a_damaged_file(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(storage_errors, "_free", lambda _file: 10**10)
    failure = str(storage_failure(sqlite_error(778, "disk I/O error"), FILE))  # IOERR_WRITE
    assert failure.startswith(f"{FILE}: the drive reported an error while writing (disk I/O ")
    assert "damaged" not in failure
    monkeypatch.setattr(storage_errors, "_free", lambda _file: 4096)
    assert "the drive is full" in str(storage_failure(sqlite_error(4874, "disk I/O error"), FILE))


def test_a_file_size_limit_says_so_and_the_temporary_name_is_not_shown() -> None:
    partial = FILE.with_name(".export.sqlite.1a2b3c4d.partial")
    failure = str(
        storage_failure(OSError(errno.EFBIG, "File too large"), partial, needed=2_500_000)
    )
    assert failure.startswith("/data/export.sqlite: the file reached the largest size this ")
    assert "(File too large)" in failure and "it needs about 2.5 MB" in failure


def test_other_errors_are_not_the_drives() -> None:
    assert storage_failure(sqlite_error(1, "no such table: pilot"), FILE) is None
    assert storage_failure(OSError(errno.EACCES, "Permission denied"), FILE) is None
    assert storage_failure(ValueError("bad"), FILE) is None
    with pytest.raises(ValueError), writing_to(FILE):
        raise ValueError("bad")


def test_a_server_whose_disk_is_full_is_named_without_its_password() -> None:
    class DiskFull(Exception):
        sqlstate = "53100"

    failure = storage_failure(Wrapped(DiskFull("could not extend file")), "postgresql://h/db")
    assert str(failure).startswith("postgresql://h/db: the drive is full; ")


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        (".e.sqlite.partial", "e.sqlite"),
        (".x.sqlite.1a2b3c4d.partial", "x.sqlite"),
        (".brief.pdf.k2_x9abc.part", "brief.pdf"),
        (".dfe.sqlite.tl4242-1a2b3c-9f8e7d.partial", "dfe.sqlite"),
        ("brief.pdf", "brief.pdf"),
    ],
)
def test_temporary_files_are_named_as_the_file_they_become(name: str, shown: str) -> None:
    assert shown_name(f"/data/{name}") == f"/data/{shown}"


def test_sizes_are_said_as_people_say_them_rounded_up() -> None:
    said = [size_in_words(n) for n in (1, 1000, 937_984, 2_500_001, 12_300_000, 1_300_000_000)]
    assert said == ["1 KB", "1 KB", "938 KB", "2.6 MB", "13 MB", "1.3 GB"]
