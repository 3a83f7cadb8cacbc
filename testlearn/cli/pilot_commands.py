"""Commands over the register: init, pilots, show, set, register, deviate, verify."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from testlearn.cli.output import money, print_json, print_table

# Services (and the database libraries behind them) are imported when a command runs, not
# when the parser is built, so `testlearn --help` and file analysis start quickly.
if TYPE_CHECKING:
    from testlearn.domain.pilot_detail import PilotDetail
    from testlearn.domain.pilot_summary import PilotSummary
    from testlearn.services.databases import Database
    from testlearn.store.plain_reading import PlainDatabase


def open_db(args: argparse.Namespace) -> Database:
    import sys

    from testlearn.services import databases

    db = databases.open_database(databases.resolve_database_path(args.db))
    if db.notice:  # e.g. opened for reading only: said before any command's own output
        print(f"testlearn: {db.notice}", file=sys.stderr)
    return db


def open_plain_db(args: argparse.Namespace) -> PlainDatabase | None:
    """The database opened for reading without the ORM, or None where it must be used (a
    server, a file to migrate): for read commands, which then start in a fraction of the time."""
    import sys

    from testlearn.services.database_paths import resolve_database_path
    from testlearn.services.plain_reads import open_plain

    db = open_plain(resolve_database_path(args.db))
    if db is not None and db.notice:
        print(f"testlearn: {db.notice}", file=sys.stderr)
    return db


def add_commands(commands: Any) -> None:
    init = commands.add_parser("init", help="create a new database")
    init.add_argument(
        "--demo",
        action="store_true",
        help="fill it with the ten demo pilots (without --db: build the demo database, "
        "which the window opens with File > Open the demo)",
    )
    init.add_argument("--department", default="", help="the department this copy belongs to")
    init.set_defaults(run=run_init)

    listing = commands.add_parser("pilots", help="list the pilots")
    listing.add_argument("--json", action="store_true")
    listing.add_argument(
        "--hide-archived", action="store_true", help="leave out pilots with status Archived"
    )
    listing.set_defaults(run=run_pilots)

    show = commands.add_parser("show", help="show one pilot")
    show.add_argument("reference")
    show.add_argument("--json", action="store_true")
    show.set_defaults(run=run_show)

    edit = commands.add_parser("set", help="edit one field (FIELD, H1.FIELD, procurement.FIELD)")
    edit.add_argument("reference")
    edit.add_argument("field")
    edit.add_argument("value")
    edit.set_defaults(run=run_set)

    register = commands.add_parser("register", help="register (freeze) a pilot's hypotheses")
    register.add_argument("reference")
    register.add_argument(
        "--receipt-out",
        type=Path,
        metavar="PATH",
        help="where to write the registration receipt (a file or a folder; default: beside "
        "the database)",
    )
    register.set_defaults(run=run_register)

    receipt = commands.add_parser(
        "receipt", help="write a receipt of a pilot's latest registration, to send out"
    )
    receipt.add_argument("reference")
    receipt.add_argument("--out", type=Path, metavar="PATH", help="a file or a folder")
    receipt.set_defaults(run=run_receipt)

    deviate = commands.add_parser("deviate", help="change a registered field, with a reason")
    deviate.add_argument("reference")
    deviate.add_argument("hypothesis")
    deviate.add_argument("field")
    deviate.add_argument("value")
    deviate.add_argument("--reason", required=True)
    deviate.set_defaults(run=run_deviate)

    verify = commands.add_parser("verify", help="check history, audit chain and registrations")
    verify.add_argument("--json", action="store_true")
    verify.add_argument(
        "--receipt",
        type=Path,
        metavar="FILE",
        help="also check the database against a registration receipt",
    )
    verify.set_defaults(run=run_verify)


def run_init(args: argparse.Namespace) -> int:
    from testlearn.cli import actor
    from testlearn.services import databases, pilots

    path = databases.resolve_database_path(args.db)
    if args.demo and path == databases.default_database_path():
        # The demo pilots never go into the user's own register: they have a file of their own.
        return _init_demo(databases.default_demo_path())
    db = databases.create_database(path, demo=args.demo, actor=actor(), department=args.department)
    count = len(pilots.list_pilots(db=db))
    db.close()
    if databases.is_server_url(str(path)):
        held = f"holding {count} pilot{'s' if count != 1 else ''}" if count else "empty"
        print(f"the central store at {db.url} is ready ({held})")
        return 0
    print(f"created {path}" + (f" with {count} demo pilots" if args.demo else ""))
    return 0


def _init_demo(path: Path) -> int:
    from testlearn.cli import actor
    from testlearn.services import demo

    db = demo.open_demo(path)
    if db is not None:
        db.close()
        print(f"the demo database at {path} is up to date")
        return 0
    demo.build_demo_database(path, actor=actor()).close()
    print(f"created the demo database at {path} with the ten demo pilots, analysed")
    return 0


def run_pilots(args: argparse.Namespace) -> int:
    found: list[PilotSummary]
    plain = open_plain_db(args)
    if plain is not None:
        from testlearn.services import plain_reads

        with plain as db:
            found = plain_reads.list_pilots(db=db, include_archived=not args.hide_archived)
    else:
        from testlearn.services import pilots

        with open_db(args) as orm:
            found = pilots.list_pilots(db=orm, include_archived=not args.hide_archived)
    if args.json:
        print_json([p.to_json() for p in found])
        return 0
    print_table(
        ["reference", "title", "lead", "mission", "status", "spend", "registered"],
        [
            (
                p.reference,
                p.title,
                p.lead_organisation,
                p.primary_mission or "",
                p.status,
                money(p.spend),
                "yes" if p.registered else ("no" if p.hypotheses else "-"),
            )
            for p in found
        ],
        widths={1: 48, 2: 16},
    )
    return 0


def run_show(args: argparse.Namespace) -> int:
    from testlearn.services import pilots

    with open_db(args) as db:
        detail = pilots.get_pilot(args.reference, db=db)
    if args.json:
        print_json(detail.to_json())
    else:
        print(describe(detail))
    return 0


def describe(detail: PilotDetail) -> str:
    p = detail.pilot
    lines = [f"{p.reference}  {p.title}", f"  {p.marking.replace('_', '-')}   status: {p.status}"]
    lines.append(
        f"  lead: {p.lead_organisation}"
        + (f" with {', '.join(p.partner_organisations)}" if p.partner_organisations else "")
    )
    if p.primary_mission:
        lines.append(
            f"  mission: {p.primary_mission}"
            + (f" (also {', '.join(p.secondary_missions)})" if p.secondary_missions else "")
        )
    if p.budget or p.spend:
        lines.append(f"  budget {money(p.budget)}, spend {money(p.spend)}")
    if p.problem_statement:
        lines.append(f"  problem: {p.problem_statement}")
    for check, reg in zip(detail.registration_checks, detail.registrations, strict=True):
        state = "intact" if check.intact else "VERIFICATION FAILED"
        lines.append(
            f"  registered {reg.registered_at:%Y-%m-%d %H:%M} UTC by {reg.registered_by}, "
            f"{state}, hash {reg.content_hash}"
        )
        lines.extend(f"    ! {problem}" for problem in check.problems)
    for h in detail.hypotheses:
        hyp = h.hypothesis
        state = "registered" if h.registered else "draft"
        lines.append(f"  {hyp.code} ({hyp.role}, {state}): {hyp.statement}")
        plan = h.plan  # what the verdict is judged against: post-hoc changes undone
        lines.append(
            f"     {plan.design}, {plan.outcome_type} outcome {plan.outcome_name!r}, "
            f"benefit threshold {plan.benefit_threshold:g}, "
            f"design MDE {'-' if plan.design_mde is None else f'{plan.design_mde:.4g}'}"
        )
        for d in h.deviations:
            timing = (
                "after the data: post hoc, not used for the verdict"
                if d in h.post_hoc_changes
                else "after the data"
                if h.after_data(d)
                else "before the data"
            )
            lines.append(
                f"     deviation {d.field}: {d.old_value!r} -> {d.new_value!r} on "
                f"{d.recorded_at:%Y-%m-%d}, {timing} ({d.reason})"
            )
        if h.dataset:
            lines.append(
                f"     data: {h.dataset.row_count:,} {h.dataset.shape} rows from "
                f"{h.dataset.source_name}, imported {h.dataset.imported_at:%Y-%m-%d %H:%M} UTC"
            )
            # Every hash in full: a reader checks them against a brief or a receipt, and a
            # shortened hash is one an attacker only has to match in part.
            lines.append(f"       data fingerprint {h.dataset.fingerprint}")
            if h.dataset.source_sha256:
                lines.append(
                    f"       source file sha256 {h.dataset.source_sha256} (sha256sum of the file)"
                )
    lines.extend(describe_records(detail))
    return "\n".join(lines)


def describe_records(detail: PilotDetail) -> list[str]:
    """The pilot's own records, each with the short id that names it in add, edit, remove."""
    from testlearn.services.pilot_records import short_id

    lines = []
    for p in detail.procurements:
        lines.append(
            f"  [{short_id(p.id)}] procurement {p.name or '(no name)'}: route {p.route or '-'}"
            + (f", {money(p.contract_value)}" if p.contract_value is not None else "")
            + (f", supplier {p.supplier}" if p.supplier else "")
        )
    for item in detail.kpis:
        k = item.kpi
        lines.append(f"  [{short_id(k.id)}] KPI {k.name!r} ({k.level})")
        lines.extend(
            f"     [{short_id(r.id)}] rating {r.year}: {r.rating}"
            + (f" ({r.note})" if r.note else "")
            for r in item.ratings
        )
    for c in detail.comparators:
        lines.append(f"  [{short_id(c.id)}] comparator {c.name!r} ({c.kind})")
    for cost in detail.costs:
        lines.append(
            f"  [{short_id(cost.id)}] cost {cost.category} {money(cost.amount)}"
            + (f" {cost.financial_year}" if cost.financial_year else "")
            + (f": {cost.description}" if cost.description else "")
        )
    for lesson in detail.lessons:
        lines.append(
            f"  [{short_id(lesson.id)}] lesson ({lesson.category}): {lesson.what_happened}"
        )
    for decision in detail.decisions:
        lines.append(
            f"  [{short_id(decision.id)}] decision: {decision.kind}"
            + (f" on {decision.decided_on}" if decision.decided_on else "")
            + (f": {decision.rationale}" if decision.rationale else "")
        )
    return lines


def run_set(args: argparse.Namespace) -> int:
    from testlearn.cli import actor
    from testlearn.services import pilots
    from testlearn.services.commercial_checks import commercial_warnings_for

    with open_db(args) as db:
        pilots.set_field(args.reference, args.field, args.value, db=db, actor=actor())
        warnings = commercial_warnings_for(args.reference, "pilot", {args.field: args.value}, db=db)
    print(f"{args.reference}: {args.field} set")
    for warning in warnings:
        print(f"  note: {warning}")
    return 0


def run_register(args: argparse.Namespace) -> int:
    from testlearn.cli import actor
    from testlearn.services import receipts, registration

    receipts.refuse_existing(args.receipt_out)
    with open_db(args) as db:
        done = registration.register(args.reference, db=db, actor=actor())
        print(
            f"{args.reference}: {len(done.hypothesis_ids)} hypotheses registered at "
            f"{done.registered_at:%Y-%m-%d %H:%M:%S} UTC; hash {done.content_hash}"
        )
        receipt = receipts.receipt_for(done, db=db)
        written = receipts.write_receipt(receipt, db=db, out=args.receipt_out)
    print(f"receipt written to {written}")
    print("  send it to the central team or attach it to the Evaluation Registry entry")
    print(f"  history chain head: {receipt.chain_head.describe()}")
    return 0


def run_receipt(args: argparse.Namespace) -> int:
    from testlearn.services import receipts

    receipts.refuse_existing(args.out)
    with open_db(args) as db:
        receipt = receipts.receipt_for_pilot(args.reference, db=db)
        written = receipts.write_receipt(receipt, db=db, out=args.out)
    print(f"receipt of {receipt.pilot_reference}'s registration written to {written}")
    print(f"history chain head: {receipt.chain_head.describe()}")
    return 0


def run_deviate(args: argparse.Namespace) -> int:
    from testlearn.cli import actor
    from testlearn.services import pilots, registration

    with open_db(args) as db:
        done = registration.record_deviation(
            args.reference,
            args.hypothesis,
            args.field,
            args.value,
            args.reason,
            db=db,
            actor=actor(),
        )
        found = pilots.get_pilot(args.reference, db=db).hypothesis(args.hypothesis)
    print(
        f"{args.reference} {args.hypothesis}: deviation recorded, "
        f"{done.field} {done.old_value!r} -> {done.new_value!r}"
    )
    if found is not None and done in found.post_hoc_changes:
        print(
            "  this changes what counts as success after the outcome data were added: it is "
            "post hoc. The verdict stays the one the registered plan gives; the result under "
            "the changed plan is shown beside it, labelled post hoc."
        )
    return 0


def _open_for_check(args: argparse.Namespace) -> tuple[Any, str]:
    """The database a check reads, and its name as printed (a server's password hidden)."""
    from testlearn.services import databases

    target = databases.resolve_database_path(args.db)
    if databases.is_server_url(str(target)):
        # A central store is read, never created or migrated, by a check: `verify` writes nothing.
        opened = databases.open_database_for_reading(str(target))
        return opened, opened.location
    # A file is read without a write, so that checking a department's export before merging
    # it leaves the sha256 its manifest records.
    return databases.open_database_to_check(Path(target)), str(target)


def run_verify(args: argparse.Namespace) -> int:
    from testlearn.services import verification

    opened, path = _open_for_check(args)
    with opened as db:
        report = verification.verify(db=db)
    if args.json:
        print_json(report.to_json())
    elif report.ok:
        checked = ", ".join(f"{n:,} {name}" for name, n in report.checked.items())
        print(f"{path}: verified ({checked}); nothing was changed outside testlearn")
    else:
        print(f"{path}: VERIFICATION FAILED, {len(report.findings)} problem(s):")
        for finding in report.findings:
            # A message that is a whole sentence about its record already names it.
            said = finding.message if finding.message.startswith(finding.where) else None
            print(f"  [{finding.check}] {said or f'{finding.where}: {finding.message}'}")
    receipt_holds = check_receipt(args) if args.receipt is not None else True
    return 0 if report.ok and receipt_holds else 1


def check_receipt(args: argparse.Namespace) -> bool:
    """`verify --receipt FILE`: does the database still hold what the receipt witnessed?"""
    from testlearn.services import receipts

    receipt = receipts.read_receipt(args.receipt)
    opened, _path = _open_for_check(args)
    with opened as db:
        problems = receipts.check_receipt(receipt, db=db)
    head = receipt.chain_head
    if not problems:
        print(
            f"{args.receipt}: the receipt holds: registration {receipt.registration_hash} of "
            f"{receipt.pilot_reference} is unchanged, and the history extends event {head.seq} "
            f"of replica {head.replica_id} (hash {head.hash})"
        )
        return True
    print(f"{args.receipt}: THE RECEIPT DOES NOT HOLD, {len(problems)} problem(s):")
    for problem in problems:
        print(f"  [receipt] {problem}")
    return False
