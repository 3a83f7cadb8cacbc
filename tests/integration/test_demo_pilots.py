"""The demo database a new user sees first: ten registered pilots with data, lessons, decisions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from testlearn.services import databases, pilots, verification
from testlearn.services.demo import demo_pilots
from tests.integration.demo_pilots import DEMO_REFERENCES

DEMO_PILOTS = demo_pilots()
REFERENCES = list(DEMO_REFERENCES)
DECISIONS = {
    "DHSC-TL-001": "scale_adapted",
    "MHCLG-TL-002": "scale",
    "HO-TL-003": "adapt_and_retest",
    "DFE-TL-004": "stop",
    "DESNZ-TL-005": "scale_adapted",
    "DWP-TL-006": "stop",
    "MOJ-TL-007": "scale",
    "MHCLG-TL-008": "scale",
    "DFT-TL-009": "stop",
    "DESNZ-TL-010": "scale",
}


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    path = Path(tmp_path_factory.mktemp("demo")) / "demo.sqlite"
    db = databases.create_database(path, demo=True, actor="test")
    try:
        yield db
    finally:
        db.close()


def test_the_demo_holds_the_ten_scenario_pilots(demo_db: Any) -> None:
    found = {p.reference: p for p in pilots.list_pilots(db=demo_db)}
    assert sorted(found) == sorted(REFERENCES)
    assert [d["pilot"]["reference"] for d in DEMO_PILOTS] == REFERENCES
    assert all(p.registered for p in found.values())
    assert all(p.status == "decided" for p in found.values())


@pytest.mark.parametrize("reference", REFERENCES)
def test_each_pilot_is_registered_before_its_data_with_one_primary(
    demo_db: Any,
    reference: str,
) -> None:
    detail = pilots.get_pilot(reference, db=demo_db)
    assert detail.registration_intact
    roles = [h.hypothesis.role for h in detail.hypotheses]
    assert roles.count("primary") == 1
    for h in detail.hypotheses:
        assert h.registered
        assert h.dataset is not None and h.dataset.row_count >= 1
        assert h.registration is not None
        assert h.registration.registered_at < h.dataset.imported_at
        assert detail.pilot.end_date is not None
        assert h.registration.registered_at.date() < detail.pilot.end_date


@pytest.mark.parametrize("reference", REFERENCES)
def test_each_pilot_has_its_decision_lessons_costs_and_story(
    demo_db: Any,
    reference: str,
) -> None:
    detail = pilots.get_pilot(reference, db=demo_db)
    pilot = detail.pilot
    assert [d.kind for d in detail.decisions] == [DECISIONS[reference]]
    assert 2 <= len(detail.lessons) <= 4
    assert pilot.problem_statement and pilot.toc_riskiest_assumption and pilot.delivery_summary
    assert pilot.team and pilot.minister and pilot.national_rollout_cost
    assert isinstance(pilot.start_date, dt.date) and isinstance(pilot.end_date, dt.date)
    assert pilot.start_date < pilot.end_date
    assert detail.procurements and detail.kpis
    assert all(k.kpi.level and k.kpi.mission for k in detail.kpis)
    costs = sum(c.amount or 0.0 for c in detail.costs)
    assert costs == pytest.approx(pilot.spend, rel=0.01)


def test_stopped_pilots_show_the_roll_out_cost_they_avoided(demo_db: Any) -> None:
    stopped = [r for r, kind in DECISIONS.items() if kind == "stop"]
    avoided = {r: pilots.get_pilot(r, db=demo_db).pilot.national_rollout_cost for r in stopped}
    assert avoided["DFE-TL-004"] == 30_000_000
    assert all(cost and cost > 10_000_000 for cost in avoided.values())


def test_the_portfolio_has_something_to_flag(demo_db: Any) -> None:
    details = [pilots.get_pilot(r, db=demo_db) for r in REFERENCES]
    procurements = [p for d in details for p in d.procurements]
    kpis = [k.kpi for d in details for k in d.kpis]
    lessons = [lesson for d in details for lesson in d.lessons]
    pipeline = {p.pipeline_year for p in procurements if p.pipeline_year}
    assert {"2026-27", "2027-28", "2028-29"} <= pipeline
    assert any(p.engagement_methods == ["webinar"] for p in procurements)
    assert any(p.commercial_specialist is False for p in procurements)
    assert any(k.level == "output" and k.mission_alignment in ("weak", "none") for k in kpis)
    categories = [lesson.category for lesson in lessons]
    assert categories.count("contract_and_kpi_design") >= 3
    assert categories.count("market_engagement") >= 3
    kinds = {lesson.failure_kind for lesson in lessons if lesson.failure_kind}
    assert {"theory", "implementation", "market"} <= kinds
    assert {d.pilot.marking for d in details} == {"OFFICIAL", "OFFICIAL_SENSITIVE"}


def test_one_deviation_is_recorded_with_its_reason(demo_db: Any) -> None:
    detail = pilots.get_pilot("DHSC-TL-001", db=demo_db)
    h1 = detail.hypothesis("H1")
    assert h1 is not None
    assert h1.hypothesis.planned_n_pilot == 46_000
    assert [d.field for d in h1.deviations] == ["planned_n_pilot"]
    assert "ophthalmology" in h1.deviations[0].reason


def test_the_demo_database_verifies(demo_db: Any) -> None:
    report = verification.verify(db=demo_db)
    assert report.ok, report.findings
    assert report.checked["registrations"] == 10
