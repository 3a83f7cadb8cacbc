"""Attacks on ids, outcome rows, guards and the clock, each a short raw-SQL script.

As in test_sqlite_attacks.py: a fresh copy of the honest file per attack, the sqlite3 module
only, and `verify` must name the record and carry its pilot's id.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
import types
from pathlib import Path

import pytest

from testlearn.errors import DatabaseFileError
from testlearn.services import databases, pilots
from testlearn.store import unit_of_work
from tests.integration.attacks.conftest import HO, MOJ
from tests.integration.attacks.findings import dataset_of, found, pilot_of, verify
from tests.integration.attacks.raw_sql import connect, hyphenated, one, pilot_id


# 6. Re-spelling ids, past the CHECK constraints or with them rebuilt away.
def _braced(value: str) -> str:
    return "{" + hyphenated(value) + "}"


@pytest.mark.parametrize("spell", [_braced, str.upper], ids=["braces", "upper-case"])
def test_outcome_rows_with_a_re_spelled_dataset_id_are_found(
    team_file: Path, spell: object
) -> None:
    conn = connect(team_file)
    dataset = dataset_of(conn, MOJ, "H1")
    conn.execute("PRAGMA ignore_check_constraints = ON")
    conn.execute(
        "UPDATE observation SET dataset_id = ? WHERE dataset_id = ? AND row_no <= 4",
        (spell(dataset), dataset),  # type: ignore[operator]
    )
    conn.close()
    findings = verify(team_file)
    respelled = found(findings, "ids", "4 outcome row(s) (1, 2, 3, 4)", "moj-h1.csv", f"{MOJ} H1")
    hidden = found(findings, "data", "moj-h1.csv", "hidden")
    assert respelled.pilot_id == hidden.pilot_id == pilot_of(team_file, MOJ)


@pytest.mark.parametrize("table", ["lesson", "decision"])
def test_a_record_with_an_upper_cased_pilot_id_is_found(team_file: Path, table: str) -> None:
    conn = connect(team_file)
    conn.execute("PRAGMA ignore_check_constraints = ON")
    moj = pilot_id(conn, MOJ)
    conn.execute(f"UPDATE {table} SET pilot_id = upper(pilot_id) WHERE pilot_id = ?", (moj,))
    conn.close()
    finding = found(
        verify(team_file), "ids", f"{table} ", f"of {MOJ}", "pilot_id is written", moj.upper()
    )
    assert finding.pilot_id == pilot_of(team_file, MOJ)


def test_the_constraints_refuse_another_spelling(team_file: Path) -> None:
    conn = connect(team_file)
    with pytest.raises(sqlite3.IntegrityError, match="CHECK constraint failed"):
        conn.execute("UPDATE lesson SET pilot_id = upper(pilot_id)")
    conn.close()


def test_a_table_rebuilt_without_its_constraints_is_found(team_file: Path) -> None:
    conn = connect(team_file)
    sql = str(one(conn, "SELECT sql FROM sqlite_master WHERE name = 'lesson'"))
    bare = re.sub(r",\s*CONSTRAINT ck_\w+ CHECK \([^\n]*\)", "", sql)
    conn.executescript(
        "ALTER TABLE lesson RENAME TO lesson_old;"
        f"{bare};"
        "INSERT INTO lesson SELECT * FROM lesson_old; DROP TABLE lesson_old;"
        "UPDATE lesson SET pilot_id = upper(pilot_id);"
    )
    conn.close()
    findings = verify(team_file)
    found(findings, "guards", "table lesson", "canonical form", "pilot_id")
    assert found(findings, "ids", "lesson", f"of {MOJ}").pilot_id == pilot_of(team_file, MOJ)


# 7. Swapping the ids of two pilots' lessons.
def test_swapped_lesson_ids_are_found(team_file: Path) -> None:
    conn = connect(team_file)
    a = str(
        one(
            conn,
            "SELECT id FROM lesson WHERE pilot_id = ? AND category = 'governance'",
            pilot_id(conn, MOJ),
        )
    )
    b = str(one(conn, "SELECT id FROM lesson WHERE pilot_id = ?", pilot_id(conn, HO)))
    conn.execute("UPDATE lesson SET id = 'ffffffffffffffffffffffffffffffff' WHERE id = ?", (a,))
    conn.execute("UPDATE lesson SET id = ? WHERE id = ?", (a, b))
    conn.execute("UPDATE lesson SET id = ? WHERE id = 'ffffffffffffffffffffffffffffffff'", (b,))
    conn.close()
    findings = verify(team_file)
    moj_lesson = found(
        findings, "ids", f"lesson {hyphenated(b)} of {MOJ}", "does not match its history"
    )
    ho_lesson = found(
        findings, "ids", f"lesson {hyphenated(a)} of {HO}", "does not match its history"
    )
    assert moj_lesson.pilot_id == pilot_of(team_file, MOJ)
    assert ho_lesson.pilot_id == pilot_of(team_file, HO)


# 8. Two outcome rows collapsed into one through a separator inside a field.
def _field(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _first_format(rows: list[tuple[object, ...]]) -> str:
    """The fingerprint text before separators were length-prefixed."""
    return "".join("\x1f".join(_field(v) for v in row) + "\n" for row in rows)


@pytest.mark.parametrize("field", ["unit", "arm"])
def test_rows_collapsed_through_a_separator_are_found(team_file: Path, field: str) -> None:
    conn = connect(team_file)
    dataset = dataset_of(conn, MOJ, "H1")
    select = (
        "SELECT arm, value, period, cluster, unit, time, exposure FROM observation "
        "WHERE dataset_id = ? ORDER BY row_no"
    )
    before = conn.execute(select, (dataset,)).fetchall()
    first, second = _first_format(before[:1]), _first_format(before[1:2])
    if field == "unit":  # the first row's unit swallows the second row
        swallowed = first.split("\x1f")[4] + "\x1f\x1f\n" + second.removesuffix("\x1f\x1f\n")
        conn.execute(
            "UPDATE observation SET unit = ? WHERE dataset_id = ? AND row_no = 1",
            (swallowed, dataset),
        )
        conn.execute("DELETE FROM observation WHERE dataset_id = ? AND row_no = 2", (dataset,))
    else:  # the second row's arm swallows the first row
        swallowed = first + second.split("\x1f")[0]
        conn.execute(
            "UPDATE observation SET arm = ? WHERE dataset_id = ? AND row_no = 2",
            (swallowed, dataset),
        )
        conn.execute("DELETE FROM observation WHERE dataset_id = ? AND row_no = 1", (dataset,))
    after = conn.execute(select, (dataset,)).fetchall()
    conn.close()
    assert len(after) == len(before) - 1
    assert _first_format(after) == _first_format(before)  # the old format could not tell
    finding = found(verify(team_file), "data", "moj-h1.csv", f"{MOJ} H1")
    assert finding.pilot_id == pilot_of(team_file, MOJ)


# 9. Guards replaced by same-named triggers that never fire, or dropped.
GUARDS = [
    ("revision", "update"),
    ("revision", "delete"),
    ("audit_event", "update"),
    ("audit_event", "delete"),
]


@pytest.mark.parametrize(("table", "action"), GUARDS)
@pytest.mark.parametrize(
    ("how", "body"),
    [
        ("dropped", None),
        ("never fires", "WHEN 0 BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"),
        ("does nothing", "BEGIN SELECT 1; END"),
        ("commented", "BEGIN SELECT 1; -- SELECT RAISE(ABORT, '{table} is append-only');\nEND"),
    ],
)
def test_a_removed_or_hollow_guard_is_found(
    team_file: Path, table: str, action: str, how: str, body: str | None
) -> None:
    name = f"{table}_append_only_{action}"
    conn = connect(team_file)
    conn.execute(f"DROP TRIGGER {name}")
    if body is not None:
        conn.execute(
            f"CREATE TRIGGER {name} BEFORE {action.upper()} ON {table} " + body.format(table=table)
        )
    conn.close()
    finding = found(
        verify(team_file), "guards", name, "removed" if body is None else "not the guard"
    )
    assert finding.pilot_id == ""  # it concerns the whole file


# 11. A clock that goes backwards.
def test_an_audit_event_dated_before_the_one_it_follows_is_found(
    team_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    class SetBack(dt.datetime):
        @classmethod
        def now(cls, tz: dt.tzinfo | None = None) -> SetBack:
            return cls(2024, 1, 1, 9, 0, tzinfo=dt.UTC)

    with databases.open_database(team_file) as db:
        # The copy's first write starts its own replica; the second follows it in that chain.
        pilots.set_field(MOJ, "title", "Retitled", db=db, actor="ana")
        monkeypatch.setattr(unit_of_work, "dt", types.SimpleNamespace(datetime=SetBack, UTC=dt.UTC))
        pilots.set_field(MOJ, "title", "Retitled with the clock set back", db=db, actor="ana")
    monkeypatch.undo()
    finding = found(verify(team_file), "clock", "went backwards", "2024-01-01 09:00:00 UTC", "2026")
    assert finding.pilot_id == ""


def test_an_id_that_is_no_uuid_at_all_is_named_not_a_crash(team_file: Path) -> None:
    conn = connect(team_file)
    conn.execute("PRAGMA ignore_check_constraints = ON")
    h1 = str(
        one(
            conn,
            "SELECT id FROM hypothesis WHERE pilot_id = ? AND code = 'H1'",
            pilot_id(conn, MOJ),
        )
    )
    conn.execute(
        "UPDATE analysis_result SET dataset_id = 'not-an-id' WHERE hypothesis_id = ?", (h1,)
    )
    conn.close()
    findings = verify(team_file)
    respelled = found(findings, "ids", "stored result", f"of {MOJ} H1", "'not-an-id'")
    found(findings, "records", "table analysis_result", "cannot read")
    assert respelled.pilot_id == pilot_of(team_file, MOJ)


def test_an_older_file_with_a_re_spelled_id_is_refused_by_the_migration_unchanged(
    tmp_path: Path,
) -> None:
    path = tmp_path / "older.sqlite"
    path.write_bytes((Path(__file__).parents[2] / "golden" / "schema3.sqlite").read_bytes())
    conn = connect(path)
    conn.execute("UPDATE pilot SET id = upper(id)")
    conn.close()
    with pytest.raises(DatabaseFileError, match=r"pilot\.id holds the id '[0-9A-F]{32}'"):
        databases.open_database(path)
    conn = connect(path)
    assert one(conn, "PRAGMA user_version") == 3  # still the older schema, as it was
    assert str(one(conn, "SELECT id FROM pilot")).isupper()
    conn.close()
