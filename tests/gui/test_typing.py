"""Typing at a person's pace while saves are slow: every keystroke is kept."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.gui.conftest import wait_idle

KEY_DELAY_MS = 60


def stored_pilot(window: Any, reference: str) -> Any:
    from testlearn.services.pilots import get_pilot

    database = window.lane._context.database
    return get_pilot(reference, db=database).pilot


def open_pilot(qtbot: Any, window: Any, lane: Any, reference: str) -> Any:
    window.pilots.select(reference)
    qtbot.waitUntil(
        lambda: (
            window.detail is not None
            and window.session.detail is not None
            and window.session.detail.pilot.reference == reference
        )
    )
    wait_idle(qtbot, lane)
    return window.detail


def focus(qtbot: Any, widget: Any) -> None:
    widget.window().activateWindow()
    widget.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is widget)


def test_five_fields_typed_in_a_row_are_stored_exactly(
    qtbot: Any, slow_demo_window: Any, slow_lane: Any
) -> None:
    window = slow_demo_window
    detail = open_pilot(qtbot, window, slow_lane, "DFE-TL-004")
    detail.show_tab("overview")
    about = detail.overview.about
    typed = {  # five fields in a row, in the form's Tab order
        "title": "Reading screening",
        "lead_organisation": "Department for Education",
        "partner_organisations": "Education Endowment Foundation",
        "team": "Early years analysis",
        "senior_responsible_owner": "Chief Secretary to the Treasury",
    }
    focus(qtbot, about.widgets["title"])
    for field, text in typed.items():
        widget = about.widgets[field]
        assert QApplication.focusWidget() is widget, field
        widget.selectAll()
        qtbot.keyClicks(widget, text, delay=KEY_DELAY_MS)
        qtbot.keyClick(widget, Qt.Key.Key_Tab)
    wait_idle(qtbot, slow_lane)
    pilot = stored_pilot(window, "DFE-TL-004")
    stored = {field: getattr(pilot, field) for field in typed}
    stored["partner_organisations"] = "; ".join(stored["partner_organisations"])
    assert stored == typed
    assert {field: about.widgets[field].text() for field in typed} == typed


def test_closing_in_the_middle_of_an_edit_saves_it(
    qtbot: Any, slow_demo_window: Any, slow_lane: Any
) -> None:
    window = slow_demo_window
    detail = open_pilot(qtbot, window, slow_lane, "DFE-TL-004")
    detail.show_tab("overview")
    widget = detail.overview.about.widgets["team"]
    focus(qtbot, widget)
    widget.selectAll()
    qtbot.keyClicks(widget, "Early years team", delay=KEY_DELAY_MS)
    window.close()  # no Tab: the field is still being edited
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=30_000)
    assert not slow_lane.busy
    assert stored_pilot(window, "DFE-TL-004").team == "Early years team"


def test_closing_with_saves_queued_waits_for_every_one(
    qtbot: Any, slow_demo_window: Any, slow_lane: Any
) -> None:
    window = slow_demo_window
    detail = open_pilot(qtbot, window, slow_lane, "DFE-TL-004")
    detail.show_tab("overview")
    about = detail.overview.about
    slow_lane.delay = 1.0  # the saves queue up behind one another
    typed = {"title": "A", "lead_organisation": "B", "team": "C", "minister": "D"}
    for field, text in typed.items():
        widget = about.widgets[field]
        focus(qtbot, widget)
        widget.selectAll()
        qtbot.keyClicks(widget, text, delay=KEY_DELAY_MS)
        qtbot.keyClick(widget, Qt.Key.Key_Tab)
    assert slow_lane.busy
    window.close()
    assert window.isVisible(), "the window closed before its saves were stored"
    qtbot.waitUntil(lambda: window._closing.dialog.isVisible(), timeout=5_000)
    assert "Saving your changes" in window._closing.label.text()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=60_000)
    pilot = stored_pilot(window, "DFE-TL-004")
    assert {field: getattr(pilot, field) for field in typed} == typed


def test_a_refused_value_stays_as_typed_until_it_is_corrected(
    qtbot: Any, demo_window: Any, lane: Any, messages: Any
) -> None:
    window = demo_window
    detail = open_pilot(qtbot, window, lane, "DFE-TL-004")
    budget = detail.overview.about.widgets["budget"]
    before = stored_pilot(window, "DFE-TL-004").budget
    focus(qtbot, budget)
    budget.selectAll()
    qtbot.keyClicks(budget, "about a million", delay=KEY_DELAY_MS)
    qtbot.keyClick(budget, Qt.Key.Key_Tab)
    wait_idle(qtbot, lane)
    assert "Budget" in messages.text()
    assert budget.text() == "about a million"  # not replaced by the stored value
    assert "Not saved" in budget.accessibleDescription()
    assert stored_pilot(window, "DFE-TL-004").budget == before

    focus(qtbot, budget)
    budget.selectAll()
    qtbot.keyClicks(budget, "1000000", delay=KEY_DELAY_MS)
    qtbot.keyClick(budget, Qt.Key.Key_Tab)
    wait_idle(qtbot, lane)
    assert stored_pilot(window, "DFE-TL-004").budget == 1_000_000
    assert "Not saved" not in budget.accessibleDescription()


def test_the_submission_fields_are_typed_into_the_overview_and_stored(
    qtbot: Any, slow_demo_window: Any, slow_lane: Any
) -> None:
    window = slow_demo_window
    detail = open_pilot(qtbot, window, slow_lane, "DFT-TL-009")
    detail.show_tab("overview")
    form = detail.overview.submission
    assert form.widgets["lead_official"].text() == "Head of Rural Transport Innovation"
    typed = {"lead_official": "Deputy Director, Buses", "special_adviser": "SpAd (Buses)"}
    for field, text in typed.items():
        widget = form.widgets[field]
        focus(qtbot, widget)
        widget.selectAll()
        qtbot.keyClicks(widget, text, delay=KEY_DELAY_MS)
        qtbot.keyClick(widget, Qt.Key.Key_Tab)
    wait_idle(qtbot, slow_lane)
    pilot = stored_pilot(window, "DFT-TL-009")
    assert (pilot.lead_official, pilot.special_adviser) == tuple(typed.values())
