"""Every change leaves a revision and an audit event; deletes leave tombstones."""

from __future__ import annotations

import itertools
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from testlearn.errors import ConflictError, InvalidValue
from testlearn.services import pilots
from tests.builders import pilot


def rows(path: Path, sql: str) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def test_each_change_appends_a_revision_linked_to_the_last(db: Any, db_path: Path) -> None:
    created = pilots.create_pilot(pilot(), db=db, actor="ana")
    edited = pilots.update_record("pilot", created.id, {"status": "live"}, db=db, actor="ana")
    history = rows(db_path, "SELECT id, parents, op, actor FROM revision WHERE entity = 'pilot'")
    assert [(r[2], r[3]) for r in history] == [("create", "ana"), ("update", "ana")]
    assert history[1][1] == f'["{created.rev}"]'
    assert edited.rev == history[1][0] != created.rev


def test_an_edit_that_changes_nothing_writes_nothing(db: Any, db_path: Path) -> None:
    created = pilots.create_pilot(pilot(), db=db, actor="ana")
    pilots.update_record("pilot", created.id, {"title": created.title}, db=db, actor="ana")
    assert rows(db_path, "SELECT count(*) FROM revision")[0][0] == 1


def test_a_delete_is_a_tombstone(db: Any, db_path: Path) -> None:
    created = pilots.create_pilot(pilot(), db=db, actor="ana")
    pilots.delete_record("pilot", created.id, db=db, actor="ana")
    assert pilots.list_pilots(db=db) == []
    assert rows(db_path, "SELECT deleted FROM pilot") == [(1,)]
    assert rows(db_path, "SELECT op FROM revision ORDER BY recorded_at")[-1] == ("delete",)


def test_the_audit_log_chains_every_action(db: Any, db_path: Path) -> None:
    created = pilots.create_pilot(pilot(), db=db, actor="ana")
    pilots.set_field(created.reference, "budget", "250000", db=db, actor="ben")
    events = rows(
        db_path, "SELECT seq, action, actor, prev_hash, hash FROM audit_event ORDER BY seq"
    )
    assert [e[1] for e in events] == ["create", "create", "update"]
    assert [e[0] for e in events] == [1, 2, 3]
    for earlier, later in itertools.pairwise(events):
        assert later[3] == earlier[4]


def test_history_cannot_be_rewritten_through_sql(db: Any, db_path: Path) -> None:
    pilots.create_pilot(pilot(), db=db, actor="ana")
    conn = sqlite3.connect(db_path)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("UPDATE revision SET actor = 'mallory'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("DELETE FROM audit_event")
    conn.close()


def test_a_failed_action_leaves_no_trace(db: Any, db_path: Path) -> None:
    before = rows(db_path, "SELECT count(*) FROM revision")
    with pytest.raises(InvalidValue, match="Budget"):
        pilots.create_pilot(pilot(budget="a lot"), db=db, actor="ana")
    assert rows(db_path, "SELECT count(*) FROM revision") == before
    assert rows(db_path, "SELECT count(*) FROM pilot") == [(0,)]


def test_references_are_unique_among_live_pilots(db: Any) -> None:
    pilots.create_pilot(pilot(reference="DWP-TL-006"), db=db, actor="ana")
    with pytest.raises(ConflictError):
        pilots.create_pilot(pilot(reference="dwp-tl-006"), db=db, actor="ana")


def test_vocabularies_are_stored_as_reference_data(db_path: Path, db: Any) -> None:
    missions = rows(
        db_path,
        "SELECT code, label FROM vocabulary_term WHERE vocabulary = 'Mission' ORDER BY position",
    )
    assert missions[0] == ("GROWTH", "Kickstart economic growth")
    assert len(missions) == 5


def test_commercially_sensitive_fields_are_marked_in_the_model() -> None:
    from testlearn.domain.fields import commercially_sensitive_fields
    from testlearn.domain.records import ProcurementFields

    assert commercially_sensitive_fields(ProcurementFields) == {
        "should_cost",
        "winning_bid",
        "outturn_cost",
    }
