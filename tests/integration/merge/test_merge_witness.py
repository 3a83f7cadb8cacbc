"""The central store as a witness: registrations that changed, and histories that were
rewritten, are refused by name, against SQLite and PostgreSQL central stores alike."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sqlite3
import uuid
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from testlearn.services import databases, pilots, verification
from tests.integration import witness_attacks as attack
from tests.integration.merge.conftest import merge, open_central
from tests.integration.merge.state import state

REFERENCE = "DFE-TL-004"


def attacked_copy(exported: Path, folder: Path, name: str) -> Path:
    path = folder / f"{name}.sqlite"
    shutil.copy(exported, path)
    return path


def refused_and_unchanged(central: Any, path: Path, *words: str) -> str:
    """Merging ``path`` is refused with a line holding ``words``; central is as it was."""
    before = state(central)
    report = merge(central, path)
    refusal = report.sources[0].refused or ""
    for word in words:
        assert word in refusal, refusal
    assert "\n" not in refusal
    assert state(central) == before
    with open_central(central) as db:
        assert verification.verify(db=db).ok
    return refusal


def threshold(central: Any) -> float:
    with open_central(central) as db:
        return float(
            pilots.get_pilot(REFERENCE, db=db).hypothesis("H1").hypothesis.benefit_threshold
        )


def kept_heads(central: Any) -> dict[str, dict[str, Any]]:
    with databases.open_database(central) as db, db.engine.connect() as conn:
        rows = conn.execute(
            text("SELECT key, value FROM database_info WHERE key LIKE 'witnessed_chain_head:%'")
        )
        return {key.split(":", 1)[1]: json.loads(value) for key, value in rows}


def own_head(path: Path) -> tuple[str, int]:
    """The file's own replica and its last event, read without touching the file."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        replica = conn.execute("SELECT id FROM replica WHERE is_self").fetchone()[0]
        last = conn.execute(
            "SELECT max(seq) FROM audit_event WHERE replica_id = ?", (replica,)
        ).fetchone()[0]
    finally:
        conn.close()
    return str(uuid.UUID(replica)), int(last)


def test_a_registration_revision_with_a_new_snapshot_is_refused_and_named(
    central: Any, department: Any, tmp_path: Path
) -> None:
    exported = department("a").export()
    merge(central, exported)
    honest = threshold(central)
    path = attacked_copy(exported, tmp_path, "new-snapshot")
    attack.change_registered_value(
        path, REFERENCE, "H1", "benefit_threshold", 0.01, new_snapshot=True
    )
    refusal = refused_and_unchanged(
        central, path, f"the registration of {REFERENCE}", "changed after it was made", "refused"
    )
    assert "fast-forward" not in refusal
    assert threshold(central) == honest != 0.01


def test_the_same_attack_is_refused_by_a_store_that_never_saw_the_honest_file(
    central: Any, department: Any, tmp_path: Path
) -> None:
    path = attacked_copy(department("a").export(), tmp_path, "new-snapshot")
    attack.change_registered_value(
        path, REFERENCE, "H1", "benefit_threshold", 0.01, new_snapshot=True
    )
    refused_and_unchanged(central, path, f"the registration of {REFERENCE}", "written once")


def test_a_registered_value_changed_by_an_appended_revision_alone_is_refused(
    central: Any, department: Any, tmp_path: Path
) -> None:
    exported = department("a").export()
    merge(central, exported)
    path = attacked_copy(exported, tmp_path, "threshold")
    attack.change_registered_value(
        path, REFERENCE, "H1", "benefit_threshold", 0.01, new_snapshot=False
    )
    refused_and_unchanged(
        central,
        path,
        f"hypothesis H1 of {REFERENCE}",
        "without a recorded deviation",
        "benefit_threshold",
    )


@pytest.mark.parametrize(
    ("how", "words"),
    [
        ("appended", ("changed after it was made",)),
        ("root", ("its hashed snapshot says",)),
        ("resnapshot", ("differs from the registration the central store holds", "registered_at")),
    ],
)
def test_a_back_dated_registration_is_refused(
    central: Any, department: Any, tmp_path: Path, how: str, words: tuple[str, ...]
) -> None:
    exported = department("a").export()
    merge(central, exported)
    path = attacked_copy(exported, tmp_path, f"back-dated-{how}")
    attack.back_date(path, REFERENCE, dt.datetime(2024, 1, 1, 9, 0), how=how)
    refused_and_unchanged(central, path, f"the registration of {REFERENCE}", *words)
    with open_central(central) as db:
        [registration] = pilots.get_pilot(REFERENCE, db=db).registrations
    assert registration.registered_at.year != 2024


def test_a_rewritten_history_is_refused_at_the_next_merge(
    central: Any, department: Any, tmp_path: Path
) -> None:
    a = department("a")
    a.set("HO-TL-003", "status", "closed")  # a's own history starts with its first change
    merge(central, a.export("first"))
    a.set("HO-TL-003", "spend", "1800000")
    second = a.export("second")
    path = attacked_copy(second, tmp_path, "rewritten")
    conn = attack.connect(path)
    replica = attack.own_replica(conn)
    conn.close()
    attack.rewrite_history(path, 1, "someone else")
    with databases.open_database(path) as db:
        assert verification.verify(db=db).ok  # consistent in itself: only a witness can tell
    refusal = refused_and_unchanged(
        central, path, f"of the history of DHSC (replica {replica})", "rewritten"
    )
    assert "DHSC" in refusal
    # The honest second export still merges after the refusal.
    assert merge(central, second).sources[0].refused is None


def test_an_honest_second_export_merges_as_before_and_moves_the_kept_head(
    central: Any, department: Any
) -> None:
    a = department("a")
    a.set("HO-TL-003", "status", "closed")
    merge(central, a.export("first"))
    a.set("HO-TL-003", "spend", "1800000")
    second = a.export("second")
    replica, last = own_head(second)
    report = merge(central, second)
    assert report.sources[0].refused is None
    assert report.sources[0].counts["fast-forward"] == 1
    with open_central(central) as db:
        assert pilots.get_pilot("HO-TL-003", db=db).pilot.spend == 1_800_000
        assert verification.verify(db=db).ok
    assert kept_heads(central)[replica]["seq"] == last


def test_an_older_copy_merged_after_a_newer_one_is_noted_not_refused(
    central: Any, department: Any, tmp_path: Path
) -> None:
    a = department("a")
    a.set("HO-TL-003", "status", "closed")
    older = a.export("monday")
    a.set("HO-TL-003", "spend", "1800000")
    merge(central, a.export("wednesday"))
    report = merge(central, older)
    entry = report.sources[0]
    assert entry.refused is None
    assert any("an older copy" in note for note in entry.notes)
    with open_central(central) as db:
        assert pilots.get_pilot("HO-TL-003", db=db).pilot.spend == 1_800_000


def test_a_cut_history_that_rewrites_an_event_merged_before_is_refused(
    central: Any, department: Any, tmp_path: Path
) -> None:
    a = department("a")
    a.set("HO-TL-003", "status", "closed")
    exported = a.export("first")
    merge(central, exported)
    path = attacked_copy(exported, tmp_path, "cut-and-rewritten")
    attack.cut_history(path, 2)
    attack.rewrite_history(path, 2, "someone else")
    refused_and_unchanged(central, path, "rewritten")


def test_a_revision_no_event_records_is_refused_not_fast_forwarded(
    central: Any, department: Any, tmp_path: Path
) -> None:
    exported = department("a").export()
    merge(central, exported)
    path = attacked_copy(exported, tmp_path, "no-event")
    conn = attack.connect(path)
    row = conn.execute("SELECT id FROM pilot WHERE reference = 'HO-TL-003'").fetchone()[0]
    rev, payload = attack.head(conn, "pilot", row)
    attack.append_revision(
        conn,
        entity="pilot",
        table="pilot",
        row=row,
        payload={**payload, "spend": 1},
        parents=[rev],
        columns={"spend": 1},
    )
    conn.commit()
    conn.close()
    refused_and_unchanged(
        central, path, "pilot HO-TL-003 has a revision", "no event of the file's history records"
    )


def test_a_consistent_back_dating_is_refused_by_a_store_that_never_saw_the_file(
    central: Any, department: Any, tmp_path: Path
) -> None:
    # Snapshot, hash and column all agree on 2024: only the history gives it away.
    path = attacked_copy(department("a").export(), tmp_path, "back-dated")
    attack.back_date(path, REFERENCE, dt.datetime(2024, 1, 1, 9, 0), how="resnapshot")
    refused_and_unchanged(
        central, path, f"the registration of {REFERENCE}", "its history recorded when it was made"
    )


def test_a_consistent_back_dating_with_forged_events_is_refused_by_its_making_event(
    central: Any, department: Any, tmp_path: Path
) -> None:
    path = attacked_copy(department("a").export(), tmp_path, "back-dated-with-events")
    attack.back_date_with_events(path, REFERENCE, dt.datetime(2024, 1, 1, 9, 0))
    refused_and_unchanged(
        central,
        path,
        f"the registration of {REFERENCE}",
        "is not the one its history recorded when it was made",
    )
