"""Commands that bring outcome data in."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from testlearn.cli.pilot_commands import open_db


def add_commands(commands: Any) -> None:
    load = commands.add_parser(
        "import-results",
        help="import outcome data (CSV or .xlsx) for a registered hypothesis",
        description=(
            "Import outcome data for a registered hypothesis. Headers match in any case and "
            "spacing; text is read as UTF-8, or as Windows-1252 when it is not valid UTF-8."
        ),
    )
    load.add_argument("reference")
    load.add_argument("hypothesis", help="the hypothesis code, e.g. H1")
    load.add_argument("file", type=Path)
    load.add_argument(
        "--encoding",
        metavar="NAME",
        help="the text's encoding (e.g. utf-8, cp1252), when it should not be detected",
    )
    load.add_argument(
        "--map",
        metavar="COLUMN=MEANING",
        action="append",
        default=[],
        help='which column is which, e.g. --map "Group=arm" (MEANING empty leaves it out)',
    )
    load.add_argument(
        "--recode",
        metavar="COLUMN:VALUE=MEANING",
        action="append",
        default=[],
        help='what a value means, e.g. --recode "arm:Marketplace=pilot" (or =leave-out)',
    )
    load.set_defaults(run=run_import)


def run_import(args: argparse.Namespace) -> int:
    from testlearn.cli import actor
    from testlearn.services import outcome_import
    from testlearn.services.outcome_mapping import parse_options
    from testlearn.services.outcome_sources import check_encoding_name

    mapping = parse_options(args.map, args.recode)
    encoding = check_encoding_name(args.encoding) if args.encoding else None
    with open_db(args) as db:
        summary = outcome_import.import_results(
            args.reference,
            args.hypothesis,
            args.file,
            db=db,
            actor=actor(),
            mapping=mapping,
            encoding=encoding,
        )
    print(f"{args.reference} {args.hypothesis}: {summary.describe()}")
    return 0
