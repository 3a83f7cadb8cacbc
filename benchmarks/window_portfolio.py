"""The window's portfolio on 10,000 pilots, and a save made after it was opened.

Part of ``bench_window`` (``./dev bench window``). In a fresh process, on a copy of the
10,000-pilot file (the saves change it), with the list shown and the first pilot loaded:

- saves with the portfolio never opened (the baseline): two fields typed one after the
  other at 100 ms a key, each from Tab to the value stored (the save's transaction committed
  on the worker lane), the second once the pilot was read back; the slower is reported;
- the portfolio shown: from clicking its tab to its totals and chart painted (target 3 s),
  beside the same portfolio read and counted by the service alone, without the window;
- saves after the portfolio was opened: back on the pilot, the same again (target 0.5 s).
  Before, each save rebuilt the portfolio on the one lane, so the second waited behind it.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

from benchmarks.measure import ROOT

SCRIPT = """
import json, sys, time
from pathlib import Path
from PySide6.QtCore import QEventLoop, Qt, QTimer
from PySide6.QtTest import QTest
from ui.app import make_application
from ui.main_window import MainWindow
from ui.worker_lane import WorkerLane


def wait(until, limit=600.0):
    # In an event loop, as the application waits, not in a loop holding the interpreter lock.
    start = time.perf_counter()
    while not until():
        if time.perf_counter() - start > limit:
            raise RuntimeError("gave up waiting")
        waiting = QEventLoop()
        QTimer.singleShot(5, waiting.quit)
        waiting.exec()


def saves(texts):
    # Click into a field, then type each text at a person's pace and press Tab (which moves
    # on to the next field); the seconds from each Tab to that value stored. The next field
    # is typed once the pilot has been read back after the save, as the window reloads it.
    widget = window.detail.overview.about.widgets["lead_organisation"]
    window.detail.show_tab("overview")
    window.detail.overview.ensureWidgetVisible(widget)
    QTest.mouseClick(widget, Qt.MouseButton.LeftButton)
    seconds = []
    for text in texts:
        widget = app.focusWidget()
        assert widget is not None and widget.hasFocus()
        QTest.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        QTest.keyClicks(widget, text, Qt.KeyboardModifier.NoModifier, KEY_DELAY_MS)
        saved.clear()
        loaded.clear()
        tab = time.perf_counter()
        QTest.keyClick(widget, Qt.Key.Key_Tab)
        wait(lambda: saved)
        seconds.append(saved[0] - tab)
        wait(lambda: loaded)
    return seconds


KEY_DELAY_MS = 100
app = make_application([])
lane = WorkerLane("bench")
window = MainWindow(lane)
window.resize(1366, 768)
window.show()
window.activateWindow()
app.processEvents()
saved, loaded = [], []
window.session.pilot_loaded.connect(lambda _detail: loaded.append(None))
window.session.status.connect(
    lambda text: saved.append(time.perf_counter()) if text.startswith("Saved") else None
)
window.open_start(Path(sys.argv[1]), is_default=False)
wait(lambda: window.pilots.model.rowCount() > 0 and window.detail is not None)
assert window.isActiveWindow()
wait(lambda: not lane.busy)
baseline = saves(["Typed before", "the portfolio"])
wait(lambda: not lane.busy)

bar = window.pages.tabBar()
start = time.perf_counter()
QTest.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(1).center())
wait(lambda: window.portfolio is not None and window.portfolio.content.isVisible())
window.portfolio.viewport().repaint()
shown = time.perf_counter() - start
assert "10000 pilots" in window.portfolio.totals.text(), window.portfolio.totals.text()

QTest.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(0).center())
app.processEvents()
after = saves(["Typed after", "it was opened"])
wait(lambda: not lane.busy)
print(json.dumps({"baseline": max(baseline), "shown": shown, "save": max(after)}))
window.close()
lane.stop()
"""
SERVICE = """
import sys, time
from pathlib import Path
from testlearn.services.databases import open_database_for_reading
from testlearn.services.portfolio import portfolio
db = open_database_for_reading(Path(sys.argv[1]))
start = time.perf_counter()
portfolio(db=db)
print(time.perf_counter() - start)
"""


def portfolio_figures(
    database: Path, environment: dict[str, str], repeat: int = 3
) -> dict[str, float]:
    """Best of ``repeat`` fresh processes for each figure, each on a fresh copy of the file."""
    runs = []
    service = []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as folder:
            copy = Path(folder) / database.name
            shutil.copy(database, copy)
            runs.append(json.loads(_run(SCRIPT, copy, environment).splitlines()[-1]))
            service.append(float(_run(SERVICE, copy, environment).splitlines()[-1]))
    figures = {name: min(run[name] for run in runs) for name in runs[0]}
    figures["service"] = min(service)
    return figures


def _run(script: str, database: Path, environment: dict[str, str]) -> str:
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script), str(database)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=environment,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(done.stderr)
    return done.stdout


def print_portfolio_figures(figures: dict[str, float]) -> None:
    print(
        f"  {'portfolio shown, tab to painted':<36}{figures['shown']:8.3f} s (target 3 s; "
        f"the service alone reads and counts it in {figures['service']:.3f} s)"
    )
    print(
        f"  {'save after opening the portfolio':<36}{figures['save']:8.3f} s (target 0.5 s; "
        f"Tab to stored; {figures['baseline']:.3f} s with the portfolio never opened)"
    )
