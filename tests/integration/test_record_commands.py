"""Adding, editing and removing a pilot's records, and archiving or deleting a pilot, from the
command line: each change is kept in the history, and `testlearn verify` still passes."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from testlearn.services import pilot_records, pilots, registration, verification
from tests.builders import hypothesis, pilot
from tests.conftest import Cli

#: One case per kind: what to add, how it is then named, a change, and how it reads back.
CASES: list[tuple[str, list[str], str, str, str, Any]] = [
    (
        "procurement",
        ["name=Main contract", "route=pa23_open", "contract_value=250000", "bidders=4"],
        "Main contract",
        "supplier=Acme Ltd",
        "supplier",
        "Acme Ltd",
    ),
    (
        "kpi",
        ["name=Days to decision", "level=outcome", "mission=GROWTH"],
        "days to decision",
        "target=Under 30 days",
        "target",
        "Under 30 days",
    ),
    (
        "comparator",
        ["name=Neighbouring councils", "kind=matched_comparison"],
        "Neighbouring councils",
        "baseline_value=0.61",
        "baseline_value",
        0.61,
    ),
    (
        "cost",
        ["category=delivery", "amount=12000", "financial_year=2026-27", "description=Licences"],
        "Licences",
        "amount=15000",
        "amount",
        15000.0,
    ),
    (
        "lesson",
        ["category=delivery", "what_happened=Teachers used the app weekly"],
        "teachers used the app weekly",
        "went_well=yes",
        "went_well",
        True,
    ),
    (
        "decision",
        ["kind=scale", "decided_on=2026-12-01", "rationale=A real gain"],
        "scale 2026-12-01",
        "next_steps=Tell the regions",
        "next_steps",
        "Tell the regions",
    ),
]
LAST_YEAR = {"name": "Last year", "kind": "historical_baseline"}
PLURALS = {
    "procurement": "procurements",
    "kpi": "kpis",
    "comparator": "comparators",
    "cost": "costs",
    "lesson": "lessons",
    "decision": "decisions",
}


def rows(path: Path, sql: str, *args: Any) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql, args).fetchall()
    finally:
        conn.close()


def history_length(path: Path) -> int:
    return int(rows(path, "SELECT count(*) FROM revision")[0][0])


def verified(db: Any) -> bool:
    report = verification.verify(db=db)
    assert report.ok, report.findings
    return True


@pytest.fixture
def draft(db: Any) -> Any:
    pilots.create_pilot(pilot(), db=db, actor="ana")
    return db


def records_of(db: Any, kind: str) -> list[Any]:
    detail = pilots.get_pilot("T-001", db=db)
    found = getattr(detail, PLURALS[kind])
    return [item.kpi for item in found] if kind == "kpi" else list(found)


@pytest.mark.parametrize(("kind", "values", "name", "change", "field", "expected"), CASES)
def test_each_kind_is_added_edited_and_removed_with_its_history_kept(
    draft: Any,
    cli: Cli,
    db_path: Path,
    kind: str,
    values: list[str],
    name: str,
    change: str,
    field: str,
    expected: Any,
) -> None:
    run = cli("add", "T-001", kind, *values)
    assert run.code == 0, run.err
    [added] = records_of(draft, kind)
    assert pilot_records.short_id(added.id) in run.out
    assert verified(draft)

    run = cli("edit", "T-001", kind, name, change)
    assert run.code == 0, run.err
    [edited] = records_of(draft, kind)
    assert getattr(edited, field) == expected
    assert verified(draft)

    shown = cli("show", "T-001")
    assert f"[{pilot_records.short_id(added.id)}]" in shown.out

    run = cli("remove", "T-001", kind, pilot_records.short_id(added.id))
    assert run.code == 0, run.err
    assert "stays in the history" in run.out
    assert records_of(draft, kind) == []
    assert verified(draft)
    entity = pilot_records.entity_of(kind)
    ops = [op for (op,) in rows(db_path, "SELECT op FROM revision WHERE row_id = ?", added.id.hex)]
    assert sorted(ops) == ["create", "delete", "update"]
    assert rows(db_path, f"SELECT deleted FROM {entity} WHERE id = ?", added.id.hex) == [(1,)]


def test_a_kpi_is_rated_by_naming_it_and_removing_it_removes_its_ratings(
    draft: Any, cli: Cli, db_path: Path
) -> None:
    assert cli("add", "T-001", "procurement", "route=pa23_open").code == 0
    assert cli("add", "T-001", "kpi", "name=Days to decision", "level=outcome").code == 0
    assert cli("add", "T-001", "kpi", "name=Bids received", "level=output").code == 0
    run = cli("add", "T-001", "kpi-rating", "Days to decision", "year=2026-27", "rating=good")
    assert run.code == 0, run.err
    run = cli("add", "T-001", "kpi-rating", "days to decision", "year=2027-28", "rating=other")
    assert run.code == 0, run.err
    detail = pilots.get_pilot("T-001", db=draft)
    days = next(k for k in detail.kpis if k.kpi.name == "Days to decision")
    assert [(r.year, r.rating) for r in days.ratings] == [("2026-27", "good"), ("2027-28", "other")]
    assert days.kpi.procurement_id == detail.procurements[0].id  # the contract it measures

    run = cli("edit", "T-001", "kpi-rating", "Days to decision 2027-28", "rating=inadequate")
    assert run.code == 0, run.err
    run = cli("remove", "T-001", "kpi", "Days to decision")
    assert run.code == 0 and "and its 2 ratings" in run.out
    detail = pilots.get_pilot("T-001", db=draft)
    assert [k.kpi.name for k in detail.kpis] == ["Bids received"]
    assert rows(db_path, "SELECT count(*) FROM kpi_rating WHERE deleted")[0][0] == 2
    assert verified(draft)


def test_set_on_a_pilot_without_procurement_says_how_to_add_one(draft: Any, cli: Cli) -> None:
    run = cli("set", "T-001", "procurement.route", "pa23_open")
    assert run.code == 1
    assert "testlearn add T-001 procurement route=" in run.err
    assert cli("add", "T-001", "procurement", "route=pa23_open").code == 0
    run = cli("set", "T-001", "procurement.supplier", "Acme Ltd")
    assert run.code == 0, run.err
    assert pilots.get_pilot("T-001", db=draft).procurements[0].supplier == "Acme Ltd"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("add", "T-001", "widget", "name=x"), "'widget' is not a kind of record"),
        (("add", "T-001", "kpi", "nme=x", "level=outcome"), "a KPI has no field 'nme'"),
        (("add", "T-001", "kpi", "name=x", "level=sideways"), "'sideways' is not one of them"),
        (("add", "T-001", "kpi", "name"), "'name' is not field=value"),
        (("add", "T-001", "kpi", "name=x", "pilot_id=y"), "a KPI has no field 'pilot_id'"),
        (("add", "T-001", "cost", "category=delivery", "amount=-5"), "Amount: cannot be negative"),
        (("add", "T-001", "cost", "category=staff", "amount=1", "financial_year=2026"), "2026-27"),
        (("add", "T-001", "kpi-rating", "year=2026-27", "rating=good"), "name the KPI"),
        (("add", "T-001", "kpi-rating", "Nothing", "rating=good"), "has no KPI 'Nothing'"),
        (("add", "T-999", "lesson", "category=delivery"), "no pilot with reference 'T-999'"),
        (("edit", "T-001", "kpi", "Nothing", "target=x"), "has no KPI 'Nothing'"),
        (("edit", "T-001", "kpi", "Twin", "target=x"), "are called 'Twin'"),
        (("edit", "T-001", "kpi", "Solo", "size=x"), "a KPI has no field 'size'"),
        (("remove", "T-001", "lesson", "Nothing"), "has no lesson 'Nothing'"),
        (("remove", "T-001", "registration", "x"), "'registration' is not a kind of record"),
        (("remove", "T-001", "dataset", "x"), "'dataset' is not a kind of record"),
    ],
)
def test_bad_input_is_one_line_and_writes_nothing(
    draft: Any, cli: Cli, db_path: Path, args: tuple[str, ...], message: str
) -> None:
    for name in ("Twin", "Twin", "Solo"):
        pilot_records.add("T-001", "kpi", {"name": name, "level": "outcome"}, db=draft, actor="a")
    before = history_length(db_path)
    run = cli(*args)
    assert run.code == 1
    assert message in run.err
    assert len(run.err.strip().splitlines()) == 1, run.err
    assert "unexpected" not in run.err
    assert history_length(db_path) == before


def test_registered_things_stay(draft: Any, cli: Cli, db_path: Path) -> None:
    comparator = pilot_records.add("T-001", "comparator", LAST_YEAR, db=draft, actor="a")
    pilots.add_record(
        "T-001", "hypothesis", hypothesis(comparator_id=comparator.id), db=draft, actor="a"
    )
    draft_comparator = pilot_records.add(
        "T-001", "comparator", {"name": "Spare", "kind": "historical_baseline"}, db=draft, actor="a"
    )
    pilots.add_record(
        "T-001",
        "hypothesis",
        hypothesis(code="H2", role="secondary", comparator_id=draft_comparator.id),
        db=draft,
        actor="a",
    )
    registration.register("T-001", db=draft, actor="a")
    assert (
        cli(
            "add",
            "T-001",
            "hypothesis",
            "code=H3",
            "statement=Third",
            "outcome_type=binary",
            "direction=increase",
            "design=two-group",
            "benefit_threshold=0.1",
        ).code
        == 0
    )
    h3 = pilots.get_pilot("T-001", db=draft).hypothesis("H3")
    assert h3 is not None
    before = history_length(db_path)

    for args, message in (
        (("remove", "T-001", "comparator", "Last year"), "part of registered hypothesis H1"),
        (("remove", "T-001", "hypothesis", "H1"), "H1 is registered and cannot be removed"),
        (("edit", "T-001", "hypothesis", "H1", "alpha=0.1"), "registered"),
        (("delete", "T-001"), "archive it instead"),
    ):
        run = cli(*args)
        assert run.code == 1 and message in run.err, run.err
    assert history_length(db_path) == before

    # A draft hypothesis can go; the other registered one keeps its comparator.
    assert cli("remove", "T-001", "hypothesis", "H3").code == 0
    assert pilots.get_pilot("T-001", db=draft).hypothesis("H3") is None
    assert verified(draft)


def test_removing_a_comparator_leaves_draft_hypotheses_without_one(draft: Any, cli: Cli) -> None:
    comparator = pilot_records.add("T-001", "comparator", LAST_YEAR, db=draft, actor="a")
    pilots.add_record(
        "T-001", "hypothesis", hypothesis(comparator_id=comparator.id), db=draft, actor="a"
    )
    run = cli("remove", "T-001", "comparator", "last year")
    assert run.code == 0 and "H1 no longer has a comparator" in run.out
    found = pilots.get_pilot("T-001", db=draft).hypothesis("H1")
    assert found is not None and found.hypothesis.comparator_id is None
    assert verified(draft)


def test_a_pilot_is_archived_and_stays_in_the_register(draft: Any, cli: Cli, db_path: Path) -> None:
    pilots.create_pilot(pilot(reference="T-002", title="Another"), db=draft, actor="a")
    pilots.set_field("T-001", "status", "decided", db=draft, actor="a")
    run = cli("archive", "T-001")
    assert run.code == 0, run.err
    assert pilots.get_pilot("T-001", db=draft).pilot.status == "archived"
    assert [p.reference for p in pilots.list_pilots(db=draft)] == ["T-001", "T-002"]
    assert cli("pilots", "--hide-archived").out.count("T-00") == 1
    [(summary,)] = rows(db_path, "SELECT summary FROM audit_event WHERE action = 'archive'")
    assert "it was decided" in summary
    again = cli("archive", "T-001")
    assert again.code == 1 and "already archived" in again.err
    assert verified(draft)


def test_a_pilot_is_deleted_with_every_record_tombstoned_in_one_go(
    draft: Any, cli: Cli, db_path: Path
) -> None:
    for kind, values in (
        ("procurement", ["route=pa23_open"]),
        ("kpi", ["name=Days to decision", "level=outcome"]),
        ("comparator", ["name=Last year", "kind=historical_baseline"]),
        ("cost", ["category=delivery", "amount=100"]),
        ("lesson", ["category=delivery", "what_happened=It went"]),
        ("decision", ["kind=stop"]),
    ):
        assert cli("add", "T-001", kind, *values).code == 0
    assert (
        cli("add", "T-001", "kpi-rating", "Days to decision", "year=2026-27", "rating=good").code
        == 0
    )
    pilots.add_record("T-001", "hypothesis", hypothesis(), db=draft, actor="a")

    run = cli("delete", "T-001")
    assert run.code == 0, run.err
    assert "deleted (9 records)" in run.out
    assert cli("show", "T-001").code == 1
    assert pilots.list_pilots(db=draft) == []
    for table in (
        "pilot",
        "procurement",
        "kpi",
        "kpi_rating",
        "comparator",
        "hypothesis",
        "cost",
        "lesson",
        "decision",
    ):
        assert rows(db_path, f"SELECT count(*) FROM {table} WHERE NOT deleted")[0][0] == 0
        assert rows(db_path, f"SELECT count(*) FROM {table} WHERE deleted")[0][0] == 1
    assert rows(db_path, "SELECT count(*) FROM revision WHERE op = 'delete'")[0][0] == 9
    assert verified(draft)
    # The reference is free again for a new pilot.
    pilots.create_pilot(pilot(), db=draft, actor="a")
    assert verified(draft)
