"""Recognising a database file from its bytes, before SQLite is allowed near it.

Everything here reads the file and writes nothing, so a foreign, damaged or too-new file
can be refused with the user's file untouched. The SQLite header layout is documented at
https://www.sqlite.org/fileformat.html#the_database_header.
"""

from __future__ import annotations

import enum
import os
import struct
from dataclasses import dataclass
from pathlib import Path

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
    # The in-header page count is only trusted when its version-valid-for number matches the
    # change counter (SQLite >= 3.7.0 always writes it so).
    if page_size < 512 or size % page_size:
        return FileHeader(FileState.TRUNCATED, size=size)
    if valid_for == change_counter and page_count * page_size > size:
        return FileHeader(FileState.TRUNCATED, size=size)
    application_id = struct.unpack(">I", header[68:72])[0]
    generation = struct.unpack(">I", header[60:64])[0]
    if application_id != APPLICATION_ID:
        return FileHeader(FileState.FOREIGN, generation=generation, size=size)
    return FileHeader(FileState.TESTLEARN, generation=generation, size=size)


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
            return (
                f"{name}: the database is damaged (the file is cut short); "
                "open a backup or ask whoever sent it for a new copy"
            )
        case FileState.FOREIGN:
            return f"{name}: an SQLite database, but not a testlearn one; it has not been opened"
    return f"{name}: cannot be opened"
