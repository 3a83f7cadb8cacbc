"""`testlearn` and `testlearn gui`: the window."""

from __future__ import annotations

import argparse
import importlib
import sys
from typing import Any


def open_window(args: argparse.Namespace) -> int:
    # The window sits above the core (ui -> reports -> testlearn), so the core must not
    # import it statically; it is looked up only when asked for, and its absence (a build
    # without Qt) is a message, not a crash.
    try:
        app = importlib.import_module("ui.app")
    except ImportError as error:
        print(
            f"testlearn: the window cannot start ({error}); the commands still work "
            "(testlearn --help)",
            file=sys.stderr,
        )
        return 1
    return int(app.run_app(db=getattr(args, "db", None)))


def add_commands(commands: Any) -> None:
    window = commands.add_parser(
        "gui",
        help="open the window (the same as testlearn with no command)",
        description="Open the testlearn window on the database (--db, $TESTLEARN_DB, or your "
        "own database). The first time, your own database is created empty and the window "
        "opens the demo database of ten fictional pilots (File > Open the demo).",
    )
    window.set_defaults(run=open_window)
