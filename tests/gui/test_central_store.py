"""The window on a central store on a PostgreSQL server that asks for a password."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.gui.conftest import wait_idle
from tests.support.postgres import password_database, postgres_server

REFERENCE = "DHSC-TL-001"


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with postgres_server() as url:
        yield url


@pytest.fixture
def store(server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, str]:
    """A central store holding the demo pilots merged from a department's export."""
    from testlearn.services import databases, merging

    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setattr(databases, "_typed_passwords", {})
    address, password = password_database(server)
    with databases.create_database(
        tmp_path / "dhsc.sqlite", demo=True, actor="department", department="DHSC"
    ) as db:
        merging.export_for_central(db=db, out=tmp_path / "export.sqlite")
    databases.use_password(address, password)
    with databases.open_database(address) as central:
        merging.merge([tmp_path / "export.sqlite"], db=central, actor="central")
    monkeypatch.setattr(databases, "_typed_passwords", {})  # the window must ask for it
    return address, password


def _answer_dialog(qtbot: Any, address: str | None, password: str) -> list[str]:
    """When the dialog shows, type into it as a person does and press Open; returns what
    its introduction said."""
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtWidgets import QApplication

    from ui.central_store_dialog import CentralStoreDialog

    said: list[str] = []

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, CentralStoreDialog):
            QTimer.singleShot(50, answer)
            return
        said.append(dialog.findChildren(type(dialog.problem))[0].text())
        if address is not None:
            qtbot.keyClicks(dialog.address, address, delay=5)
        qtbot.keyClicks(dialog.password, password, delay=50)
        qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, answer)
    return said


def test_a_central_team_opens_its_store_and_works_there(
    qtbot: Any, window: Any, lane: Any, store: tuple[str, str], messages: Any
) -> None:
    address, password = store
    said = _answer_dialog(qtbot, address, password)
    window.open_central_store()
    wait_idle(qtbot, lane)
    assert said and "central store" in said[0]
    references = [p.reference for p in window.pilots.model.summaries()]
    assert REFERENCE in references and len(references) == 10
    assert window.windowTitle() == f"Central store {address} - testlearn"
    assert password not in window.windowTitle()
    assert window.database.recent()[0] == address  # remembered without the password
    # The portfolio reads on a connection of its own, which finds the typed password.
    window.pages.setCurrentIndex(1)
    qtbot.waitUntil(lambda: window.portfolio is not None, timeout=10_000)
    qtbot.waitUntil(lambda: not window.portfolio.builder.building, timeout=120_000)
    assert not messages.messages, messages.text()


def test_a_wrong_password_asks_again_and_the_right_one_opens(
    qtbot: Any, window: Any, lane: Any, store: tuple[str, str], messages: Any
) -> None:
    address, password = store
    _answer_dialog(qtbot, address, "wrong")
    window.open_central_store()
    # The refusal brings the dialog back, with the address kept and the reason said.
    again = _answer_dialog(qtbot, None, password)
    qtbot.waitUntil(lambda: bool(again), timeout=60_000)
    assert again[0] == "The server did not accept that password. Type it again."
    wait_idle(qtbot, lane)
    qtbot.waitUntil(lambda: window.pilots.model.rowCount() == 10, timeout=60_000)
    assert not messages.messages, messages.text()


def test_save_a_copy_and_export_explain_themselves_on_a_store(
    qtbot: Any, window: Any, lane: Any, store: tuple[str, str], messages: Any
) -> None:
    address, password = store
    from testlearn.services import databases

    databases.use_password(address, password)
    window.database.open_recent(address)
    wait_idle(qtbot, lane)
    window._save_copy()
    window._export_for_central()
    assert "pg_dump" in messages.messages[0][1]
    assert "Merge department files" in messages.messages[1][1]
