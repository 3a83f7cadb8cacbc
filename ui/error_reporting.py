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
from ui.job import Job, JobCancelled
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
        from testlearn.domain.locations import without_passwords

        # A driver's error can quote the server's address, password and all.
        text = without_passwords(
            "".join(traceback.format_exception(type(error), error, error.__traceback__))
        )
        log.error("unexpected error while %s\n%s", doing, text)
    finally:
        log.removeHandler(handler)
        handler.close()
    return path


def cancelled_by_user(error: BaseException, job: Job | None = None) -> bool:
    """Whether ``error`` is the user's own Cancel, and so no failure to warn about.

    A job stopped between steps raises ``JobCancelled``; work that checks for Cancel itself
    (the bootstrap, a merge) raises its own expected error ("The bootstrap was cancelled"),
    which is the answer to a Cancel only if Cancel was pressed on that ``job``.
    """
    if isinstance(error, JobCancelled):
        return True
    return job is not None and job.should_cancel() and isinstance(error, TestlearnError)


def report_error(
    parent: QWidget | None, error: BaseException, doing: str, *, job: Job | None = None
) -> None:
    """Show ``error`` to the user in the way its kind deserves.

    Give the failed ``job`` where there is one: an error that only says the user's own
    Cancel was obeyed is then not shown as a warning (the status bar says so instead).
    """
    if cancelled_by_user(error, job):
        return
    if isinstance(error, TestlearnError):
        from testlearn.domain.locations import without_passwords

        MessageBox.warn(parent, "testlearn", without_passwords(str(error)))
        return
    path = log_unexpected(error, doing)
    MessageBox.warn(
        parent,
        "testlearn: unexpected error",
        f"Something went wrong while {doing}; nothing from that action was saved.\n\n"
        f"The details are in the log file:\n{path}\n\n"
        "Please send that file to your support team.",
    )
