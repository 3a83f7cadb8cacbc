"""Finding, creating and opening the user's database file."""

from __future__ import annotations

import os
from pathlib import Path

from testlearn.store.database import SCHEMA_GENERATION, Database, copy_database

__all__ = [
    "SCHEMA_GENERATION",
    "Database",
    "copy_database",
    "create_database",
    "default_database_path",
    "open_database",
    "resolve_database_path",
]

ENVIRONMENT_VARIABLE = "TESTLEARN_DB"


def default_database_path() -> Path:
    """The user's own database, in the platform's per-user data folder."""
    import platformdirs

    return platformdirs.user_data_path("testlearn", appauthor=False) / "pilots.sqlite"


def resolve_database_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """``--db`` if given, else ``$TESTLEARN_DB``, else the default."""
    if explicit:
        return Path(explicit).expanduser()
    if os.environ.get(ENVIRONMENT_VARIABLE):
        return Path(os.environ[ENVIRONMENT_VARIABLE]).expanduser()
    return default_database_path()


def open_database(path: Path) -> Database:
    return Database.open(path)


def create_database(
    path: Path, *, demo: bool = False, actor: str, department: str = ""
) -> Database:
    """Create a new database; with ``demo`` it holds the ten demo pilots."""
    path.parent.mkdir(parents=True, exist_ok=True)
    db = Database.create(path, department=department)
    if demo:
        from testlearn.services.demo import add_demo_pilots

        add_demo_pilots(db=db, actor=actor)
    return db
