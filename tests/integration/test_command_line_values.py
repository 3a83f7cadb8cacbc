"""Values typed on the command line: numbers that are no numbers (NaN, infinity, 1e400), values
out of range, a whole file pasted as one value, and degenerate data, each refused or handled in
one line, with nothing stored and no raw numpy warning on the terminal."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from testlearn.services import pilots
from tests.builders import hypothesis, pilot
from tests.conftest import Cli

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def planned(db: Any) -> Any:
    """A pilot with one hypothesis, not yet registered, so its fields can be set."""
    pilots.create_pilot(pilot(), db=db, actor="ana")
    pilots.add_record("T-001", "hypothesis", hypothesis(), db=db, actor="ana")
    return db


def stored_hypothesis(db: Any) -> Any:
    [h] = pilots.get_pilot("T-001", db=db).hypotheses
    return h.plan


def one_line(text: str) -> str:
    lines = text.strip().splitlines()
    assert len(lines) == 1, text[:2000]
    return lines[0]


@pytest.mark.parametrize("typed", ["nan", "NaN", "inf", "Infinity", "1e400"])
@pytest.mark.parametrize(
    ("field", "label"),
    [
        ("H1.benefit_threshold", "Benefit threshold"),
        ("H1.harm_margin", "Harm margin"),
        ("H1.alpha", "Alpha"),
        ("H1.icc", "ICC"),
        ("H1.allocation_ratio", "Allocation ratio (pilot:comparator)"),
    ],
)
def test_set_refuses_a_number_that_is_not_finite(
    cli: Cli, planned: Any, field: str, label: str, typed: str
) -> None:
    before = stored_hypothesis(planned)
    run = cli("set", "T-001", field, typed)
    assert run.code == 1
    assert one_line(run.err) == (
        f"testlearn: {label}: write a number like 0.05 or 1,200 (not NaN or infinity)"
    )
    assert stored_hypothesis(planned) == before


def test_set_refuses_a_count_too_large_to_store(cli: Cli, planned: Any) -> None:
    run = cli("set", "T-001", "H1.planned_n_pilot", "9" * 30)
    assert run.code == 1
    assert one_line(run.err) == (
        "testlearn: Planned n (pilot): is too large; at most 9,223,372,036,854,775,807"
    )
    assert stored_hypothesis(planned).planned_n_pilot == 400


def test_set_still_takes_ordinary_numbers(cli: Cli, planned: Any) -> None:
    assert cli("set", "T-001", "H1.benefit_threshold", "0.07").code == 0
    assert cli("set", "T-001", "H1.alpha", "1e-2").code == 0
    found = stored_hypothesis(planned)
    assert (found.benefit_threshold, found.alpha) == (0.07, 0.01)


@pytest.mark.parametrize(
    ("option", "typed", "said"),
    [
        ("--alpha", "nan", "--alpha: write a number like 0.05 or 1,200 (not NaN or infinity)"),
        ("--alpha", "1e400", "--alpha: write a number like 0.05 or 1,200 (not NaN or infinity)"),
        ("--alpha", "0.7", "--alpha: must be less than 0.5 (not 0.7)"),
        ("--alpha", "0", "--alpha: must be more than 0 (not 0)"),
        ("--icc", "1", "--icc: must be less than 1 (not 1)"),
        ("--harm-margin", "-0.5", "--harm-margin: must be 0 or more (not -0.5)"),
        (
            "--benefit-threshold",
            "inf",
            "--benefit-threshold: write a number like 0.05 or 1,200 (not NaN or infinity)",
        ),
        (
            "--benefit-threshold",
            "1e20",
            "--benefit-threshold: 1e20 is out of range; at most 1,000,000,000,000,000",
        ),
        (
            "--benchmark",
            "abc",
            "--benchmark: 'abc' is not a number; write a number like 0.05 or 1,200",
        ),
    ],
)
def test_analyse_refuses_a_bad_number_option_naming_it(
    cli: Cli, tmp_path: Path, option: str, typed: str, said: str
) -> None:
    data = tmp_path / "outcomes.csv"
    data.write_text("arm,value\npilot,1\ncomparator,2\n", encoding="utf-8")
    run = cli(
        "analyse",
        str(data),
        "--outcome",
        "continuous",
        "--design",
        "two-group",
        option,
        typed,
        db=False,
    )
    assert run.code == 2
    assert one_line(run.err) == f"testlearn: {said}"
    assert run.out == ""


def test_a_value_of_789_kb_is_refused_with_its_length_and_the_cap(cli: Cli, planned: Any) -> None:
    title = pilots.get_pilot("T-001", db=planned).pilot.title
    run = cli("set", "T-001", "title", "x" * 789_000)
    assert run.code == 2
    assert one_line(run.err) == (
        "testlearn: the value for 'title' is 789,000 characters long; at most 10,000 are allowed"
    )
    assert run.out == ""
    assert pilots.get_pilot("T-001", db=planned).pilot.title == title


def test_a_long_option_value_is_refused_naming_the_option(cli: Cli, planned: Any) -> None:
    run = cli("deviate", "T-001", "H1", "alpha", "0.01", "--reason", "because " * 2_000)
    assert run.code == 2
    assert one_line(run.err) == (
        "testlearn: the reason given is 16,000 characters long; at most 10,000 are allowed"
    )


def test_a_message_quotes_at_most_200_characters_of_what_was_typed(cli: Cli, planned: Any) -> None:
    run = cli("set", "T-001", "status", "y" * 5_000)
    assert run.code == 1
    line = one_line(run.err)
    assert "y" * 200 + "'… (5,000 characters) is not one of them" in line
    assert "y" * 201 not in line
    assert len(line) < 500


def run_real(*args: str, folder: Path) -> subprocess.CompletedProcess[str]:
    """The installed command line in its own process, as a user's terminal sees it."""
    return subprocess.run(
        [sys.executable, "-m", "testlearn", *args],
        cwd=folder,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_all_equal_stepped_wedge_data_is_analysed_without_a_raw_warning(
    tmp_path: Path,
) -> None:
    data = tmp_path / "wedge.csv"
    rows = [
        f"{'pilot' if period >= cluster else 'comparator'},c{cluster},{period},5"
        for cluster in range(1, 4)
        for period in range(4)
        for _ in range(3)
    ]
    data.write_text("arm,cluster,period,value\n" + "\n".join(rows) + "\n", encoding="utf-8")
    done = run_real(
        "analyse",
        str(data),
        "--outcome",
        "continuous",
        "--design",
        "stepped-wedge",
        "--benefit-threshold",
        "0.1",
        folder=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert "RuntimeWarning" not in done.stderr and "unexpected error" not in done.stderr
    assert "Warning" not in done.stderr


def test_huge_values_give_no_raw_numpy_warning(tmp_path: Path) -> None:
    data = tmp_path / "huge.csv"
    data.write_text(
        "arm,value\npilot,1e300\npilot,1e300\ncomparator,1e300\ncomparator,1.1e300\n",
        encoding="utf-8",
    )
    done = run_real(
        "analyse",
        str(data),
        "--outcome",
        "continuous",
        "--design",
        "two-group",
        "--benefit-threshold",
        "0.1",
        folder=tmp_path,
    )
    assert "RuntimeWarning" not in done.stderr, done.stderr
    assert "overflow" not in done.stderr
    assert "unexpected error" not in done.stderr
