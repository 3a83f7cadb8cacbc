"""Hostile and broken outcome files through `testlearn import-results` and `testlearn analyse`.

Each file is built here as an attacker or a careless export would make it. Every one is
refused in one line naming the file (and the row and column where there is one), the exit code
says it failed, and the database holds nothing new.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from testlearn.services import pilots, registration
from tests.builders import hypothesis, pilot
from tests.conftest import Cli, Run

ANALYSE = ("--outcome", "binary", "--design", "two-group", "--benefit-threshold", "0.1")


@pytest.fixture
def ready(db: Any) -> Any:
    pilots.create_pilot(pilot(), db=db, actor="ana")
    pilots.add_record("T-001", "hypothesis", hypothesis(), db=db, actor="ana")
    registration.register("T-001", db=db, actor="ana")
    return db


def state(db_path: Path) -> tuple[int, ...]:
    """What an import could change: the rows, the datasets and the audit chain."""
    conn = sqlite3.connect(db_path)
    try:
        return tuple(
            conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("observation", "aggregate_row", "dataset", "audit_event")
        )
    finally:
        conn.close()


def refused(cli: Cli, db_path: Path, path: Path, *options: str) -> str:
    """Import ``path``: it must fail in one line, storing nothing; the line is returned."""
    before = state(db_path)
    run = cli("import-results", "T-001", "H1", str(path), *options)
    assert run.code == 1, run.out
    assert state(db_path) == before
    return one_line(run)


def one_line(run: Run) -> str:
    lines = run.err.strip().splitlines()
    assert len(lines) == 1, run.err
    assert "unexpected error" not in lines[0]
    assert len(lines[0]) < 400, lines[0]
    return lines[0]


def binary_rows(count: int) -> list[str]:
    return [f"{'pilot' if i % 2 else 'comparator'},{i % 2},ok" for i in range(1, count + 1)]


# -- CSV quoting --------------------------------------------------------------------------------


def test_an_unterminated_quote_is_refused_at_the_line_it_opens(
    cli: Cli, ready: Any, tmp_path: Path, db_path: Path
) -> None:
    lines = ["arm,value,note", *binary_rows(200)]  # 201 lines
    lines[56] = 'pilot,1,"the rest of the file disappears into this note'  # line 57
    path = tmp_path / "site returns.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    message = refused(cli, db_path, path)
    assert message.startswith("testlearn: site returns.csv, row 57, column note: a quoted cell")
    assert "closing quote is missing" in message
    analysed = one_line(cli("analyse", str(path), *ANALYSE))
    assert analysed == message


def test_the_same_file_with_the_quote_closed_imports_all_200_rows(
    cli: Cli, ready: Any, tmp_path: Path
) -> None:
    lines = ["arm,value,note", *binary_rows(200)]
    lines[56] = 'pilot,1,"a note, with a comma\nand a second line"'
    path = tmp_path / "returns.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    run = cli("import-results", "T-001", "H1", str(path))
    assert run.code == 0, run.err
    assert "imported 200 unit rows" in run.out


def test_text_after_a_closing_quote_is_refused_with_its_row_and_column(
    cli: Cli, ready: Any, tmp_path: Path, db_path: Path
) -> None:
    lines = ["arm,value", *[row.rsplit(",", 1)[0] for row in binary_rows(30)]]
    lines[11] = '"pilot" (north),1'  # line 12
    path = tmp_path / "returns.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    message = refused(cli, db_path, path)
    assert message.startswith("testlearn: returns.csv, row 12, column arm: text follows the")
    assert one_line(cli("analyse", str(path), *ANALYSE)) == message


@pytest.mark.parametrize(
    "line",
    ['pilot, "1"', ' "pilot",1', '"pilot"x,1', '"pilot,1'],
    ids=["value", "arm", "x", "open"],
)
def test_the_fast_reader_refuses_what_the_careful_reader_refuses(
    cli: Cli, ready: Any, tmp_path: Path, db_path: Path, line: str
) -> None:
    """pandas forgives these quotes; the analysis of a file must not."""
    lines = ["arm,value", *[row.rsplit(",", 1)[0] for row in binary_rows(200)]]
    lines[56] = line
    path = tmp_path / "quoted.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    message = refused(cli, db_path, path)
    assert message.startswith("testlearn: quoted.csv, row 57, column ")
    assert one_line(cli("analyse", str(path), *ANALYSE)) == message


# -- line numbers -------------------------------------------------------------------------------


def excel_1252(path: Path, above: int = 0) -> tuple[Path, int]:
    """Excel's "CSV (Comma delimited)" on a British machine: Windows-1252, CRLF, spaced
    headers, a quoted cell over two lines, blank lines; returns the file and the line of its
    one bad value."""
    lines = [""] * above + [" Group ,£ cost,Outcome Value,Site"]
    for i in range(1, 40):
        lines.append(f"Marketplace,£{i},Yes,Café Nord" if i % 2 else "Framework,300,No,South")
    lines[above + 5] = 'Marketplace,"£1,250\r\n(revised)",Yes,Café Nord'  # two lines
    lines[above + 9 : above + 9] = ["", ",,,"]  # a blank line and an empty row
    lines[above + 20] = "Framework,300,Maybe,South"
    path.write_bytes("\r\n".join(lines).encode("cp1252") + b"\r\n")
    # The line of "Maybe" as a text editor counts it: one more for the two-line cell.
    return path, above + 20 + 2


MAP = (
    "--map",
    " group =arm",
    "--map",
    "outcome_value=value",
    "--recode",
    "arm:Marketplace=pilot",
    "--recode",
    "arm:Framework=comparator",
)


@pytest.mark.parametrize("above", [0, 2])
def test_a_windows_1252_file_names_its_own_line(
    cli: Cli, ready: Any, tmp_path: Path, db_path: Path, above: int
) -> None:
    path, line = excel_1252(tmp_path / "Framework outcomes.csv", above)
    assert path.read_bytes().split(b"\r\n")[line - 1].startswith(b"Framework,300,Maybe")
    message = refused(cli, db_path, path, *MAP)
    assert message.startswith(
        f"testlearn: Framework outcomes.csv, row {line}, column Outcome Value: 'Maybe' is not"
    )


def test_a_pdf_renamed_csv_is_refused(cli: Cli, ready: Any, tmp_path: Path, db_path: Path) -> None:
    from tests.integration.test_outcome_files import PDF

    path = tmp_path / "results.csv"
    path.write_bytes(PDF)
    message = refused(cli, db_path, path)
    assert (
        message
        == "testlearn: results.csv: this is a PDF document, not a CSV or .xlsx file of results"
    )
