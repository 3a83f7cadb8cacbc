"""The portfolio of a whole database (often a merged one), for central teams."""

from __future__ import annotations

import datetime as dt

from testlearn.domain.portfolio import Portfolio, build_portfolio
from testlearn.errors import NotFound
from testlearn.services.reporting import report_timestamp
from testlearn.store import queries
from testlearn.store.database import Database


def portfolio(*, db: Database, generated_at: dt.datetime | None = None) -> Portfolio:
    """Every pilot of the database counted by mission, verdict, spend, KPIs and lessons.

    Raises:
        NotFound: the database holds no pilots, so there is nothing to report.
    """
    # One read transaction for every pilot: a consistent picture even while others write,
    # and one session rather than a thousand.
    with db.reading() as uow:
        ids = [summary.id for summary in queries.pilot_summaries(uow)]
        details = [queries.pilot_detail(uow, pilot_id) for pilot_id in ids]
    if not details:
        raise NotFound("the database holds no pilots, so there is no portfolio to report")
    return build_portfolio(details, generated_at=report_timestamp(generated_at))
