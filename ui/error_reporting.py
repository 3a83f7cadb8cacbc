"""What the user sees when something fails.

An error the user can cause (a ``TestlearnError``) is shown with its message, which says what
is wrong and what to do. Anything else is a bug: its traceback goes to the log file in the
user's log folder, and the message shows where that file is.
"""

from __future__ import annotations

import logging
import traceback
from pathlib import Path

from PySide6.QtWidgets import QWidget

from testlearn.errors import TestlearnError
from ui.job import JobCancelled
from ui.message_box import MessageBox

log = logging.getLogger("testlearn.ui")


def log_path() -> Path:
    import platformdirs

    folder = platformdirs.user_log_path("testlearn", appauthor=False)
    folder.mkdir(parents=True, exist_ok=True)
    return folder / "testlearn.log"


def log_unexpected(error: BaseException, doing: str) -> Path:
    """Append ``error``'s traceback to the log; return the log's path."""
    path = log_path()
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    log.addHandler(handler)
    try:
        text = "".join(traceback.format_exception(type(error), error, error.__traceback__))
        log.error("unexpected error while %s\n%s", doing, text)
    finally:
        log.removeHandler(handler)
        handler.close()
    return path


def report_error(parent: QWidget | None, error: BaseException, doing: str) -> None:
    """Show ``error`` to the user in the way its kind deserves."""
    if isinstance(error, JobCancelled):
        return  # the user asked for it; the status bar says so
    if isinstance(error, TestlearnError):
        MessageBox.warn(parent, "testlearn", str(error))
        return
    path = log_unexpected(error, doing)
    MessageBox.warn(
        parent,
        "testlearn: unexpected error",
        f"Something went wrong while {doing}; nothing from that action was saved.\n\n"
        f"The details are in the log file:\n{path}\n\n"
        "Please send that file to your support team.",
    )
