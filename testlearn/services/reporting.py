"""Gathering a pilot for a report, and refusing a report that would not stand.

A brief quotes stored analyses to a minister, so a pilot with nothing registered, or with a
result that was never computed or no longer matches its inputs, is refused with a message
saying what to do. The window may ask for such a report anyway (``allow_incomplete``): the
report then says on its first page what is missing, and is never silently empty.

A final is made only of content someone has cleared (``testlearn.services.clearance``):
the report carries that clearance, and prints its name, role, date and version.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from testlearn.domain.clearance import KIND_NAMES
from testlearn.domain.pilot_detail import PilotDetail
from testlearn.domain.pilot_report import PilotReport, report_problems
from testlearn.errors import ConflictError, VerificationFailed
from testlearn.services import gates
from testlearn.services.clearance import require_clearance, state_of
from testlearn.services.pilots import require_pilot
from testlearn.services.recomputation import Recomputation, recompute_results
from testlearn.store import queries
from testlearn.store.database import Database
from testlearn.store.unit_of_work import UnitOfWork
from testlearn.sync import witness


class ReportRefused(ConflictError):
    """The pilot cannot be reported on as it stands; the message says why and what to do."""


def pilot_report(
    reference: str,
    *,
    db: Database,
    generated_at: dt.datetime | None = None,
    allow_incomplete: bool = False,
    final: bool = False,
    kind: str = "brief",
    include_commercial: bool = False,
    check_time: bool = True,
) -> PilotReport:
    """A pilot ready for a brief or a full report.

    Args:
        reference: the pilot's reference.
        db: the database.
        generated_at: the report's timestamp; now (UTC) when None. The same data and
            timestamp give byte-identical documents.
        allow_incomplete: return a report of a pilot that is not fully registered and
            analysed, for the report to mark as incomplete, instead of refusing.
        final: a final report: it carries the clearance of its current content.
        kind: "brief" or "full", the report a final is cleared as.
        include_commercial: whether the final prints commercially sensitive figures (a
            clearance covers one or the other).
        check_time: refuse a ``generated_at`` before what the report reports
            (:func:`check_report_time`); off only to rebuild an old report for checking.

    Raises:
        NotFound: no pilot has that reference.
        ReportRefused: the report would not stand and ``allow_incomplete`` is false.
        VerificationFailed: the pilot's registration, data or history fails verification,
            or a stored result does not match a recomputation, and ``allow_incomplete`` is
            false; with it, the report is marked on every page as failing verification.
        NotCleared: ``final`` and nobody has cleared the report's current content.
    """
    with db.reading() as uow:
        pilot = require_pilot(uow, reference)
    unverified = tuple(f"{f.where}: {f.message}" for f in gates.findings_for(db, pilot.id))
    # Results are recomputed only from a file that verifies: from any other, what they would
    # be recomputed from is itself in doubt (and may be missing).
    recomputed = Recomputation() if unverified else recompute_results(db, pilot)
    unverified += recomputed.mismatched
    if unverified and not allow_incomplete:
        raise VerificationFailed(
            f"cannot report on {pilot.reference}: it fails verification ({unverified[0]}"
            + (f" and {len(unverified) - 1} more" if len(unverified) > 1 else "")
            + "); `testlearn verify` lists every problem"
        )
    with db.reading() as uow:
        detail = queries.pilot_detail(uow, pilot.id)
        if check_time:
            check_report_time(
                generated_at,
                pilot_moments(detail),
                report=f"the {KIND_NAMES.get(kind, kind)} of {detail.pilot.reference}",
            )
        problems = report_problems(detail) + recomputed.out_of_date + unverified
        if problems and not allow_incomplete:
            raise ReportRefused(
                f"cannot report on {detail.pilot.reference}: " + "; ".join(problems)
            )
        clearance = None
        if final:
            state = state_of(uow, detail, kind=kind, include_commercial=include_commercial)
            clearance = require_clearance(state)
        database = database_name(uow)
        head = witness.chain_head(uow)
    return PilotReport(
        detail,
        problems,
        report_timestamp(generated_at),
        clearance,
        database=database,
        unverified=unverified,
        chain_head=head,
    )


def report_timestamp(value: dt.datetime | None) -> dt.datetime:
    """A report's timestamp in UTC to the second (now, when not given)."""
    if value is None:
        value = dt.datetime.now(dt.UTC)
    elif value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC).replace(microsecond=0)


class ReportTimeRefused(ReportRefused):
    """A report dated before what it reports, or far in the future."""


#: How far ahead of this computer's clock a report may be dated (a time zone, a slow clock).
FUTURE_ALLOWANCE = dt.timedelta(days=1)

#: A moment a report depends on: (pilot reference, what happened, when).
Moment = tuple[str, str, dt.datetime]


def pilot_moments(detail: PilotDetail) -> list[Moment]:
    """The moments a pilot's report depends on: its registrations and outcome data imports."""
    ref = detail.pilot.reference
    moments: list[Moment] = [(ref, "registration", r.registered_at) for r in detail.registrations]
    moments.extend(
        (ref, f"latest outcome data import ({h.hypothesis.code})", h.dataset.imported_at)
        for h in detail.hypotheses
        if h.dataset is not None
    )
    return moments


def check_report_time(
    generated_at: dt.datetime | None,
    moments: Iterable[Moment],
    *,
    report: str = "the report",
    now: dt.datetime | None = None,
) -> None:
    """Refuse a report dated before the latest moment it reports, or over a day ahead.

    A report dated before its own registration or data would tell a reader that the
    registration came later than it did, or the figures earlier. Only a date given by the
    user is checked: "now" is after everything recorded on this computer.

    Raises:
        ReportTimeRefused: in one line naming the pilot and both times.
    """
    if generated_at is None:
        return
    when = report_timestamp(generated_at)
    clock = report_timestamp(now)
    if when > clock + FUTURE_ALLOWANCE:
        raise ReportTimeRefused(
            f"cannot date {report} at {_moment(when)}: that is more than a day after now "
            f"({_moment(clock)}); date it today or leave the timestamp out"
        )
    latest = max(moments, key=lambda m: _utc(m[2]), default=None)
    if latest is not None and when < _utc(latest[2]).replace(microsecond=0):
        reference, what, moment = latest
        raise ReportTimeRefused(
            f"cannot date {report} at {_moment(when)}: that is before the {what} of "
            f"{reference}, {_moment(_utc(moment))}; a report cannot be dated before what it "
            "reports"
        )


def _utc(value: dt.datetime) -> dt.datetime:
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def _moment(value: dt.datetime) -> str:
    return f"{value:%Y-%m-%d %H:%M:%S} UTC"


def database_name(uow: UnitOfWork) -> str:
    """The database a report cites: its own replica id, which names one line of history.

    A copy keeps the id until it is first written to; a merged central store has its own and
    lists the files it merged by theirs.
    """
    return f"replica {uow.replica_id}"


def database_of(db: Database) -> str:
    """:func:`database_name` of a database, for a report built outside a unit of work."""
    with db.reading() as uow:
        return database_name(uow)
