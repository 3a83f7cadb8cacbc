"""Attacks on records, results and registrations, each a short raw-SQL script; verify names it.

Every test attacks a fresh copy of the same honest file (see conftest.py) with the sqlite3
module only (and hashlib and json where a revision id is computed), then runs `verify` as a
reviewer would and checks that a finding names the record (pilot reference, hypothesis
code, file) and carries the pilot's id. Numbers follow the list in issue 11's task.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
import uuid
from pathlib import Path

import pytest

from testlearn.services import databases, pilots, registration
from tests.builders import hypothesis
from tests.conftest import Cli
from tests.integration.attacks.conftest import MOJ
from tests.integration.attacks.findings import dataset_of, found, pilot_of, verify
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
    with databases.open_database(team_file) as db:  # `show` and the brief no longer say intact
        assert not pilots.get_pilot(MOJ, db=db).registration_intact


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


def test_the_command_line_names_the_record_in_plain_words(team_file: Path) -> None:
    conn = connect(team_file)
    _rewrite_registration(conn, 0.01)
    conn.close()
    run = Cli(team_file)("verify")
    assert run.code == 1
    assert "VERIFICATION FAILED" in run.out
    assert f"registration of {MOJ} was changed after it was made (write-once)" in run.out
