"""A real department export to attack, and an empty central store to merge it into.

The export is the attacks' realistic file (two registered pilots with outcome data, results,
costs, lessons and decisions), exported as a department would; each test works on copies.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from testlearn.services import databases, merging, verification
from testlearn.sync.export import manifest_path
from tests.integration.attacks.conftest import build


@pytest.fixture(scope="session")
def honest_export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("department")
    team = folder / "team.sqlite"
    build(team, folder)
    out = folder / "moj-export.sqlite"
    with databases.open_database(team) as db:
        merging.export_for_central(db=db, out=out)
    return out


@pytest.fixture(scope="session")
def empty_central(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("central") / "central.sqlite"
    databases.create_database(path, actor="central", department="Cabinet Office").close()
    return path


def copy_export(honest: Path, folder: Path, name: str = "moj-export.sqlite") -> Path:
    """The export and its manifest, copied under ``name``."""
    folder.mkdir(parents=True, exist_ok=True)
    out = folder / name
    shutil.copyfile(honest, out)
    shutil.copyfile(manifest_path(honest), manifest_path(out))
    return out


def fresh_central(empty: Path, folder: Path) -> Path:
    out = folder / "central.sqlite"
    shutil.copyfile(empty, out)
    return out


def merge(central: Path, *sources: Path, dry_run: bool = False) -> Any:
    with databases.open_database(central) as db:
        return merging.merge(list(sources), db=db, actor="central team", dry_run=dry_run)


def verified(central: Path) -> Any:
    with databases.open_database(central) as db:
        return verification.verify(db=db)
