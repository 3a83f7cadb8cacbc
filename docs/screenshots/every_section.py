"""The whole screen with the window maximised, once per pilot section, to check the layout.

Run under a real X server with a window manager, at the screen sizes of the laptops in use:

    Xvfb :99 -screen 0 1280x720x24 & DISPLAY=:99 openbox &
    DISPLAY=:99 QT_QPA_PLATFORM=xcb .venv/bin/python docs/screenshots/every_section.py \
        demo.sqlite /tmp/shots-1280

Each picture is the screen (title bar and all), as the user sees it. A section taller than
the window is also taken scrolled to its end (``N-name-end.png``), and the overview once more
at its Submission group (``1-overview-submission.png``: lead official, equality and legal
paragraphs, the internal copy roles), so that nothing below the fold goes unseen.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(database: str, folder: str, reference: str = "DFE-TL-004") -> None:
    sys.path.insert(0, str(HERE.parent.parent))
    sys.path.insert(0, str(HERE))
    from PySide6.QtWidgets import QScrollArea
    from take_screenshots import settle  # the same wait for the lane and the painting

    from ui.app import make_application
    from ui.main_window import MainWindow
    from ui.pilot_detail_view import SECTIONS
    from ui.worker_lane import WorkerLane

    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    app = make_application()
    lane = WorkerLane("screenshots")
    window = MainWindow(lane)
    window.showMaximized()
    window.open_start(Path(database), is_default=False)
    settle(app, lane, 1.5)
    window.pilots.select(reference)
    settle(app, lane, 1.5)
    screen = app.primaryScreen()
    for number, (name, _title, _class) in enumerate(SECTIONS, start=1):
        window.detail.show_tab(name)
        settle(app, lane)
        screen.grabWindow(0).save(str(out / f"{number}-{name}.png"))
        page = getattr(window.detail, name)
        if name == "overview":
            page.ensureWidgetVisible(page.submission.parentWidget(), 0, 0)
            settle(app, lane)
            screen.grabWindow(0).save(str(out / f"{number}-{name}-submission.png"))
        bar = page.verticalScrollBar() if isinstance(page, QScrollArea) else None
        if bar is not None and bar.maximum() > 0:
            bar.setValue(bar.maximum())
            settle(app, lane)
            screen.grabWindow(0).save(str(out / f"{number}-{name}-end.png"))
            bar.setValue(0)
    window.pages.setCurrentIndex(1)
    settle(app, lane, 3)
    screen.grabWindow(0).save(str(out / "portfolio.png"))
    window.close()
    settle(app, lane, 0.5)
    lane.stop()


if __name__ == "__main__":
    main(*sys.argv[1:])
