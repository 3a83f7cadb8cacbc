"""Commands that bring outcome data in."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from testlearn.cli.pilot_commands import open_db


def add_commands(commands: Any) -> None:
    load = commands.add_parser(
        "import-results", help="import outcome data (CSV or .xlsx) for a registered hypothesis"
    )
    load.add_argument("reference")
    load.add_argument("hypothesis", help="the hypothesis code, e.g. H1")
    load.add_argument("file", type=Path)
    load.set_defaults(run=run_import)


def run_import(args: argparse.Namespace) -> int:
    from testlearn.cli import actor
    from testlearn.services import outcome_import

    with open_db(args) as db:
        summary = outcome_import.import_results(
            args.reference, args.hypothesis, args.file, db=db, actor=actor()
        )
    print(f"{args.reference} {args.hypothesis}: {summary.describe()}")
    return 0
