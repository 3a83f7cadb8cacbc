"""The portfolio page: built on its own lane when shown, never in the way of a save, with Cancel.

A slow build is made slow deterministically: the service waits on an event the test sets
(checking Cancel while it waits, as the real one does between its steps), so nothing here
depends on how fast the machine is.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from testlearn.services import databases, pilots
from tests.gui.conftest import wait_idle


class SlowPortfolio:
    """Stands in for ``services.portfolio.portfolio``: waits to be let go, then builds."""

    def __init__(self, real: Any) -> None:
        self.real = real
        self.release = threading.Event()
        self.calls = 0
        self.cancelled = 0

    def __call__(self, *, db: Any, should_cancel: Any = None, **kwargs: Any) -> Any:
        from testlearn.services.portfolio import PortfolioCancelled

        self.calls += 1
        while not self.release.wait(0.02):
            if should_cancel is not None and should_cancel():
                self.cancelled += 1
                raise PortfolioCancelled("the portfolio was not built (cancelled)")
        return self.real(db=db, should_cancel=should_cancel, **kwargs)


@pytest.fixture
def slow(monkeypatch: pytest.MonkeyPatch) -> SlowPortfolio:
    from testlearn.services import portfolio

    stand_in = SlowPortfolio(portfolio.portfolio)
    monkeypatch.setattr(portfolio, "portfolio", stand_in)
    return stand_in


def show_page(qtbot: Any, window: Any, index: int) -> None:
    """Click the page's tab, as a user does."""
    bar = window.pages.tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())
    assert window.pages.currentIndex() == index


def type_and_tab(qtbot: Any, window: Any, field: str, text: str) -> None:
    """Click into one of the pilot's fields, type over it at a person's speed, press Tab."""
    widget = window.detail.overview.about.widgets[field]
    window.detail.show_tab("overview")
    window.detail.overview.ensureWidgetVisible(widget)
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)
    assert widget.hasFocus()
    qtbot.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(widget, text, delay=60)
    qtbot.keyClick(widget, Qt.Key.Key_Tab)
    assert not widget.hasFocus()


def stored(path: Path, reference: str, field: str) -> Any:
    """What the file holds, read through a connection of the test's own."""
    with databases.open_database_for_reading(path) as db:
        return getattr(pilots.get_pilot(reference, db=db).pilot, field)


@pytest.fixture
def active(qtbot: Any, demo_window: Any) -> Any:
    demo_window.activateWindow()
    qtbot.waitActive(demo_window)
    return demo_window


def test_a_save_is_stored_while_a_slow_portfolio_is_still_being_built(
    qtbot: Any, active: Any, lane: Any, slow: SlowPortfolio
) -> None:
    window = active
    reference = window.session.reference
    show_page(qtbot, window, 1)
    qtbot.waitUntil(lambda: slow.calls == 1)
    show_page(qtbot, window, 0)
    type_and_tab(qtbot, window, "lead_organisation", "Typed while the portfolio builds")
    path = window.database.path
    qtbot.waitUntil(
        lambda: stored(path, reference, "lead_organisation") == "Typed while the portfolio builds",
        timeout=20_000,
    )
    assert window.portfolio.builder.building and not slow.release.is_set()
    slow.release.set()
    qtbot.waitUntil(lambda: not window.portfolio.builder.building, timeout=30_000)
    show_page(qtbot, window, 1)
    # The save reloaded the pilots after the build had started: that build is out of date.
    qtbot.waitUntil(lambda: window.portfolio.content.isVisible(), timeout=30_000)
    totals = window.portfolio.totals.text()
    assert "10 pilots" in totals
    # Worded as the portfolio report words it: an estimate of roll-outs not started, not a
    # saving the pilots showed.
    assert "3 were stopped before a national roll-out; the roll-outs not started" in totals
    assert "avoiding" not in totals


def test_the_portfolio_is_built_again_after_a_change_only_once_shown(
    qtbot: Any, active: Any, lane: Any
) -> None:
    from testlearn.services.portfolio import portfolio
    from ui.labels import money

    window = active
    builds: list[None] = []
    show_page(qtbot, window, 1)
    window.portfolio.builder.started.connect(lambda: builds.append(None))
    qtbot.waitUntil(lambda: window.portfolio.content.isVisible(), timeout=30_000)
    before = window.portfolio.totals.text()
    show_page(qtbot, window, 0)
    type_and_tab(qtbot, window, "spend", "250000000")
    wait_idle(qtbot, lane)
    qtbot.waitUntil(lambda: window.portfolio.builder.dirty)
    qtbot.wait(600)  # longer than the pause a shown portfolio waits for changes to settle
    assert window.portfolio.builder.lane is None or not window.portfolio.builder.building
    assert len(builds) == 0, "the hidden portfolio was rebuilt on a save"
    show_page(qtbot, window, 1)
    qtbot.waitUntil(lambda: len(builds) == 1 and not window.portfolio.builder.building)
    with databases.open_database_for_reading(window.database.path) as db:
        spent = money(portfolio(db=db).total_cost)
    assert spent in window.portfolio.totals.text() and window.portfolio.totals.text() != before


def test_changes_while_shown_cancel_the_running_build_and_start_one_more(
    qtbot: Any, active: Any, lane: Any, slow: SlowPortfolio
) -> None:
    window = active
    show_page(qtbot, window, 1)
    qtbot.waitUntil(lambda: slow.calls == 1)
    for _ in range(3):  # the pilots reloaded three times in quick succession
        window.session.reload()
    wait_idle(qtbot, lane)
    qtbot.waitUntil(lambda: slow.cancelled == 1 and slow.calls == 2, timeout=10_000)
    slow.release.set()
    qtbot.waitUntil(lambda: window.portfolio.content.isVisible(), timeout=30_000)
    qtbot.wait(600)
    assert (slow.calls, slow.cancelled) == (2, 1), "builds were queued, not replaced"


def test_cancel_stops_the_build_and_the_page_offers_to_build_it(
    qtbot: Any, active: Any, slow: SlowPortfolio
) -> None:
    window = active
    show_page(qtbot, window, 1)
    status = window.portfolio.status
    qtbot.waitUntil(lambda: status.cancel.isVisible())
    assert "Building the portfolio" in status.label.text()
    qtbot.mouseClick(status.cancel, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: status.build.isVisible(), timeout=10_000)
    assert slow.cancelled == 1 and not window.portfolio.builder.building
    assert status.label.text() == "Portfolio not built (cancelled)."
    assert not window.portfolio.content.isVisible() and not status.cancel.isVisible()
    # Shown again, it stays as the user left it until they ask.
    show_page(qtbot, window, 0)
    show_page(qtbot, window, 1)
    assert slow.calls == 1
    slow.release.set()
    qtbot.mouseClick(status.build, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.portfolio.content.isVisible(), timeout=30_000)
    assert not status.isVisible() and "10 pilots" in window.portfolio.totals.text()


def test_the_portfolio_lane_stops_when_another_database_opens_and_when_the_window_closes(
    qtbot: Any, active: Any, lane: Any, slow: SlowPortfolio, tmp_path: Path
) -> None:
    from ui.worker_lane import WorkerLane

    window = active
    show_page(qtbot, window, 1)
    qtbot.waitUntil(lambda: slow.calls == 1)
    first = window.portfolio.builder.lane
    assert first is not None and first.isRunning()
    window.database.create(tmp_path / "other.sqlite", demo=True)
    qtbot.waitUntil(lambda: slow.calls == 2, timeout=60_000)  # rebuilt for the new file
    assert first not in WorkerLane.live
    second = window.portfolio.builder.lane
    assert second is not None and second is not first and second.isRunning()
    window.close()
    assert second not in WorkerLane.live and window.portfolio.builder.lane is None
