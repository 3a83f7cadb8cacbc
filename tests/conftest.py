"""Shared fixtures. Qt runs offscreen; every test gets its own files and data folders."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Changes are recorded against the name the user set. Set here, for the whole run, as well as
# per test below: fixtures shared by a module or the session run before any test's own.
os.environ["TESTLEARN_NAME"] = "tester"

import contextlib
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _private_user_folders(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keep tests away from the real user's data, config and log folders and name."""
    home = tmp_path_factory.mktemp("home")
    for variable in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(variable, str(home / variable.lower()))
    monkeypatch.delenv("TESTLEARN_DB", raising=False)
    # Changes are recorded against the name the user set; tests (and commands they start in
    # other processes) are "tester". Tests of the unset case remove it.
    monkeypatch.setenv("TESTLEARN_NAME", "tester")


@dataclass
class Run:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


class Cli:
    """Runs `testlearn ...` in-process against one database, capturing its output."""

    def __init__(self, db: Path) -> None:
        self.db = db

    def __call__(self, *args: str, db: bool = True) -> Run:
        from testlearn.cli import main

        out, err = io.StringIO(), io.StringIO()
        argv = (["--db", str(self.db)] if db else []) + list(args)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(argv)
            except SystemExit as exit_:  # argparse usage errors
                code = int(exit_.code or 0)
        return Run(code, out.getvalue(), err.getvalue())


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "pilots.sqlite"


@pytest.fixture
def cli(db_path: Path) -> Cli:
    return Cli(db_path)


@pytest.fixture
def db(db_path: Path) -> Iterator[Any]:
    from testlearn.services.databases import create_database

    database = create_database(db_path, actor="tester")
    yield database
    database.close()


def files_snapshot(folder: Path) -> dict[str, bytes]:
    """Every file in a folder with its bytes: to show that nothing was written."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}
