"""Screenshots for the README and user guide, from a real window (run under Xvfb).

    Xvfb :99 -screen 0 1366x768x24 &
    DISPLAY=:99 .venv/bin/python docs/screenshots/take_screenshots.py /tmp/demo.sqlite

The database should be the analysed demo: `testlearn init --demo` builds it in the data
folder and prints its path (the window then titles it as the demo), or `testlearn init --db
/tmp/demo.sqlite --demo`, then `testlearn --db /tmp/demo.sqlite analyse --all`.
The window fills the screen's available area, as a maximised window would on a laptop, so
the pictures show what a user of that screen size sees (1366 x 768 is a common one).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QApplication

HERE = Path(__file__).resolve().parent


def settle(app: QApplication, lane: object, seconds: float = 0.8) -> None:
    """Let the lane finish its jobs and the window paint them."""
    deadline = time.monotonic() + 60
    while getattr(lane, "busy", False) and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.02)
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.02)


def open_window(database: Path, reference: str) -> tuple[Any, Any, Any]:
    """The window on ``database``, filling the screen, with ``reference`` selected; returns
    the application, the worker lane (stop it when done) and the window."""
    sys.path.insert(0, str(HERE.parent.parent))
    from ui.app import make_application
    from ui.main_window import MainWindow
    from ui.worker_lane import WorkerLane

    app = make_application()
    lane = WorkerLane("screenshots")
    window = MainWindow(lane)
    screen = app.primaryScreen().availableGeometry()
    window.show()
    # The frame (title bar, borders) is outside the window's own size; without a window
    # manager it is empty and the window simply takes the whole area.
    frame = window.frameGeometry().size() - window.geometry().size()
    window.setGeometry(
        screen.x(), screen.y(), screen.width() - frame.width(), screen.height() - frame.height()
    )
    window.open_start(Path(database), is_default=False)
    settle(app, lane, 1.5)
    window.pilots.select(reference)
    settle(app, lane, 1.5)
    return app, lane, window


def main(database: str) -> None:
    app, lane, window = open_window(Path(database), "DFE-TL-004")
    window.grab().save(str(HERE / "main-window.png"))
    for tab, name in (("hypotheses", "hypothesis-tab"), ("analysis", "analysis-tab")):
        window.detail.show_tab(tab)
        settle(app, lane)
        window.grab().save(str(HERE / f"{name}.png"))
    window.pages.setCurrentIndex(1)
    settle(app, lane, 1.5)
    window.grab().save(str(HERE / "portfolio.png"))
    lane.stop()


if __name__ == "__main__":
    main(sys.argv[1])
