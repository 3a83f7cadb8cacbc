"""A new pilot from nothing to its brief, as a person does it: once by keyboard alone, once by
mouse. Keys are typed at 60 ms each; only the operating system's file chooser is stood in for.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget

from tests.gui.conftest import wait_idle
from tests.gui.test_records import DELAY, activate, dialog_will_be_filled

REFERENCE = "DFE-TL-101"
HYPOTHESIS_TYPED = {
    "code": "H1",
    "statement": "Screening raises the share of pupils ready to learn",
    "outcome_name": "pupils reaching a good level of development",
    "benefit_threshold": "0.05",
}
#: The start of each label, as typed into a drop-down to pick it.
HYPOTHESIS_CHOSEN = {"role": "Prim", "outcome_type": "Bin", "direction": "An inc", "design": "Two"}
#: The rest of the plan, typed into the hypothesis form before registering.
PLAN = (
    ("planned_n_pilot", "2000"),
    ("planned_n_comparator", "2000"),
    ("baseline_value", "0.6"),
    ("evidence_level", "5"),
)
RESULTS = "group,n,successes\npilot,2000,1400\ncomparator,2000,1260\n"


def when_modal_opens(qtbot: Any, answer: Callable[[QWidget], None]) -> list[bool]:
    """Run ``answer`` on the next modal dialog once it is open (it blocks its caller)."""
    done: list[bool] = []
    tries = [400]  # up to 20 s: a preview is read on the lane first

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None and tries[0] > 0:
            tries[0] -= 1
            QTimer.singleShot(50, poll)
            return
        try:
            assert dialog is not None, "the dialog never opened"
            # A desktop activates a dialog as it opens; offscreen, it is asked to.
            dialog.activateWindow()
            qtbot.waitUntil(dialog.isActiveWindow, timeout=3000)
            answer(dialog)
            # An Alt key presses its button a moment later (Qt animates the click).
            qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=3000)
            done.append(True)
        finally:
            if dialog is not None and dialog.isVisible():
                dialog.reject()

    QTimer.singleShot(0, poll)
    return done


def tab_to(qtbot: Any, target: QWidget, limit: int = 80) -> None:
    """Press Tab until ``target`` has the keyboard: it must be reachable that way."""
    for _ in range(limit):
        if QApplication.focusWidget() is target:
            return
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    raise AssertionError(f"Tab never reached {target!r}")


def press(qtbot: Any, key: Any, modifier: Any = Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(QApplication.focusWidget(), key, modifier)


def alt(qtbot: Any, key: Any) -> None:
    """Alt and a letter: Qt presses the button a moment later, as it shows the click."""
    press(qtbot, key, Qt.KeyboardModifier.AltModifier)
    qtbot.wait(300)


def type_here(qtbot: Any, text: str) -> None:
    widget = QApplication.focusWidget()
    widget.selectAll()
    qtbot.keyClicks(widget, text, delay=DELAY)


def stored(window: Any) -> Any:
    from testlearn.services.pilots import get_pilot

    return get_pilot(REFERENCE, db=window.lane._context.database)


@pytest.fixture
def empty_window(qtbot: Any, window: Any, lane: Any, tmp_path: Path) -> Any:
    window.database.create(tmp_path / "team.sqlite", demo=False)
    wait_idle(qtbot, lane)
    activate(qtbot, window)
    return window


@pytest.fixture
def files(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> dict[str, Path]:
    """The operating system's file chooser answers with these files."""
    from ui.file_dialogs import FileDialogs

    paths = {"results": tmp_path / "results.csv", "brief": tmp_path / f"{REFERENCE}-brief.pdf"}
    paths["results"].write_text(RESULTS, encoding="utf-8")
    monkeypatch.setattr(
        FileDialogs, "ask_outcome_file", classmethod(lambda cls, parent: paths["results"])
    )
    monkeypatch.setattr(
        FileDialogs, "ask_report_path", classmethod(lambda cls, parent, suggested: paths["brief"])
    )
    return paths


def section(qtbot: Any, window: Any, number: int) -> QWidget:
    """Ctrl+number: the pilot's section, with the keyboard in it."""
    activate(qtbot, window)
    press(qtbot, str(number), Qt.KeyboardModifier.ControlModifier)
    page: QWidget = window.detail.pages.currentWidget()
    assert page.isAncestorOf(QApplication.focusWidget())
    return page


def test_a_new_pilot_from_nothing_to_its_brief_by_keyboard_alone(
    qtbot: Any, empty_window: Any, lane: Any, messages: Any, files: dict[str, Path]
) -> None:
    window = empty_window
    window.pilots.search.setFocus()

    # Ctrl+N: the new pilot's dialog, typed into and added with Return.
    dialog_will_be_filled(
        qtbot,
        typed={"reference": REFERENCE, "title": "Reading screening", "lead_organisation": "DfE"},
        chosen={"primary_mission": "Break"},
        enter=True,
    )
    press(qtbot, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    wait_idle(qtbot, lane)
    qtbot.waitUntil(lambda: window.detail is not None and window.session.detail is not None)

    # Overview: Tab from field to field.
    about = window.detail.overview.about
    section(qtbot, window, 1)
    tab_to(qtbot, about.widgets["team"])
    type_here(qtbot, "Early years")
    press(qtbot, Qt.Key.Key_Tab)
    type_here(qtbot, "Director, Early Years")
    press(qtbot, Qt.Key.Key_Tab)
    wait_idle(qtbot, lane)

    # Procurement and KPIs: a contract and two KPIs, through the buttons reached by Tab.
    procurement = section(qtbot, window, 2)
    done = dialog_will_be_filled(
        qtbot, chosen={"route": "Direct"}, typed={"name": "Lot 1"}, enter=True
    )
    alt(qtbot, Qt.Key.Key_U)
    qtbot.waitUntil(lambda: bool(done), timeout=20_000)
    wait_idle(qtbot, lane)
    kpis = window.detail.procurement.kpis
    add_kpi = next(b for b in procurement.findChildren(QAbstractButton) if b.text() == "Add KPI...")
    for name, level in (("Children screened", "Out"), ("Children ready to learn", "Outc")):
        activate(qtbot, window)
        section(qtbot, window, 2)
        tab_to(qtbot, add_kpi)
        done = dialog_will_be_filled(
            qtbot, chosen={"level": level}, typed={"name": name}, enter=True
        )
        press(qtbot, Qt.Key.Key_Space)
        qtbot.waitUntil(lambda d=done: bool(d), timeout=20_000)
        wait_idle(qtbot, lane)
    assert kpis.table.model().rowCount() == 2

    # Hypotheses: add one, type its plan into the form, register it.
    hypotheses = window.detail.hypotheses
    section(qtbot, window, 4)
    done = dialog_will_be_filled(
        qtbot,
        typed=HYPOTHESIS_TYPED,
        chosen=HYPOTHESIS_CHOSEN,
    )
    alt(qtbot, Qt.Key.Key_A)
    qtbot.waitUntil(lambda: bool(done), timeout=20_000)
    wait_idle(qtbot, lane)
    form = hypotheses.form
    for field, text in PLAN:
        activate(qtbot, window)
        if not form.widgets[field].hasFocus():
            form.widgets[field].setFocus(Qt.FocusReason.TabFocusReason)  # Tab walks past it too
        type_here(qtbot, text)
        press(qtbot, Qt.Key.Key_Tab)
        wait_idle(qtbot, lane)
    assert "Ready to register" in hypotheses.state.text(), hypotheses.state.text()

    def register(dialog: QWidget) -> None:
        tab_to(qtbot, dialog.register_button)  # type: ignore[attr-defined]
        press(qtbot, Qt.Key.Key_Space)

    activate(qtbot, window)
    done = when_modal_opens(qtbot, register)
    alt(qtbot, Qt.Key.Key_G)
    qtbot.waitUntil(lambda: bool(done), timeout=20_000)
    wait_idle(qtbot, lane)
    assert stored(window).hypotheses[0].registered
    # The receipt, the registration's outside witness, is saved beside the database.
    [receipt] = files["results"].parent.glob(f"{REFERENCE}-registration-*")
    assert stored(window).registrations[0].content_hash in receipt.read_text(encoding="utf-8")

    # Data: the file, through the import dialog, with Alt+I there.
    section(qtbot, window, 5)

    def import_it(dialog: QWidget) -> None:
        button = dialog.import_button  # type: ignore[attr-defined]
        assert button.isEnabled(), dialog.problem.text()  # type: ignore[attr-defined]
        press(qtbot, Qt.Key.Key_I, Qt.KeyboardModifier.AltModifier)  # clicked once shown

    done = when_modal_opens(qtbot, import_it)
    alt(qtbot, Qt.Key.Key_M)
    qtbot.waitUntil(lambda: bool(done), timeout=20_000)
    wait_idle(qtbot, lane)
    assert stored(window).hypotheses[0].dataset is not None

    # Analysis, a lesson, a decision and the brief.
    section(qtbot, window, 6)
    alt(qtbot, Qt.Key.Key_A)
    wait_idle(qtbot, lane)
    assert stored(window).hypotheses[0].result.verdict == "success"

    section(qtbot, window, 7)
    done = dialog_will_be_filled(
        qtbot, typed={"what_happened": "Teachers screened every class"}, chosen={"category": "Del"}
    )
    alt(qtbot, Qt.Key.Key_L)
    qtbot.waitUntil(lambda: bool(done), timeout=20_000)
    wait_idle(qtbot, lane)
    section(qtbot, window, 7)
    done = dialog_will_be_filled(
        qtbot, chosen={"kind": "Scale"}, typed={"decided_on": "15/12/2026"}
    )
    alt(qtbot, Qt.Key.Key_N)
    qtbot.waitUntil(lambda: bool(done), timeout=20_000)
    wait_idle(qtbot, lane)

    section(qtbot, window, 8)
    alt(qtbot, Qt.Key.Key_B)
    wait_idle(qtbot, lane)

    pilot = stored(window)
    assert (pilot.pilot.team, pilot.pilot.senior_responsible_owner) == (
        "Early years",
        "Director, Early Years",
    )
    assert [p.route for p in pilot.procurements] == ["pa23_direct_award"]
    assert sorted(k.kpi.name for k in pilot.kpis) == [
        "Children ready to learn",
        "Children screened",
    ]
    assert [lesson.what_happened for lesson in pilot.lessons] == ["Teachers screened every class"]
    assert [d.kind for d in pilot.decisions] == ["scale"]
    assert files["brief"].read_bytes().startswith(b"%PDF")
    assert not messages.messages, messages.text()


def click(qtbot: Any, widget: QWidget) -> None:
    if not widget.window().isActiveWindow():
        activate(qtbot, widget.window())  # a desktop does this as a dialog closes
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def click_section(qtbot: Any, window: Any, name: str) -> None:
    from ui.pilot_detail_view import SECTIONS

    row = [n for n, _t, _c in SECTIONS].index(name)
    sections = window.detail.sections
    rect = sections.visualItemRect(sections.item(row))
    qtbot.mouseClick(sections.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.detail.current_section() == name


def click_and_type(qtbot: Any, widget: QWidget, text: str) -> None:
    click(qtbot, widget)
    widget.selectAll()  # type: ignore[attr-defined]
    qtbot.keyClicks(widget, text, delay=DELAY)


def test_a_new_pilot_from_nothing_to_its_brief_by_mouse(
    qtbot: Any, empty_window: Any, lane: Any, messages: Any, files: dict[str, Path]
) -> None:
    window = empty_window
    dialog_will_be_filled(
        qtbot, typed={"reference": REFERENCE, "title": "Reading screening"}, chosen={}
    )
    window.new_pilot_action.trigger()  # Pilot > New pilot... chosen with the mouse
    wait_idle(qtbot, lane)
    qtbot.waitUntil(lambda: window.detail is not None and window.session.detail is not None)
    detail = window.detail

    about = detail.overview.about
    click_and_type(qtbot, about.widgets["team"], "Early years")
    click_and_type(qtbot, about.widgets["minister"], "Minister for School Standards")
    click(qtbot, about.widgets["team"])  # clicking elsewhere leaves, and so saves, the field
    wait_idle(qtbot, lane)

    click_section(qtbot, window, "procurement")
    done = dialog_will_be_filled(qtbot, chosen={"route": "Open"}, typed={"name": "Lot 1"})
    click(qtbot, detail.procurement.add_button)
    qtbot.waitUntil(lambda: bool(done), timeout=20_000)
    wait_idle(qtbot, lane)
    add_kpi = next(
        b for b in detail.procurement.findChildren(QAbstractButton) if b.text() == "Add KPI..."
    )
    for name in ("Children screened", "Children ready to learn"):
        done = dialog_will_be_filled(qtbot, chosen={"level": "Outc"}, typed={"name": name})
        click(qtbot, add_kpi)
        qtbot.waitUntil(lambda d=done: bool(d), timeout=20_000)
        wait_idle(qtbot, lane)

    click_section(qtbot, window, "hypotheses")
    done = dialog_will_be_filled(
        qtbot,
        typed=HYPOTHESIS_TYPED,
        chosen=HYPOTHESIS_CHOSEN,
    )
    click(qtbot, detail.hypotheses.add_button)
    qtbot.waitUntil(lambda: bool(done), timeout=20_000)
    wait_idle(qtbot, lane)
    form = detail.hypotheses.form
    for field, text in PLAN:
        click_and_type(qtbot, form.widgets[field], text)
    click(qtbot, form.widgets["code"])
    wait_idle(qtbot, lane)
    done = when_modal_opens(qtbot, lambda d: click(qtbot, d.register_button))  # type: ignore[attr-defined]
    click(qtbot, detail.hypotheses.register_button)
    qtbot.waitUntil(lambda: bool(done), timeout=20_000)
    wait_idle(qtbot, lane)
    assert stored(window).hypotheses[0].registered, detail.hypotheses.state.text()
    assert detail.data.import_button.isEnabled()

    click_section(qtbot, window, "data")

    def import_it(dialog: Any) -> None:
        assert dialog.import_button.isEnabled(), dialog.problem.text()
        click(qtbot, dialog.import_button)

    done = when_modal_opens(qtbot, import_it)
    click(qtbot, detail.data.import_button)
    qtbot.waitUntil(lambda: bool(done), timeout=20_000)
    wait_idle(qtbot, lane)

    click_section(qtbot, window, "analysis")
    click(qtbot, detail.analysis.analyse_button)
    wait_idle(qtbot, lane)

    click_section(qtbot, window, "reports")
    click(qtbot, detail.reports.brief_button)
    wait_idle(qtbot, lane)

    pilot = stored(window)
    assert pilot.pilot.minister == "Minister for School Standards"
    assert [p.route for p in pilot.procurements] == ["pa23_open"]
    assert len(pilot.kpis) == 2
    assert pilot.hypotheses[0].result.verdict == "success"
    assert files["brief"].read_bytes().startswith(b"%PDF")
    assert not messages.messages, messages.text()
