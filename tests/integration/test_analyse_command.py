"""`testlearn analyse`: files on their own, pilots in the database, stale results."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from testlearn.services import analysis, pilots, registration
from tests.builders import hypothesis, pilot
from tests.conftest import Cli


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# R: sleep data, extra sleep in hours for drug 1 and drug 2 (Student 1908).
SLEEP_1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
SLEEP_2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]


def sleep_csv(tmp_path: Path) -> Path:
    rows = [f"pilot,{v}" for v in SLEEP_1] + [f"comparator,{v}" for v in SLEEP_2]
    return write(tmp_path, "sleep.csv", "arm,value\n" + "\n".join(rows) + "\n")


def test_a_file_is_analysed_with_the_contracts_json(cli: Cli, tmp_path: Path) -> None:
    run = cli(
        "analyse",
        str(sleep_csv(tmp_path)),
        "--outcome",
        "continuous",
        "--design",
        "two-group",
        "--benefit-threshold",
        "1",
        "--json",
        db=False,
    )
    assert run.code == 0, run.err
    out = json.loads(run.out)
    for key in (
        "method",
        "estimand",
        "estimate",
        "ci_low",
        "ci_high",
        "ci_level",
        "p_value",
        "verdict",
        "grade",
        "mde_achieved",
        "sentence",
        "warnings",
    ):
        assert key in out
    # R: t.test(extra ~ group, data = sleep): t = -1.8608, df = 17.776, p-value = 0.07939,
    # 95 percent confidence interval -3.3654832 0.2054832.
    assert out["estimate"] == pytest.approx(-1.58)
    assert out["ci_low"] == pytest.approx(-3.3654832, abs=1e-6)
    assert out["ci_high"] == pytest.approx(0.2054832, abs=1e-6)
    assert out["p_value"] == pytest.approx(0.07939, abs=1e-5)
    assert out["verdict"] == "inconclusive"


def test_the_same_file_gives_the_same_numbers(cli: Cli, tmp_path: Path) -> None:
    args = (
        "analyse",
        str(sleep_csv(tmp_path)),
        "--outcome",
        "continuous",
        "--design",
        "two-group",
        "--benefit-threshold",
        "1",
        "--json",
    )
    assert cli(*args, db=False).out == cli(*args, db=False).out


@pytest.mark.parametrize(
    ("text", "extra", "message"),
    [
        ("arm,score\npilot,1\n", (), "row 1: missing column value"),
        (
            "arm,value\npilot,1\ncomparator,high\n",
            (),
            "row 3, column value: 'high' is not a number",
        ),
        ("arm,value\npilot,1\ntreated,2\n", (), "row 3, column arm: 'treated' is not an arm"),
        ("arm,value\npilot,1\n", ("--benefit-threshold",), "expected one argument"),
    ],
)
def test_bad_files_get_one_line(
    cli: Cli, tmp_path: Path, text: str, extra: tuple[str, ...], message: str
) -> None:
    path = write(tmp_path, "in.csv", text)
    args = ["analyse", str(path), "--outcome", "continuous", "--design", "two-group"]
    args += list(extra) if extra else ["--benefit-threshold", "1"]
    run = cli(*args, db=False)
    assert run.code in (1, 2)
    assert message in run.err
    assert "Traceback" not in run.err


def test_a_threshold_is_required_for_a_verdict(cli: Cli, tmp_path: Path) -> None:
    run = cli(
        "analyse",
        str(sleep_csv(tmp_path)),
        "--outcome",
        "continuous",
        "--design",
        "two-group",
        db=False,
    )
    assert run.code == 1 and "--benefit-threshold is needed" in run.err


@pytest.mark.parametrize(
    ("text", "design", "reason"),
    [
        ("arm,value\npilot,1\npilot,2\npilot,3\n", "two-group", "comparator"),
        ("arm,value\npilot,2\npilot,2\ncomparator,2\ncomparator,2\n", "two-group", "is the same"),
        (
            "arm,value,cluster\npilot,1,a\npilot,2,a\ncomparator,3,b\ncomparator,1,b\n",
            "two-group",
            "cluster",
        ),
    ],
)
def test_data_that_cannot_answer_is_not_evaluable_with_the_reason(
    cli: Cli, tmp_path: Path, text: str, design: str, reason: str
) -> None:
    path = write(tmp_path, "in.csv", text)
    run = cli(
        "analyse",
        str(path),
        "--outcome",
        "continuous",
        "--design",
        design,
        "--benefit-threshold",
        "1",
        "--json",
        db=False,
    )
    assert run.code == 0, run.err
    out = json.loads(run.out)
    assert out["verdict"] == "not_evaluable"
    assert reason in (out["not_evaluable_reason"] or "").lower()


# -- pilots in the database ------------------------------------------------------------------


@pytest.fixture
def analysed(db: Any, tmp_path: Path, cli: Cli) -> Any:
    pilots.create_pilot(pilot(), db=db, actor="ana")
    pilots.add_record("T-001", "hypothesis", hypothesis(), db=db, actor="ana")
    registration.register("T-001", db=db, actor="ana")
    data = write(tmp_path, "h1.csv", "arm,n,successes\npilot,400,276\ncomparator,400,240\n")
    assert cli("import-results", "T-001", "H1", str(data)).code == 0
    run = cli("analyse", "T-001")
    assert run.code == 0, run.err
    return db


def revisions(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute("SELECT count(*) FROM revision").fetchone()[0])
    finally:
        conn.close()


def test_a_pilot_analysis_is_stored_with_its_provenance(analysed: Any, cli: Cli) -> None:
    h1 = pilots.get_pilot("T-001", db=analysed).hypothesis("H1")
    assert h1.result is not None and h1.stale_reason is None
    assert h1.result.verdict == "success"
    assert h1.result.engine_version and h1.result.input_hash and h1.result.seed is not None
    assert h1.result.data_fingerprint == h1.dataset.fingerprint
    assert cli("pilots", "--json").json()[0]["primary_verdict"] == "success"


def test_re_running_on_the_same_inputs_writes_nothing(
    analysed: Any, cli: Cli, db_path: Path
) -> None:
    before = revisions(db_path)
    first = cli("analyse", "T-001", "--json").json()
    assert revisions(db_path) == before
    assert cli("analyse", "T-001", "--json").json() == first


def test_a_deviation_makes_the_result_stale(analysed: Any) -> None:
    registration.record_deviation(
        "T-001",
        "H1",
        "benefit_threshold",
        "0.08",
        "Board asked for 8 points",
        db=analysed,
        actor="ana",
    )
    detail = pilots.get_pilot("T-001", db=analysed)
    assert "deviation" in (detail.hypothesis("H1").stale_reason or "")
    assert detail.hypothesis("H1").current_result is None
    [summary] = pilots.list_pilots(db=analysed)
    assert summary.primary_stale
    analysis.analyse_pilot("T-001", db=analysed, actor="ana")
    assert pilots.get_pilot("T-001", db=analysed).hypothesis("H1").stale_reason is None


def test_new_data_make_the_result_stale(analysed: Any, cli: Cli, tmp_path: Path) -> None:
    data = write(tmp_path, "h1b.csv", "arm,n,successes\npilot,410,280\ncomparator,400,240\n")
    cli("import-results", "T-001", "H1", str(data))
    assert "new outcome data" in (
        pilots.get_pilot("T-001", db=analysed).hypothesis("H1").stale_reason or ""
    )


def test_hypotheses_without_data_are_listed_not_analysed(db: Any, cli: Cli) -> None:
    pilots.create_pilot(pilot(), db=db, actor="ana")
    pilots.add_record("T-001", "hypothesis", hypothesis(), db=db, actor="ana")
    registration.register("T-001", db=db, actor="ana")
    run = cli("analyse", "T-001")
    assert run.code == 0 and "H1: not analysed (no outcome data imported yet)" in run.out


def test_analyse_needs_a_target(cli: Cli, db: Any) -> None:
    run = cli("analyse")
    assert run.code == 1 and "say what to analyse" in run.err
