"""Hypothesis-generated department files: mutations of a real export, every hash put right.

Each variant is one change to the honest export: a field of a record set to a wrong type, an
unknown code, empty, huge or deeply nested JSON (through a correctly hashed and audited
revision, with or without the column following); a revision's payload text replaced; a row
deleted; an id re-spelt; an extra schema object. Merged into an empty central store, each
must either merge (its bad records rejected by name) or be refused in one line naming the
file, and the central store must pass ``verify`` afterwards. Never "unexpected error".
"""

from __future__ import annotations

import collections
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from testlearn.services import databases, merging, verification
from testlearn.store.tables import RECORDS, table_of
from tests.integration.hostile import crafting
from tests.integration.hostile.conftest import copy_export, fresh_central

OUTCOMES: collections.Counter[str] = collections.Counter()

#: The pilot first: the others refer to one (``respell`` re-spells that reference).
ENTITIES = ["pilot", *sorted(set(crafting.FREE_TABLES) - {"pilot"})]
VALUES = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.sampled_from(["", "pwned", "not-a-uuid", "2026-13-45", "x" * 100_000, "Live"]),
    st.none(),
    st.booleans(),
    st.integers(min_value=5, max_value=40).map(crafting.nested),
    st.lists(st.integers(), max_size=3),
    st.uuids().map(str),
    st.uuids().map(lambda u: str(u).upper()),
)
PAYLOAD_TEXTS = st.sampled_from(
    ["{", "[]", '"text"', "null", '{"deleted": NaN}', "[" * 3000 + "]" * 3000, "{}"]
)
SCHEMA_OBJECTS = st.sampled_from(
    [
        "CREATE VIEW extra AS SELECT * FROM pilot",
        "CREATE TRIGGER extra AFTER UPDATE ON lesson BEGIN DELETE FROM pilot; END",
        "CREATE TABLE extra (x)",
        "CREATE INDEX extra ON pilot (title)",
        "DROP INDEX IF EXISTS ix_revision_row_id",
        "DROP TRIGGER revision_append_only_update",
    ]
)


@pytest.fixture(scope="module", autouse=True)
def figures() -> Iterator[None]:
    """The figures the note gives: variants tried, refused, merged (run with -s to see)."""
    yield
    print(
        f"\ncrafted variants: {sum(OUTCOMES.values())} tried; "
        + ", ".join(f"{n} {k}" for k, n in sorted(OUTCOMES.items()))
    )


def _columns(entity: str) -> list[str]:
    table = table_of(RECORDS[entity][0])
    return [c.name for c in table.columns if c.name not in ("id", "rev")]


@st.composite
def field_changes(draw: Any, entities: list[str]) -> tuple[Any, ...]:
    entity = draw(st.sampled_from(entities))
    name = draw(st.sampled_from([*_columns(entity), "unheard_of"]))
    return ("field", entity, draw(st.integers(0, 5)), name, draw(VALUES), draw(st.booleans()))


PAYLOADS_AND_IDS = st.one_of(
    st.tuples(st.just("payload"), st.sampled_from(ENTITIES), st.integers(0, 5), PAYLOAD_TEXTS),
    st.tuples(st.just("respell"), st.sampled_from(ENTITIES[1:]), st.integers(0, 5)),
)
ROWS_AND_SCHEMAS = st.one_of(
    st.tuples(
        st.just("delete"),
        st.sampled_from(["lesson", "decision", "cost", "aggregate_row", "observation"]),
        st.integers(0, 5),
    ),
    st.tuples(st.just("schema"), SCHEMA_OBJECTS),
    st.tuples(st.just("column"), st.sampled_from(["pilot", "lesson"]), st.sampled_from(["x", ""])),
)


def mutate(path: Path, mutation: tuple[Any, ...]) -> None:
    kind = mutation[0]
    if kind in ("field", "payload", "respell"):
        entity, index = mutation[1], mutation[2]
        table = crafting.FREE_TABLES[entity]
        ids = crafting.record_ids(path, table)
        row = ids[index % len(ids)]
        if kind == "field":
            _, _, _, name, value, follow = mutation
            try:
                columns = {name: value} if follow and name != "unheard_of" else {}
                crafting.change_record(path, entity, row, {name: value}, column_values=columns)
            except (sqlite3.Error, OverflowError):
                # The column refuses the value (a CHECK or NOT NULL): the payload alone has it.
                crafting.change_record(path, entity, row, {name: value}, column_values={})
        elif kind == "payload":
            crafting.change_record(path, entity, row, {}, payload_text=mutation[3])
        else:
            foreign = "pilot_id" if "pilot_id" in _columns(entity) else "hypothesis_id"
            with sqlite3.connect(path) as conn:
                value = conn.execute(f"SELECT {foreign} FROM {table} WHERE id = ?", (row,))
                (target,) = value.fetchone()
            spelt = "{" + target.upper() + "}"
            crafting.change_record(path, entity, row, {foreign: spelt}, column_values={})
    elif kind == "delete":
        table, skip = mutation[1], mutation[2]
        crafting.run_sql(
            path,
            f"DELETE FROM {table} WHERE rowid = "
            f"(SELECT rowid FROM {table} ORDER BY rowid LIMIT 1 OFFSET {skip})",
        )
    elif kind == "schema":
        crafting.run_sql(path, mutation[1])
    else:
        crafting.run_sql(path, f"UPDATE {mutation[1]} SET rev = rev || '{mutation[2]}'")


#: Four families of about fifty variants each, over 200 in all (Hypothesis stops a family early
#: once it has tried every distinct variant), each test well inside its timeout.
VARIANTS = settings(
    max_examples=55,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    database=None,
)


@VARIANTS
@given(mutation=field_changes(["pilot", "lesson", "decision"]), new_manifest=st.booleans())
def test_a_pilot_lesson_or_decision_field_set_to_anything(
    honest_export: Path, empty_central: Path, mutation: tuple[Any, ...], new_manifest: bool
) -> None:
    check_variant(honest_export, empty_central, mutation, new_manifest)


@VARIANTS
@given(mutation=field_changes(["cost", "dataset", "result"]), new_manifest=st.booleans())
def test_a_cost_dataset_or_result_field_set_to_anything(
    honest_export: Path, empty_central: Path, mutation: tuple[Any, ...], new_manifest: bool
) -> None:
    check_variant(honest_export, empty_central, mutation, new_manifest)


@VARIANTS
@given(mutation=PAYLOADS_AND_IDS, new_manifest=st.booleans())
def test_a_payload_replaced_or_an_id_respelt(
    honest_export: Path, empty_central: Path, mutation: tuple[Any, ...], new_manifest: bool
) -> None:
    check_variant(honest_export, empty_central, mutation, new_manifest)


@VARIANTS
@given(mutation=ROWS_AND_SCHEMAS, new_manifest=st.booleans())
def test_a_row_deleted_or_the_schema_changed(
    honest_export: Path, empty_central: Path, mutation: tuple[Any, ...], new_manifest: bool
) -> None:
    check_variant(honest_export, empty_central, mutation, new_manifest)


def check_variant(
    honest_export: Path, empty_central: Path, mutation: tuple[Any, ...], new_manifest: bool
) -> None:
    """Merged validly (bad records rejected by name) or refused in one line naming the file;
    either way the central store passes verify."""
    with tempfile.TemporaryDirectory(prefix="testlearn-variant-") as folder:
        export = copy_export(honest_export, Path(folder), "variant.sqlite")
        mutate(export, mutation)
        if new_manifest:
            crafting.reissue_manifest(export)
        central = fresh_central(empty_central, Path(folder))
        with databases.open_database(central) as db:
            [source] = merging.merge([export], db=db, actor="central team").sources
            report = verification.verify(db=db)
        if source.refused is not None:
            OUTCOMES["refused"] += 1
            assert "\n" not in source.refused and "variant.sqlite" in source.refused
            assert "unexpected" not in source.refused
        else:
            OUTCOMES["merged with rejections" if source.rejected else "merged"] += 1
            for item in source.rejected:
                assert item.entity and item.row_id and item.reason
        assert report.ok, (mutation, [f.message for f in report.findings][:3])
