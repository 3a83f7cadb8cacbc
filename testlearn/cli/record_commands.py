"""Commands over a pilot's own records: add, edit, remove; and archive or delete a pilot."""

from __future__ import annotations

import argparse
from typing import Any

from testlearn.cli.pilot_commands import open_db
from testlearn.errors import InvalidValue

KIND_HELP = "procurement, kpi, kpi-rating, comparator, hypothesis, cost, lesson or decision"


def add_commands(commands: Any) -> None:
    add = commands.add_parser(
        "add",
        help='add a record to a pilot: add REF kpi name="Days to decision" level=outcome',
        description="Add a record to a pilot. Values are field=value pairs, parsed by the "
        "field's type as `testlearn set` does. A rating names its KPI first: "
        "add REF kpi-rating KPI year=2026-27 rating=good.",
    )
    add.add_argument("reference")
    add.add_argument("kind", help=KIND_HELP)
    add.add_argument("values", nargs="*", metavar="[KPI] FIELD=VALUE")
    add.set_defaults(run=run_add)

    edit = commands.add_parser(
        "edit",
        help='change fields of a pilot\'s record: edit REF kpi NAME target="Under 30 days"',
    )
    edit.add_argument("reference")
    edit.add_argument("kind", help=KIND_HELP)
    edit.add_argument("name", help="its name, or the short id `testlearn show` prints")
    edit.add_argument("values", nargs="+", metavar="FIELD=VALUE")
    edit.set_defaults(run=run_edit)

    remove = commands.add_parser(
        "remove", help="remove a pilot's record (kept in the history as deleted)"
    )
    remove.add_argument("reference")
    remove.add_argument("kind", help=KIND_HELP)
    remove.add_argument("name", help="its name, or the short id `testlearn show` prints")
    remove.set_defaults(run=run_remove)

    archive = commands.add_parser(
        "archive", help="archive a pilot: it stays in the register with status Archived"
    )
    archive.add_argument("reference")
    archive.set_defaults(run=run_archive)

    delete = commands.add_parser(
        "delete", help="delete a pilot that has nothing registered (kept in the history)"
    )
    delete.add_argument("reference")
    delete.set_defaults(run=run_delete)


def run_add(args: argparse.Namespace) -> int:
    from testlearn.cli import actor
    from testlearn.services import pilot_records
    from testlearn.services.commercial_checks import commercial_warnings_for

    entity = pilot_records.entity_of(args.kind)
    pairs = list(args.values)
    kpi = None
    if entity == "kpi_rating":
        if not pairs or "=" in pairs[0]:
            raise InvalidValue(
                "name the KPI a rating belongs to: "
                f"testlearn add {args.reference} kpi-rating KPI year=2026-27 rating=good"
            )
        kpi = pairs.pop(0)
    values = pilot_records.values_from_text(entity, pairs)
    with open_db(args) as db:
        added = pilot_records.add(args.reference, entity, values, kpi=kpi, db=db, actor=actor())
        warnings = commercial_warnings_for(args.reference, entity, values, db=db)
    noun = pilot_records.NOUNS[entity]
    print(f"{args.reference}: added {noun} {pilot_records.short_id(added.id)}")
    for warning in warnings:
        print(f"  note: {warning}")
    return 0


def run_edit(args: argparse.Namespace) -> int:
    from testlearn.cli import actor
    from testlearn.services import pilot_records
    from testlearn.services.commercial_checks import commercial_warnings_for

    entity = pilot_records.entity_of(args.kind)
    changes = pilot_records.values_from_text(entity, args.values)
    with open_db(args) as db:
        pilot_records.edit(args.reference, entity, args.name, changes, db=db, actor=actor())
        warnings = commercial_warnings_for(args.reference, entity, changes, db=db)
    print(f"{args.reference}: {pilot_records.NOUNS[entity]} {args.name} changed")
    for warning in warnings:
        print(f"  note: {warning}")
    return 0


def run_remove(args: argparse.Namespace) -> int:
    from testlearn.cli import actor
    from testlearn.services import pilot_records

    with open_db(args) as db:
        said = pilot_records.remove(args.reference, args.kind, args.name, db=db, actor=actor())
    print(f"{args.reference}: {said}; it stays in the history as deleted")
    return 0


def run_archive(args: argparse.Namespace) -> int:
    from testlearn.cli import actor
    from testlearn.services import pilots

    with open_db(args) as db:
        pilots.archive_pilot(args.reference, db=db, actor=actor())
    print(
        f"{args.reference}: archived; it stays in the register "
        f"(`testlearn set {args.reference} status live` brings it back)"
    )
    return 0


def run_delete(args: argparse.Namespace) -> int:
    from testlearn.cli import actor
    from testlearn.services import pilots

    with open_db(args) as db:
        count = pilots.delete_pilot(args.reference, db=db, actor=actor())
    print(f"{args.reference}: deleted ({count} records); each stays in the history as deleted")
    return 0
