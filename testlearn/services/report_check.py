"""Checking a printed report against a database: `testlearn verify-report`.

A report says in its citation block which report it is (reference, version, edition) and
the exact moment it was produced. The same data and moment give the same file, so the
check rebuilds that report from the database and compares the two texts, figure by figure
and hash by hash (``testlearn.domain.printed_text``). It names every difference, and says
when the database does not give the report at all: the pilot now fails a check, its results
are out of date, nobody cleared this content, or data were changed after the report was made.

Building the report is the ``reports`` package's work, which the core may not import (the
layers go ``reports -> testlearn``); the caller hands in ``render``, which writes a report
(PDF or HTML) of what this module gathered.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from testlearn.domain.printed_text import Comparison, compare, normalise
from testlearn.errors import InputFileError, TestlearnError, VerificationFailed
from testlearn.services.clearance import NotCleared
from testlearn.services.pilots import get_pilot
from testlearn.services.portfolio import portfolio, portfolio_moments
from testlearn.services.report_text import read_parts
from testlearn.services.reporting import (
    ReportRefused,
    database_of,
    pilot_moments,
    pilot_report,
)
from testlearn.services.verification import verify
from testlearn.store.database import Database
from testlearn.temporary_files import private_folder, scratch_folder

_CITED = re.compile(
    r"Reference (?P<reference>[A-Z0-9][A-Z0-9-]*), version (?P<version>[\w.]+)"
    r"(?:, (?P<edition>with|without) commercially sensitive figures)?"
)
_DATABASE = re.compile(
    r"from the database (replica [0-9a-f-]{36})|Database (replica [0-9a-f-]{36})"
)
_MOMENT = re.compile(r"\b(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)")
#: A brief issued before briefs cited all their data by one fingerprint: it lists a data
#: fingerprint per hypothesis ("H1 data fingerprint <sha256>"), or, with no result to list,
#: still explains the hashes as those briefs did.
_PER_HYPOTHESIS = re.compile(
    r"\S data fingerprint [0-9a-f]{64}\b|Data fingerprint: of the rows analysed\."
)
KIND_WORDS = {"brief": "brief", "full": "full report", "portfolio": "portfolio"}


@dataclass(frozen=True)
class CitedReport:
    """Which report a printed file says it is, read from its citation block.

    Attributes:
        reference: as printed ("MOJ-TL-007-BRIEF", "MOJ-TL-007-LESSONS", "PORTFOLIO-...").
        kind: "brief", "full" or "portfolio".
        pilot: the pilot's reference (empty for the portfolio).
        version: "draft", "v2.0", or "final" for a portfolio.
        include_commercial: whether it prints commercially sensitive figures.
        generated_at: the moment it was produced.
        database: the database it names as made from ("replica ..."), or empty.
        per_hypothesis: a brief whose citation lists each hypothesis's data fingerprint, as
            briefs issued before they cited all the data by one fingerprint did.
    """

    reference: str
    kind: str
    pilot: str
    version: str
    include_commercial: bool
    generated_at: dt.datetime
    database: str = ""
    per_hypothesis: bool = False

    @property
    def final(self) -> bool:
        return self.version != "draft"


@dataclass(frozen=True)
class BuiltReport:
    """What ``render`` writes: the gathered report, as final or draft."""

    cited: CitedReport
    content: Any  # a PilotReport, or a Portfolio
    final: bool
    database: str


#: Writes the report to the path given, as a PDF or (for a brief) HTML by its suffix.
Render = Callable[[BuiltReport, Path], None]


@dataclass(frozen=True)
class ReportCheck:
    """The outcome of checking one printed report against a database."""

    path: Path
    cited: CitedReport
    comparison: Comparison
    notes: tuple[str, ...] = field(default=())  # why the database does not give the report
    database: str = ""  # the database checked against ("replica ...")

    @property
    def ok(self) -> bool:
        return self.comparison.agrees and not self.notes


def cited_report(path: Path, text: str) -> CitedReport:
    """Which report ``text`` (a whole report's text) says it is.

    Raises:
        InputFileError: the text has no testlearn citation (another PDF, or an old report).
    """
    flat = normalise(text)
    found = _CITED.search(flat)
    moment = _MOMENT.search(flat)
    if found is None or moment is None:
        raise InputFileError(
            f"{path} does not look like a report testlearn wrote: it has no citation block "
            "with a reference, version and production time (reports made before this "
            "version of testlearn cannot be checked)"
        )
    reference = found["reference"]
    if reference.endswith("-BRIEF"):
        kind, pilot = "brief", reference.removesuffix("-BRIEF")
    elif reference.endswith("-LESSONS"):
        kind, pilot = "full", reference.removesuffix("-LESSONS")
    elif reference.startswith("PORTFOLIO-"):
        kind, pilot = "portfolio", ""
    else:
        raise InputFileError(f"{path}: {reference} is not the reference of a testlearn report")
    when = dt.datetime.strptime(moment[1], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
    named = _DATABASE.search(flat)
    return CitedReport(
        reference=reference,
        kind=kind,
        pilot=pilot,
        version=found["version"],
        include_commercial=found["edition"] == "with",
        generated_at=when,
        database=(named[1] or named[2]) if named else "",
        per_hypothesis=kind == "brief" and _PER_HYPOTHESIS.search(flat) is not None,
    )


def check_report(path: Path, *, db: Database, render: Render) -> ReportCheck:
    """Check every figure and hash ``path`` prints against ``db``.

    Raises:
        InputFileError: the file is not a report testlearn wrote, or cannot be read.
        NotFound: the database has no pilot with the report's reference.
    """
    path = Path(path)
    form, printed = read_parts(path)
    cited = cited_report(path, " ".join(text for _, text in printed))
    notes: list[str] = []
    built = _gather(cited, db, notes)
    # In the app's private folder, under a name the next start clears if this run is killed.
    with scratch_folder(private_folder(), "check") as folder:
        again = folder / f"{cited.reference}.{form}"
        render(built, again)
        rebuilt = read_parts(again)[1]
    comparison = compare(printed, rebuilt, what=KIND_WORDS[cited.kind])
    return ReportCheck(path, cited, comparison, tuple(notes), database_of(db))


def _gather(cited: CitedReport, db: Database, notes: list[str]) -> BuiltReport:
    """The report as the database gives it, for the moment and edition the file cites.

    What stops the database giving the report as it stands is noted, and the report is
    gathered as near as it can be (incomplete, or as a draft), so that the comparison can
    still name each figure that differs.
    """
    what = KIND_WORDS[cited.kind]
    if cited.kind == "portfolio":
        moments = portfolio_moments(db)
    else:
        moments = pilot_moments(get_pilot(cited.pilot, db=db))
    later = [m for m in moments if m[2].replace(tzinfo=dt.UTC) > cited.generated_at]
    if later:
        reference, change, moment = max(later, key=lambda m: m[2])
        notes.append(
            f"the database changed after this {what} was produced "
            f"({cited.generated_at:%Y-%m-%d %H:%M:%S} UTC): the {change} of {reference} is "
            f"dated {moment:%Y-%m-%d %H:%M:%S} UTC"
        )
    notes.extend(_verification_notes(db, cited, _pilot_id_of(cited, db)))
    # Rebuilt as from the database the report names: a copy, or a central store that merged
    # it, holds the same records under its own id, and the figures are what is checked.
    database = cited.database or database_of(db)
    if cited.kind == "portfolio":
        found = portfolio(db=db, generated_at=cited.generated_at, check_time=False)
        return BuiltReport(cited, found, cited.final, database)
    options: dict[str, Any] = {
        "db": db,
        "generated_at": cited.generated_at,
        "kind": cited.kind,
        "include_commercial": cited.include_commercial,
        "check_time": False,
    }
    final = cited.final
    try:
        report = pilot_report(cited.pilot, final=final, **options)
    except (ReportRefused, VerificationFailed) as refused:
        notes.append(f"the database does not give this {what} as it stands: {refused}")
        report = _as_near(cited, final, options, notes)
        final = report.clearance is not None
    except NotCleared as refused:
        notes.append(f"the database has no clearance of this content: {refused}")
        report, final = pilot_report(cited.pilot, final=False, **options), False
    head = _head_then(db, database, cited.generated_at)
    rebuilt = dataclasses.replace(
        report,
        database=database,
        chain_head=head or report.chain_head,
        # A brief already issued is checked as it was printed: its citation's layout too.
        cited_per_hypothesis=cited.per_hypothesis,
    )
    return BuiltReport(cited, rebuilt, final, database)


def _head_then(db: Database, database: str, moment: Any) -> Any:
    """The chain head the report printed: the named replica's last event at its moment."""
    from testlearn.sync.witness import chain_head_at

    replica = database.removeprefix("replica ").strip()
    if not replica or moment is None:
        return None
    try:
        with db.reading() as uow:
            return chain_head_at(uow, replica, moment)
    except ValueError:  # not a replica id: nothing to rebuild it from
        return None


def _as_near(cited: CitedReport, final: bool, options: dict[str, Any], notes: list[str]) -> Any:
    try:
        return pilot_report(cited.pilot, final=final, allow_incomplete=True, **options)
    except NotCleared as refused:
        notes.append(f"the database has no clearance of this content: {refused}")
        return pilot_report(cited.pilot, final=False, allow_incomplete=True, **options)
    except TestlearnError as refused:  # a gate that refuses even an incomplete report
        notes.append(str(refused))
        raise


#: How many verification findings a check lists before it only counts the rest.
MOST_FINDINGS = 5


def _pilot_id_of(cited: CitedReport, db: Database) -> str | None:
    """The id (as text) of the pilot the report is of; None for the portfolio (every pilot)."""
    if cited.kind == "portfolio":
        return None
    return str(get_pilot(cited.pilot, db=db).pilot.id)


def _verification_notes(db: Database, cited: CitedReport, pilot_id: str | None) -> list[str]:
    """What `testlearn verify` finds wrong with the records the report is made from.

    A report rebuilt from records changed outside testlearn would agree with a report made
    from the same changed records; the tamper evidence is what tells them apart.
    """
    report = verify(db=db)
    found = [f for f in report.findings if pilot_id is None or f.pilot_id in ("", pilot_id)]
    notes = [
        f"the database fails verification ({f.check}): {f.where}: {f.message}"
        for f in found[:MOST_FINDINGS]
    ]
    if len(found) > MOST_FINDINGS:
        notes.append(f"... and {len(found) - MOST_FINDINGS} more verification findings")
    return notes
