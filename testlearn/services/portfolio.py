"""The portfolio of a whole database (often a merged one), for central teams."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable

from testlearn.domain.portfolio import Portfolio, build_portfolio
from testlearn.errors import NotFound, TestlearnError
from testlearn.services.pooling import pool_rows, read_pooling
from testlearn.services.reporting import Moment, check_report_time, report_timestamp
from testlearn.store import portfolio_queries, queries
from testlearn.store.database import Database
from testlearn.store.unit_of_work import UnitOfWork

Progress = Callable[[float], None]
Cancel = Callable[[], bool]

#: The share of the work that is reading; pooling and counting are the rest.
READING = 0.85
#: Where the pooling across pilots is done.
POOLED = 0.95


class PortfolioCancelled(TestlearnError):
    """The user stopped the portfolio being built; nothing was stored, nothing is lost."""


def portfolio(
    *,
    db: Database,
    generated_at: dt.datetime | None = None,
    progress: Progress | None = None,
    should_cancel: Cancel | None = None,
    check_time: bool = True,
) -> Portfolio:
    """Every pilot of the database counted by mission, verdict, spend, KPIs and lessons.

    ``should_cancel`` is asked between steps (each query, then the counting).
    ``check_time`` refuses a ``generated_at`` before the latest registration or data
    import it reports; it is off only to rebuild an old portfolio for checking.

    Raises:
        NotFound: the database holds no pilots, so there is nothing to report.
        PortfolioCancelled: ``should_cancel`` said yes.
    """

    def step(fraction: float) -> None:
        if should_cancel is not None and should_cancel():
            raise PortfolioCancelled("the portfolio was not built (cancelled)")
        if progress is not None:
            progress(fraction * READING)

    # One read transaction for every query: a consistent picture even while others write.
    with db.reading() as uow:
        facts = portfolio_queries.portfolio_facts(uow, step=step)
        # What the pooling across pilots needs, read in the same transaction as the counts.
        pooled = read_pooling(uow, step=lambda: step(1.0))
        ids = {str(s.id): s.reference for s in queries.pilot_summaries(uow)}
        if check_time and generated_at is not None:
            check_report_time(generated_at, _moments(uow), report="the portfolio")
    if not facts:
        raise NotFound("the database holds no pilots, so there is no portfolio to report")
    failing = _failing(db, ids)
    step(1.0)
    # Pilots that registered the same outcome measure, pooled for the central team; the
    # pilots failing verification are left out of it as they are left out of the counts.
    pooling = pool_rows(pooled, failing=failing)
    if progress is not None:
        progress(POOLED)
    found = build_portfolio(facts, generated_at=report_timestamp(generated_at), failing=failing)
    if progress is not None:
        progress(1.0)
    return dataclasses.replace(found, pooling=pooling)


def _failing(db: Database, references: dict[str, str]) -> frozenset[str]:
    """The pilots whose results a portfolio may not count: they fail verification. A finding
    that belongs to no pilot (a removed guard, a broken audit chain) concerns them all."""
    from testlearn.services.verification import verify

    findings = verify(db=db).findings
    if any(not f.pilot_id for f in findings):
        return frozenset(references.values())
    return frozenset(references[f.pilot_id] for f in findings if f.pilot_id in references)


def _moments(uow: UnitOfWork) -> list[Moment]:
    """The latest changes a portfolio reports: every registration and outcome data import."""
    pilots = {p.id: p.reference for p in uow.find("pilot")}
    hypotheses = {h.id: pilots.get(h.pilot_id, "a pilot") for h in uow.find("hypothesis")}
    moments: list[Moment] = [
        (pilots.get(r.pilot_id, "a pilot"), "registration", r.registered_at)
        for r in uow.find("registration")
    ]
    moments.extend(
        (hypotheses.get(d.hypothesis_id, "a pilot"), "latest outcome data import", d.imported_at)
        for d in uow.find("dataset")
    )
    return moments


def portfolio_moments(db: Database) -> list[Moment]:
    """:func:`_moments` of a database: what a portfolio dated before them could not report."""
    with db.reading() as uow:
        return _moments(uow)
