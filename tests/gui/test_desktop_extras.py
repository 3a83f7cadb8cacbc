"""What a desktop user expects of the list and the tables: search, Ctrl+C, Excel, menus."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMenu

from tests import builders
from tests.gui.conftest import wait_idle

ROWS = [
    {"arm": "pilot", "n": 400, "successes": 270},
    {"arm": "comparator", "n": 400, "successes": 216},
]


def _register(path: Path) -> None:
    """Three pilots: one known by its problem statement, one by a lesson, one analysed."""
    from testlearn.services import analysis, databases, outcome_import, pilots, registration

    db = databases.create_database(path, actor="tester")
    try:
        pilots.create_pilot(
            builders.pilot(
                reference="DFE-TL-001",
                title="Breakfast clubs",
                lead_organisation="DfE",
                problem_statement="Children arrive at school too hungry to learn",
                spend=12_500.0,
            ),
            db=db,
            actor="tester",
        )
        pilots.create_pilot(
            builders.pilot(
                reference="MOJ-TL-002",
                title="Probation check-ins",
                lead_organisation="MoJ",
                spend=250_000.0,
            ),
            db=db,
            actor="tester",
        )
        pilots.add_record(
            "MOJ-TL-002",
            "lesson",
            {"category": "delivery", "what_happened": "The caterer withdrew after a month"},
            db=db,
            actor="tester",
        )
        pilots.create_pilot(builders.pilot(reference="T-001", spend=None), db=db, actor="tester")
        pilots.add_record("T-001", "hypothesis", builders.hypothesis(), db=db, actor="tester")
        registration.register("T-001", db=db, actor="tester")
        outcome_import.import_aggregates(
            "T-001", "H1", ROWS, source_name="t.csv", db=db, actor="tester"
        )
        analysis.analyse_pilot("T-001", db=db, actor="tester")
    finally:
        db.close()


@pytest.fixture
def register_window(qtbot: Any, window: Any, lane: Any, tmp_path: Path) -> Any:
    path = tmp_path / "register.sqlite"
    _register(path)
    window.database.open(path)
    wait_idle(qtbot, lane)
    assert window.pilots.model.rowCount() == 3
    return window


def _shown(panel: Any) -> list[str]:
    return [s.reference for s in panel.model.summaries()]


def test_a_word_of_a_lesson_or_a_problem_statement_finds_its_pilot(
    qtbot: Any, register_window: Any, lane: Any
) -> None:
    panel = register_window.pilots
    qtbot.mouseClick(panel.search, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(panel.search, "caterer", delay=60)
    assert _shown(panel) == ["MOJ-TL-002"]
    assert panel.count.text() == "1 of 3 pilots"
    panel.select("MOJ-TL-002")
    assert panel.matched.isVisible()
    assert panel.matched.text() == "Search also found in: lesson"
    tip = panel.model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert "found in: lesson" in tip

    panel.search.selectAll()
    qtbot.keyClicks(panel.search, "too hungry", delay=60)
    assert _shown(panel) == ["DFE-TL-001"]
    panel.select("DFE-TL-001")
    assert panel.matched.text() == "Search also found in: problem statement"

    # A word of a hypothesis, and a word in a column: the note says nothing for the latter.
    panel.search.selectAll()
    qtbot.keyClicks(panel.search, "rated clean", delay=60)
    assert _shown(panel) == ["T-001"]
    panel.search.selectAll()
    qtbot.keyClicks(panel.search, "probation", delay=60)
    assert _shown(panel) == ["MOJ-TL-002"]
    panel.select("MOJ-TL-002")
    assert not panel.matched.isVisible()
    wait_idle(qtbot, lane)


def test_ctrl_c_on_the_pilot_list_copies_the_selected_row_with_its_header(
    qtbot: Any, register_window: Any, lane: Any
) -> None:
    panel = register_window.pilots
    table = panel.table
    qtbot.keyClicks(panel.search, "breakfast", delay=60)
    rect = table.visualRect(panel.proxy.index(0, 1))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    wait_idle(qtbot, lane)
    QApplication.clipboard().clear()
    qtbot.keyClick(table, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    header, row = QApplication.clipboard().text().split("\n")
    assert header.split("\t") == [
        "Reference",
        "Title",
        "Primary verdict",
        "Mission",
        "Status",
        "Spend",
        "Organisation",
    ]
    cells = row.split("\t")
    assert cells[0] == "DFE-TL-001" and cells[1] == "Breakfast clubs"
    assert cells[5] == "£12,500" and cells[6] == "DfE"


def test_ctrl_c_on_a_table_built_later_copies_a_block_of_cells(
    qtbot: Any, register_window: Any, lane: Any
) -> None:
    """Tables found by focus (the pilot's sections) copy cells, without a header."""
    from PySide6.QtCore import QItemSelectionModel

    panel = register_window.pilots
    panel.select("T-001")
    wait_idle(qtbot, lane)
    tables = [
        t
        for t in register_window.findChildren(type(panel.table))
        if t is not panel.table and t.model() is not None and t.model().rowCount() > 0
    ]
    assert tables, "the pilot's sections show at least one table"
    table = tables[0]
    table.setFocus()
    qtbot.waitUntil(table.hasFocus)
    model = table.model()
    selection = table.selectionModel()
    selection.clearSelection()
    selection.select(model.index(0, 0), QItemSelectionModel.SelectionFlag.Select)
    QApplication.clipboard().clear()
    qtbot.keyClick(table, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.clipboard().text() == model.index(0, 0).data()


def _popup_actions(qtbot: Any, open_menu: Any) -> list[str]:
    """Open a context menu, read its actions, and close it (a timer, so nothing can block)."""
    seen: list[str] = []

    def read() -> None:
        menu = QApplication.activePopupWidget()
        if isinstance(menu, QMenu):
            seen.extend(a.text() for a in menu.actions() if a.isEnabled() and a.text())
            menu.close()

    open_menu()
    QTimer.singleShot(50, read)
    qtbot.waitUntil(lambda: bool(seen), timeout=5_000)
    return seen


def test_the_pilot_list_has_a_right_click_menu_and_a_keyboard_one(
    qtbot: Any, register_window: Any, lane: Any
) -> None:
    panel = register_window.pilots
    table = panel.table
    rect = table.visualRect(panel.proxy.index(1, 0))
    actions = _popup_actions(qtbot, lambda: table.customContextMenuRequested.emit(rect.center()))
    assert actions == ["&Open", "&Copy reference", "&Export the list to Excel..."]

    # Open, chosen from the menu, shows the pilot the menu was opened on.
    def choose_open() -> None:
        menu = QApplication.activePopupWidget()
        assert isinstance(menu, QMenu)
        [action] = [a for a in menu.actions() if a.text() == "&Open"]
        menu.close()
        action.trigger()

    with qtbot.waitSignal(panel.pilot_opened) as opened:
        table.customContextMenuRequested.emit(rect.center())
        QTimer.singleShot(50, choose_open)
    assert opened.args == ["MOJ-TL-002"]
    assert panel.selected_reference() == "MOJ-TL-002"
    wait_idle(qtbot, lane)
    assert register_window.session.reference == "MOJ-TL-002"
    # Archive and delete (ui/pilot_removal.py) are offered for the pilot now on screen.
    actions = _popup_actions(qtbot, lambda: table.customContextMenuRequested.emit(rect.center()))
    assert actions == [
        "&Open",
        "&Copy reference",
        "&Archive pilot...",
        "&Delete pilot...",
        "&Export the list to Excel...",
    ]

    # Shift+F10 on the current row gives the same menu; Copy reference copies it.
    panel.select("MOJ-TL-002")
    wait_idle(qtbot, lane)
    table.setFocus()
    qtbot.waitUntil(table.hasFocus)
    QApplication.clipboard().clear()

    def copy_reference() -> None:
        menu = QApplication.activePopupWidget()
        assert isinstance(menu, QMenu)
        [copy] = [a for a in menu.actions() if a.text() == "&Copy reference"]
        copy.trigger()
        menu.close()

    qtbot.keyClick(table, Qt.Key.Key_F10, Qt.KeyboardModifier.ShiftModifier)
    QTimer.singleShot(50, copy_reference)
    qtbot.waitUntil(lambda: QApplication.clipboard().text() == "MOJ-TL-002", timeout=5_000)


def test_the_list_exported_to_excel_is_the_list_as_shown(
    qtbot: Any, register_window: Any, lane: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import openpyxl

    from ui.file_dialogs import FileDialogs
    from ui.pilot_list_model import SPEND

    out = tmp_path / "shown"  # the dialog adds .xlsx when the name lacks it
    monkeypatch.setattr(
        FileDialogs,
        "ask_xlsx_path",
        classmethod(lambda cls, parent, title, name: out.with_suffix(".xlsx")),
    )
    panel = register_window.pilots
    qtbot.keyClicks(panel.search, "tl-00", delay=60)  # the two pilots with a TL reference
    panel.table.sortByColumn(SPEND, Qt.SortOrder.DescendingOrder)
    rect = panel.table.visualRect(panel.proxy.index(0, 0))

    def export() -> None:
        menu = QApplication.activePopupWidget()
        assert isinstance(menu, QMenu)
        [action] = [a for a in menu.actions() if "Excel" in a.text()]
        menu.close()
        action.trigger()

    panel.table.customContextMenuRequested.emit(rect.center())
    QTimer.singleShot(50, export)
    qtbot.waitUntil(lambda: out.with_suffix(".xlsx").exists(), timeout=10_000)
    wait_idle(qtbot, lane)
    book = openpyxl.load_workbook(out.with_suffix(".xlsx"))
    sheet = book.active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Reference", "Title", "Primary verdict")
    assert [r[0] for r in rows[1:]] == ["MOJ-TL-002", "DFE-TL-001"]  # filtered, by spend
    assert rows[1][5] == 250_000 and isinstance(rows[1][5], float | int)
    assert sheet["A1"].font.b
    assert sheet.column_dimensions["B"].width >= len("Probation check-ins")
    assert "Saved 2 rows" in register_window.statusBar().currentMessage()


def test_a_file_that_cannot_be_written_is_named_in_one_line(
    qtbot: Any,
    register_window: Any,
    lane: Any,
    messages: Any,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    from ui.file_dialogs import FileDialogs

    target = tmp_path / "no such folder" / "pilots.xlsx"
    monkeypatch.setattr(
        FileDialogs, "ask_xlsx_path", classmethod(lambda cls, parent, title, name: target)
    )
    register_window.pilots.export_list()
    wait_idle(qtbot, lane)
    [(_title, text)] = messages.messages
    assert str(target) in text and "\n" not in text
    assert not target.parent.exists()


def test_the_results_table_gives_the_effect_as_the_sentence_does(
    qtbot: Any, register_window: Any, lane: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import openpyxl

    from ui.analysis_tab import AnalysisTab
    from ui.file_dialogs import FileDialogs

    register_window.pilots.select("T-001")
    wait_idle(qtbot, lane)
    tab = register_window.detail.findChild(AnalysisTab)
    estimate = tab.model.index(0, 3).data()
    interval = tab.model.index(0, 4).data()
    sentence = tab.model.record(0).result.sentence
    # 270 and 216 of 400: a gain of 13.5 percentage points, never "0.135".
    assert estimate == "+13.5 points"
    assert "an increase of 13.5 percentage points" in sentence
    assert interval.startswith("95% CI ") and interval.endswith(" points")
    assert f"({interval};" in sentence or f"({interval})" in sentence

    actions = _popup_actions(qtbot, lambda: tab.table.customContextMenuRequested.emit(QPoint(5, 5)))
    assert actions == ["&Copy", "&Export the results to Excel..."]
    out = tmp_path / "results.xlsx"
    monkeypatch.setattr(
        FileDialogs, "ask_xlsx_path", classmethod(lambda cls, parent, title, name: out)
    )
    tab.export_results()
    qtbot.waitUntil(out.exists, timeout=10_000)
    wait_idle(qtbot, lane)
    rows = list(openpyxl.load_workbook(out).active.iter_rows(values_only=True))
    assert rows[0][4:7] == ("Estimate", "Interval", "Estimate (as stored)")
    assert rows[1][4] == estimate and rows[1][5] == interval
    assert rows[1][6] == pytest.approx(0.135)
    assert isinstance(rows[1][11], dt.datetime)


def test_cancelling_an_analysis_says_so_quietly(
    qtbot: Any, register_window: Any, lane: Any, messages: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The bootstrap stops with its own error when Cancel is pressed: no warning box."""
    import time

    from testlearn.errors import TestlearnError
    from testlearn.services import analysis

    def slow_bootstrap(reference: str, *, should_cancel: Any, **_: Any) -> Any:
        while not should_cancel():
            time.sleep(0.02)
        raise TestlearnError("The bootstrap was cancelled.")

    monkeypatch.setattr(analysis, "analyse_pilot", slow_bootstrap)
    register_window.pilots.select("T-001")
    wait_idle(qtbot, lane)
    from ui.analysis_tab import AnalysisTab

    tab = register_window.detail.findChild(AnalysisTab)
    tab.analyse()
    progress = register_window.progress
    qtbot.waitUntil(lambda: progress.cancel.isVisible(), timeout=5_000)
    qtbot.mouseClick(progress.cancel, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, lane)
    assert messages.messages == []
    assert "cancelled" in register_window.statusBar().currentMessage()


def _luminance(colour: Any) -> float:
    """WCAG relative luminance of a QColor."""

    def linear(channel: float) -> float:
        return channel / 12.92 if channel <= 0.03928 else ((channel + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * linear(colour.redF())
        + 0.7152 * linear(colour.greenF())
        + 0.0722 * linear(colour.blueF())
    )


def _contrast(a: Any, b: Any) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_a_chart_in_a_dark_palette_is_a_card_whose_text_can_be_read(
    qtbot: Any, register_window: Any, lane: Any
) -> None:
    from PySide6.QtGui import QColor, QPalette

    from ui.analysis_tab import AnalysisTab

    register_window.pilots.select("T-001")
    wait_idle(qtbot, lane)
    chart = register_window.detail.findChild(AnalysisTab).chart
    qtbot.waitUntil(chart.has_chart)
    dark = QPalette()
    for role, colour in (
        (QPalette.ColorRole.Window, "#1e1e1e"),
        (QPalette.ColorRole.Base, "#252526"),
        (QPalette.ColorRole.Text, "#e6e6e6"),
        (QPalette.ColorRole.WindowText, "#e6e6e6"),
        (QPalette.ColorRole.Mid, "#6e6e6e"),
    ):
        dark.setColor(role, QColor(colour))
    chart.setPalette(dark)
    chart.resize(chart.sizeHint())
    image = chart.grab().toImage()
    width, height = image.width(), image.height()
    paper = image.pixelColor(width // 2, 3)  # inside the card, above the chart's drawing
    border = image.pixelColor(0, height // 2)
    ink = min(
        (image.pixelColor(x, y) for x in range(0, width, 2) for y in range(0, height, 2)),
        key=_luminance,
    )
    window = dark.color(QPalette.ColorRole.Window)
    assert paper == QColor("white")
    assert _contrast(paper, window) > 10  # the card stands out from the dark window
    assert _contrast(ink, paper) >= 4.5  # and its text reads (WCAG AA)
    assert _contrast(border, paper) > 1.5  # an edge, so it is a card, not a hole


def test_open_the_report_without_a_pdf_viewer_says_so_and_offers_the_folder(
    qtbot: Any,
    register_window: Any,
    lane: Any,
    messages: Any,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    from PySide6.QtGui import QDesktopServices

    from ui.reports_tab import ReportsTab

    asked: list[str] = []

    def no_viewer(url: Any) -> bool:
        asked.append(url.toLocalFile())
        return url.toLocalFile() == str(tmp_path)  # a file manager, but no PDF viewer

    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(no_viewer))
    register_window.pilots.select("T-001")
    wait_idle(qtbot, lane)
    tab = register_window.detail.findChild(ReportsTab)
    report = tmp_path / "T-001-brief.pdf"
    report.write_bytes(b"%PDF-1.4\n")
    monkeypatch.setattr(
        "ui.reports_tab.FileDialogs.ask_report_path", classmethod(lambda cls, p, s: report)
    )
    monkeypatch.setattr("ui.reports_tab.write_report", lambda kind, data, path, **_: 2)
    tab.make("brief")
    wait_idle(qtbot, lane)
    assert tab.open_button.isEnabled() and tab.folder_button.isEnabled()
    _show_section(tab)
    qtbot.mouseClick(tab.open_button, Qt.MouseButton.LeftButton)
    [(_title, text)] = messages.messages
    assert "No program to open PDF files" in text and str(report) in text
    assert QApplication.clipboard().text() == str(report)
    assert asked == [str(report), str(tmp_path)]  # the viewer refused, then the folder


def _show_section(widget: Any) -> None:
    """Bring the pilot's section holding ``widget`` into view, as a click on its tab would."""
    from PySide6.QtWidgets import QStackedWidget, QTabWidget

    child, parent = widget, widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QStackedWidget) and isinstance(parent.parentWidget(), QTabWidget):
            parent.parentWidget().setCurrentWidget(child)
        elif isinstance(parent, QStackedWidget):
            parent.setCurrentWidget(child)
        child, parent = parent, parent.parentWidget()
    assert widget.isVisible()


def test_the_reference_column_fits_the_longest_reference_even_far_down(qtbot: Any) -> None:
    from tests.gui.test_models import summary
    from ui.pilot_list_model import REFERENCE
    from ui.pilot_list_panel import PilotListPanel

    panel = PilotListPanel()
    qtbot.addWidget(panel)
    longest = "DESNZ-HEAT-PUMP-TL-2026-00042-PHASE-B"
    pilots = [summary(i) for i in range(500)] + [summary(500, reference=longest)]
    panel.set_pilots(pilots)
    panel.show()
    needed = panel.table.fontMetrics().horizontalAdvance(longest)
    assert panel.table.columnWidth(REFERENCE) > needed
    # Typing the long reference finds it, and its row shows it whole.
    qtbot.keyClicks(panel.search, "phase-b", delay=60)
    assert [s.reference for s in panel.model.summaries()] == [longest]
