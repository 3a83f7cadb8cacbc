"""Where unexpected errors go: a log file in the user's log folder."""

from __future__ import annotations

import logging
import traceback
from pathlib import Path


def log_path() -> Path:
    import platformdirs

    folder = platformdirs.user_log_path("testlearn", appauthor=False)
    folder.mkdir(parents=True, exist_ok=True)
    return folder / "testlearn.log"


def log_unexpected() -> Path:
    """Append the current exception's traceback to the log; return the log's path."""
    path = log_path()
    logger = logging.getLogger("testlearn")
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    logger.addHandler(handler)
    try:
        from testlearn.domain.locations import without_passwords

        # A driver's error can quote the server's address, password and all.
        logger.error("unexpected error\n%s", without_passwords(traceback.format_exc()))
    finally:
        logger.removeHandler(handler)
        handler.close()
    return path
