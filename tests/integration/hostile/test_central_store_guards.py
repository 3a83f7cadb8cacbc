"""What the central store does with what merges once let in: two pilots under one reference,
a conflict on registered content, and the known schema a merge compares files with."""

from __future__ import annotations

import datetime as dt
import sqlite3
import uuid
from pathlib import Path

import pytest

from testlearn.errors import ConflictError
from testlearn.services import databases, merging, pilots
from testlearn.sync.schema_check import KNOWN_SCHEMAS, known_schema
from tests.builders import pilot
from tests.integration.hostile.conftest import copy_export, fresh_central, merge
from tests.support.known_schemas import schema_made_by_migrations


def test_two_pilots_under_one_reference_are_both_named_never_one_picked(
    tmp_path: Path,
) -> None:
    path = tmp_path / "central.sqlite"
    databases.create_database(path, actor="ana", department="Cabinet Office").close()
    with databases.open_database(path) as db:
        for reference in ("DFE-TL-004", "DFE-TL-005"):
            pilots.create_pilot(pilot(reference=reference), db=db, actor="ana")
    # As a store that merged both before merges refused a taken reference would hold them.
    conn = sqlite3.connect(path)
    conn.execute("UPDATE pilot SET reference = 'DFE-TL-004'")
    conn.commit()
    ids = [str(uuid.UUID(row[0])) for row in conn.execute("SELECT id FROM pilot")]
    conn.close()
    with databases.open_database(path) as db:
        with pytest.raises(ConflictError) as refusal:
            pilots.get_pilot("dfe-tl-004", db=db)
        assert all(i in str(refusal.value) for i in ids) and "id" in str(refusal.value)
        with pytest.raises(ConflictError):
            pilots.set_field("DFE-TL-004", "title", "Which one?", db=db, actor="ana")
        # Given the id of the one meant, the commands act on that one only.
        assert str(pilots.get_pilot(ids[1], db=db).pilot.id) == ids[1]


def test_taking_the_other_side_of_a_registration_conflict_is_refused(
    honest_export: Path, empty_central: Path, tmp_path: Path
) -> None:
    central = fresh_central(empty_central, tmp_path)
    merge(central, copy_export(honest_export, tmp_path / "in"))
    conn = sqlite3.connect(central)
    registration, rev = conn.execute("SELECT id, rev FROM registration LIMIT 1").fetchone()
    source = conn.execute("SELECT id FROM merge_source").fetchone()[0]
    conflict = "f" * 64
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    # The conflict a merge keeps for a registration met under the same id with another history.
    conn.execute(
        "INSERT INTO conflict (id, kind, entity, row_id, field, base, value_a, value_b, rev_a, "
        "rev_b, shown, detail, merge_source_id, detected_at, status, resolved_by, "
        "resolution_rev) VALUES (?, 'id-collision', 'registration', ?, '', 'null', '{}', "
        "'{\"content_hash\": \"forged\"}', ?, ?, 'a', '', ?, ?, 'open', '', '')",
        (conflict, registration, rev, "0" * 64, source, now),
    )
    conn.commit()
    conn.close()
    with databases.open_database(central) as db:
        for take, value in (("theirs", None), ("value", "{}")):
            with pytest.raises(ConflictError) as refusal:
                merging.resolve(conflict[:12], take, value, db=db, actor="central team")
            assert "written once" in str(refusal.value) and "--take ours" in str(refusal.value)
        done = merging.resolve(conflict[:12], "ours", db=db, actor="central team")
    assert done.status == "resolved"


def test_the_known_schema_is_the_one_the_migrations_make() -> None:
    """After a new migration: ``python -m tests.support.known_schemas`` rewrites the file."""
    from testlearn.store.database import SCHEMA_GENERATION
    from testlearn.sync import schema_check

    assert KNOWN_SCHEMAS.exists()
    assert all(known_schema(g) for g in range(1, SCHEMA_GENERATION + 1))
    made = {
        (kind, name): schema_check._normal(sql)
        for kind, name, _table, sql in schema_made_by_migrations(SCHEMA_GENERATION)
    }
    assert made == known_schema(SCHEMA_GENERATION)
