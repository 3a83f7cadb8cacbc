"""Pilot > Import procurement notices: the file dialog, the import on the lane, the KPI table."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from tests.builders import pilot
from tests.gui.conftest import Recorder, wait_idle

NOTICES = Path(__file__).parent.parent / "data" / "notices"


def _one_pilot(path: Path) -> None:
    from testlearn.services import pilots
    from testlearn.services.databases import create_database

    db = create_database(path, actor="tester")
    try:
        pilots.create_pilot(pilot(), db=db, actor="ana")
    finally:
        db.close()


def test_the_menu_imports_notices_and_the_kpi_table_shows_statutory_ratings(
    qtbot: Any,
    window: Any,
    lane: Any,
    messages: Recorder,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    from ui.file_dialogs import FileDialogs
    from ui.kpis_section import KpisSection

    path = tmp_path / "pilots.sqlite"
    _one_pilot(path)
    window.database.open(path)
    wait_idle(qtbot, lane)
    window.pilots.select("T-001")
    wait_idle(qtbot, lane)
    chosen = [NOTICES / "uk7_contract_details.json", NOTICES / "uk9_contract_performance.json"]
    monkeypatch.setattr(FileDialogs, "ask_notice_file", classmethod(lambda cls, p: chosen.pop(0)))
    for _ in range(2):
        window.import_notices_action.trigger()
        wait_idle(qtbot, lane)
    assert messages.messages == []
    assert "ocds-h6vhtk-0512ab" in window.statusBar().currentMessage()
    section = window.detail.findChild(KpisSection)
    model = section.kpis
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    column = headers.index("Statutory rating")
    shown = {
        model.index(row, 0).data(): model.index(row, column).data()
        for row in range(model.rowCount())
    }
    assert shown["Wards rated clean at audit"] == "Approaching target (30/09/2025)"
    assert shown["Complaints about cleanliness"] == "Inadequate (30/09/2025)"
    assert len(shown) == 5
    # A file that is not a notice is refused in a message, and nothing changes.
    bad = tmp_path / "notice.json"
    bad.write_bytes(b"%PDF-1.7")
    chosen.append(bad)
    window.import_notices_action.trigger()
    wait_idle(qtbot, lane)
    [(_title, text)] = messages.messages
    assert text.startswith("notice.json: is a PDF, not a notice in JSON")
    assert section.kpis.rowCount() == 5
