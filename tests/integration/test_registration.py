"""Registration freezes hypotheses; deviations are the only way to change them; tampering shows."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from testlearn.errors import InvalidValue, RegistrationLocked
from testlearn.services import pilots, registration, verification
from tests.builders import hypothesis, pilot
from tests.conftest import Cli


@pytest.fixture
def registered(db: Any) -> Any:
    pilots.create_pilot(pilot(), db=db, actor="ana")
    pilots.add_record("T-001", "hypothesis", hypothesis(), db=db, actor="ana")
    pilots.add_record(
        "T-001",
        "hypothesis",
        hypothesis(
            code="H2", role="secondary", outcome_name="complaints", statement="Fewer complaints"
        ),
        db=db,
        actor="ana",
    )
    return registration.register("T-001", db=db, actor="ana")


def test_registration_freezes_with_timestamp_and_hash(db: Any, registered: Any) -> None:
    detail = pilots.get_pilot("T-001", db=db)
    assert all(h.registered for h in detail.hypotheses)
    assert len(registered.content_hash) == 64
    assert detail.registration_intact
    assert detail.pilot.status == "registered"
    assert detail.hypothesis("H1").hypothesis.design_mde is not None  # computed at registration


def test_registered_fields_cannot_be_edited(db: Any, registered: Any) -> None:
    with pytest.raises(RegistrationLocked, match="deviation"):
        pilots.set_field("T-001", "H1.benefit_threshold", "0.02", db=db, actor="ana")
    h1 = pilots.get_pilot("T-001", db=db).hypothesis("H1").hypothesis
    with pytest.raises(RegistrationLocked):
        pilots.update_record("hypothesis", h1.id, {"alpha": 0.1}, db=db, actor="ana")
    with pytest.raises(RegistrationLocked):
        pilots.delete_record("hypothesis", h1.id, db=db, actor="ana")


def test_a_deviation_records_what_old_new_and_why(db: Any, registered: Any) -> None:
    registration.record_deviation(
        "T-001",
        "H1",
        "planned_n_pilot",
        "360",
        "One site withdrew before the start",
        db=db,
        actor="ana",
    )
    detail = pilots.get_pilot("T-001", db=db)
    h1 = detail.hypothesis("H1")
    assert h1.hypothesis.planned_n_pilot == 360
    [deviation] = h1.deviations
    assert (deviation.field, deviation.old_value, deviation.new_value) == (
        "planned_n_pilot",
        400,
        360,
    )
    assert deviation.reason == "One site withdrew before the start"
    assert detail.registration_intact  # a recorded deviation is not tampering
    assert verification.verify(db=db).ok


def test_a_deviation_needs_a_reason(db: Any, registered: Any) -> None:
    with pytest.raises(InvalidValue, match="reason"):
        registration.record_deviation("T-001", "H1", "alpha", "0.1", " ", db=db, actor="ana")


def test_registration_needs_the_pre_registration_fields(db: Any) -> None:
    pilots.create_pilot(pilot(), db=db, actor="ana")
    pilots.add_record(
        "T-001",
        "hypothesis",
        hypothesis(planned_n_pilot=None, evidence_level=None),
        db=db,
        actor="ana",
    )
    with pytest.raises(InvalidValue, match=r"H1: Planned n \(pilot\), Evidence level"):
        registration.register("T-001", db=db, actor="ana")


def test_registration_needs_exactly_one_primary(db: Any) -> None:
    pilots.create_pilot(pilot(), db=db, actor="ana")
    pilots.add_record("T-001", "hypothesis", hypothesis(role="secondary"), db=db, actor="ana")
    with pytest.raises(InvalidValue, match="exactly one primary"):
        registration.register("T-001", db=db, actor="ana")


def raw_sql(path: Path, *statements: str) -> None:
    conn = sqlite3.connect(path)
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.close()


def test_a_raw_sql_edit_of_a_registered_hypothesis_is_detected(
    db: Any, db_path: Path, registered: Any, cli: Cli
) -> None:
    raw_sql(db_path, "UPDATE hypothesis SET benefit_threshold = 0.01 WHERE code = 'H1'")
    report = verification.verify(db=db)
    assert not report.ok
    messages = [f.message for f in report.findings]
    assert any(
        "H1 was changed after registration" in m and "benefit_threshold" in m for m in messages
    )
    assert any("changed outside testlearn" in m for m in messages)
    # ...and wherever the registration is shown:
    assert not pilots.get_pilot("T-001", db=db).registration_intact
    run = cli("verify")
    assert run.code == 1 and "VERIFICATION FAILED" in run.out
    assert "VERIFICATION FAILED" in cli("show", "T-001").out


def test_a_raw_sql_edit_of_the_audit_log_is_detected(
    db: Any, db_path: Path, registered: Any
) -> None:
    raw_sql(
        db_path,
        "DROP TRIGGER audit_event_append_only_update",
        "UPDATE audit_event SET actor = 'mallory' WHERE seq = 3",
    )
    findings = verification.verify(db=db).findings
    assert {f.check for f in findings} == {"audit", "guards"}
    assert any("audit event 3" in f.where and "altered" in f.message for f in findings)


def test_a_rewritten_snapshot_and_hash_still_show(db: Any, db_path: Path, registered: Any) -> None:
    # A careful tamperer edits the hypothesis and its registration consistently; the
    # revision history still holds the registered values.
    raw_sql(db_path, "UPDATE registration SET content_hash = upper(content_hash)")
    assert not verification.verify(db=db).ok


def test_verify_on_an_untouched_database_is_ok(db: Any, registered: Any, cli: Cli) -> None:
    run = cli("verify")
    assert run.code == 0, run.out + run.err
    assert "verified" in run.out
