"""A new pilot's records added, edited and removed in the window, typed at a person's speed
into the real dialogs, and checked through the services afterwards."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
)

from tests.gui.conftest import wait_idle

REFERENCE = "TEST-TL-002"
DELAY = 60  # ms a key: a steady typist


def dialog_will_be_filled(
    qtbot: Any,
    typed: dict[str, str] | None = None,
    chosen: dict[str, str] | None = None,
    ticked: tuple[str, ...] = (),
    seen: list[dict[str, Any]] | None = None,
    enter: bool = False,
    refused: list[str] | None = None,
) -> list[bool]:
    """When the next record dialog opens, type into it as a person would and press its button.

    ``typed`` replaces a field's text, ``chosen`` types the start of a label into a drop-down
    (its keyboard search picks it), ``ticked`` ticks check boxes with the space bar. ``seen``
    gets what the dialog showed when it opened (to check an edit dialog is filled in).
    ``enter`` presses Return in the last field instead of clicking the button. Returns a list
    that gets True once the dialog has been answered. ``refused`` gets what a dialog that
    stays open says about the values (before it is cancelled).
    """
    done: list[bool] = []
    tries = [40]  # about two seconds for the dialog to open

    def fill() -> None:
        from ui.new_record_dialog import NewRecordDialog

        dialog = QApplication.activeModalWidget()
        if dialog is None and tries[0] > 0:
            tries[0] -= 1
            QTimer.singleShot(50, fill)
            return
        try:
            assert isinstance(dialog, NewRecordDialog), dialog
            form = dialog.form
            if seen is not None:
                seen.append(form.value())
            for field, text in (typed or {}).items():
                widget = form.widgets[field]
                widget.setFocus()
                assert isinstance(widget, QLineEdit | QPlainTextEdit)
                widget.selectAll()
                qtbot.keyClicks(widget, text, delay=DELAY)
            for field, label in (chosen or {}).items():
                combo = form.widgets[field]
                assert isinstance(combo, QComboBox)
                combo.setFocus()
                qtbot.keyClicks(combo, label, delay=DELAY)
                assert combo.currentText().startswith(label), combo.currentText()
            for field in ticked:
                box = form.widgets[field]
                assert isinstance(box, QCheckBox)
                box.setFocus()
                qtbot.keyClick(box, Qt.Key.Key_Space)
            [button] = [b for b in dialog.findChildren(QPushButton) if b.text() in ("Add", "Save")]
            if enter:
                qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
            else:
                qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
            if refused is not None and dialog.isVisible():
                refused.append(dialog.summary.text())
                refused.extend(p.text() for p in dialog.findChildren(QLabel) if p.isVisible())
            done.append(True)
        finally:
            if dialog is not None and dialog.isVisible():
                dialog.reject()  # never leave a modal dialog open behind a failed check

    QTimer.singleShot(0, fill)
    return done


def activate(qtbot: Any, window: Any) -> None:
    """Make the window active again, as closing a dialog does on a desktop (not offscreen):
    shortcuts reach the active window only."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)


def click_row(qtbot: Any, table: Any, row: int, *, double: bool = False) -> None:
    rect = table.visualRect(table.model().index(row, 0))
    click = qtbot.mouseDClick if double else qtbot.mouseClick
    if double:
        qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    click(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def row_of(table: Any, text: str) -> int:
    model = table.model()
    for row in range(model.rowCount()):
        if model.index(row, 0).data() == text:
            return row
    raise AssertionError(f"no row {text!r}")


def stored(path: Path) -> Any:
    from testlearn.services import pilots
    from testlearn.services.databases import open_database

    with open_database(path) as db:
        return pilots.get_pilot(REFERENCE, db=db)


def verified(path: Path) -> bool:
    from testlearn.services import verification
    from testlearn.services.databases import open_database

    with open_database(path) as db:
        report = verification.verify(db=db)
    assert report.ok, report.findings
    return True


@pytest.fixture
def new_pilot(
    qtbot: Any, window: Any, lane: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[Any, Path]]:
    """The window on a new database with one new pilot, made from the Pilot menu."""
    from ui.new_pilot_dialog import NewPilotDialog

    path = tmp_path / "team.sqlite"
    window.database.create(path, demo=False)
    wait_idle(qtbot, lane)
    values = {"reference": REFERENCE, "title": "Faster planning decisions"}
    monkeypatch.setattr(NewPilotDialog, "ask", classmethod(lambda cls, parent, **_: dict(values)))
    window.new_pilot_action.trigger()
    wait_idle(qtbot, lane)
    qtbot.waitUntil(
        lambda: (
            window.detail is not None
            and window.session.detail is not None
            and window.session.detail.pilot.reference == REFERENCE
        )
    )
    yield window, path


def test_procurement_and_two_kpis_with_a_rating_are_added_edited_and_removed(
    qtbot: Any, new_pilot: tuple[Any, Path], lane: Any, messages: Any
) -> None:
    window, path = new_pilot
    detail = window.detail
    detail.show_tab("procurement")
    tab = detail.procurement
    assert tab.none_label.isVisible() and not tab.form.isVisible()

    dialog_will_be_filled(
        qtbot,
        typed={"name": "Planning software", "contract_value": "250000"},
        chosen={"route": "Open procedure (P"},
    )
    qtbot.mouseClick(tab.add_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, lane)
    assert tab.form.isVisible() and not tab.none_label.isVisible()
    [procurement] = stored(path).procurements
    assert (procurement.name, procurement.route) == ("Planning software", "pa23_open")
    assert procurement.contract_value == 250000

    kpis = tab.kpis
    for name, level in (("Days to decision", "Outc"), ("Bids received", "Outp")):
        dialog_will_be_filled(qtbot, typed={"name": name}, chosen={"level": level})
        qtbot.mouseClick(kpis.table.button[kpis.table.add_action], Qt.MouseButton.LeftButton)
        wait_idle(qtbot, lane)
    assert kpis.kpis.rowCount() == 2

    # A rating for the selected KPI, then the KPI edited from a double-click.
    click_row(qtbot, kpis.table, row_of(kpis.table, "Days to decision"))
    dialog_will_be_filled(
        qtbot, typed={"year": "2026-27", "note": "Median 24 days"}, chosen={"rating": "Good"}
    )
    qtbot.mouseClick(kpis.table.button[kpis.rate_action], Qt.MouseButton.LeftButton)
    wait_idle(qtbot, lane)
    assert kpis.ratings.rowCount() == 1
    seen: list[dict[str, Any]] = []
    dialog_will_be_filled(qtbot, typed={"target": "Under 30 days"}, seen=seen)
    click_row(qtbot, kpis.table, row_of(kpis.table, "Days to decision"), double=True)
    wait_idle(qtbot, lane)
    assert seen[0]["name"] == "Days to decision" and seen[0]["level"] == "outcome"

    # The other KPI removed with the Delete key, after a confirmation.
    click_row(qtbot, kpis.table, row_of(kpis.table, "Bids received"))
    qtbot.keyClick(kpis.table, Qt.Key.Key_Delete)
    wait_idle(qtbot, lane)
    assert "Bids received" in messages.text() and "history" in messages.text()

    found = stored(path)
    [kpi] = found.kpis
    assert (kpi.kpi.name, kpi.kpi.level, kpi.kpi.target) == (
        "Days to decision",
        "outcome",
        "Under 30 days",
    )
    assert kpi.kpi.procurement_id == procurement.id
    assert [(r.year, r.rating, r.note) for r in kpi.ratings] == [
        ("2026-27", "good", "Median 24 days")
    ]
    assert verified(path)


def test_comparator_cost_lesson_and_decisions_from_the_window(
    qtbot: Any, new_pilot: tuple[Any, Path], lane: Any, messages: Any
) -> None:
    window, path = new_pilot
    detail = window.detail
    detail.show_tab("comparators_costs")
    tab = detail.comparators_costs

    dialog_will_be_filled(
        qtbot, typed={"name": "Neighbouring councils"}, chosen={"kind": "Matched"}
    )
    table = tab.comparator_table
    qtbot.mouseClick(table.button[table.add_action], Qt.MouseButton.LeftButton)
    wait_idle(qtbot, lane)
    dialog_will_be_filled(
        qtbot,
        typed={"amount": "12000", "financial_year": "2026-27", "description": "Licences"},
        chosen={"category": "Pilot"},
    )
    table = tab.cost_table
    qtbot.mouseClick(table.button[table.add_action], Qt.MouseButton.LeftButton)
    wait_idle(qtbot, lane)
    assert tab.total.text() == "Total £12,000"

    # Lessons: added, edited (double-click), then removed from the right-click menu.
    detail.show_tab("lessons")
    lessons = detail.lessons
    dialog_will_be_filled(
        qtbot, typed={"what_happened": "Officers kept paper files"}, chosen={"category": "Deliv"}
    )
    qtbot.mouseClick(lessons.add_lesson, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, lane)
    assert lessons.lessons.rowCount() == 1
    dialog_will_be_filled(qtbot, typed={"recommendation": "Train first"}, ticked=("went_well",))
    click_row(qtbot, lessons.table, 0, double=True)
    wait_idle(qtbot, lane)
    [lesson] = stored(path).lessons
    assert (lesson.what_happened, lesson.recommendation, lesson.went_well) == (
        "Officers kept paper files",
        "Train first",
        True,
    )

    click_row(qtbot, lessons.table, 0)
    point = lessons.table.visualRect(lessons.lessons.index(0, 0)).center()
    menu = lessons.table.context_menu(point)  # what a right-click pops up there
    assert [a.text() for a in menu.actions()] == ["Add...", "Edit...", "Remove..."]
    assert all(a.isEnabled() for a in menu.actions())
    menu.actions()[2].trigger()
    menu.close()
    wait_idle(qtbot, lane)
    assert lessons.lessons.rowCount() == 0

    # Two decisions: both listed, the latest shown in the form below.
    for kind, day in (("Exte", "2026-06-30"), ("Scale", "2026-12-01")):
        dialog_will_be_filled(qtbot, typed={"decided_on": day}, chosen={"kind": kind})
        qtbot.mouseClick(lessons.add_decision, Qt.MouseButton.LeftButton)
        wait_idle(qtbot, lane)
    assert lessons.decisions.rowCount() == 2
    assert lessons.decision.widgets["kind"].currentData() == "scale"
    # Nothing went wrong: the one message was the question before removing the lesson.
    assert [title for title, _text in messages.messages] == ["Remove the lesson"]

    found = stored(path)
    assert [(c.name, c.kind) for c in found.comparators] == [
        ("Neighbouring councils", "matched_comparison")
    ]
    assert [(c.category, c.amount, c.financial_year) for c in found.costs] == [
        ("delivery", 12000.0, "2026-27")
    ]
    assert found.lessons == ()
    assert [d.kind for d in found.decisions] == ["extend", "scale"]
    assert verified(path)
    import sqlite3

    conn = sqlite3.connect(path)
    ops = conn.execute("SELECT op FROM revision WHERE entity = 'lesson' ORDER BY rowid").fetchall()
    conn.close()
    assert [op for (op,) in ops] == ["create", "update", "delete"]


def test_a_bad_value_in_a_dialog_is_named_and_nothing_is_saved(
    qtbot: Any, new_pilot: tuple[Any, Path], lane: Any, messages: Any
) -> None:
    window, path = new_pilot
    tab = window.detail.comparators_costs
    window.detail.show_tab("comparators_costs")
    refused: list[str] = []
    dialog_will_be_filled(
        qtbot, typed={"amount": "lots"}, chosen={"category": "Staff"}, refused=refused
    )
    qtbot.mouseClick(tab.cost_table.button[tab.cost_table.add_action], Qt.MouseButton.LeftButton)
    wait_idle(qtbot, lane)
    # The dialog stays open and names the field; nothing reaches the database.
    assert refused and "Amount" in refused[0], refused
    assert stored(path).costs == ()
    assert not messages.messages, messages.text()


def test_pilots_are_archived_and_deleted_from_the_pilot_menu(
    qtbot: Any, new_pilot: tuple[Any, Path], lane: Any, messages: Any
) -> None:
    from testlearn.services import pilots
    from testlearn.services.databases import open_database

    window, path = new_pilot
    with open_database(path) as db:
        pilots.create_pilot({"reference": "TEST-TL-003", "title": "Kept"}, db=db, actor="a")
    window.archive_pilot_action.trigger()
    wait_idle(qtbot, lane)
    assert "Archived" in messages.text() and "stays in the register" in messages.text()
    assert stored(path).pilot.status == "archived"

    messages.messages.clear()
    window.delete_pilot_action.trigger()
    wait_idle(qtbot, lane)
    assert "stays in the history as deleted" in messages.text()
    qtbot.waitUntil(lambda: window.pilots.model.rowCount() == 1)
    with open_database(path) as db:
        assert [p.reference for p in pilots.list_pilots(db=db)] == ["TEST-TL-003"]
    assert verified(path)
    qtbot.waitUntil(
        lambda: (
            window.session.detail is not None
            and window.session.detail.pilot.reference == "TEST-TL-003"
        )
    )
    wait_idle(qtbot, lane)


def test_the_menu_offers_archiving_for_a_registered_pilot(
    qtbot: Any, new_pilot: tuple[Any, Path], lane: Any, messages: Any
) -> None:
    window, path = new_pilot
    from testlearn.services import pilots, registration
    from testlearn.services.databases import open_database
    from tests.builders import hypothesis

    with open_database(path) as db:
        pilots.add_record(REFERENCE, "hypothesis", hypothesis(), db=db, actor="a")
        registration.register(REFERENCE, db=db, actor="a")
    window.session.reload()
    wait_idle(qtbot, lane)
    window.delete_pilot_action.trigger()
    wait_idle(qtbot, lane)
    assert "cannot be deleted" in messages.text()
    assert stored(path).pilot.status == "archived"  # the Recorder answers yes: Archive
    assert verified(path)


def test_kpis_by_keyboard_alone(
    qtbot: Any, new_pilot: tuple[Any, Path], lane: Any, messages: Any
) -> None:
    """Alt and a letter presses a button, Return in a dialog adds, Return on a row edits."""
    window, path = new_pilot
    activate(qtbot, window)
    window.detail.show_tab("procurement")
    tab = window.detail.procurement
    done = dialog_will_be_filled(
        qtbot, chosen={"route": "Direct"}, typed={"name": "Lot 1"}, enter=True
    )
    qtbot.keyClick(tab.add_button, Qt.Key.Key_U, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: bool(done))  # a mnemonic clicks its button a moment later
    wait_idle(qtbot, lane)
    assert [p.route for p in stored(path).procurements] == ["pa23_direct_award"]

    kpis = tab.kpis
    kpis.table.setFocus()
    dialog_will_be_filled(qtbot, chosen={"level": "Imp"}, typed={"name": "Homes"}, enter=True)
    kpis.table.add_action.trigger()  # as Add KPI... in the table's menu
    wait_idle(qtbot, lane)
    kpis.table.setFocus()
    kpis.table.select_row(0)
    dialog_will_be_filled(qtbot, typed={"target": "500 a year"}, enter=True)
    qtbot.keyClick(kpis.table, Qt.Key.Key_Return)
    wait_idle(qtbot, lane)
    done = dialog_will_be_filled(
        qtbot, typed={"year": "2027-28"}, chosen={"rating": "Appr"}, enter=True
    )
    activate(qtbot, window)
    qtbot.keyClick(kpis.table, Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: bool(done))
    wait_idle(qtbot, lane)
    [kpi] = stored(path).kpis
    assert (kpi.kpi.name, kpi.kpi.level, kpi.kpi.target) == ("Homes", "impact", "500 a year")
    assert [(r.year, r.rating) for r in kpi.ratings] == [("2027-28", "approaching")]
    assert not messages.messages, messages.text()


def test_every_control_of_the_record_sections_has_a_name(
    qtbot: Any, demo_window: Any, lane: Any
) -> None:
    from tests.gui.test_accessibility import unnamed_controls

    window = demo_window
    qtbot.waitUntil(lambda: window.detail is not None)
    wait_idle(qtbot, lane)
    problems: list[str] = []
    for tab in ("procurement", "comparators_costs", "lessons"):
        window.detail.show_tab(tab)
        wait_idle(qtbot, lane)
        problems += [f"{tab}: {p}" for p in unnamed_controls(window)]
    assert problems == [], "\n".join(problems)
