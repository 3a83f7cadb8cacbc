"""The portfolio page shows the results pooled across pilots that registered the same measure,
built on the portfolio's own lane, read as a user reads them, and chosen with the keyboard."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from testlearn.services import databases
from tests.builders import add_pilots_sharing_measures
from tests.gui.conftest import wait_idle
from tests.gui.test_accessibility import unnamed_controls
from tests.gui.test_portfolio import show_page


@pytest.fixture(scope="module")
def shared_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("shared") / "pilots.sqlite"
    db = databases.create_database(path, actor="ana")
    try:
        add_pilots_sharing_measures(db)
    finally:
        db.close()
    return path


def _cells(model: Any) -> list[list[str]]:
    return [
        [model.data(model.index(r, c)) for c in range(model.columnCount())]
        for r in range(model.rowCount())
    ]


def test_the_portfolio_shows_each_measure_pooled_across_pilots_with_their_own_verdicts(
    qtbot: Any, window: Any, lane: Any, shared_file: Path
) -> None:
    window.database.open(shared_file)
    wait_idle(qtbot, lane)
    window.activateWindow()
    show_page(qtbot, window, 1)
    page = window.portfolio
    qtbot.waitUntil(lambda: page.content.isVisible(), timeout=60_000)
    panel = page.pooling
    assert not panel.nothing.isVisible() and panel.list.isVisible()
    headings = [row[0] for row in _cells(panel.list_model)]
    assert headings == [
        "Sites rated clean (a proportion, against a concurrent comparator): 4 pilots",
        "Complaints (a rate, against a concurrent comparator): 2 pilots",
        "Sites needing a repeat visit (a proportion, against a concurrent comparator): not pooled",
    ]
    # The first measure is shown: every pilot with its own verdict, the pooled numbers, the
    # sentence and the forest plot.
    rows = _cells(panel.pilots_model)
    assert [r[0] for r in rows] == ["T-001", "T-002", "T-003", "T-004"]
    assert rows[0][2] == "Worked" and rows[2][2].startswith("Loss")
    assert rows[0][3] == "+15.0 points" and rows[0][4] == "8.5 to 21.4 points"
    assert panel.sentence.text().startswith("Averaged across these 4 pilots, sites rated clean")
    assert "no verdict of its own" in panel.sentence.text()
    facts = panel.facts.text()
    for what in ("Pilots", "Pooled average", "A new pilot", "tau²", "I²"):
        assert f"<b>{what}</b>" in facts
    assert "95% prediction interval" in facts
    assert panel.chart.isVisible() and panel.chart.has_chart()
    assert "T-001 H1: +15.0 points (8.5 to 21.4 points), Worked." in (
        panel.chart.accessibleDescription()
    )
    assert "Not pooled: T-005 H1: not analysed yet." in panel.notes.text()
    assert unnamed_controls(panel) == []
    # The keyboard chooses the next measure: two pilots, flagged.
    page.ensureWidgetVisible(panel.list)
    qtbot.mouseClick(
        panel.list.viewport(),
        Qt.MouseButton.LeftButton,
        pos=panel.list.visualRect(panel.list_model.index(0, 0)).center(),
    )
    assert panel.list.hasFocus()
    qtbot.keyClick(panel.list, Qt.Key.Key_Down)
    assert panel.sentence.text().startswith("With only two pilots, and so only as an indication")
    assert "two only: the pooling is unreliable" in panel.facts.text()
    assert [r[3] for r in _cells(panel.pilots_model)] == ["rate ratio 0.50", "rate ratio 0.92"]
    qtbot.keyClick(panel.list, Qt.Key.Key_Down)
    assert panel.sentence.text() == (
        "Not pooled: only T-001 has a usable result, so its own result stands."
    )
    assert not panel.chart.isVisible() and not panel.facts.isVisible()
    assert "Not pooled: T-002 H3: not analysed yet." in panel.notes.text()
    # Tab leaves the list for the next part of the page, not the next cell.
    qtbot.keyClick(panel.list, Qt.Key.Key_Tab)
    assert not panel.list.hasFocus()


def test_the_portfolio_says_so_when_no_two_pilots_share_a_measure(
    qtbot: Any, demo_window: Any
) -> None:
    window = demo_window
    show_page(qtbot, window, 1)
    qtbot.waitUntil(lambda: window.portfolio.content.isVisible(), timeout=60_000)
    panel = window.portfolio.pooling
    assert panel.nothing.isVisible() and not panel.list.isVisible()
    assert panel.nothing.text().startswith("No outcome measure was registered by two or more")
