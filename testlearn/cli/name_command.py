"""`testlearn name ["Your Name"]`: the name recorded against your changes."""

from __future__ import annotations

import argparse
import sys
from typing import Any


def add_commands(commands: Any) -> None:
    name = commands.add_parser(
        "name",
        help="show or set your name, recorded against your changes and printed in reports",
        description=(
            "Without a value, show the name recorded against your changes and where it comes "
            "from. With one, save it (1-80 printable characters). $TESTLEARN_NAME, when set, "
            "takes precedence over the saved name. Commands that record a change are refused "
            "until a name is set."
        ),
    )
    name.add_argument("value", nargs="?", metavar="NAME", help='your name, e.g. "Jo Bloggs"')
    name.set_defaults(run=run_name)


def run_name(args: argparse.Namespace) -> int:
    from testlearn.services import user_name

    if args.value is None:
        found = user_name.current_name()
        if found is None:
            print(f"testlearn: no name is set; {user_name.NAME_NEEDED}", file=sys.stderr)
            return 1
        print(f"{found.name} ({found.source})")
        return 0
    saved = user_name.save_name(args.value)
    print(f"{saved} (saved in {user_name.settings_path()})")
    found = user_name.current_name()
    if found is not None and found.name != saved:
        print(
            f"testlearn: ${user_name.ENVIRONMENT_VARIABLE} is set ({found.name}) and is "
            "recorded instead while it is set",
            file=sys.stderr,
        )
    return 0
