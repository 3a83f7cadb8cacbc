"""Commands that bring outcome data and procurement notices in (and a notice out)."""

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
    add_notice_commands(commands)


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


def add_notice_commands(commands: Any) -> None:
    load = commands.add_parser(
        "import-notices",
        help="import a contract's Procurement Act notices (OCDS JSON from Find a Tender)",
        description=(
            "Import a contract's notices from Find a Tender (a release package, a record "
            "package or one release, in JSON): link the pilot's contract to the notices' OCID "
            "and bring in their KPIs and statutory ratings. The file is checked against the "
            "OCDS 1.1 schema with the UK and Metrics extensions and refused whole if any "
            "release is wrong. Importing the same notices again changes nothing."
        ),
    )
    load.add_argument("reference")
    load.add_argument("file", type=Path)
    load.add_argument(
        "--contract",
        metavar="NAME",
        help="the contract the notices are of, when the pilot has several",
    )
    load.set_defaults(run=run_import_notices)
    out = commands.add_parser(
        "export-notice",
        help="write a contract's KPIs and ratings as an OCDS release, to check against its notice",
    )
    out.add_argument("reference")
    out.add_argument("--out", type=Path, required=True, metavar="FILE.json")
    out.add_argument("--contract", metavar="NAME", help="the contract, when the pilot has several")
    out.set_defaults(run=run_export_notice)


def run_import_notices(args: argparse.Namespace) -> int:
    import sys

    from testlearn.cli import actor
    from testlearn.errors import NoticeRefused
    from testlearn.services import notice_import

    try:
        with open_db(args) as db:
            done = notice_import.import_notices(
                args.reference, args.file, db=db, actor=actor(), contract=args.contract
            )
    except NoticeRefused as refused:
        for line in refused.lines:
            print(f"testlearn: {line}", file=sys.stderr)
        print(f"testlearn: {args.file.name}: refused whole; nothing was imported", file=sys.stderr)
        return 1
    print(done.describe())
    for concern in done.concerns:
        print(f"  check: {concern}")
    return 0


def run_export_notice(args: argparse.Namespace) -> int:
    from testlearn.services import notice_import

    with open_db(args) as db:
        written = notice_import.export_notice(
            args.reference, args.out, db=db, contract=args.contract
        )
    print(f"{args.reference}: KPIs and ratings written to {written}")
    return 0
