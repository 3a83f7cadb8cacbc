"""Importing 1,000,000 unit rows from CSV, against a raw sqlite3 executemany of the same rows.

The baseline reads the same CSV with the csv module and inserts the rows with one
``executemany`` into a table of the same shape in a file with the same pragmas (WAL,
synchronous=FULL), in one transaction: no checks, no fingerprint, no history. It is the
physical floor for getting these rows from text into SQLite from Python.
Target: within 3x of the baseline, peak memory under 500 MB. ``BENCH_IMPORT_ROWS`` sets a
smaller count for a quick look on a busy machine.
"""

from __future__ import annotations

import os
import random
import tempfile
from pathlib import Path

from benchmarks.measure import in_fresh_process, report

ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", "1000000"))


def make_csv(path: Path, rows: int = ROWS, *, clusters: bool = True) -> None:
    rng = random.Random(20261127)
    with path.open("w", encoding="utf-8") as handle:
        handle.write("arm,value,cluster\n" if clusters else "arm,value\n")
        for i in range(rows):
            arm = "pilot" if i % 2 else "comparator"
            site = f",site{i % 40}" if clusters else ""
            handle.write(f"{arm},{rng.gauss(50, 10):.3f}{site}\n")


def run() -> None:
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        source = tmp / "outcomes.csv"
        make_csv(source)
        baseline = in_fresh_process(
            f"""
            import csv, sqlite3, uuid
            conn = sqlite3.connect({str(tmp / "raw.sqlite")!r}, isolation_level=None)
            conn.execute("PRAGMA journal_mode=WAL"); conn.execute("PRAGMA synchronous=FULL")
            conn.execute(
                "CREATE TABLE IF NOT EXISTS observation (dataset_id CHAR(32), row_no INTEGER,"
                " arm TEXT, value FLOAT, period TEXT, cluster TEXT, unit TEXT, time FLOAT,"
                " exposure FLOAT, PRIMARY KEY (dataset_id, row_no))")
            """,
            f"""
            key = uuid.uuid4().hex
            with open({str(source)!r}, newline="") as handle:
                reader = csv.reader(handle); next(reader)
                conn.execute("BEGIN IMMEDIATE")
                conn.executemany("INSERT INTO observation VALUES (?,?,?,?,?,?,?,?,?)",
                                 ((key, i, r[0], r[1], None, r[2], None, None, None)
                                  for i, r in enumerate(reader, 1)))
                conn.execute("COMMIT")
            """,
            repeat=3,
        )
        ours = in_fresh_process(
            f"""
            import pathlib, uuid
            from testlearn.services import databases, pilots, registration, outcome_import
            path = pathlib.Path({str(tmp)!r}) / f"tl-{{uuid.uuid4().hex}}.sqlite"
            db = databases.create_database(path, actor="bench")
            pilots.create_pilot({{"reference": "B1", "title": "Benchmark"}}, db=db, actor="bench")
            pilots.add_record("B1", "hypothesis", {{"code": "H1", "statement": "s",
                "outcome_name": "score", "outcome_type": "continuous", "direction": "increase",
                "design": "two-group", "benefit_threshold": 1.0, "planned_n_pilot": 500000,
                "planned_n_comparator": 500000, "assumed_sd": 10.0, "evidence_level": 5}},
                db=db, actor="bench")
            registration.register("B1", db=db, actor="bench")
            """,
            f"""
            outcome_import.import_results(
                "B1", "H1", pathlib.Path({str(source)!r}), db=db, actor="bench")
            """,
            repeat=3,
        )
        report(
            "testlearn import-results (checked, fingerprinted)",
            ours,
            baseline,
            "raw sqlite3 executemany",
        )
