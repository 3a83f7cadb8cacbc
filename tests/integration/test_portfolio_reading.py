"""The portfolio read in bulk is the portfolio read pilot by pilot.

The window and ``testlearn portfolio`` read every pilot's facts in a few queries
(``testlearn.store.portfolio_queries``); each pilot's full detail, which the briefs use, is
the reference. They must agree on the demo, and on a merged database where records were
deleted, edited apart, tied on dates and left out of date.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from testlearn.domain.portfolio import NOT_ANALYSED, OUT_OF_DATE, Portfolio, build_portfolio
from testlearn.domain.portfolio_facts import facts_from_detail
from testlearn.services import analysis, databases, merging, pilots, registration
from testlearn.services.portfolio import PortfolioCancelled, portfolio
from testlearn.store import queries

# After the outcome data the tests import now (a report cannot be dated before what it
# reports), and less than a day ahead (nor far in the future).
# Later the same day or the next: after any data a test imports during a long run, and
# within the day ahead a report may be dated.
WHEN = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=20)).replace(second=0, microsecond=0)


def pilot_by_pilot(db: Any) -> Portfolio:
    """The portfolio from every pilot's full detail, read one pilot at a time."""
    with db.reading() as uow:
        details = [queries.pilot_detail(uow, s.id) for s in queries.pilot_summaries(uow)]
    return build_portfolio([facts_from_detail(d) for d in details], generated_at=WHEN)


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    with databases.create_database(path, demo=True, actor="tester") as db:
        analysis.analyse_all(db=db, actor="tester")
    return path


def vary(path: Path, actor: str) -> None:
    """Edits a department might make: ties, deletions, new data, a deviation."""
    with databases.open_database(path) as db:
        add = lambda ref, entity, **values: pilots.add_record(  # noqa: E731
            ref, entity, values, db=db, actor=actor
        )
        # Two decisions on one day: the one recorded last is the latest.
        add("HO-TL-003", "decision", kind="stop", decided_on=dt.date(2027, 1, 5), decided_by="A")
        add("HO-TL-003", "decision", kind="pause", decided_on=dt.date(2027, 1, 5), decided_by="B")
        add("HO-TL-003", "decision", kind="extend", decided_by="undated")
        # Costs without spend: their sum, in financial-year order, is the cost.
        pilots.set_field("MOJ-TL-007", "spend", "", db=db, actor=actor)
        for amount, year in ((0.1, "2026-27"), (0.2, "2025-26"), (1e16, "2026-27"), (None, None)):
            add("MOJ-TL-007", "cost", category="other", amount=amount, financial_year=year)
        # Contracts that tie on (no) pipeline year, planned ones early and late.
        for name, specialist in (("Lot 2", None), ("Lot 1", False), ("Lot 3", False)):
            add("DWP-TL-006", "procurement", name=name, commercial_specialist=specialist)
        add("DWP-TL-006", "procurement", name="Later", pipeline_year="2035-36", contract_value=5)
        add("DWP-TL-006", "procurement", name="Earlier", pipeline_year="2019-20")
        # KPIs tied on name, rated over several years; lessons tied on category.
        for level, alignment in (("input", "strong"), ("outcome", "none")):
            kpi = add(
                "DFE-TL-004", "kpi", name="Same name", level=level, mission_alignment=alignment
            )
            for year, rating in (("2026-27", "good"), ("2024-25", "inadequate")):
                add("DFE-TL-004", "kpi_rating", kpi_id=kpi.id, year=year, rating=rating)
        for well, advice in ((False, "Ask earlier"), (False, "Ask earlier"), (True, "Fine")):
            add(
                "DFE-TL-004",
                "lesson",
                category="governance",
                what_happened="The board met late",
                went_well=well,
                recommendation=advice,
            )
        # A deleted KPI and a deleted pilot leave nothing behind in the portfolio.
        detail = pilots.get_pilot("DHSC-TL-001", db=db)
        pilots.delete_record("kpi", detail.kpis[0].kpi.id, db=db, actor=actor)
        pilots.delete_record(
            "pilot", pilots.get_pilot("DFT-TL-009", db=db).pilot.id, db=db, actor=actor
        )
        # A registered primary hypothesis that changed after its analysis: out of date.
        primary = next(
            h
            for h in pilots.get_pilot("MHCLG-TL-008", db=db).hypotheses
            if h.hypothesis.role == "primary" and h.registered
        )
        registration.record_deviation(
            "MHCLG-TL-008",
            primary.hypothesis.code,
            "alpha",
            0.01,
            "the board asked",
            db=db,
            actor=actor,
        )
        pilots.create_pilot({"reference": "NEW-TL-001", "title": "Nothing yet"}, db=db, actor=actor)


@pytest.fixture(scope="module")
def merged(demo_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    folder = tmp_path_factory.mktemp("merged")
    exports = []
    for name in ("a", "b"):
        copy = folder / f"{name}.sqlite"
        shutil.copy(demo_file, copy)
        if name == "b":
            vary(copy, actor=name)
        else:
            with databases.open_database(copy) as db:
                pilots.set_field("MOJ-TL-007", "status", "closed", db=db, actor=name)
        out = folder / f"{name}-export.sqlite"
        with databases.open_database(copy) as db:
            merging.export_for_central(db=db, out=out, department=name.upper())
        exports.append(out)
    central = folder / "central.sqlite"
    databases.create_database(central, actor="central", department="Cabinet Office").close()
    with databases.open_database(central) as db:
        merging.merge(exports, db=db, actor="central team")
        yield db


def test_the_demo_portfolio_read_in_bulk_is_the_one_read_pilot_by_pilot(demo_file: Path) -> None:
    with databases.open_database(demo_file) as db:
        bulk = portfolio(db=db, generated_at=WHEN)
        assert bulk == pilot_by_pilot(db)
    assert len(bulk.pilots) == 10 and bulk.kpi_concerns and bulk.recurring_lessons
    assert {p.verdict for p in bulk.pilots} - {NOT_ANALYSED, OUT_OF_DATE}, "nothing analysed"


def test_a_merged_and_edited_portfolio_read_in_bulk_is_the_one_read_pilot_by_pilot(
    merged: Any,
) -> None:
    bulk = portfolio(db=merged, generated_at=WHEN)
    assert bulk == pilot_by_pilot(merged)
    by_reference = {p.reference: p for p in bulk.pilots}
    # The edits were read, not merely read the same wrong way twice.
    assert "DFT-TL-009" not in by_reference and "NEW-TL-001" in by_reference
    assert by_reference["MHCLG-TL-008"].verdict == OUT_OF_DATE
    assert by_reference["HO-TL-003"].decision == "pause"
    assert (by_reference["MOJ-TL-007"].cost or 0) > 1e16  # no spend: the sum of its costs
    assert by_reference["MOJ-TL-007"].status == "closed"
    assert [
        c.contract for c in bulk.contracts_without_specialist if c.reference == "DWP-TL-006"
    ] == [
        "Lot 1",
        "Lot 3",
    ]
    tied = [k for k in bulk.kpi_concerns if k.kpi == "Same name"]
    assert [(k.level, k.latest_rating) for k in tied] == [("input", "good"), ("outcome", "good")]


def test_a_read_only_database_reads_the_same_and_refuses_to_write(demo_file: Path) -> None:
    with databases.open_database_for_reading(demo_file) as db:
        assert portfolio(db=db, generated_at=WHEN) == pilot_by_pilot(db)
        with pytest.raises(Exception, match="reading only"):
            pilots.set_field("HO-TL-003", "status", "closed", db=db, actor="tester")


def test_building_stops_between_steps_when_asked(demo_file: Path) -> None:
    seen: list[float] = []
    with databases.open_database(demo_file) as db, pytest.raises(PortfolioCancelled):
        portfolio(db=db, progress=seen.append, should_cancel=lambda: len(seen) >= 3)
    assert len(seen) == 3 and seen == sorted(seen) and seen[-1] < 1


def test_a_reader_sees_the_last_commit_while_a_save_is_under_way(
    demo_file: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "copy.sqlite"
    shutil.copy(demo_file, copy)
    with (
        databases.open_database(copy) as writer,
        databases.open_database_for_reading(copy) as reader,
    ):
        with writer.transaction("tester") as uow:
            pilot = uow.pilot_by_reference("HO-TL-003")
            assert pilot is not None and pilot.status != "closed"
            uow.update("pilot", pilot.id, {"status": "closed"})
            uow.session.flush()
            # The save holds the write lock; the reader neither waits for it nor sees it.
            during = {p.reference: p.status for p in portfolio(db=reader).pilots}
        after = {p.reference: p.status for p in portfolio(db=reader).pilots}
    assert during["HO-TL-003"] == pilot.status and after["HO-TL-003"] == "closed"
