"""A portfolio made of a few pilots, for the tests of what is drawn from one."""

from __future__ import annotations

import datetime as dt

from testlearn.domain.marking import PrintedMarking
from testlearn.domain.portfolio import Portfolio, PortfolioPilot
from testlearn.domain.vocabulary import Marking


def portfolio_of(*pilots: tuple[str, str, str | None, int | None]) -> Portfolio:
    """A portfolio of pilots given as (mission, primary verdict, grade, evidence level)."""
    return Portfolio(
        generated_at=dt.datetime.now(dt.UTC),
        pilots=tuple(
            PortfolioPilot(
                reference=f"TEST-TL-{n:03d}",
                title=f"Pilot {n}",
                lead_organisation="Test department",
                mission=mission,
                status="decided",
                marking=PrintedMarking(Marking.OFFICIAL),
                cost=100_000.0,
                national_rollout_cost=None,
                verdict=verdict,
                decision=None,
                cost_avoided=None,
                grade=grade,
                evidence_level=level,
            )
            for n, (mission, verdict, grade, level) in enumerate(pilots, 1)
        ),
        marking=PrintedMarking(Marking.OFFICIAL),
        kpi_concerns=(),
        kpis_total=0,
        contracts_without_specialist=(),
        contracts_specialist_unknown=0,
        contracts_total=0,
        engagement_concerns=(),
        pipeline=(),
        recurring_lessons=(),
    )
