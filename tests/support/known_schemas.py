"""The schema objects each generation's migrations make, as a department file holds them.

``testlearn/sync/known_schemas.json`` is what a merge compares a department file's
``sqlite_master`` with. It is written from the migrations themselves (every file, new or
migrated, gets its schema from them), and a test checks that it still matches; after a new
migration, rewrite it with ``python -m tests.support.known_schemas``.
"""

from __future__ import annotations

import json
import sqlite3
import tempfile
from pathlib import Path
from typing import Any

from testlearn.store.database import SCHEMA_GENERATION, _sqlite_engine, _upgrade
from testlearn.sync.schema_check import KNOWN_SCHEMAS


def schema_made_by_migrations(generation: int) -> list[list[Any]]:
    """(type, name, table, sql) of every object migrations 1..``generation`` create."""
    with tempfile.TemporaryDirectory(prefix="testlearn-schema-") as folder:
        path = Path(folder) / "schema.sqlite"
        engine = _sqlite_engine(path)
        try:
            with engine.connect() as conn, conn.begin():
                _upgrade(conn, f"{generation:04}")
        finally:
            engine.dispose()
        conn = sqlite3.connect(path)
        try:
            rows = conn.execute(
                "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"
            ).fetchall()
        finally:
            conn.close()
    return [list(row) for row in rows]


def all_generations() -> dict[str, list[list[Any]]]:
    return {str(g): schema_made_by_migrations(g) for g in range(1, SCHEMA_GENERATION + 1)}


if __name__ == "__main__":
    KNOWN_SCHEMAS.write_text(json.dumps(all_generations(), indent=1) + "\n", encoding="utf-8")
    print(f"wrote {KNOWN_SCHEMAS}")
