"""Where the user's database is: ``--db``, ``$TESTLEARN_DB`` or the default file.

Apart from ``databases`` (which brings the ORM with it) so that a command can find its file
before deciding how to open it.
"""

from __future__ import annotations

import os
from pathlib import Path

from testlearn.domain.locations import is_server_url

ENVIRONMENT_VARIABLE = "TESTLEARN_DB"


def default_database_path() -> Path:
    """The user's own database, in the platform's per-user data folder."""
    import platformdirs

    return platformdirs.user_data_path("testlearn", appauthor=False) / "pilots.sqlite"


def default_demo_path() -> Path:
    """The demo database (File > Open the demo), beside the user's own in the data folder."""
    return default_database_path().with_name("demo.sqlite")


def resolve_database_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """``--db`` if given, else ``$TESTLEARN_DB``, else the default.

    A PostgreSQL address (``postgresql://...``) is returned as given, not as a path: the
    type says "Path" for the common case; ``open_database`` accepts both.
    """
    chosen = explicit or os.environ.get(ENVIRONMENT_VARIABLE)
    if chosen and is_server_url(str(chosen)):
        return chosen  # type: ignore[return-value]  # a server address travels as text
    if chosen:
        return Path(chosen).expanduser()
    return default_database_path()
