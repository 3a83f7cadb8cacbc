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
        logger.error("unexpected error\n%s", traceback.format_exc())
    finally:
        logger.removeHandler(handler)
        handler.close()
    return path
