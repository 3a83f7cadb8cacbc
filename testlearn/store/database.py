"""Opening, creating and migrating a database, and the transactions every action runs in.

SQLite user files run in WAL mode with ``synchronous=FULL`` (a committed action survives a
power cut), foreign keys on, ``trusted_schema`` off, and one writer at a time: a write
transaction starts with ``BEGIN IMMEDIATE`` so two writers queue instead of deadlocking, and
the second waits its turn as ``writer_queue`` describes. A drive that will not take a write
is said so in one line naming the file (``storage_errors``), never as a damaged database.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
import traceback
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, exc, text
from sqlalchemy.pool import NullPool

from testlearn import __version__
from testlearn.domain.ids import new_id
from testlearn.domain.locations import is_server_url, shown_location
from testlearn.errors import DatabaseFileError, PasswordNeeded, UnreadableRecord
from testlearn.store import writer_queue
from testlearn.store.database_file import (
    APPLICATION_ID,
    SCHEMA_GENERATION,
    FileState,
    describe_refusal,
    prepare_opening,
    read_facts,
    read_header,
    write_back,
)
from testlearn.store.storage_errors import storage_failure, writing_to
from testlearn.store.tables import Replica
from testlearn.store.unit_of_work import UnitOfWork
from testlearn.temporary_files import (
    put_in_place,
    remove_leftovers,
    remove_with_sidecars,
    replace_durably,
    temporary_name,
)

MIGRATIONS = Path(__file__).parent / "migrations"


def _sqlite_engine(path: Path, *, read_only: bool = False, unwritable: bool = False) -> Engine:
    # NullPool: a connection per unit of work, closed after it. SQLite connections are cheap,
    # and nothing stays open to hold the WAL or a lock between user actions.
    # An unwritable file (or folder) is opened with mode=ro: SQLite still reads its -wal.
    address = (
        f"sqlite:///file:{path.as_posix()}?mode=ro&uri=true"
        if unwritable
        else f"sqlite:///{os.fspath(path)}"
    )
    engine = create_engine(
        address,
        poolclass=NullPool,
        connect_args={
            "check_same_thread": False,
            "timeout": writer_queue.BUSY_TIMEOUT_MS / 1000,
        },
    )

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control away from the sqlite3 module (it would BEGIN lazily and
        # never IMMEDIATE); SQLAlchemy's begin event below issues our own BEGIN.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            if read_only:
                # A reader beside the writer: the writer put the file in WAL mode (which lets
                # them work at once), and query_only turns any write into an error.
                cursor.execute("PRAGMA query_only=ON")
            else:
                # On a full drive this is where SQLite first fails: it cannot make its -shm.
                cursor.execute("PRAGMA journal_mode=WAL")
                cursor.execute("PRAGMA synchronous=FULL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA trusted_schema=OFF")
        except sqlite3.Error as error:
            failure = storage_failure(error, path)
            if failure is None:
                raise
            raise failure from None
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        mode = connection.info.get("begin", "BEGIN IMMEDIATE")
        if mode != "BEGIN IMMEDIATE":
            connection.exec_driver_sql(mode)
            return
        writer_queue.begin_writing(connection.connection.dbapi_connection, path)
        connection.info["writer_note"] = True

    @event.listens_for(engine, "commit")
    @event.listens_for(engine, "rollback")
    def _end(connection: Any) -> None:
        if connection.info.pop("writer_note", False):
            writer_queue.finished_writing(path)

    return engine


#: Every writing transaction on PostgreSQL takes this advisory lock: one writer at a time,
#: as on SQLite, so two merges into the central store queue rather than interleave.
WRITER_LOCK = 0x544C524E


def _postgres_engine(url: str, password: str | None = None) -> Engine:
    """An engine for ``url``; a password given apart (typed, or kept in memory) is set on
    the URL object only, so no address string that might be shown ever carries it."""
    from sqlalchemy.engine import make_url

    address = make_url(url)
    if address.drivername == "postgresql":
        address = address.set(drivername="postgresql+psycopg")
    if password is not None:
        address = address.set(password=password)
    return create_engine(address, poolclass=NullPool)


def _server_refusal(url: str, error: BaseException, doing: str) -> DatabaseFileError:
    """The one-line message for a server that could not be used, from the driver's words.

    A server asking for a password is told apart, so the command line and the window can ask
    for one and try again."""
    # One line, from the driver: SQLAlchemy's wrapper adds the statement and a link.
    reason = (str(getattr(error, "orig", None) or error).strip().splitlines() or ["?"])[0]
    location = server_address(url)
    if "no password supplied" in reason:
        return PasswordNeeded(
            f"{location}: the server asks for a password; type it when asked, or set "
            "PGPASSWORD or a .pgpass file",
            location=location,
            refused=False,
        )
    if "password authentication failed" in reason:
        return PasswordNeeded(
            f"{location}: the server did not accept the password",
            location=location,
            refused=True,
        )
    return DatabaseFileError(f"{location}: {doing} ({reason})")


class Database:
    """An open testlearn database. Cheap to keep; connections are made per unit of work."""

    def __init__(
        self,
        engine: Engine,
        *,
        path: Path | None,
        url: str | None = None,
        read_only: bool = False,
        notice: str = "",
    ) -> None:
        self.engine = engine
        self.path = path
        self.url = url
        self.read_only = read_only
        #: Said to the user on opening, when the file was opened otherwise than asked
        #: (for reading only, because it cannot be written).
        self.notice = notice
        self.dialect = engine.dialect.name
        #: Where the database is, as shown to people: a server's address without its password.
        self.location = str(path) if path is not None else shown_location(url or "")
        with self.reading() as uow:
            self.replica_id: uuid.UUID = uow.replica_id
            self.generation = uow.schema_generation()

    # -- opening -------------------------------------------------------------------------

    @classmethod
    def create(
        cls, path: Path, *, department: str = "", recorded_at: dt.datetime | None = None
    ) -> Database:
        """Create a new, empty database at ``path``; refuses to overwrite any file.

        The file is built beside its destination and renamed into place, so a crash leaves
        either no file or a whole one. ``recorded_at`` dates its creation (the demo's).
        """
        path = Path(path)
        if path.exists():
            raise DatabaseFileError(f"{path}: a file already exists there; choose a new name")
        if not path.parent.is_dir():
            raise DatabaseFileError(f"{path.parent}: no such folder")
        partial = temporary_name(path)
        try:
            engine = _sqlite_engine(partial)
            with engine.connect() as conn:
                conn.info["begin"] = "BEGIN IMMEDIATE"
                with conn.begin():
                    _upgrade(conn)
                    conn.exec_driver_sql(f"PRAGMA application_id={APPLICATION_ID}")
                    conn.exec_driver_sql(f"PRAGMA user_version={SCHEMA_GENERATION}")
                    _initialise(conn, department=department, recorded_at=recorded_at)
                    UnitOfWork(conn, actor="testlearn", writable=True).set_info(
                        "file_identity", file_identity(partial)
                    )
            engine.dispose()
            put_in_place(partial, path)
        except BaseException:
            remove_with_sidecars(partial)
            raise
        return cls(_sqlite_engine(path), path=path)

    @classmethod
    def open(cls, path: Path) -> Database:
        """Open an existing database, migrating an older one after backing it up.

        A file that is not a testlearn database, is damaged, or was written by a newer
        version is refused with a message, and nothing is written to it. Committed changes
        still in a -wal beside the file (a crash during the write-back after a commit, or a
        file copied with its -wal) are read by SQLite before the file is judged, and written
        back into it; a file that cannot be written is opened for reading only, with a
        :attr:`notice` that says so.
        """
        path = Path(path)
        opening = prepare_opening(path)
        if opening.read_only:
            engine = _sqlite_engine(path, read_only=True, unwritable=True)
            return cls(engine, path=path, read_only=True, notice=opening.notice)
        if opening.wal_pending:
            write_back(path)
        if opening.generation < SCHEMA_GENERATION:
            migrate_file(path, from_generation=opening.generation)
        return cls(_sqlite_engine(path), path=path)

    @classmethod
    def open_to_check(cls, path: Path) -> Database:
        """Open a file for a check that must leave it byte for byte as it was.

        The same checks as :meth:`open`, but the file is read with every write refused:
        in particular its journal mode is left alone, where an opening for work puts the
        file in WAL mode, which rewrites its header. A department's export checked before
        it is merged so keeps the sha256 its manifest records. A file that needs writing
        before it can be read as it stands (a pending -wal to write back, an older schema to
        migrate) is opened as :meth:`open` opens it.
        """
        path = Path(path)
        opening = prepare_opening(path)
        if opening.wal_pending or opening.generation < SCHEMA_GENERATION:
            return cls.open(path)
        engine = _sqlite_engine(path, read_only=True, unwritable=bool(opening.read_only))
        return cls(engine, path=path, read_only=True, notice=opening.notice)

    @classmethod
    def connect(cls, url: str, *, password: str | None = None) -> Database:
        """Open (and on first use, create) the central store on a PostgreSQL server.

        Without ``password`` the driver finds one as libpq does (PGPASSWORD, a .pgpass
        file); the Database keeps the address without it, for showing.
        """
        engine = _postgres_engine(url, password)
        try:
            with engine.connect() as conn, conn.begin():
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": WRITER_LOCK})
                generation = _server_generation(conn)
                if generation > SCHEMA_GENERATION:
                    raise DatabaseFileError(
                        f"{_safe(url)}: made by a newer version of testlearn (schema "
                        f"{generation}; this version reads up to schema {SCHEMA_GENERATION})"
                    )
                if generation == 0:
                    _upgrade(conn)
                    _initialise(conn, department="central store")
                elif generation < SCHEMA_GENERATION:
                    _upgrade(conn)
                    uow = UnitOfWork(conn, actor="testlearn", writable=True)
                    uow.set_info("schema_generation", str(SCHEMA_GENERATION))
                    uow.record_event(
                        "migrate",
                        summary=f"schema {generation} -> {SCHEMA_GENERATION}",
                        detail={"app_version": __version__},
                    )
                    uow.session.flush()
        except DatabaseFileError:
            engine.dispose()
            raise
        except Exception as error:
            engine.dispose()
            raise _server_refusal(url, error, "cannot use this server") from None
        return cls(engine, path=None, url=server_address(url))

    @classmethod
    def open_for_reading(cls, target: Path | str, *, password: str | None = None) -> Database:
        """A second, read-only way into a database that is open for writing elsewhere.

        For work that only reads and should not wait behind the writer (the portfolio):
        SQLite in WAL mode lets a reader see the last commit while another connection
        writes. The integrity check and any migration were done by the writer's opening, so
        only the header is checked here; nothing is ever written.
        """
        if is_server_url(str(target)):
            engine = _postgres_engine(str(target), password).execution_options(
                postgresql_readonly=True
            )
            try:
                return cls(engine, path=None, url=server_address(str(target)), read_only=True)
            except Exception as error:
                engine.dispose()
                raise _server_refusal(
                    str(target), error, "cannot read this server as a testlearn store"
                ) from None
        path = Path(target)
        header = read_header(path)
        if header.state is not FileState.TESTLEARN:
            raise DatabaseFileError(describe_refusal(path, header))
        generation = read_facts(path, check=False).generation if header.wal_pending else 0
        generation = generation or header.generation
        if generation != SCHEMA_GENERATION:
            raise DatabaseFileError(
                f"{path}: schema {generation}, not {SCHEMA_GENERATION}; open it for "
                "writing first, which migrates it"
            )
        return cls(_sqlite_engine(path, read_only=True), path=path, read_only=True)

    # -- transactions ----------------------------------------------------------------------

    @contextlib.contextmanager
    def transaction(
        self, actor: str, *, recorded_at: dt.datetime | None = None
    ) -> Iterator[UnitOfWork]:
        """One user action: everything inside commits together or not at all.

        ``recorded_at`` dates everything the action records instead of the clock: only the
        demo builder (and tests) give it, to record the demo pilots' own history.
        """
        if self.read_only:
            raise DatabaseFileError(self.notice or "this database was opened for reading only")
        with self._storage_errors(), self.engine.connect() as conn:
            conn.info["begin"] = "BEGIN IMMEDIATE"
            with conn.begin():
                if self.dialect == "postgresql":
                    conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": WRITER_LOCK})
                uow = UnitOfWork(conn, actor=actor, writable=True, recorded_at=recorded_at)
                if self.path is not None:
                    uow.ensure_file_identity(file_identity(self.path))
                yield uow
                uow.session.flush()
            self.replica_id = uow.replica_id

    @contextlib.contextmanager
    def reading(self) -> Iterator[UnitOfWork]:
        """A consistent read-only snapshot; nothing done inside is written."""
        with self._storage_errors(), self.engine.connect() as conn:
            conn.info["begin"] = "BEGIN"
            with conn.begin() as txn:
                yield UnitOfWork(conn, actor="", writable=False)
                txn.rollback()

    @contextlib.contextmanager
    def _storage_errors(self) -> Iterator[None]:
        """The database's own errors from a drive that refused a write, in one line.

        Only the database's: an ``OSError`` from other work inside a transaction is about
        another file, which that work names.
        """
        try:
            yield
        except UnreadableRecord as error:
            raise UnreadableRecord(
                f"{shown_location(str(self.path or self.location))}: {error}"
            ) from None
        except (exc.DBAPIError, sqlite3.Error) as error:
            failure = storage_failure(error, self.path or self.location)
            if failure is None:
                raise
            raise failure from error
        except (ValueError, TypeError, OverflowError) as error:
            if not _in_reading_a_value(error):
                raise
            # A value written into the file behind testlearn's back that no column type can
            # hold (a date "2025-13-01", text in a number column): every command that reads
            # the record would otherwise stop with an unexplained error.
            raise DatabaseFileError(
                f"{shown_location(str(self.path or self.location))} holds a value that cannot be "
                f"read ({error}): the file was changed outside testlearn. `testlearn verify` "
                "names the record; restore the file from a backup or a department export"
            ) from error

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _in_reading_a_value(error: BaseException) -> bool:
    """Whether ``error`` was raised by SQLAlchemy turning a stored value into Python (its
    result processors), not by testlearn's own code inside the transaction."""
    last = ""
    for frame in traceback.extract_tb(error.__traceback__):
        # Folder names, not prefixes: a frozen app's frames are relative ("sqlalchemy/...").
        folders = frame.filename.replace("\\", "/").split("/")[:-1]
        if "sqlalchemy" in folders:
            last = "sqlalchemy"
        elif "testlearn" in folders:
            last = "testlearn"
    return last == "sqlalchemy"


def file_identity(path: Path) -> str:
    """Which file this is on this machine: a copy of it is another file."""
    facts = os.stat(path)
    return f"{facts.st_dev}:{facts.st_ino}"


def server_address(target: str) -> str:
    """A server's address as it is shown and remembered: without any password in it."""
    from sqlalchemy.engine import make_url

    return make_url(target).render_as_string(hide_password=True).replace(":***@", "@")


def split_server_address(text: str) -> tuple[str, str | None] | None:
    """``text`` as a server address (without a password) and the password typed into it;
    None when it is not a usable address (no server or no database named)."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    text = text.strip()
    if not is_server_url(text):
        return None
    try:
        parsed = make_url(text)
    except (ArgumentError, ValueError):
        return None
    if not parsed.host or not parsed.database:
        return None
    return server_address(text), (str(parsed.password) if parsed.password else None)


def _safe(url: str) -> str:
    """A server address without its password, for messages."""
    return shown_location(url)


def _server_generation(conn: Any) -> int:
    exists = conn.execute(
        text("SELECT count(*) FROM information_schema.tables WHERE table_name = 'database_info'")
    ).scalar_one()
    if not exists:
        tables = conn.execute(
            text(
                "SELECT count(*) FROM information_schema.tables "
                "WHERE table_schema = current_schema()"
            )
        ).scalar_one()
        if tables:
            raise DatabaseFileError("this database holds other tables; it is not a testlearn store")
        return 0
    value = conn.execute(
        text("SELECT value FROM database_info WHERE key = 'schema_generation'")
    ).scalar_one_or_none()
    return int(value or 0)


def backup_path(path: Path, generation: int) -> Path:
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    return path.with_name(f"{path.stem}.schema{generation}-backup-{stamp}{path.suffix}")


def migrate_file(path: Path, *, from_generation: int) -> Path:
    """Back ``path`` up with ``VACUUM INTO``, then migrate it in one transaction.

    Returns the backup's path. If the migration fails the file is as it was.
    """
    backup = backup_path(path, from_generation)
    vacuum_into(path, backup)
    engine = _sqlite_engine(path)
    try:
        with engine.connect() as conn:
            conn.info["begin"] = "BEGIN IMMEDIATE"
            # Outside the transaction: inside one SQLite ignores the pragma, and a migration
            # that rebuilds a table others refer to (0005) could not drop the old one.
            conn.connection.dbapi_connection.execute("PRAGMA foreign_keys=OFF")  # type: ignore[union-attr]
            with conn.begin():
                _upgrade(conn)
                conn.exec_driver_sql(f"PRAGMA user_version={SCHEMA_GENERATION}")
                uow = UnitOfWork(conn, actor="testlearn", writable=True)
                # The header says the generation, and so must the file's own facts (as on
                # PostgreSQL): `Database.generation` reads them.
                uow.set_info("schema_generation", str(SCHEMA_GENERATION))
                uow.sync_vocabulary()
                uow.record_event(
                    "migrate",
                    summary=f"schema {from_generation} -> {SCHEMA_GENERATION}",
                    detail={"backup": backup.name, "app_version": __version__},
                )
                uow.session.flush()
            conn.connection.dbapi_connection.execute("PRAGMA foreign_keys=ON")  # type: ignore[union-attr]
    finally:
        engine.dispose()
    return backup


def _upgrade(conn: Any, target: str = "head") -> None:
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", os.fspath(MIGRATIONS))
    config.attributes["connection"] = conn
    command.upgrade(config, target)


def _initialise(conn: Any, *, department: str, recorded_at: dt.datetime | None = None) -> None:
    replica = new_id()
    uow = UnitOfWork(conn, actor="testlearn", writable=True, recorded_at=recorded_at)
    now = uow.now()
    uow.session.add(
        Replica(
            id=replica, is_self=True, department=department, created_at=now, app_version=__version__
        )
    )
    uow.session.flush()
    uow.set_info("schema_generation", str(SCHEMA_GENERATION))
    uow.set_info("created_with", __version__)
    uow.sync_vocabulary()
    uow.record_event("create", summary="database created", detail={"app_version": __version__})
    uow.session.flush()


def vacuum_into(source: Path, destination: Path) -> None:
    """A consistent, compact copy of a live database, WAL content included.

    Never a raw file copy: that would miss whatever is still in the -wal file.
    """
    import sqlite3

    # The copy is about as large as the file's pages in use (VACUUM leaves out free ones).
    with writing_to(destination, needed=os.path.getsize(source), saved="no copy was written"):
        conn = sqlite3.connect(source, isolation_level=None)
        try:
            conn.execute("VACUUM INTO ?", (os.fspath(destination),))
        finally:
            conn.close()


def copy_database(source: Path, destination: Path) -> None:
    """Save a copy of a database (File > Save a copy), written whole or not at all."""
    if destination.exists():
        raise DatabaseFileError(f"{destination}: a file already exists there")
    remove_leftovers(destination.parent)
    partial = temporary_name(destination)
    try:
        vacuum_into(source, partial)
        replace_durably(partial, destination)
    finally:
        remove_with_sidecars(partial)
