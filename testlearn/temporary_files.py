"""Temporary files beside their targets, renamed into place whole, and cleared after a crash.

Anything testlearn writes that a crash could leave half-made (a new database, the demo, an
export, a copy, the private copies a merge checks, a report, a receipt, a spreadsheet) is
written under a recognisable name in the target's own folder, then renamed over the target
in one step; work that has no target folder (a report rebuilt to be checked, typed counts
read as a file) goes in the app's private folder under the same kind of name. The name
carries the process id and a token for the machine,
``.pilots.sqlite.tl4242-1a2b3c-9f8e7d.partial``, so that the next start, or the next write
to that folder, can remove what a killed run left behind without ever touching the file of
another testlearn that is still running (on this machine or, on a shared folder, another
one).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import socket
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

_PATTERN = re.compile(
    r"^\.(?P<target>.+)\.tl(?P<pid>\d+)-(?P<host>[0-9a-f]{6})-[0-9a-f]{6}\.(?P<purpose>[a-z]+)"
    r"(?:-wal|-shm|-journal|\.manifest\.json)?$"
)
SIDECARS = ("-wal", "-shm", "-journal")


def _host() -> str:
    return hashlib.sha256(socket.gethostname().encode("utf-8", "replace")).hexdigest()[:6]


def temporary_name(target: Path, purpose: str = "partial") -> Path:
    """A name beside ``target`` for building it, owned by this process."""
    token = uuid.uuid4().hex[:6]
    return target.with_name(f".{target.name}.tl{os.getpid()}-{_host()}-{token}.{purpose}")


def create_beside(target: Path, purpose: str = "partial") -> tuple[int, Path]:
    """Create a new, empty temporary file beside ``target``; its descriptor and name.

    Made with the permissions an ordinary file gets (the user's umask decides), unlike
    ``tempfile.mkstemp``'s owner-only ones: a report renamed into a shared folder is read by
    colleagues.
    """
    while True:
        name = temporary_name(target, purpose)
        try:
            return os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _BINARY, 0o666), name
        except FileExistsError:  # six random hex digits, same process: try another
            continue


_BINARY = getattr(os, "O_BINARY", 0)  # Windows would otherwise translate line ends


def remove_with_sidecars(path: Path) -> None:
    """Remove a temporary database and the -wal/-shm SQLite may have made beside it."""
    for leftover in (path, *(Path(f"{path}{suffix}") for suffix in SIDECARS)):
        with contextlib.suppress(OSError):
            leftover.unlink(missing_ok=True)


def replace_durably(source: Path, target: Path) -> None:
    """Rename ``source`` over ``target`` so that after a power cut one of them is whole.

    The file's bytes are flushed to disk before the rename, and the folder's entry after it
    (on POSIX; Windows has no folder handles to flush, and NTFS journals the rename).
    """
    with source.open("rb+") as handle:
        os.fsync(handle.fileno())
    os.replace(source, target)
    sync_folder(target.parent)


def sync_folder(folder: Path) -> None:
    if sys.platform == "win32":
        return
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    except OSError:  # some network file systems cannot flush a folder; the rename still stands
        pass
    finally:
        os.close(descriptor)


def private_folder() -> Path:
    """The app's own per-user folder for temporary work that has no target folder."""
    import platformdirs

    folder = platformdirs.user_cache_path("testlearn", appauthor=False) / "temporary"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@contextlib.contextmanager
def scratch_folder(beside: Path, purpose: str) -> Iterator[Path]:
    """A private folder in ``beside`` for the length of one action, removed afterwards."""
    folder = temporary_name(beside / f"testlearn-{purpose}", "scratch")
    folder.mkdir()
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def is_running(pid: int) -> bool:
    """Whether a process with this id exists (if in doubt: yes, so nothing is removed)."""
    if pid == os.getpid():
        return True
    if pid <= 0:
        return False
    if sys.platform == "win32":
        return _windows_is_running(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # PermissionError: it exists, under another user
        return True
    return True


def _windows_is_running(pid: int) -> bool:  # pragma: no cover - Windows only
    import ctypes

    kernel = ctypes.windll.kernel32  # type: ignore[attr-defined]  # exists on Windows only
    handle = kernel.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
    if not handle:
        return bool(kernel.GetLastError() == 5)  # access denied: it exists
    try:
        code = ctypes.c_ulong()
        kernel.GetExitCodeProcess(handle, ctypes.byref(code))
        return bool(code.value == 259)  # STILL_ACTIVE
    finally:
        kernel.CloseHandle(handle)


def remove_leftovers(folder: Path) -> list[Path]:
    """Remove the temporary files and folders in ``folder`` that a crashed testlearn left.

    Only names this module made, made on this machine, by a process that has gone; anything
    unreadable is left as it is. Returns what was removed.
    """
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    host = _host()
    for entry in entries:
        match = _PATTERN.match(entry.name)
        if match is None or match["host"] != host or is_running(int(match["pid"])):
            continue
        path = Path(entry.path)
        try:
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(path)
            else:
                path.unlink()
        except OSError:
            continue
        removed.append(path)
    return removed


def put_in_place(built: Path, path: Path, *, replace: bool = False) -> None:
    """Move a database built under a temporary name to ``path``, whole, in one step.

    Its -wal is written back first (never deleted with changes in it), and the file and its
    folder are flushed to disk around the rename, so a crash or a power cut leaves either
    nothing (or, with ``replace``, the old file) or the whole new one under ``path``.
    """
    import sqlite3

    from testlearn.errors import DatabaseFileError

    conn = sqlite3.connect(built, isolation_level=None)
    try:
        busy, _, _ = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    finally:
        conn.close()
    if busy or (Path(f"{built}-wal").exists() and Path(f"{built}-wal").stat().st_size):
        raise DatabaseFileError(f"{built}: still in use; {path} was not made")
    for suffix in ("-wal", "-shm"):
        Path(f"{built}{suffix}").unlink(missing_ok=True)
    if not replace and path.exists():
        raise DatabaseFileError(f"{path}: a file already exists there; choose a new name")
    if replace:  # an outdated file's -wal and -shm must not meet the new file
        for suffix in ("-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    replace_durably(built, path)
