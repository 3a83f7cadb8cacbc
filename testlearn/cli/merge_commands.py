"""Commands for central teams: export, merge, conflicts, resolve."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from testlearn.cli.output import print_json, print_table


def add_commands(commands: Any) -> None:
    export = commands.add_parser("export", help="write a consistent snapshot for a central team")
    export.add_argument("--out", required=True, type=Path)
    export.add_argument(
        "--department",
        help="the department the export comes from (needed once; kept in the database)",
    )
    export.add_argument(
        "--without-commercial",
        action="store_true",
        help="leave out commercially sensitive values (should-cost, bids, outturn), with "
        "their history; the manifest lists what was left out",
    )
    export.set_defaults(run=run_export)

    merge = commands.add_parser(
        "merge", help="merge department files into a central store (a file or postgresql://...)"
    )
    merge.add_argument("--into", required=True, metavar="CENTRAL")
    merge.add_argument("sources", nargs="+", type=Path, metavar="SOURCE")
    merge.add_argument(
        "--dry-run", action="store_true", help="report what would happen; write nothing"
    )
    merge.add_argument("--json", action="store_true")
    merge.set_defaults(run=run_merge)

    listing = commands.add_parser("conflicts", help="list the conflicts merges kept")
    listing.add_argument("--all", action="store_true", help="include resolved ones")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(run=run_conflicts)

    resolve = commands.add_parser("resolve", help="resolve a conflict")
    resolve.add_argument("conflict", metavar="ID", help="the conflict id (a unique prefix will do)")
    resolve.add_argument("--take", required=True, choices=["ours", "theirs", "value"])
    resolve.add_argument("value", nargs="?", help="the value to set, with --take value")
    resolve.set_defaults(run=run_resolve)


def run_export(args: argparse.Namespace) -> int:
    from testlearn.cli import actor
    from testlearn.cli.pilot_commands import open_db
    from testlearn.services import merging

    with open_db(args) as db:
        manifest = merging.export_for_central(
            db=db,
            out=args.out,
            department=args.department,
            actor=actor(),
            without_commercial=args.without_commercial,
        )
    print(merging.export_summary(args.out, manifest))
    return 0


def run_merge(args: argparse.Namespace) -> int:
    from testlearn.cli import actor
    from testlearn.services import databases, merging

    target = databases.resolve_database_path(args.into)
    if isinstance(target, Path) and not target.exists():
        databases.create_database(target, actor=actor(), department="central").close()
    with databases.open_database(target) as db:
        report = merging.merge(args.sources, db=db, actor=actor(), dry_run=args.dry_run)
    if args.json:
        print_json(report.to_json())
    else:
        print(describe(report))
    return 0 if all(s.refused is None for s in report.sources) else 1


def describe(report: Any) -> str:
    lines = [
        ("DRY RUN: nothing was written. " if report.dry_run else "") + f"into {report.central}"
    ]
    for source in report.sources:
        if source.refused:
            lines.append(f"  {source.source}: REFUSED: {source.refused}")
            continue
        counts = ", ".join(f"{n} {k}" for k, n in source.counts.items() if n)
        department = source.department or "unknown department"
        lines.append(f"  {source.source} ({department}): {counts or 'nothing'}")
        lines.extend(f"    note: {note}" for note in source.notes)
        for conflict in source.conflicts:
            lines.append(
                f"    conflict {conflict.id[:12]} ({conflict.kind}) {conflict.label} "
                f"{conflict.field}: {json.dumps(conflict.value_a, default=str)} vs "
                f"{json.dumps(conflict.value_b, default=str)}"
            )
        lines.extend(f"    rejected {r.entity} {r.row_id}: {r.reason}" for r in source.rejected)
        lines.extend(f"    possible duplicate: {d}" for d in source.duplicates)
    return "\n".join(lines)


def run_conflicts(args: argparse.Namespace) -> int:
    from testlearn.cli.pilot_commands import open_db, open_plain_db

    plain = open_plain_db(args)  # without the ORM where it need not be loaded
    if plain is not None:
        from testlearn.services import plain_reads

        with plain as db:
            found = plain_reads.conflicts(db=db, include_resolved=args.all)
    else:
        from testlearn.services import merging

        with open_db(args) as orm:
            found = merging.conflicts(db=orm, include_resolved=args.all)
    if args.json:
        print_json([c.to_json() for c in found])
        return 0
    if not found:
        print("no open conflicts")
        return 0
    print_table(
        ["id", "kind", "record", "field", "base", "ours (shown)", "theirs", "status"],
        [
            (
                c.id[:12],
                c.kind,
                c.label,
                c.field,
                _short(c.base),
                _short(c.ours),
                _short(c.theirs),
                c.status,
            )
            for c in found
        ],
        widths={2: 36, 4: 24, 5: 24, 6: 24},
    )
    return 0


def _short(value: Any) -> str:
    return json.dumps(value, default=str, ensure_ascii=False)


def run_resolve(args: argparse.Namespace) -> int:
    from testlearn.cli import actor
    from testlearn.cli.pilot_commands import open_db
    from testlearn.services import merging

    with open_db(args) as db:
        done = merging.resolve(args.conflict, args.take, args.value, db=db, actor=actor())
    chosen = {"ours": "kept ours", "theirs": "took theirs"}.get(args.take, f"set {args.value!r}")
    print(f"resolved {done.id[:12]}: {done.label} {done.field}: {chosen}")
    return 0
