"""Each attack of issue 11 as a short raw-SQL script against a real file; verify names it.

Every test attacks a fresh copy of the same honest file (see conftest.py) with the sqlite3
module only, then runs `verify` as a reviewer would and checks that a finding names the
record (pilot reference, hypothesis code, file) and carries the pilot's id.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import sqlite3
import types
import uuid
from pathlib import Path

import pytest

from testlearn.domain.verification import Finding
from testlearn.services import databases, pilots, registration, verification
from testlearn.store import unit_of_work
from tests.builders import hypothesis
from tests.conftest import Cli
from tests.integration.attacks.conftest import HO, MOJ
from tests.integration.attacks.raw_sql import (
    append_revision,
    canonical,
    connect,
    hyphenated,
    hypothesis_id,
    one,
    pilot_id,
    registration_snapshot_hash,
)


def verify(path: Path) -> list[Finding]:
    with databases.open_database(path) as db:
        return list(verification.verify(db=db).findings)


def pilot_of(path: Path, reference: str) -> str:
    conn = connect(path)
    try:
        return hyphenated(pilot_id(conn, reference))
    finally:
        conn.close()


def found(findings: list[Finding], check: str, *words: str) -> Finding:
    """The finding of ``check`` whose place and message hold every one of ``words``."""
    for finding in findings:
        text = f"{finding.where}: {finding.message}"
        if finding.check == check and all(word in text for word in words):
            return finding
    raise AssertionError(
        f"no {check} finding with {words}; found:\n" + "\n".join(map(str, findings))
    )


def dataset_of(conn: sqlite3.Connection, reference: str, code: str) -> str:
    return str(
        one(
            conn,
            "SELECT id FROM dataset WHERE hypothesis_id = ?",
            hypothesis_id(conn, reference, code),
        )
    )


def test_the_honest_file_has_no_findings(team_file: Path) -> None:
    assert verify(team_file) == []


# 1. One outcome row changed.
def test_a_changed_outcome_row_is_found(team_file: Path) -> None:
    conn = connect(team_file)
    dataset = dataset_of(conn, MOJ, "H1")
    conn.execute(
        "UPDATE observation SET value = 1 - value WHERE dataset_id = ? AND row_no = 3", (dataset,)
    )
    conn.close()
    finding = found(verify(team_file), "data", "moj-h1.csv", f"{MOJ} H1", "no longer match")
    assert finding.pilot_id == pilot_of(team_file, MOJ)


# 2. A forged analysis result: appended, correctly hashed, the record updated to match.
@pytest.mark.parametrize(
    ("column", "forged", "words"),
    [
        ("data_fingerprint", "f" * 64, "data fingerprint " + "f" * 64),
        ("registration_hash", "e" * 64, "registration hash " + "e" * 64),
        ("hypothesis_rev", "d" * 64, "hypothesis revision " + "d" * 64),
        ("input_hash", "c" * 64, "input hash " + "c" * 64),
    ],
)
def test_a_forged_result_that_does_not_match_its_inputs_is_found(
    team_file: Path, column: str, forged: str, words: str
) -> None:
    conn = connect(team_file)
    h1 = hypothesis_id(conn, MOJ, "H1")
    result = str(one(conn, "SELECT id FROM analysis_result WHERE hypothesis_id = ?", h1))
    changes = {column: forged, "estimate": 0.09}
    append_revision(conn, "result", "analysis_result", result, changes)
    conn.close()
    finding = found(verify(team_file), "results", f"stored result of {MOJ} H1", words)
    assert finding.pilot_id == pilot_of(team_file, MOJ)


def test_a_forged_result_with_only_its_numbers_changed_is_found_unrecorded(team_file: Path) -> None:
    # The numbers themselves need the engine: reports re-derive them. What verify can say is
    # that no audit event recorded the revision that brought them.
    conn = connect(team_file)
    h1 = hypothesis_id(conn, MOJ, "H1")
    result = str(one(conn, "SELECT id FROM analysis_result WHERE hypothesis_id = ?", h1))
    rev = append_revision(conn, "result", "analysis_result", result, {"estimate": 0.09})
    conn.close()
    finding = found(verify(team_file), "history", f"of {MOJ} H1", rev, "no audit event recorded it")
    assert finding.pilot_id == pilot_of(team_file, MOJ)


# 3. Registered content changed by appending: a hypothesis revision plus a new snapshot.
def _rewrite_registration(conn: sqlite3.Connection, threshold: float) -> None:
    h1 = hypothesis_id(conn, MOJ, "H1")
    append_revision(conn, "hypothesis", "hypothesis", h1, {"benefit_threshold": threshold})
    reg, snapshot_text = one(
        conn, "SELECT id, snapshot FROM registration WHERE pilot_id = ?", pilot_id(conn, MOJ)
    )
    snapshot = json.loads(snapshot_text)
    snapshot["hypotheses"][hyphenated(h1)]["benefit_threshold"] = threshold
    digest = registration_snapshot_hash(snapshot)
    append_revision(
        conn,
        "registration",
        "registration",
        reg,
        {"snapshot": snapshot, "content_hash": digest},
        {"snapshot": canonical(snapshot), "content_hash": digest},
    )


def test_registered_content_changed_by_appending_is_an_immutable_violation(team_file: Path) -> None:
    conn = connect(team_file)
    _rewrite_registration(conn, 0.01)
    conn.close()
    findings = verify(team_file)
    moj = pilot_of(team_file, MOJ)
    changed = found(
        findings, "immutable", f"registration of {MOJ} was changed after it was made (write-once)"
    )
    frozen = found(findings, "immutable", f"registration of {MOJ}", "H1", "benefit_threshold")
    assert changed.pilot_id == frozen.pilot_id == moj


def test_a_hypothesis_changed_without_a_deviation_is_found(team_file: Path) -> None:
    conn = connect(team_file)
    append_revision(
        conn, "hypothesis", "hypothesis", hypothesis_id(conn, MOJ, "H1"), {"alpha": 0.2}
    )
    conn.close()
    finding = found(verify(team_file), "registration", f"registration of {MOJ}", "H1", "alpha")
    assert finding.pilot_id == pilot_of(team_file, MOJ)


def test_a_second_registration_of_a_hypothesis_is_an_immutable_violation(team_file: Path) -> None:
    conn = connect(team_file)
    reg = one(conn, "SELECT * FROM registration WHERE pilot_id = ?", pilot_id(conn, MOJ))
    columns = [d[0] for d in conn.execute("SELECT * FROM registration").description]
    row = dict(zip(columns, reg, strict=True))
    payload = json.loads(one(conn, "SELECT payload FROM revision WHERE id = ?", row["rev"]))
    second = uuid.uuid4()
    replica = str(one(conn, "SELECT id FROM replica WHERE is_self"))
    rev = hashlib.sha256(
        canonical(
            {
                "v": 1,
                "entity": "registration",
                "id": str(second),
                "parents": [],
                "replica": hyphenated(replica),
                "payload": payload,
            }
        ).encode()
    ).hexdigest()
    conn.execute(
        "INSERT INTO revision VALUES (?, 'registration', ?, '[]', ?, ?, 'create', ?, 'ana')",
        (rev, second.hex, replica, canonical(payload), "2026-12-01 10:00:00.000000"),
    )
    row.update(id=second.hex, rev=rev)
    conn.execute(
        f"INSERT INTO registration ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
        tuple(row.values()),
    )
    conn.close()
    finding = found(verify(team_file), "immutable", f"{MOJ} H1", "covered by 2 registrations")
    assert finding.pilot_id == pilot_of(team_file, MOJ)


# 4. Back-dating: one revision that changes only registered_at, and the column.
def test_a_back_dated_registration_is_found(team_file: Path) -> None:
    conn = connect(team_file)
    reg = str(one(conn, "SELECT id FROM registration WHERE pilot_id = ?", pilot_id(conn, MOJ)))
    append_revision(
        conn,
        "registration",
        "registration",
        reg,
        {"registered_at": "2024-01-01T09:00:00.000000Z"},
        {"registered_at": "2024-01-01 09:00:00.000000"},
    )
    conn.close()
    findings = verify(team_file)
    dated = found(
        findings,
        "registration",
        f"registration of {MOJ}",
        "2024-01-01 09:00:00 UTC",
        "hashed snapshot says",
    )
    found(findings, "immutable", f"registration of {MOJ} was changed after it was made")
    assert dated.pilot_id == pilot_of(team_file, MOJ)


def test_a_registration_recorded_after_the_data_but_dated_before_them_is_found(
    team_file: Path,
) -> None:
    # H3 is added and registered after H1's data were imported, with an earlier date given.
    with databases.open_database(team_file) as db:
        pilots.add_record(
            MOJ, "hypothesis", hypothesis(code="H3", role="secondary"), db=db, actor="ana"
        )
        registration.register(
            MOJ, db=db, actor="ana", now=dt.datetime(2024, 1, 1, 9, tzinfo=dt.UTC)
        )
    finding = found(
        verify(team_file),
        "registration",
        f"registration of {MOJ}",
        "dated 2024-01-01 09:00:00 UTC, before the pilot's first outcome data",
        "back-dated",
    )
    assert finding.pilot_id == pilot_of(team_file, MOJ)


# 5. Deletions: a registration, a stored result, a lesson with its history (guards dropped).
@pytest.mark.parametrize(
    ("sql", "words"),
    [
        ("DELETE FROM registration WHERE pilot_id = :moj", (f"registration of {MOJ}",)),
        (
            "DELETE FROM analysis_result WHERE hypothesis_id = :h1",
            ("stored result", f"of {MOJ} H1"),
        ),
        (
            "DELETE FROM lesson WHERE pilot_id = :moj AND category = 'governance'",
            ("lesson", f"of {MOJ}"),
        ),
    ],
)
def test_a_deleted_record_is_found(team_file: Path, sql: str, words: tuple[str, ...]) -> None:
    conn = connect(team_file)
    conn.execute(sql, {"moj": pilot_id(conn, MOJ), "h1": hypothesis_id(conn, MOJ, "H1")})
    conn.close()
    finding = found(verify(team_file), "records", *words, "deleted outside testlearn")
    assert finding.pilot_id == pilot_of(team_file, MOJ)


def test_a_lesson_deleted_with_its_history_is_found(team_file: Path) -> None:
    conn = connect(team_file)
    lesson = str(
        one(
            conn,
            "SELECT id FROM lesson WHERE pilot_id = ? AND category = 'governance'",
            pilot_id(conn, MOJ),
        )
    )
    conn.execute("DROP TRIGGER revision_append_only_delete")
    conn.execute("DELETE FROM revision WHERE entity = 'lesson' AND row_id = ?", (lesson,))
    conn.execute("DELETE FROM lesson WHERE id = ?", (lesson,))
    conn.close()
    findings = verify(team_file)
    found(findings, "guards", "revision_append_only_delete", "removed")
    found(findings, "history", f"lesson {hyphenated(lesson)}", "no longer in the history")


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


def test_the_command_line_names_the_record_in_plain_words(team_file: Path) -> None:
    conn = connect(team_file)
    _rewrite_registration(conn, 0.01)
    conn.close()
    run = Cli(team_file)("verify")
    assert run.code == 1
    assert "VERIFICATION FAILED" in run.out
    assert f"registration of {MOJ} was changed after it was made (write-once)" in run.out
