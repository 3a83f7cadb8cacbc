"""Finding, creating and opening the user's database file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from testlearn.domain.locations import is_server_url
from testlearn.errors import InvalidValue
from testlearn.services.database_paths import (
    default_database_path,
    default_demo_path,
    resolve_database_path,
)
from testlearn.store.database import (
    Database,
    copy_database,
    server_address,
    split_server_address,
)
from testlearn.store.database_file import SCHEMA_GENERATION
from testlearn.store.storage_errors import storage_failure
from testlearn.store.writer_queue import announcing as announce_waits
from testlearn.temporary_files import (
    private_folder,
    put_in_place,
    remove_leftovers,
    remove_with_sidecars,
    temporary_name,
)

__all__ = [
    "SCHEMA_GENERATION",
    "Database",
    "announce_waits",
    "copy_database",
    "create_database",
    "default_database_path",
    "default_demo_path",
    "is_server_url",
    "open_database",
    "open_database_for_reading",
    "resolve_database_path",
    "server_address",
    "split_server_address",
    "storage_failure",
    "use_password",
]

#: Passwords typed for servers in this process (window or command), by the address without
#: its password. Kept in memory only: never written, never shown, gone when testlearn ends.
_typed_passwords: dict[str, str] = {}


def use_password(target: str, password: str) -> None:
    """Remember, for this process only, the password typed for the server at ``target``."""
    _typed_passwords[server_address(target)] = password


def _password_for(target: str) -> str | None:
    split = split_server_address(target)
    given = split[1] if split is not None else None
    return _typed_passwords.get(server_address(target)) or given


def open_database(target: Path | str) -> Database:
    """Open a database file, or connect to a PostgreSQL central store by its address.

    A server's password comes from the address, else from one typed in this process
    (``use_password``), else as libpq finds it (PGPASSWORD, a .pgpass file).

    What a crashed testlearn left in the app's private folder (a merge's copies of
    department files) is cleared first; the file's own folder is cleared by the opening.
    """
    remove_leftovers(private_folder())
    if is_server_url(str(target)):
        return Database.connect(str(target), password=_password_for(str(target)))
    return Database.open(Path(target))


def open_database_to_check(path: Path) -> Database:
    """Open a database file for a check (``verify``) that leaves it byte for byte as it was."""
    remove_leftovers(private_folder())
    return Database.open_to_check(Path(path))


def open_database_for_reading(target: Path | str) -> Database:
    """Open a database already open elsewhere, for reading beside its writer."""
    if is_server_url(str(target)):
        return Database.open_for_reading(target, password=_password_for(str(target)))
    return Database.open_for_reading(target)


def create_database(
    path: Path | str,
    *,
    demo: bool = False,
    actor: str,
    department: str = "",
    recorded_at: dt.datetime | None = None,
) -> Database:
    """Create a new database; with ``demo`` it holds the ten demo pilots.

    A database made so (``testlearn init --demo``: for training, merge rehearsals and tests)
    is an ordinary database that happens to hold the demo pilots; the demo database that the
    window opens is built by ``testlearn.services.demo.build_demo_database`` and marked.
    Either records the demo pilots' own history, dated as they ran (2024-26), so the file
    is created at the start of it; ``recorded_at`` dates the creation otherwise (tests).
    """
    if is_server_url(str(path)):
        if demo:
            raise InvalidValue(
                "the demo pilots are made in a file (testlearn init --demo --db FILE); a "
                "central store on a server gets its pilots by merging department files"
            )
        # The first connection sets the store up; a store already there is opened as it is.
        return open_database(str(path))
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_leftovers(private_folder())
    remove_leftovers(path.parent)
    if not demo:
        return Database.create(path, department=department, recorded_at=recorded_at)
    from testlearn.services import demo as demo_pilots

    # Filled under a temporary name and renamed whole: a killed `init --demo` leaves no
    # file holding some of the pilots under the name asked for.
    building = temporary_name(path, "building")
    try:
        with Database.create(
            building,
            department=department,
            recorded_at=recorded_at or demo_pilots.first_recorded_at(),
        ) as db:
            demo_pilots.add_demo_pilots(db=db, actor=actor)
        put_in_place(building, path)
    except BaseException:
        remove_with_sidecars(building)
        raise
    return Database.open(path)
