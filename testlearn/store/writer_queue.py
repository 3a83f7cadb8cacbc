"""Two writers take turns: the second waits, says so once, and gives up only after a long wait.

SQLite lets one connection write to a file at a time. A write transaction takes the lock at
its start (``BEGIN IMMEDIATE``: a reader that turned writer half-way could deadlock with
another), and a second writer waits in SQLite's busy handler: quietly for the first second,
which covers the usual short save, then after one notice ("another testlearn is writing to
FILE; waiting...") for up to :data:`WAIT_LIMIT` seconds, and then gives up with
:class:`DatabaseBusy`, naming the file.

SQLite cannot say who holds its lock, so while its transaction is open each writer leaves a
one-line note beside the file (``.NAME.writer``: process, computer, command, time). A waiter
names the holder from that note only when the note's process is still running on this
computer (or the note comes from another computer, which is said); otherwise it says
"another program", which is all that is known. The note is advisory: failing to write it
(a full or read-only drive) changes nothing else.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import json
import os
import socket
import sqlite3
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

from testlearn.errors import DatabaseBusy

#: How long a writer waits in silence before it says that it is waiting, in seconds.
NOTICE_AFTER = 1.0
#: How long a writer waits for another in all before it gives up, in seconds.
WAIT_LIMIT = 60.0
#: Every other statement (a reader during a checkpoint, opening a file another is recovering)
#: waits this long in SQLite's busy handler, in milliseconds.
BUSY_TIMEOUT_MS = int(WAIT_LIMIT * 1000)

SQLITE_BUSY, SQLITE_LOCKED = 5, 6

_notices: contextvars.ContextVar[Callable[[str], None] | None] = contextvars.ContextVar(
    "testlearn_wait_notices", default=None
)
_doing: contextvars.ContextVar[str] = contextvars.ContextVar("testlearn_doing", default="a command")


@contextlib.contextmanager
def announcing(notice: Callable[[str], None], *, doing: str) -> Iterator[None]:
    """Inside, a writer that has to wait calls ``notice`` once with a one-line message.

    ``doing`` is what this testlearn is doing, for the note other waiters read
    ("import-results", "the window"). Context-local: the command line sets it for its
    command, the window's worker lane for its thread.
    """
    notice_token = _notices.set(notice)
    doing_token = _doing.set(doing)
    try:
        yield
    finally:
        _doing.reset(doing_token)
        _notices.reset(notice_token)


def is_busy(error: BaseException) -> bool:
    """Whether ``error`` is SQLite saying that another connection holds the lock."""
    code = getattr(error, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (SQLITE_BUSY, SQLITE_LOCKED)
    return "database is locked" in str(error)


def begin_writing(raw: sqlite3.Connection, path: Path) -> None:
    """``BEGIN IMMEDIATE`` on ``raw``, waiting for another writer as this module describes.

    Raises:
        DatabaseBusy: the other writer held the file for longer than :data:`WAIT_LIMIT`.
    """
    try:
        raw.execute(f"PRAGMA busy_timeout={int(NOTICE_AFTER * 1000)}")
        try:
            raw.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            if not is_busy(error):
                raise
            notice = _notices.get()
            if notice is not None:
                notice(f"{_someone(path)} is writing to {path}; waiting...")
            raw.execute(f"PRAGMA busy_timeout={int(max(0.0, WAIT_LIMIT - NOTICE_AFTER) * 1000)}")
            try:
                raw.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as again:
                if not is_busy(again):
                    raise
                holder = f"{_someone(path)} has been writing to {path} for over {WAIT_LIMIT:.0f} s"
                raise DatabaseBusy(
                    f"{holder}; nothing from this action was saved. Try again when it has finished",
                    holder=holder,
                ) from None
    finally:
        raw.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    _leave_note(path)


def finished_writing(path: Path) -> None:
    """Take this process's note away: the transaction has ended (committed or not)."""
    note = note_path(path)
    with contextlib.suppress(OSError, ValueError):
        if json.loads(note.read_text(encoding="utf-8")).get("pid") == os.getpid():
            note.unlink()


def note_path(path: Path) -> Path:
    return path.with_name(f".{path.name}.writer")


def _leave_note(path: Path) -> None:
    if path.name.startswith("."):
        # A file being built under a temporary name has no other writer to tell, and a
        # note beside it would outlive a killed build that the next start clears away.
        return
    note = {
        "pid": os.getpid(),
        "computer": socket.gethostname(),
        "doing": _doing.get(),
        "since": dt.datetime.now().astimezone().strftime("%H:%M:%S"),
    }
    with contextlib.suppress(OSError):
        note_path(path).write_text(json.dumps(note), encoding="utf-8")


def _someone(path: Path) -> str:
    """Who holds ``path``, as far as can truthfully be said."""
    try:
        note = json.loads(note_path(path).read_text(encoding="utf-8"))
        pid, computer = int(note["pid"]), str(note["computer"])
        doing, since = str(note["doing"]), str(note["since"])
    except (OSError, ValueError, KeyError, TypeError):
        return "another program (perhaps another testlearn)"
    if computer != socket.gethostname():
        return f"another testlearn on the computer {computer} ({doing}, since {since})"
    if pid == os.getpid() or not _running(pid):
        return "another program (perhaps another testlearn)"
    return f"another testlearn ({doing}, process {pid}, since {since})"


def _running(pid: int) -> bool:
    if sys.platform == "win32":
        import ctypes

        kernel = ctypes.windll.kernel32  # type: ignore[attr-defined,unused-ignore]
        handle = kernel.OpenProcess(0x00100000, False, pid)  # SYNCHRONIZE
        if not handle:
            return False
        try:
            return bool(kernel.WaitForSingleObject(handle, 0) == 0x102)  # WAIT_TIMEOUT: alive
        finally:
            kernel.CloseHandle(handle)
    try:
        os.kill(pid, 0)  # signal 0 only asks whether the process exists (POSIX)
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, under another account
        return True
    return True
