"""Starting the window: `testlearn` or `testlearn gui [--db PATH]`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication

from testlearn import __version__

ORGANISATION = "testlearn"


def make_application(argv: list[str] | None = None) -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    QCoreApplication.setOrganizationName(ORGANISATION)
    QCoreApplication.setApplicationName("testlearn")
    QCoreApplication.setApplicationVersion(__version__)
    # No style sheet and no fixed fonts: the platform's palette (light or dark), font size and
    # scaling apply as the user set them. Qt 6 scales for high-DPI screens on its own.
    app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setDesktopFileName("testlearn")
    return app


def run_app(db: str | None = None) -> int:
    """Open the window on ``db`` (or $TESTLEARN_DB, or the user's own database); run until quit."""
    app = make_application()
    from ui.name_dialog import name_at_start

    # Changes are recorded against the name the user gave, so it is asked before the
    # window is used; without one (the question cancelled) the window does not open.
    name = name_at_start()
    if name is None:
        return 0
    from ui.main_window import MainWindow
    from ui.worker_lane import WorkerLane

    sys.excepthook = _report_unexpected
    lane = WorkerLane(name)
    window = MainWindow(lane)
    window.show()
    path, is_default = _database_path(db)
    window.open_start(path, is_default=is_default)
    try:
        return int(app.exec())
    finally:
        lane.stop()


def _database_path(db: str | None) -> tuple[Path, bool]:
    import os

    if db:
        return Path(db).expanduser(), False
    if os.environ.get("TESTLEARN_DB"):
        return Path(os.environ["TESTLEARN_DB"]).expanduser(), False
    import platformdirs

    # The same place as testlearn.services.databases.default_database_path, without
    # importing the services (and their database libraries) before the window is up.
    return platformdirs.user_data_path("testlearn", appauthor=False) / "pilots.sqlite", True


def _report_unexpected(kind: type[BaseException], error: BaseException, trace: Any) -> None:
    from ui.error_reporting import report_error

    report_error(QApplication.activeWindow(), error, "working in the window")
