"""A drive that would not take what was written, said in one line naming the file.

A full drive, a file-size limit or a failing drive reach testlearn as different things:
``OSError`` (ENOSPC, EDQUOT, EFBIG, EIO) from Python's own writes, SQLite's
``SQLITE_FULL`` and ``SQLITE_IOERR`` (often wrapped by SQLAlchemy), and PostgreSQL's
``disk_full``. Each is the drive's problem, not the file's: the message says so, names
the file and the free space needed where it can be estimated, and never calls the database
damaged. SQLite rolls back the transaction it could not write, so the database is as it
was.

The space needed is an estimate of what was being written, given by the action that knows
it (:func:`expecting`: an import knows the size of its file); otherwise the message asks
to "free some space on the drive holding FILE".
"""

from __future__ import annotations

import contextlib
import contextvars
import errno
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from testlearn.errors import StorageError, drive_full, shown_name, size_in_words

#: An I/O error from SQLite with less than this free on the drive is a full drive: SQLite
#: says "disk I/O error" when it cannot grow its -shm file, for example.
NEARLY_FULL = 1024 * 1024

SQLITE_IOERR, SQLITE_FULL = 10, 13
#: A transaction the drive refused is rolled back whole; earlier ones (the pilots `analyse
#: --all` finished before it) stay saved, so the message speaks of this change only.
DATABASE_AS_IT_WAS = "nothing of this change was saved; the database is whole"

_expected: contextvars.ContextVar[int | None] = contextvars.ContextVar(
    "testlearn_expected_bytes", default=None
)


@contextlib.contextmanager
def expecting(nbytes: int | None) -> Iterator[None]:
    """The action inside writes about ``nbytes``: a full drive's message asks for that much."""
    token = _expected.set(nbytes if nbytes is not None else _expected.get())
    try:
        yield
    finally:
        _expected.reset(token)


def room_to_store(*files: Path) -> int | None:
    """About how much storing what ``files`` hold takes, in bytes (None: not known).

    Measured on imports: the stored rows with their indexes take about twice the CSV's
    size, written once to the -wal and once more into the file at the checkpoint, so four
    times the text; an .xlsx is compressed about five to one. A department file merged
    takes about four times its size too: a copy for checking, its records in the -wal and
    then in the file, and their indexes.
    """
    total = 0
    for file in files:
        try:
            length = Path(file).stat().st_size
        except OSError:
            return None
        total += length * (20 if Path(file).suffix.lower() in (".xlsx", ".xlsm") else 4)
    return total or None


@contextlib.contextmanager
def writing_to(
    file: Path | str, *, needed: int | None = None, saved: str = DATABASE_AS_IT_WAS
) -> Iterator[None]:
    """Inside, a write the drive refuses becomes a :class:`StorageError` naming ``file``."""
    try:
        with expecting(needed):
            yield
    except StorageError:
        raise
    except Exception as error:
        failure = storage_failure(error, file, needed=needed, saved=saved)
        if failure is None:
            raise
        raise failure from error


def storage_failure(
    error: BaseException,
    file: Path | str,
    *,
    needed: int | None = None,
    saved: str = DATABASE_AS_IT_WAS,
) -> StorageError | None:
    """The one-line error for ``error`` if the drive caused it, else None."""
    cause = getattr(error, "orig", None) or error  # SQLAlchemy wraps the driver's error
    kind = _kind(cause)
    if kind is None:
        return None
    needed = needed if needed is not None else _expected.get()
    if kind == "io" and _free(file) < max(needed or 0, NEARLY_FULL):
        kind = "full"
    if kind == "full":
        return StorageError(drive_full(file, needed=needed, saved=saved))
    reason, shown = _reason(cause), shown_name(file)
    if kind == "limit":
        return StorageError(
            f"{shown}: the file reached the largest size this computer allows for one file "
            f"({reason}); {saved}. Ask your IT team about the limit"
            + (f" (it needs about {size_in_words(needed)})" if needed else "")
        )
    return StorageError(
        f"{shown}: the drive reported an error while writing ({reason}); {saved}. "
        "Check the drive, or copy the file to another drive, then try again"
    )


def full_drive(error: BaseException, file: Path | str) -> StorageError | None:
    """The full-drive error for ``error`` met while reading ``file`` (SQLite could not make
    its -shm), else None: a reader's other I/O errors are not about room."""
    failure = storage_failure(error, file)
    kind = _kind(getattr(error, "orig", None) or error)
    if failure is None or (kind == "io" and _free(file) >= NEARLY_FULL):
        return None
    return failure


def _kind(cause: BaseException) -> str | None:
    if isinstance(cause, sqlite3.Error):
        code = (getattr(cause, "sqlite_errorcode", None) or 0) & 0xFF
        text = str(cause)
        if code == SQLITE_FULL or "database or disk is full" in text:
            return "full"
        if code == SQLITE_IOERR or "disk I/O error" in text:
            return "io"
        return None
    if getattr(cause, "sqlstate", None) == "53100":  # PostgreSQL: disk_full
        return "full"
    if isinstance(cause, OSError):
        if cause.errno in (errno.ENOSPC, errno.EDQUOT):
            return "full"
        if cause.errno == errno.EFBIG:
            return "limit"
        if cause.errno == errno.EIO:
            return "io"
    return None


def _reason(cause: BaseException) -> str:
    if isinstance(cause, OSError) and cause.strerror:
        return cause.strerror
    text = str(cause).strip().splitlines()
    return text[0] if text else type(cause).__name__


def _free(file: Path | str) -> int:
    """Free bytes on the drive holding ``file`` (a server address: unknown, so plenty)."""
    folder = Path(file).parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return NEARLY_FULL
