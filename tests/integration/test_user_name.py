"""The name recorded against changes is the one the user set, never the OS account:
`testlearn name`, $TESTLEARN_NAME, the refusal to record a change without a name, and the
name in the history and in the printed report."""

from __future__ import annotations

import getpass
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from testlearn.services import pilots
from tests.builders import hypothesis, pilot
from tests.conftest import Cli

NEEDED = 'set your name first: testlearn name "Your Name"'


@pytest.fixture
def nameless(monkeypatch: pytest.MonkeyPatch) -> None:
    """A user who has not set a name (and no $TESTLEARN_NAME)."""
    monkeypatch.delenv("TESTLEARN_NAME", raising=False)


def settings_file() -> Path:
    from testlearn.services.user_name import settings_path

    return settings_path()


def actors(path: Path) -> set[str]:
    """Who the history and the audit chain name, but testlearn's own setting-up."""
    conn = sqlite3.connect(path)
    try:
        query = "SELECT actor FROM revision UNION SELECT actor FROM audit_event"
        return {row[0] for row in conn.execute(query)} - {"testlearn"}
    finally:
        conn.close()


def set_a_field(cli: Cli, db_path: Path) -> None:
    """A pilot made by someone else, then one field set from the command line."""
    from testlearn.services.databases import open_database

    db: Any = open_database(db_path)
    try:
        pilots.create_pilot(pilot(), db=db, actor="a colleague")
    finally:
        db.close()
    run = cli("set", "T-001", "title", "A new title")
    assert run.code == 0, run.err


def test_a_change_without_a_name_is_refused_and_nothing_is_written(
    nameless: None, cli: Cli, db_path: Path
) -> None:
    run = cli("init")
    assert run.code == 1
    assert run.err.strip().splitlines() == [
        f"testlearn: {NEEDED} (or set TESTLEARN_NAME); it is recorded against your changes"
    ]
    assert not db_path.exists()


def test_reading_needs_no_name(cli: Cli, db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert cli("init").code == 0
    monkeypatch.delenv("TESTLEARN_NAME")
    assert cli("pilots").code == 0
    assert cli("verify").code == 0
    refused = cli("set", "T-001", "title", "New title")
    assert refused.code == 1 and NEEDED in refused.err


def test_the_name_set_is_saved_shown_and_recorded(nameless: None, cli: Cli, db_path: Path) -> None:
    assert cli("name").code == 1
    saved = cli("name", "  Jo Bloggs  ")
    assert saved.code == 0, saved.err
    assert json.loads(settings_file().read_text(encoding="utf-8")) == {"name": "Jo Bloggs"}
    shown = cli("name")
    assert shown.code == 0
    assert shown.out.strip() == f"Jo Bloggs (saved in {settings_file()})"
    assert cli("init").code == 0
    set_a_field(cli, db_path)
    assert actors(db_path) == {"a colleague", "Jo Bloggs"}


def test_the_environment_variable_wins_over_the_saved_name(
    cli: Cli, monkeypatch: pytest.MonkeyPatch, db_path: Path
) -> None:
    assert cli("name", "Jo Bloggs").code == 0
    monkeypatch.setenv("TESTLEARN_NAME", "Build Server")
    assert cli("name").out.strip() == "Build Server (from $TESTLEARN_NAME)"
    assert cli("init").code == 0
    set_a_field(cli, db_path)
    assert actors(db_path) == {"a colleague", "Build Server"}


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("   ", "your name is empty"),
        ("J" * 81, "your name is 81 characters long; at most 80 are allowed"),
        ("Jo\x07Bloggs", "your name holds a control or invisible character"),
        ("Jo\nBloggs", "your name holds a control or invisible character"),
        ("Jo\u200bBloggs", "your name holds a control or invisible character"),
    ],
)
def test_an_unusable_name_is_refused_in_one_line(
    nameless: None, cli: Cli, typed: str, said: str
) -> None:
    run = cli("name", typed)
    assert run.code == 1
    [line] = run.err.strip().splitlines()
    assert line.startswith(f"testlearn: {said}")
    assert not settings_file().exists()


def test_an_unusable_environment_variable_is_named(
    cli: Cli, monkeypatch: pytest.MonkeyPatch, db_path: Path
) -> None:
    monkeypatch.setenv("TESTLEARN_NAME", "x" * 200)
    run = cli("init")
    assert run.code == 1
    assert run.err.strip() == (
        "testlearn: $TESTLEARN_NAME is 200 characters long; at most 80 are allowed"
    )
    assert not db_path.exists()


def test_a_damaged_settings_file_is_named_and_replaced_by_a_new_name(
    nameless: None, cli: Cli
) -> None:
    settings_file().parent.mkdir(parents=True, exist_ok=True)
    settings_file().write_text("{not json", encoding="utf-8")
    run = cli("name")
    assert run.code == 1
    assert run.err.strip() == (
        f"testlearn: {settings_file()} is not a settings file testlearn can read; "
        'set your name again: testlearn name "Your Name"'
    )
    assert cli("name", "Jo Bloggs").code == 0
    assert cli("name").out.startswith("Jo Bloggs (saved in")


def test_the_report_prints_the_name_set_not_the_account(
    nameless: None, cli: Cli, db_path: Path, tmp_path: Path
) -> None:
    assert cli("name", "Jo Bloggs").code == 0
    assert cli("init").code == 0
    from testlearn.services.databases import open_database

    db: Any = open_database(db_path)
    try:
        pilots.create_pilot(pilot(), db=db, actor="Jo Bloggs")
        pilots.add_record("T-001", "hypothesis", hypothesis(), db=db, actor="Jo Bloggs")
    finally:
        db.close()
    assert cli("register", "T-001").code == 0
    shown = cli("show", "T-001").out
    assert "UTC by Jo Bloggs" in shown
    out = tmp_path / "full.pdf"
    run = cli("report", "T-001", "--kind", "full", "--out", str(out), "--incomplete")
    assert run.code == 0, run.err
    page = out.with_suffix(".html").read_text(encoding="utf-8")
    assert "by Jo Bloggs; hash (sha256)" in page
    account = getpass.getuser()
    assert f"by {account};" not in page and f"by {account}," not in shown
