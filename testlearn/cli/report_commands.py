"""`testlearn report`, `clear` and `portfolio`: PDF reports for ministers and central teams.

A final report is made only of content someone has cleared: `testlearn clear` records who,
their role and the date against the report's current content, and `report --final` prints
that clearance and its version, or refuses in one line when there is none.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
from pathlib import Path
from types import ModuleType
from typing import Any

from testlearn.errors import InvalidValue, TestlearnError


def add_commands(commands: Any) -> None:
    report = commands.add_parser(
        "report",
        help="write a pilot's ministerial brief (and its HTML twin) or full lessons report",
        description="Writes a PDF from the stored analysis. A pilot whose hypotheses are not "
        "registered and analysed, or whose results are out of date, is refused with what to "
        "do; --incomplete writes it anyway, clearly marked.",
    )
    report.add_argument("reference")
    report.add_argument("--kind", choices=["brief", "full"], default="brief")
    report.add_argument("--out", required=True, metavar="FILE.pdf")
    report.add_argument(
        "--final",
        action="store_true",
        help="no DRAFT watermark; prints the clearance of the current content and its version "
        "(record one first with `testlearn clear`)",
    )
    report.add_argument(
        "--include-commercial",
        action="store_true",
        help="print commercially sensitive values (should-cost, bids, outturn) in a brief",
    )
    report.add_argument(
        "--incomplete", action="store_true", help="write a clearly marked incomplete report"
    )
    report.add_argument(
        "--no-html",
        action="store_true",
        help="do not write the report's accessible HTML twin beside the PDF",
    )
    _timestamp_option(report)
    report.set_defaults(run=run_report)

    clear = commands.add_parser(
        "clear",
        help="record who cleared a pilot's brief or full report, as it stands now",
        description="Records a clearance of the report's current content: who cleared it, "
        "their role and the date. A final (`testlearn report --final`) prints it with its "
        "version; once the content changes, it needs clearing again. Content not cleared "
        "before gets the next version (v1.0, v2.0, ...); content cleared before keeps its own.",
    )
    clear.add_argument("reference")
    clear.add_argument("--kind", choices=["brief", "full"], default="brief")
    clear.add_argument("--by", required=True, metavar="NAME", help="who cleared it")
    clear.add_argument("--role", required=True, help="their role, e.g. Deputy Director, SRO")
    clear.add_argument(
        "--date", metavar="DD/MM/YYYY", help="the date it was cleared (default: today)"
    )
    clear.add_argument(
        "--include-commercial",
        action="store_true",
        help="the clearance is of the report with its commercially sensitive figures",
    )
    clear.set_defaults(run=run_clear)

    clearances = commands.add_parser(
        "clearances", help="list the clearances of a pilot's reports, and what is cleared now"
    )
    clearances.add_argument("reference")
    clearances.set_defaults(run=run_clearances)

    portfolio = commands.add_parser(
        "portfolio", help="write the portfolio report of every pilot in the database"
    )
    portfolio.add_argument("--out", required=True, metavar="FILE.pdf")
    portfolio.add_argument(
        "--final",
        action="store_true",
        help="no DRAFT watermark; version final, its content fingerprint in the citation",
    )
    portfolio.add_argument(
        "--no-html",
        action="store_true",
        help="do not write the portfolio's accessible HTML twin beside the PDF",
    )
    portfolio.add_argument(
        "--json",
        action="store_true",
        help="print what was written and the pooling across pilots as JSON",
    )
    _timestamp_option(portfolio)
    portfolio.set_defaults(run=run_portfolio)

    pack = commands.add_parser(
        "registry-pack",
        help="write a pilot's Evaluation Registry entry: a page to copy from and an import row",
        description="Checks the pilot against the Evaluation Registry's rules (a complete "
        "evaluation needs its published report's link or why it is unpublished; 'Other' needs "
        "words; months 1-12; a department the registry lists) and names every field to change; "
        "then writes REF-registry-entry.pdf and .html, in the order of the registry's form, and "
        "REF-registry-entry.csv, a row under the registry's admin import columns.",
    )
    pack.add_argument("reference")
    pack.add_argument("--out", required=True, metavar="FOLDER", help="made if it does not exist")
    _timestamp_option(pack)
    pack.set_defaults(run=run_registry_pack)

    check = commands.add_parser(
        "verify-report",
        help="check every figure and hash a report prints against the database",
        description="Reads a brief, full report or portfolio (its PDF or its HTML twin), finds "
        "the report it cites, rebuilds it from the database for the same moment and edition, "
        "and names every figure or hash that differs. Exits 0 when all agree, 1 otherwise.",
    )
    check.add_argument("report_file", metavar="REPORT.pdf", help="the report (.pdf or .html)")
    check.set_defaults(run=run_verify_report)


def _timestamp_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--timestamp",
        metavar="ISO",
        help="the report's date and time, e.g. 2026-11-27T09:00Z (default: now); the same "
        "data and timestamp give byte-identical files",
    )


def _reports(name: str) -> ModuleType:
    # `reports` sits above the core (ui -> reports -> testlearn), so the core may not import
    # it statically (lint-imports enforces the layers); it is looked up by name when a report
    # is asked for, as the window is, and a build without it says so instead of crashing.
    try:
        return importlib.import_module(f"reports.{name}")
    except ModuleNotFoundError as error:
        raise TestlearnError(f"reports are not part of this installation ({error})") from None


def _parse_timestamp(text: str | None) -> dt.datetime | None:
    if not text:
        return None
    try:
        value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidValue(
            f"--timestamp {text!r} is not a date and time like 2026-11-27T09:00Z"
        ) from None
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def _output(path_text: str) -> Path:
    path = Path(path_text).expanduser()
    if path.suffix.lower() != ".pdf":
        raise InvalidValue(f"--out {path_text} should end in .pdf")
    return path


def run_report(args: argparse.Namespace) -> int:
    from testlearn.cli.pilot_commands import open_db
    from testlearn.services.reporting import pilot_report

    path = _output(args.out)
    module = _reports("brief" if args.kind == "brief" else "full_report")
    module.check_writable(path)  # before any work: a wrong folder is the commonest mistake
    with open_db(args) as db:
        report = pilot_report(
            args.reference,
            db=db,
            generated_at=_parse_timestamp(args.timestamp),
            allow_incomplete=args.incomplete,
            final=args.final,
            kind=args.kind,
            include_commercial=args.include_commercial,
        )
    if args.kind == "brief":
        pages = module.write_brief(
            report,
            path,
            final=args.final,
            include_commercial=args.include_commercial,
            html=not args.no_html,
        )
    else:
        pages = module.write_full_report(
            report,
            path,
            final=args.final,
            include_commercial=args.include_commercial,
            html=not args.no_html,
        )
    extra = "" if args.no_html else f" and {path.with_suffix('.html')}"
    state = "draft"
    if report.clearance is not None:
        state = f"final {report.clearance.version_label}, {_cleared(report.clearance)}"
    marked = " (marked incomplete)" if report.problems else ""
    print(f"wrote {path}{extra}: {pages} pages, {state}{marked}")
    return 0


def run_registry_pack(args: argparse.Namespace) -> int:
    from testlearn.cli.pilot_commands import open_db
    from testlearn.services.registry_pack import registry_pack_report

    module = _reports("registry_pack")
    with open_db(args) as db:
        report = registry_pack_report(
            args.reference, db=db, generated_at=_parse_timestamp(args.timestamp)
        )
    pack = module.write_registry_pack(report, Path(args.out).expanduser())
    print(
        f"wrote {pack.pdf} ({pack.pages} pages), {pack.html.name} and {pack.csv.name}: "
        f"{args.reference}'s Evaluation Registry entry"
    )
    return 0


def run_clear(args: argparse.Namespace) -> int:
    from testlearn.cli import actor
    from testlearn.cli.pilot_commands import open_db
    from testlearn.services.clearance import record_clearance

    with open_db(args) as db:
        clearance = record_clearance(
            args.reference,
            kind=args.kind,
            cleared_by=args.by,
            role=args.role,
            cleared_on=args.date,
            include_commercial=args.include_commercial,
            db=db,
            actor=actor(),
        )
    what = "full report" if args.kind == "full" else "brief"
    commercial = " with its commercially sensitive figures" if clearance.include_commercial else ""
    print(
        f"{args.reference} {what}{commercial}: {_cleared(clearance)}, "
        f"as {clearance.version_label} (content {clearance.content_hash})"
    )
    return 0


def run_clearances(args: argparse.Namespace) -> int:
    from testlearn.cli.output import print_table
    from testlearn.cli.pilot_commands import open_db
    from testlearn.domain.clearance import long_day
    from testlearn.services.clearance import clearance_state, list_clearances

    with open_db(args) as db:
        found = list_clearances(args.reference, db=db)
        states = [
            clearance_state(args.reference, kind=kind, include_commercial=commercial, db=db)
            for kind in ("brief", "full")
            for commercial in (False, True)
        ]
    current = {s.clearance.id for s in states if s.clearance is not None}
    fingerprints = {s.fingerprint for s in states}
    print_table(
        ("Report", "Version", "Cleared by", "Role", "On", "Content", "Now"),
        [
            (
                ("full report" if c.kind == "full" else "brief")
                + (", commercial" if c.include_commercial else ""),
                c.version_label,
                c.cleared_by,
                c.role,
                long_day(c.cleared_on),
                c.content_hash,
                "current"
                if c.id in current
                else "cleared again later"
                if c.content_hash in fingerprints
                else "earlier content",
            )
            for c in found
        ],
    )
    for state in states:
        if not state.include_commercial or state.cleared:
            print(state.describe())
    return 0


def run_portfolio(args: argparse.Namespace) -> int:
    from testlearn.cli.pilot_commands import open_db
    from testlearn.services.portfolio import portfolio
    from testlearn.services.reporting import database_of

    path = _output(args.out)
    module = _reports("portfolio_report")
    module.check_writable(path)
    with open_db(args) as db:
        found = portfolio(db=db, generated_at=_parse_timestamp(args.timestamp))
        database = database_of(db)
    pages = module.write_portfolio(
        found, path, final=args.final, database=database, html=not args.no_html
    )
    count = len(found.pilots)
    html = None if args.no_html else path.with_suffix(".html")
    if args.json:
        from testlearn.cli.output import print_json

        print_json(
            {
                "pdf": str(path),
                "html": None if html is None else str(html),
                "pilots": count,
                "pages": pages,
                "marking": found.marking.text,
                "pooling": found.pooling.to_json_dict(),
            }
        )
        return 0
    extra = "" if html is None else f" and {html}"
    print(
        f"wrote {path}{extra}: {count} pilot{'' if count == 1 else 's'}, {pages} pages, "
        f"marked {found.marking.text}"
    )
    # The pooled results in the report's own words: the central team reads them first.
    for measure in _reports("portfolio_pooling").measures(found.pooling):
        print(f"pooled across pilots: {measure.heading}")
        print(f"  {measure.sentence}")
    return 0


def run_verify_report(args: argparse.Namespace) -> int:
    from testlearn.cli.pilot_commands import open_db
    from testlearn.domain.printed_text import listed
    from testlearn.services.report_check import check_report

    path = Path(args.report_file).expanduser()
    with open_db(args) as db:
        checked = check_report(path, db=db, render=_render_again)
    cited, comparison = checked.cited, checked.comparison
    said = (
        f"{_count(comparison.figures, 'figure')} and {_count(comparison.hashes, 'hash')} of "
        f"{cited.reference} "
        f"{cited.version}, produced {cited.generated_at:%Y-%m-%d %H:%M:%S} UTC"
    )
    if cited.database and cited.database != checked.database:
        print(
            f"{path}: made from the database {cited.database}; checked against {checked.database}"
        )
    if checked.ok:
        print(f"{path}: all {said} agree with the database")
        return 0
    print(f"{path}: does NOT agree with the database ({said})")
    for note in checked.notes:
        print(f"  {note}")
    for difference in listed(comparison.differences):
        print(f"  {difference}")
    return 1


def _count(n: int, thing: str) -> str:
    return f"{n} {thing}" + ("" if n == 1 else "es" if thing.endswith("sh") else "s")


def _render_again(built: Any, path: Path) -> None:
    """Write the report ``built`` as the original was written, to ``path`` (.pdf or .html)."""
    cited = built.cited
    if cited.kind == "portfolio":
        _reports("portfolio_report").write_portfolio(
            built.content,
            path.with_suffix(".pdf"),
            final=built.final,
            database=built.database,
            html=path.suffix == ".html",
        )
    elif cited.kind == "full":
        _reports("full_report").write_full_report(
            built.content,
            path.with_suffix(".pdf"),
            final=built.final,
            include_commercial=cited.include_commercial,
            html=path.suffix == ".html",
        )
    else:
        _reports("brief").write_brief(
            built.content,
            path.with_suffix(".pdf"),
            final=built.final,
            include_commercial=cited.include_commercial,
            html=path.suffix == ".html",
        )


def _cleared(clearance: Any) -> str:
    """ "cleared by NAME, ROLE, on DATE", to follow a comma."""
    from testlearn.domain.clearance import cleared_line

    line = cleared_line(clearance)
    return line[:1].lower() + line[1:]
