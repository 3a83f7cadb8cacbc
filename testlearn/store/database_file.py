"""Recognising a database file: from its bytes first, then as SQLite itself reads it.

Everything here but :func:`write_back` reads the file and writes nothing, so a foreign,
damaged or too-new file can be refused with the user's file untouched. The SQLite header
layout is documented at https://www.sqlite.org/fileformat.html#the_database_header.

A file with committed changes still in its -wal (a crash before or during the write-back
that follows a commit, or a file copied with its -wal) is whole, though its own header may
say otherwise: its page 1 and page count are only brought up to date by that write-back.
Such a file is judged by SQLite, which reads the -wal, never by its header; and "damaged"
is said only when SQLite says so (https://www.sqlite.org/wal.html#recovery).
"""

from __future__ import annotations

import contextlib
import enum
import os
import sqlite3
import struct
from dataclasses import dataclass
from pathlib import Path

#: The schema generation this version writes: the number of the newest migration. Stored in
#: ``PRAGMA user_version`` so a file's generation can be read from its header.
SCHEMA_GENERATION = 10
#: ``PRAGMA application_id`` of every testlearn file: the ASCII bytes "TLRN".
APPLICATION_ID = 0x544C524E
SQLITE_MAGIC = b"SQLite format 3\x00"


class FileState(enum.Enum):
    MISSING = "missing"
    FOLDER = "folder"
    UNREADABLE = "unreadable"
    EMPTY = "empty"
    NOT_SQLITE = "not SQLite"
    TRUNCATED = "truncated"
    FOREIGN = "foreign"
    TESTLEARN = "testlearn"


@dataclass(frozen=True)
class FileHeader:
    state: FileState
    generation: int = 0  # PRAGMA user_version: the schema generation
    size: int = 0
    #: Committed changes lie in a -wal beside the file: the header's page count and page 1
    #: may be out of date, so the generation is read through SQLite (:func:`read_facts`).
    wal_pending: bool = False


def has_pending_wal(path: Path) -> bool:
    try:
        return Path(f"{path}-wal").stat().st_size > 0
    except OSError:
        return False


def read_header(path: Path) -> FileHeader:
    """Classify ``path`` from its first 100 bytes and its size."""
    try:
        if path.is_dir():
            return FileHeader(FileState.FOLDER)
        size = path.stat().st_size
    except FileNotFoundError:
        return FileHeader(FileState.MISSING)
    except OSError:
        return FileHeader(FileState.UNREADABLE)
    if size == 0:
        return FileHeader(FileState.EMPTY)
    try:
        with path.open("rb") as handle:
            header = handle.read(100)
    except OSError:
        return FileHeader(FileState.UNREADABLE, size=size)
    if not header.startswith(SQLITE_MAGIC):
        return FileHeader(FileState.NOT_SQLITE, size=size)
    if len(header) < 100:
        return FileHeader(FileState.TRUNCATED, size=size)
    page_size = struct.unpack(">H", header[16:18])[0]
    page_size = 65536 if page_size == 1 else page_size
    page_count, change_counter = struct.unpack(">I", header[28:32])[0], header[24:28]
    valid_for = header[92:96]
    wal_pending = has_pending_wal(path)
    # The in-header page count is only trusted when its version-valid-for number matches the
    # change counter (SQLite >= 3.7.0 always writes it so), and when no -wal is pending: a
    # write-back cut off after page 1 leaves a header that counts pages the -wal still holds.
    if page_size < 512 or (not wal_pending and size % page_size):
        return FileHeader(FileState.TRUNCATED, size=size)
    if not wal_pending and valid_for == change_counter and page_count * page_size > size:
        return FileHeader(FileState.TRUNCATED, size=size)
    application_id = struct.unpack(">I", header[68:72])[0]
    generation = struct.unpack(">I", header[60:64])[0]
    state = FileState.TESTLEARN if application_id == APPLICATION_ID else FileState.FOREIGN
    return FileHeader(state, generation=generation, size=size, wal_pending=wal_pending)


@dataclass(frozen=True)
class FileFacts:
    """What SQLite reads in a file, its -wal included."""

    application_id: int
    generation: int
    problems: tuple[str, ...] = ()  # from PRAGMA quick_check; empty when it says "ok"


def read_facts(path: Path, *, check: bool = True) -> FileFacts:
    """Open ``path`` read-only through SQLite, committed -wal content included, and read it.

    With ``check``, ``PRAGMA quick_check`` runs too. Nothing is written to the file: with no
    -wal the file is opened as immutable (which creates nothing beside it); with one, SQLite
    reads it, and may make the -shm index it needs, but writes nothing back.

    Raises:
        DatabaseFileError: SQLite could not read the file; the message says whether it is
            damaged (only when SQLite says so) or what else stops it being read.
    """
    from testlearn.errors import DatabaseFileError

    uri = f"file:{path.as_posix()}?mode=ro"
    if not has_pending_wal(path) and not Path(f"{path}-shm").exists():
        uri += "&immutable=1"
    try:
        conn = sqlite3.connect(uri, uri=True, isolation_level=None)
        try:
            conn.execute("PRAGMA trusted_schema=OFF")
            application_id = int(conn.execute("PRAGMA application_id").fetchone()[0])
            generation = int(conn.execute("PRAGMA user_version").fetchone()[0])
            rows = conn.execute("PRAGMA quick_check").fetchall() if check else [("ok",)]
        finally:
            conn.close()
    except sqlite3.Error as error:
        from testlearn.store.storage_errors import full_drive

        # A full drive is no fault of the file: say so, and how to make room.
        failure = full_drive(error, path)
        raise failure or DatabaseFileError(describe_sqlite_error(path, error)) from None
    problems = tuple(str(row[0]) for row in rows if row != ("ok",))
    return FileFacts(application_id, generation, problems)


def describe_sqlite_error(path: Path, error: sqlite3.Error) -> str:
    """One line for an SQLite error on opening ``path``: "damaged" only if SQLite says so."""
    name = os.fspath(path)
    code = str(getattr(error, "sqlite_errorname", "") or "")
    reason = str(error).strip().splitlines()[0] if str(error).strip() else code or "?"
    # SQLITE_CORRUPT (and its extended codes) and SQLITE_NOTADB: the file itself is damaged.
    if code.startswith("SQLITE_CORRUPT") or code == "SQLITE_NOTADB":
        return (
            f"{name}: the database is damaged ({reason}); open a backup or ask whoever "
            "sent it for a new copy"
        )
    if code.startswith("SQLITE_BUSY") or code.startswith("SQLITE_LOCKED"):
        return f"{name}: another program is using the file ({reason}); try again when it is done"
    if code.startswith(("SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_PERM", "SQLITE_AUTH")):
        return (
            f"{name}: the file cannot be opened here ({reason}); check that you may read it "
            "and write to its folder, or copy it, with its -wal file, somewhere you can"
        )
    return (
        f"{name}: the file cannot be read just now ({reason}); the file has not been "
        "changed: check the disk and try again"
    )


def describe_refusal(path: Path, header: FileHeader) -> str:
    """The message for a file that cannot be opened as a testlearn database."""
    name = os.fspath(path)
    match header.state:
        case FileState.MISSING:
            return f"{name}: no such file"
        case FileState.FOLDER:
            return f"{name}: this is a folder; give the path of a database file"
        case FileState.UNREADABLE:
            return f"{name}: the file cannot be read (check that you may open it)"
        case FileState.EMPTY:
            return f"{name}: the file is empty (0 bytes), so it is not a testlearn database"
        case FileState.NOT_SQLITE:
            return f"{name}: not a testlearn database (it is not an SQLite file at all)"
        case FileState.TRUNCATED:
            # Said only with no -wal beside the file: with one, SQLite judges (read_facts).
            return (
                f"{name}: the database is damaged (the file is cut short); if it was copied, "
                f"copy it again with its {path.name}-wal file; otherwise open a backup or "
                "ask whoever sent it for a new copy"
            )
        case FileState.FOREIGN:
            return f"{name}: an SQLite database, but not a testlearn one; it has not been opened"
    return f"{name}: cannot be opened"


def why_unwritable(path: Path) -> str:
    """Why testlearn may not write ``path`` (its -wal and -shm live in its folder), or ""."""
    if not os.access(path, os.W_OK):
        return "the file is read-only"
    if not os.access(path.parent, os.W_OK):
        return "its folder cannot be written to"
    return ""


def write_back(path: Path) -> None:
    """Write a pending -wal's committed changes into the file itself, as SQLite would.

    Opening read-write lets SQLite recover the -wal (it replays only committed
    transactions); the checkpoint then copies them into the file, so it is whole on its
    own again. If that cannot be done now (another writer, a full disk) nothing is lost:
    the changes stay in the -wal, and SQLite goes on reading them from there.
    """
    with contextlib.suppress(sqlite3.Error):
        conn = sqlite3.connect(path, timeout=1, isolation_level=None)
        try:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        finally:
            conn.close()


@dataclass(frozen=True)
class Opening:
    """What the checks on opening a file found: how it may be opened."""

    path: Path
    generation: int
    #: Committed changes wait in its -wal (to be written back if the file may be written).
    wal_pending: bool
    #: Why the file cannot be written ("" when it can): it is opened for reading only.
    unwritable: str

    @property
    def read_only(self) -> bool:
        return bool(self.unwritable)

    @property
    def notice(self) -> str:
        """What the user is told on opening: "" unless the file is opened for reading only."""
        if not self.unwritable:
            return ""
        notice = f"{self.path}: opened for reading only, because {self.unwritable}"
        if self.wal_pending:
            notice += "; its latest changes were read from its -wal file, not written back"
        return notice


def prepare_opening(path: Path) -> Opening:
    """Every check made before a file is opened, by the ORM or by sqlite3 alone.

    A file that is not a testlearn database, is damaged, or was written by a newer version
    is refused with a message, and nothing is written to it; so is an older file that cannot
    be written (it could not be brought up to date). Temporary files a crashed testlearn
    left beside it are removed. Writing back a pending -wal and migrating are the caller's.

    Raises:
        DatabaseFileError: the file cannot be opened; the message says why.
    """
    from testlearn.errors import DatabaseFileError
    from testlearn.temporary_files import remove_leftovers

    header = read_header(path)
    if header.state is not FileState.TESTLEARN:
        raise DatabaseFileError(describe_refusal(path, header))
    facts = read_facts(path)  # through SQLite: the header predates a pending -wal
    if facts.problems:
        raise DatabaseFileError(
            f"{path}: the database is damaged ({facts.problems[0]}); open a backup or ask "
            "whoever sent it for a new copy"
        )
    generation = facts.generation
    if generation > SCHEMA_GENERATION:
        raise DatabaseFileError(
            f"{path}: made by a newer version of testlearn (schema {generation}; "
            f"this version reads up to schema {SCHEMA_GENERATION}). "
            "Install the newer version to open it; the file has not been changed."
        )
    if generation < 1:
        raise DatabaseFileError(f"{path}: the database is damaged (no schema generation)")
    remove_leftovers(path.parent)
    unwritable = why_unwritable(path)
    if unwritable and generation < SCHEMA_GENERATION:
        raise DatabaseFileError(
            f"{path}: made by an older version (schema {generation}) and {unwritable}, "
            "so it cannot be brought up to date; copy it (with any -wal file beside "
            "it) to a folder you can write to and open the copy"
        )
    return Opening(path, generation, header.wal_pending, unwritable)
