"""`testlearn import-results` with the files people really have: encodings, mappings, refusals."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from testlearn.services import pilots, registration
from tests.builders import hypothesis, pilot
from tests.conftest import Cli
from tests.integration.test_outcome_files import PDF, PNG, excel_csv

GROUP_OPTIONS = (
    "--map",
    " group =arm",
    "--map",
    "outcome_value=value",
    "--recode",
    "arm:Marketplace=pilot",
    "--recode",
    "Group:framework=comparator",
)


@pytest.fixture
def ready(db: Any) -> Any:
    pilots.create_pilot(pilot(), db=db, actor="ana")
    pilots.add_record("T-001", "hypothesis", hypothesis(), db=db, actor="ana")
    registration.register("T-001", db=db, actor="ana")
    return db


def state(db_path: Path) -> tuple[Any, ...]:
    """What an import could change: the rows, the datasets and the audit chain."""
    conn = sqlite3.connect(db_path)
    try:
        return tuple(
            conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("observation", "aggregate_row", "dataset", "audit_event")
        )
    finally:
        conn.close()


def test_an_excel_csv_imports_with_map_and_recode(
    cli: Cli, ready: Any, tmp_path: Path, db_path: Path
) -> None:
    path = excel_csv(tmp_path / "Framework outcomes.csv")
    run = cli("import-results", "T-001", "H1", str(path), *GROUP_OPTIONS)
    assert run.code == 0, run.err
    assert "imported 4 unit rows from Framework outcomes.csv, read as Windows-1252" in run.out
    assert "ignored columns: £ cost, Site" in run.out
    data = cli("show", "T-001", "--json").json()["hypotheses"][0]["dataset"]
    assert data["source_name"] == "Framework outcomes.csv"
    assert data["source_sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    conn = sqlite3.connect(db_path)
    arms = conn.execute("SELECT arm, value FROM observation ORDER BY row_no").fetchall()
    conn.close()
    assert arms == [("pilot", 1.0), ("comparator", 0.0), ("pilot", 1.0), ("comparator", 0.0)]
    assert cli("verify").code == 0


def test_an_explicit_encoding_is_used(cli: Cli, ready: Any, tmp_path: Path) -> None:
    path = excel_csv(tmp_path / "e.csv")
    run = cli("import-results", "T-001", "H1", str(path), "--encoding", "cp1252", *GROUP_OPTIONS)
    assert run.code == 0, run.err
    assert "read as Windows-1252" in run.out and "not valid UTF-8" not in run.out


def test_an_xlsx_keeps_its_own_name(cli: Cli, ready: Any, tmp_path: Path) -> None:
    book = Workbook()
    book.active.append(["Group", "Outcome Value"])
    book.active.append(["Marketplace", "Yes"])
    book.active.append(["Framework", "No"])
    path = tmp_path / "outcomes.xlsx"
    book.save(path)
    run = cli("import-results", "T-001", "H1", str(path), *GROUP_OPTIONS)
    assert run.code == 0, run.err
    data = cli("show", "T-001", "--json").json()["hypotheses"][0]["dataset"]
    assert data["source_name"] == "outcomes.xlsx"


def test_utf8_with_bom_and_crlf_imports(cli: Cli, ready: Any, tmp_path: Path) -> None:
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbf Arm ,VALUE\r\npilot,1\r\ncomparator,0\r\n")
    run = cli("import-results", "T-001", "H1", str(path))
    assert run.code == 0, run.err
    assert "imported 2 unit rows from bom.csv (fingerprint" in run.out


@pytest.mark.parametrize(
    ("name", "content", "options", "message"),
    [
        ("report.csv", PDF, (), "report.csv: this is a PDF document, not a CSV or .xlsx file"),
        ("photo.xlsx", PNG, (), "photo.xlsx: not a readable .xlsx workbook (it looks like a PNG"),
        ("empty.csv", b"", (), "empty.csv: the file is empty"),
        ("head.csv", b"arm,value\r\n", (), "head.csv: the file has a header but no data rows"),
        (
            "odd.csv",
            b"arm,value\npilot,1\ncomparator,\x81\n",
            (),
            "odd.csv, row 3: neither UTF-8 nor Windows-1252 text",
        ),
        (
            "groups.csv",
            b"Group,Value\nMarketplace,1\nOther,0\n",
            ("--map", "Group=arm", "--recode", "arm:Marketplace=pilot"),
            "groups.csv, row 3, column Group: 'Other' is not an arm (group)",
        ),
        (
            "nomap.csv",
            b"arm,value\npilot,1\n",
            ("--map", "Grp=arm"),
            "nomap.csv, row 1: there is no column 'Grp' to map",
        ),
        ("x.csv", b"arm,value\npilot,1\n", ("--map", "Group"), "--map 'Group': write it as"),
        ("y.csv", b"arm,value\npilot,1\n", ("--encoding", "klingon"), "'klingon' is not an enc"),
    ],
)
def test_files_that_cannot_be_imported_get_one_line_and_change_nothing(
    cli: Cli,
    ready: Any,
    tmp_path: Path,
    db_path: Path,
    name: str,
    content: bytes,
    options: tuple[str, ...],
    message: str,
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    before = state(db_path)
    shown = cli("show", "T-001", "--json").out
    run = cli("import-results", "T-001", "H1", str(path), *options)
    assert run.code == 1
    assert run.err.startswith("testlearn: ") and message in run.err, run.err
    assert run.err.count("\n") == 1 and "unexpected" not in run.err
    assert run.out == ""
    assert state(db_path) == before
    assert cli("show", "T-001", "--json").out == shown
    assert path.read_bytes() == content
