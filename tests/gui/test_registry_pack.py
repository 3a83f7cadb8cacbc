"""The Evaluation Registry from the window: its fields typed on the overview, the entry pack
made from the Reports section, and a rule it breaks shown with the field to change."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from tests.builders import pilot
from tests.gui.conftest import Recorder, wait_idle


def _one_pilot(path: Path) -> None:
    from testlearn.services import pilots
    from testlearn.services.databases import create_database

    db = create_database(path, actor="tester")
    try:
        pilots.create_pilot(
            pilot(status="design", evaluation_types=["impact"], start_date="2026-04-01"),
            db=db,
            actor="ana",
        )
    finally:
        db.close()


def test_the_registry_fields_are_typed_and_the_pack_is_made_from_the_reports_section(
    qtbot: Any,
    slow_window: Any,
    slow_lane: Any,
    messages: Recorder,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    from ui.file_dialogs import FileDialogs

    window, lane = slow_window, slow_lane
    path = tmp_path / "pilots.sqlite"
    _one_pilot(path)
    window.database.open(path)
    wait_idle(qtbot, lane)
    window.pilots.select("T-001")
    wait_idle(qtbot, lane)
    window.detail.show_tab("overview")
    registry = window.detail.overview.registry.widgets

    # Typed at a normal pace, saved when left, while saves are slowed: every key is kept.
    field = registry["policy_areas"]
    field.setFocus()
    qtbot.keyClicks(field, "transport; education", delay=60)
    qtbot.keyClick(field, Qt.Key.Key_Tab)
    link = registry["report_link"]
    link.setFocus()
    qtbot.keyClicks(link, "https://www.gov.uk/evaluation", delay=50)
    qtbot.keyClick(link, Qt.Key.Key_Tab)
    wait_idle(qtbot, lane)
    stored = window.session.detail.pilot
    assert stored.policy_areas == ["transport", "education"]
    assert stored.report_link == "https://www.gov.uk/evaluation"
    assert messages.messages == []

    folder = tmp_path / "registry"
    monkeypatch.setattr(FileDialogs, "ask_folder", classmethod(lambda cls, p, t: folder))
    window.detail.show_tab("reports")
    qtbot.mouseClick(window.detail.reports.registry_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, lane)
    assert messages.messages == []
    assert sorted(p.name for p in folder.iterdir()) == [
        "T-001-registry-entry.csv",
        "T-001-registry-entry.html",
        "T-001-registry-entry.pdf",
    ]
    assert "admin import row T-001-registry-entry.csv" in window.detail.reports.state.text()

    # A complete evaluation with a link and a reason it is unpublished breaks a rule: the
    # message names the field, and the folder is left as it was.
    from testlearn.services import databases, pilots

    with databases.open_database(path) as db:  # as a colleague's change to the shared file
        pilots.set_field("T-001", "unpublished_reasons", "resource", db=db, actor="ana")
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    qtbot.mouseClick(window.detail.reports.registry_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, lane)
    [(_title, text)] = messages.messages
    assert "T-001 cannot go to the Evaluation Registry as it stands" in text
    assert "Why the report is unpublished: the report is published" in text
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
