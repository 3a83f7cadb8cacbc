"""Values written into a file behind testlearn's back that no field can hold.

Raw SQL (or another program) can put a date "2025-13-01" in a date column or "banana" in an
amount. Every command that reads the record must say so in one line naming the file, the
record and the field, and what to do, not stop with an unexpected error.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from testlearn.services import pilots
from tests.builders import pilot
from tests.conftest import Cli


@pytest.fixture
def tampered(db_path: Path, cli: Cli) -> Cli:
    from testlearn.services.databases import create_database

    with create_database(db_path, actor="ana") as db:
        pilots.create_pilot(pilot(start_date="2026-04-01", budget=1000), db=db, actor="ana")
    return cli


def edit(path: Path, sql: str) -> None:
    conn = sqlite3.connect(path)
    with conn:
        conn.execute(sql)
    conn.close()


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        (
            "UPDATE pilot SET start_date = '2025-13-01'",
            "holds a value that cannot be read (month must be in 1..12)",
        ),
        (
            "UPDATE pilot SET budget = 'banana'",
            "the pilot T-001 holds a value testlearn cannot read (Budget",
        ),
    ],
)
@pytest.mark.parametrize(
    "command",
    [
        ("show", "T-001"),
        ("report", "T-001", "--incomplete", "--out", "{tmp}/b.pdf"),
        ("registry-pack", "T-001", "--out", "{tmp}/pack"),
    ],
)
def test_every_reading_command_names_the_file_and_what_to_do(
    tampered: Cli, tmp_path: Path, sql: str, expected: str, command: tuple[str, ...]
) -> None:
    edit(tampered.db, sql)
    run = tampered(*(part.format(tmp=tmp_path) for part in command))
    assert run.code != 0
    assert "unexpected" not in run.err
    assert run.err.count("\n") == 1, run.err  # one line
    assert tampered.db.name in run.err and expected in run.err
    assert "testlearn verify" in run.err
    assert not (tmp_path / "b.pdf").exists() and not (tmp_path / "pack").exists()


def test_verify_names_the_table_it_cannot_read(tampered: Cli) -> None:
    edit(tampered.db, "UPDATE pilot SET start_date = '2025-13-01'")
    run = tampered("verify")
    assert run.code != 0
    assert "table pilot: the table holds values testlearn cannot read" in run.out + run.err
