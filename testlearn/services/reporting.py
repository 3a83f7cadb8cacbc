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

from testlearn.domain.pilot_report import PilotReport, report_problems
from testlearn.errors import ConflictError
from testlearn.services.clearance import require_clearance, state_of
from testlearn.services.pilots import require_pilot
from testlearn.store import queries
from testlearn.store.database import Database
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

    Raises:
        NotFound: no pilot has that reference.
        ReportRefused: the report would not stand and ``allow_incomplete`` is false.
        NotCleared: ``final`` and nobody has cleared the report's current content.
    """
    with db.reading() as uow:
        detail = queries.pilot_detail(uow, require_pilot(uow, reference).id)
        problems = report_problems(detail)
        if problems and not allow_incomplete:
            raise ReportRefused(
                f"cannot report on {detail.pilot.reference}: " + "; ".join(problems)
            )
        clearance = None
        if final:
            state = state_of(uow, detail, kind=kind, include_commercial=include_commercial)
            clearance = require_clearance(state)
        head = witness.chain_head(uow)
    return PilotReport(detail, problems, report_timestamp(generated_at), clearance, chain_head=head)


def report_timestamp(value: dt.datetime | None) -> dt.datetime:
    """A report's timestamp in UTC to the second (now, when not given)."""
    if value is None:
        value = dt.datetime.now(dt.UTC)
    elif value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC).replace(microsecond=0)
