"""Fixtures several integration modules share."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo database as built (analysed, as the demo is), once for the run: tests that
    change it work on a copy."""
    from testlearn.services import demo

    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    demo.build_demo_database(path, actor="tester").close()
    return path
