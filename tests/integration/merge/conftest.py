"""Fixtures for merging: department files made from the demo, and a central store that is
an SQLite file or a PostgreSQL database (every merge test runs against both)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from testlearn.services import databases, merging, pilots
from tests.support.postgres import fresh_database, postgres_server


@pytest.fixture(scope="session")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "department.sqlite"
    databases.create_database(path, demo=True, actor="department", department="DHSC").close()
    return path


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    # No skip: a central-store test that cannot reach its server must fail, not pass quietly.
    with postgres_server() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgres"])
def central(request: pytest.FixtureRequest, tmp_path: Path) -> Any:
    """The address of an empty central store."""
    if request.param == "sqlite":
        path = tmp_path / "central.sqlite"
        databases.create_database(path, actor="central", department="Cabinet Office").close()
        return path
    return fresh_database(request.getfixturevalue("postgres_url"))


class Department:
    """A department's copy of the demo database, edited through the services."""

    def __init__(self, template: Path, folder: Path, name: str) -> None:
        self.path = folder / f"{name}.sqlite"
        shutil.copy(template, self.path)
        self.name = name

    def set(self, reference: str, field: str, value: str) -> None:
        with databases.open_database(self.path) as db:
            pilots.set_field(reference, field, value, db=db, actor=self.name)

    def delete_pilot(self, reference: str) -> None:
        with databases.open_database(self.path) as db:
            pilot = pilots.get_pilot(reference, db=db).pilot
            pilots.delete_record("pilot", pilot.id, db=db, actor=self.name)

    def export(self, name: str | None = None) -> Path:
        out = self.path.with_name(f"{name or self.name}-export.sqlite")
        with databases.open_database(self.path) as db:
            merging.export_for_central(db=db, out=out)
        return out


@pytest.fixture
def department(demo_file: Path, tmp_path: Path) -> Any:
    return lambda name: Department(demo_file, tmp_path, name)


def merge(central: Any, *sources: Path, dry_run: bool = False) -> Any:
    with databases.open_database(central) as db:
        return merging.merge(list(sources), db=db, actor="central team", dry_run=dry_run)


def open_central(central: Any) -> Any:
    return databases.open_database(central)
