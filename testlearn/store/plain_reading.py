"""Reading a database file through the sqlite3 module alone, for commands that only read.

Importing the ORM and building the table models takes longer than `testlearn pilots` needs
for its whole run, so a read command on a file that is up to date asks SQLite directly. The
file meets every check the ORM's opening makes (``database_file.prepare_opening``: what the
file is, damage, its schema generation, a file too new or from another program), its
pending -wal is written back, and the connection is set up as the ORM's is (WAL mode, full
sync, foreign keys, no trusted schema; a read-only file with ``query_only``), so the user
sees the same messages and the file is left the same. A file an older version made must be
migrated first, which only the ORM does: :func:`open_plain` returns None for it, and for a
central store on a server.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from testlearn.domain.pilot_summary import PilotSummary
from testlearn.errors import NotFound
from testlearn.store import pilot_list
from testlearn.store.database_file import SCHEMA_GENERATION, prepare_opening, write_back
from testlearn.store.storage_errors import storage_failure
from testlearn.store.writer_queue import BUSY_TIMEOUT_MS


class PlainDatabase:
    """An up-to-date database file opened for reading with sqlite3; see :func:`open_plain`."""

    def __init__(self, path: Path, *, read_only: bool = False, notice: str = "") -> None:
        self.path = path
        self.read_only = read_only
        #: Said to the user on opening, as ``Database.notice`` is.
        self.notice = notice
        self.location = str(path)
        with self.reading() as read:
            # As ``Database`` does on opening: a file without its own replica is damaged.
            if not read.rows("SELECT id FROM replica WHERE is_self"):
                raise NotFound("this database has no replica id; it is damaged")

    @contextlib.contextmanager
    def reading(self) -> Iterator[PlainReading]:
        """A consistent read-only snapshot, as ``Database.reading``; nothing is written."""
        try:
            conn = self._connect()
            try:
                conn.execute("BEGIN")
                yield PlainReading(conn)
                conn.execute("ROLLBACK")
            finally:
                conn.close()
        except sqlite3.Error as error:
            failure = storage_failure(error, self.path)
            if failure is None:
                raise
            raise failure from error

    def _connect(self) -> sqlite3.Connection:
        # The same address and pragmas as ``database._sqlite_engine``.
        if self.read_only:
            conn = sqlite3.connect(
                f"file:{self.path.as_posix()}?mode=ro",
                uri=True,
                timeout=BUSY_TIMEOUT_MS / 1000,
                isolation_level=None,
            )
        else:
            conn = sqlite3.connect(
                os.fspath(self.path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None
            )
        try:
            if self.read_only:
                conn.execute("PRAGMA query_only=ON")
            else:
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("PRAGMA synchronous=FULL")
            conn.execute("PRAGMA foreign_keys=ON")
            conn.execute("PRAGMA trusted_schema=OFF")
        except BaseException:
            conn.close()
            raise
        return conn

    def close(self) -> None:
        """Nothing stays open between readings; here for the same use as ``Database``."""

    def __enter__(self) -> PlainDatabase:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class PlainReading:
    """One read transaction's statements."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def rows(self, sql: str, parameters: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return self._conn.execute(sql, parameters).fetchall()

    def mappings(self, sql: str, parameters: Sequence[Any] = ()) -> list[dict[str, Any]]:
        """The rows as dictionaries by column name."""
        cursor = self._conn.execute(sql, parameters)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def pilot_summaries(self, *, search: bool = False) -> list[PilotSummary]:
        return pilot_list.pilot_summaries(self._conn.execute, search=search)


def open_plain(path: Path) -> PlainDatabase | None:
    """Open an up-to-date database file for reading, after every check the ORM makes.

    None when only the ORM's opening will do: the file must be migrated first.

    Raises:
        DatabaseFileError: the file cannot be opened, as ``Database.open`` says it.
    """
    path = Path(path)
    opening = prepare_opening(path)
    if opening.read_only:
        return PlainDatabase(path, read_only=True, notice=opening.notice)
    if opening.generation < SCHEMA_GENERATION:
        return None
    if opening.wal_pending:
        write_back(path)
    return PlainDatabase(path)
