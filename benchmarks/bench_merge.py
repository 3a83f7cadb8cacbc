"""Merging 50 department files of 200 pilots each into an empty central file, then again.

Each file holds 200 pilots with a procurement record, a registered hypothesis with aggregate
outcome data, a lesson and a decision, and some history (edits after creation). The baseline
is the floor for moving the same rows: ATTACH each file and INSERT ... SELECT every table into
a central file of the same schema, with no checks at all. Figures are CPU seconds, the least
of alternating rounds. Target: the first merge within 3x of the baseline.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

FILES, PILOTS = 50, 200
#: ``BENCH_MERGE_FILES`` merges fewer of the files, ``BENCH_MERGE_ROUNDS`` sets the rounds.
SHOWN = int(os.environ.get("BENCH_MERGE_FILES", str(FILES)))
ROUNDS = int(os.environ.get("BENCH_MERGE_ROUNDS", "3"))
OUT = Path(__file__).parent / "out" / "merge-sources"
TABLES = (
    "replica",
    "pilot",
    "procurement",
    "kpi",
    "kpi_rating",
    "comparator",
    "registration",
    "hypothesis",
    "deviation",
    "dataset",
    "analysis_result",
    "cost",
    "lesson",
    "decision",
    "revision",
    "audit_event",
    "aggregate_row",
    "observation",
)


def make_department(index: int) -> Path:
    from testlearn.domain.fingerprint import Fingerprint
    from testlearn.domain.ids import new_id
    from testlearn.domain.registration import make_snapshot, snapshot_hash
    from testlearn.store.database import Database
    from testlearn.store.outcome_rows import insert_rows

    path = OUT / f"department-{index:02}.sqlite"
    if path.exists():
        return path
    partial = OUT / f".department-{index:02}.sqlite"
    partial.unlink(missing_ok=True)
    db = Database.create(partial, department=f"Department {index}")
    with db.transaction("bench") as uow:
        for i in range(PILOTS):
            ref = f"D{index:02}-{i:03}"
            pilot = uow.create(
                "pilot",
                {
                    "reference": ref,
                    "title": f"Pilot {ref}",
                    "primary_mission": "GROWTH",
                    "budget": 100_000 + i,
                },
            )
            uow.create(
                "procurement",
                {
                    "pilot_id": pilot.id,
                    "route": "pa23_open",
                    "contract_value": 90_000,
                    "pipeline_year": "2026-27",
                },
            )
            hypothesis = uow.create(
                "hypothesis",
                {
                    "pilot_id": pilot.id,
                    "code": "H1",
                    "statement": "It works",
                    "outcome_name": "outcome",
                    "outcome_type": "binary",
                    "direction": "increase",
                    "design": "two-group",
                    "benefit_threshold": 0.05,
                    "planned_n_pilot": 400,
                    "planned_n_comparator": 400,
                    "evidence_level": 5,
                },
            )
            at = dt.datetime(2025, 4, 1, tzinfo=dt.UTC)
            snapshot = make_snapshot(
                pilot_id=pilot.id, pilot_reference=ref, registered_at=at, hypotheses=[hypothesis]
            )
            registration = uow.create(
                "registration",
                {
                    "pilot_id": pilot.id,
                    "registered_at": at,
                    "registered_by": "bench",
                    "content_hash": snapshot_hash(snapshot),
                    "hypothesis_ids": [hypothesis.id],
                    "snapshot": snapshot,
                },
            )
            uow.update("hypothesis", hypothesis.id, {}, extra={"registration_id": registration.id})
            rows = [
                ("pilot", None, None, 400, None, None, 200 + i % 50, None, None, None, None),
                ("comparator", None, None, 400, None, None, 200, None, None, None, None),
            ]
            fingerprint = Fingerprint("aggregate")
            fingerprint.add(rows)
            dataset_id = new_id()
            insert_rows(uow, dataset_id, "aggregate", [rows])
            uow.create(
                "dataset",
                {
                    "hypothesis_id": hypothesis.id,
                    "shape": "aggregate",
                    "source_name": "x.csv",
                    "row_count": 2,
                    "fingerprint": fingerprint.hexdigest(),
                    "columns": ["arm", "n", "successes"],
                    "imported_at": at,
                },
                row_id=dataset_id,
            )
            uow.create(
                "lesson",
                {"pilot_id": pilot.id, "category": "delivery", "what_happened": "Things happened"},
            )
            uow.create("decision", {"pilot_id": pilot.id, "kind": "scale"})
            uow.update("pilot", pilot.id, {"status": "live"})  # some history
            uow.update("pilot", pilot.id, {"spend": 50_000 + i})
    db.close()
    os.replace(partial, path)
    return path


def attach_and_copy(central: Path, sources: list[Path]) -> None:
    conn = sqlite3.connect(central, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    for source in sources:
        conn.execute("ATTACH ? AS src", (str(source),))
        conn.execute("BEGIN")
        for table in TABLES:
            conn.execute(f"INSERT OR IGNORE INTO main.{table} SELECT * FROM src.{table}")
        conn.execute("COMMIT")
        conn.execute("DETACH src")
    conn.close()


def run() -> None:
    from testlearn.services import databases, merging

    OUT.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    with ProcessPoolExecutor(max_workers=2) as pool:
        sources = sorted(pool.map(make_department, range(FILES)))[:SHOWN]
    print(
        f"  ({FILES} department files ready in {time.perf_counter() - started:.0f} s; "
        f"cached in {OUT}; {len(sources)} merged)"
    )
    # CPU time of this process (SQLite runs in it), the least of rounds that alternate the
    # baseline and testlearn: on a shared machine wall time measures the neighbours.
    floor, first, second = float("inf"), float("inf"), float("inf")
    for round_no in range(ROUNDS):
        with tempfile.TemporaryDirectory() as folder:
            floor_central = Path(folder) / "floor.sqlite"
            databases.create_database(floor_central, actor="bench").close()
            start = time.process_time()
            attach_and_copy(floor_central, sources)
            floor = min(floor, time.process_time() - start)
            central = Path(folder) / f"central-{round_no}.sqlite"
            databases.create_database(central, actor="bench").close()
            with databases.open_database(central) as db:
                start = time.process_time()
                report = merging.merge(sources, db=db, actor="bench")
                first = min(first, time.process_time() - start)
                start = time.process_time()
                again = merging.merge(sources, db=db, actor="bench")
                second = min(second, time.process_time() - start)
        totals, repeat = report.totals, again.totals
    print(f"  (CPU seconds, least of {ROUNDS} rounds)")
    print(f"  ATTACH + INSERT ... SELECT (no checks)       {floor:8.2f} s")
    print(
        f"  testlearn merge, first (into empty central)  {first:8.2f} s  "
        f"({totals['new']:,} records new)"
    )
    print(
        f"  testlearn merge, again (same files)          {second:8.2f} s  "
        f"({repeat['identical']:,} identical)"
    )
    print(f"  ratio first/floor {first / floor:.1f}x; re-merge/floor {second / floor:.1f}x")
