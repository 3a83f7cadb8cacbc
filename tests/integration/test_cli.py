"""Every command, and what it says when given something wrong."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from testlearn.services import pilots, registration
from tests.builders import hypothesis, pilot
from tests.conftest import Cli, files_snapshot


def count(path: Path, table: str) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    finally:
        conn.close()


@pytest.fixture
def ready(db: Any) -> Any:
    """A pilot with a registered binary two-group hypothesis and a DiD continuous one."""
    pilots.create_pilot(pilot(), db=db, actor="ana")
    pilots.add_record("T-001", "hypothesis", hypothesis(), db=db, actor="ana")
    pilots.add_record(
        "T-001",
        "hypothesis",
        hypothesis(
            code="H2",
            role="secondary",
            outcome_type="continuous",
            design="did",
            outcome_name="cost per site",
            assumed_sd=10.0,
            direction="decrease",
            benefit_threshold=2.0,
        ),
        db=db,
        actor="ana",
    )
    registration.register("T-001", db=db, actor="ana")
    return db


def test_init_creates_a_database_where_asked(tmp_path: Path) -> None:
    target = tmp_path / "new.sqlite"
    run = Cli(target)("init")
    assert run.code == 0 and f"created {target}" in run.out
    assert Cli(target)("pilots").code == 0


def test_init_reads_the_environment_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "from-env.sqlite"
    monkeypatch.setenv("TESTLEARN_DB", str(target))
    assert Cli(target)("init", db=False).code == 0
    assert target.exists()


def test_init_accepts_db_after_the_command(tmp_path: Path) -> None:
    target = tmp_path / "after.sqlite"
    assert Cli(target)("init", "--db", str(target), db=False).code == 0
    assert target.exists()


def test_pilots_lists_and_prints_json(cli: Cli, ready: Any) -> None:
    assert "T-001" in cli("pilots").out
    [row] = cli("pilots", "--json").json()
    assert row["reference"] == "T-001" and row["registered"] is True


def test_show_prints_the_pilot_and_its_registration(cli: Cli, ready: Any) -> None:
    run = cli("show", "t-001")
    assert run.code == 0
    assert "H1 (primary, registered)" in run.out and "intact" in run.out
    data = cli("show", "T-001", "--json").json()
    assert data["registrations"][0]["intact"] is True
    assert len(data["registrations"][0]["hash"]) == 64


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("show", "NOPE"), "no pilot with reference 'NOPE'"),
        (("set", "NOPE", "title", "x"), "no pilot with reference 'NOPE'"),
        (("set", "T-001", "colour", "blue"), "pilot has no field 'colour'"),
        (("set", "T-001", "budget", "lots"), "Budget: write an amount like £250,000"),
        (("set", "T-001", "start_date", "31/02/2026"), "February 2026 has 28 days"),
        (("set", "T-001", "primary_mission", "DEFENCE"), "'DEFENCE' is not one of them"),
        (("set", "T-001", "marking", "SECRET"), "Security marking: choose one of"),
        (("set", "T-001", "H9.alpha", "0.1"), "no hypothesis 'H9'"),
        (("set", "T-001", "H1.alpha", "0.1"), "is registered"),
        (("register", "T-001"), "already registered"),
        (("deviate", "T-001", "H1", "alpha", "0.1", "--reason", ""), "needs a reason"),
        (("deviate", "T-001", "H1", "colour", "x", "--reason", "r"), "not a registered field"),
    ],
)
def test_bad_input_gets_one_line_and_changes_nothing(
    cli: Cli, ready: Any, db_path: Path, args: tuple[str, ...], message: str
) -> None:
    before = count(db_path, "revision"), count(db_path, "audit_event")
    run = cli(*args)
    assert run.code == 1
    assert message in run.err
    assert run.err.count("\n") == 1 and "Traceback" not in run.err
    assert (count(db_path, "revision"), count(db_path, "audit_event")) == before


def test_set_takes_british_dates_and_amounts(cli: Cli, ready: Any) -> None:
    assert cli("set", "T-001", "start_date", "15/12/2026").code == 0
    assert cli("set", "T-001", "budget", "£250,000").code == 0
    data = cli("show", "T-001", "--json").json()["pilot"]
    assert data["start_date"] == "2026-12-15"
    assert data["budget"] == 250000


def test_set_edits_one_field(cli: Cli, ready: Any) -> None:
    assert cli("set", "T-001", "status", "Live").code == 0
    assert cli("set", "T-001", "secondary_missions", "NHS; STREETS").code == 0
    data = cli("show", "T-001", "--json").json()["pilot"]
    assert data["status"] == "live"
    assert data["secondary_missions"] == ["NHS", "STREETS"]


def test_set_edits_a_draft_hypothesis(cli: Cli, db: Any) -> None:
    pilots.create_pilot(pilot(), db=db, actor="ana")
    pilots.add_record("T-001", "hypothesis", hypothesis(), db=db, actor="ana")
    assert cli("set", "T-001", "H1.planned_n_pilot", "500").code == 0
    assert cli("show", "T-001", "--json").json()["hypotheses"][0]["planned_n_pilot"] == 500


def test_register_and_deviate(cli: Cli, db: Any) -> None:
    pilots.create_pilot(pilot(), db=db, actor="ana")
    pilots.add_record("T-001", "hypothesis", hypothesis(), db=db, actor="ana")
    run = cli("register", "T-001")
    assert run.code == 0 and "1 hypotheses registered" in run.out
    run = cli("deviate", "T-001", "H1", "planned_n_comparator", "380", "--reason", "a site closed")
    assert run.code == 0 and "400 -> 380" in run.out
    assert cli("verify").code == 0


def test_register_without_hypotheses_says_so(cli: Cli, db: Any) -> None:
    pilots.create_pilot(pilot(), db=db, actor="ana")
    run = cli("register", "T-001")
    assert run.code == 1 and "no hypotheses to register" in run.err


# -- import-results ------------------------------------------------------------------------


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_import_unit_rows_from_csv(cli: Cli, ready: Any, tmp_path: Path, db_path: Path) -> None:
    rows = "\n".join(f"{'pilot' if i % 2 else 'comparator'},{i % 3 == 0:d}" for i in range(200))
    path = write(tmp_path, "outcomes.csv", "arm,value\n" + rows + "\n")
    run = cli("import-results", "T-001", "H1", str(path))
    assert run.code == 0, run.err
    assert "imported 200 unit rows" in run.out
    assert count(db_path, "observation") == 200
    data = cli("show", "T-001", "--json").json()["hypotheses"][0]["dataset"]
    assert data["row_count"] == 200 and len(data["fingerprint"]) == 64
    assert cli("verify").code == 0


def test_import_aggregates_from_xlsx(cli: Cli, ready: Any, tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "Results"
    sheet.append(["Arm", "Period", "n", "Mean", "SD"])
    for arm in ("pilot", "comparator"):
        for period, mean in (("before", 50.0), ("after", 46.5)):
            sheet.append([arm, period, 120, mean, 9.5])
    path = tmp_path / "did.xlsx"
    book.save(path)
    run = cli("import-results", "T-001", "H2", str(path))
    assert run.code == 0, run.err
    assert "4 aggregate rows" in run.out


def test_reimport_replaces_the_data_and_keeps_history(
    cli: Cli, ready: Any, tmp_path: Path, db_path: Path
) -> None:
    first = write(tmp_path, "a.csv", "arm,n,successes\npilot,100,60\ncomparator,100,50\n")
    second = write(tmp_path, "b.csv", "arm,n,successes\npilot,110,66\ncomparator,100,50\n")
    assert cli("import-results", "T-001", "H1", str(first)).code == 0
    run = cli("import-results", "T-001", "H1", str(second))
    assert "this replaces the data imported from a.csv" in run.out
    assert count(db_path, "dataset") == 2
    assert (
        cli("show", "T-001", "--json").json()["hypotheses"][0]["dataset"]["source_name"] == "b.csv"
    )


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        (
            "bad.csv",
            "arm,value\npilot,1\ncomparator,maybe\n",
            "bad.csv, row 3, column value: 'maybe' is not 0 or 1 (or yes/no)",
        ),
        (
            "arm.csv",
            "arm,value\npilot,1\ncontrol,0\n",
            "arm.csv, row 3, column arm: 'control' is not an arm",
        ),
        (
            "bin.csv",
            "arm,value\npilot,1\npilot,2\n",
            "bin.csv, row 3, column value: '2' is not 0 or 1",
        ),
        (
            "miss.csv",
            "arm,outcome\npilot,1\n",
            "miss.csv, row 1: missing column value (unit rows) or n",
        ),
        ("noarm.csv", "value\n1\n", "noarm.csv, row 1: missing column arm"),
        ("empty.csv", "", "empty.csv: the file is empty"),
        ("head.csv", "arm,value\n", "head.csv: the file has a header but no data rows"),
        (
            "nan.csv",
            "arm,value\npilot,nan\n",
            "nan.csv, row 2, column value: 'nan' is not a finite number",
        ),
        (
            "agg.csv",
            "arm,n,successes\npilot,100,120\n",
            "agg.csv, row 2, column successes: 120 successes is more than n = 100",
        ),
        ("agg2.csv", "arm,n\npilot,100\n", "agg2.csv, row 1: missing column successes"),
        (
            "dup.csv",
            "arm,value,value\npilot,1,1\n",
            "dup.csv, row 1, column value: the column appears twice",
        ),
        ("old.xls", "whatever", "old.xls: .xls files cannot be read"),
        (
            "broken.xlsx",
            "PK\x03\x04 not really a zip",
            "broken.xlsx: not a readable .xlsx workbook",
        ),
    ],
)
def test_bad_files_name_file_row_and_column_and_change_nothing(
    cli: Cli, ready: Any, tmp_path: Path, db_path: Path, name: str, text: str, message: str
) -> None:
    path = write(tmp_path, name, text)
    before = count(db_path, "observation"), count(db_path, "dataset"), count(db_path, "audit_event")
    source = path.read_bytes()
    run = cli("import-results", "T-001", "H1", str(path))
    assert run.code == 1
    assert message in run.err, run.err
    assert "Traceback" not in run.err
    assert (
        count(db_path, "observation"),
        count(db_path, "dataset"),
        count(db_path, "audit_event"),
    ) == before
    assert path.read_bytes() == source  # the user's file is untouched


def test_a_bad_cell_far_down_a_big_file_leaves_nothing_half_written(
    cli: Cli, ready: Any, tmp_path: Path, db_path: Path
) -> None:
    lines = ["arm,value"] + ["pilot,1"] * 120_000 + ["pilot,x"]
    path = write(tmp_path, "big.csv", "\n".join(lines) + "\n")
    run = cli("import-results", "T-001", "H1", str(path))
    assert "row 120002, column value" in run.err
    assert count(db_path, "observation") == 0


def test_design_columns_are_required(cli: Cli, ready: Any, tmp_path: Path) -> None:
    path = write(tmp_path, "did.csv", "arm,value\npilot,3.5\n")
    run = cli("import-results", "T-001", "H2", str(path))
    assert "missing column period, which this design needs" in run.err


def test_text_that_is_not_utf8_is_read_as_windows_1252(
    cli: Cli, ready: Any, tmp_path: Path
) -> None:
    path = tmp_path / "latin.csv"
    path.write_bytes(b"arm,value\npilot,1\n" + "comparator,0 \xa3\n".encode("latin-1"))
    run = cli("import-results", "T-001", "H1", str(path))
    assert run.code == 1 and "latin.csv, row 3, column value: '0 £' is not 0 or 1" in run.err


def test_data_before_registration_is_refused(cli: Cli, db: Any, tmp_path: Path) -> None:
    pilots.create_pilot(pilot(), db=db, actor="ana")
    pilots.add_record("T-001", "hypothesis", hypothesis(), db=db, actor="ana")
    path = write(tmp_path, "early.csv", "arm,value\npilot,1\n")
    run = cli("import-results", "T-001", "H1", str(path))
    assert run.code == 1 and "not registered" in run.err


def test_a_missing_file_is_named(cli: Cli, ready: Any, tmp_path: Path) -> None:
    run = cli("import-results", "T-001", "H1", str(tmp_path / "nowhere.csv"))
    assert run.code == 1 and "nowhere.csv: no such file" in run.err


def test_usage_errors_exit_2(cli: Cli) -> None:
    assert cli("show").code == 2


def test_a_tampered_dataset_is_detected(
    cli: Cli, ready: Any, tmp_path: Path, db_path: Path
) -> None:
    path = write(tmp_path, "a.csv", "arm,n,successes\npilot,100,60\ncomparator,100,50\n")
    cli("import-results", "T-001", "H1", str(path))
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE aggregate_row SET successes = 70 WHERE arm = 'pilot'")
    conn.commit()
    conn.close()
    run = cli("verify")
    assert run.code == 1 and "no longer match the fingerprint" in run.out


def test_refused_files_are_left_alone_by_every_command(cli: Cli, db_path: Path) -> None:
    db_path.write_bytes(b"not a database at all")
    before = files_snapshot(db_path.parent)
    for args in (
        ("pilots",),
        ("show", "X"),
        ("verify",),
        ("register", "X"),
        ("set", "X", "title", "y"),
    ):
        assert cli(*args).code == 1
    assert files_snapshot(db_path.parent) == before


def test_a_folder_given_as_the_results_file_is_named(cli: Cli, ready: Any, tmp_path: Path) -> None:
    run = cli("import-results", "T-001", "H1", str(tmp_path))
    assert run.code == 1 and "this is a folder" in run.err
