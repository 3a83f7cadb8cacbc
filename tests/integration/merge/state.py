"""The state a merge leaves, for comparing stores: revisions, heads, conflicts, records."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text

from testlearn.services import databases


def state(central: Any) -> dict[str, Any]:
    with databases.open_database(central) as db, db.engine.connect() as conn:
        revisions = {r[0] for r in conn.execute(text("SELECT id FROM revision"))}
        heads = {}
        for table in (
            "pilot",
            "hypothesis",
            "registration",
            "dataset",
            "lesson",
            "decision",
            "procurement",
            "kpi",
            "cost",
            "comparator",
            "deviation",
            "clearance",
        ):
            for row_id, rev, deleted in conn.execute(text(f"SELECT id, rev, deleted FROM {table}")):
                heads[(table, str(row_id).replace("-", ""))] = (rev, bool(deleted))
        conflicts = {
            (r.id, r.kind, r.field, r.status, r.shown, repr(r.value_a), repr(r.value_b))
            for r in conn.execute(
                text("SELECT id, kind, field, status, shown, value_a, value_b FROM conflict")
            )
        }
        observations = conn.execute(text("SELECT count(*) FROM aggregate_row")).scalar_one()
    return {
        "revisions": revisions,
        "heads": heads,
        "conflicts": conflicts,
        "aggregate_rows": observations,
    }


def counts(central: Any) -> dict[str, int]:
    with databases.open_database(central) as db, db.engine.connect() as conn:
        return {
            table: int(conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())
            for table in ("pilot", "revision", "conflict", "merge_source", "aggregate_row")
        }
