"""`testlearn import-notices` and `export-notice` with Find a Tender's OCDS notices.

The notice files in tests/data/notices were written by hand from the OCDS 1.1 release schema
and the Metrics and UK extensions; the variants below are made from them.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from testlearn.domain.notice_schema import release_problems
from testlearn.services import pilot_records, pilots
from tests.builders import pilot
from tests.conftest import Cli

NOTICES = Path(__file__).parent.parent / "data" / "notices"
UK7 = NOTICES / "uk7_contract_details.json"
UK9 = NOTICES / "uk9_contract_performance.json"
OCID = "ocds-h6vhtk-0512ab"


def package(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def write(path: Path, document: Any) -> Path:
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def state(db_path: Path) -> tuple[Any, ...]:
    """Everything an import could change: the records, their revisions, the audit chain."""
    conn = sqlite3.connect(db_path)
    try:
        return tuple(
            conn.execute(f"SELECT * FROM {table} ORDER BY rowid").fetchall()
            for table in ("procurement", "kpi", "kpi_rating", "revision", "audit_event")
        )
    finally:
        conn.close()


@pytest.fixture
def ready(db: Any) -> Any:
    pilots.create_pilot(pilot(), db=db, actor="ana")
    return db


def detail(db: Any) -> Any:
    return pilots.get_pilot("T-001", db=db)


def kpis_by_metric(db: Any) -> dict[str, Any]:
    return {item.kpi.notice_metric_id: item for item in detail(db).kpis}


def test_a_contract_details_notice_brings_in_the_kpis(cli: Cli, ready: Any) -> None:
    run = cli("import-notices", "T-001", str(UK7))
    assert run.code == 0, run.err
    assert f"linked to {OCID} (1 notice: UK7); KPIs 3 added" in run.out
    found = detail(ready)
    (contract,) = found.procurements
    assert contract.ocid == OCID
    assert contract.name == "Outcome-based cleaning of hospital wards"
    assert contract.contract_value == 7_500_000
    assert contract.notices == [{"type": "UK7", "id": f"{OCID}-uk7-1", "date": "2025-04-02"}]
    kpis = kpis_by_metric(ready)
    assert sorted(kpis) == ["KPI-1", "KPI-2", "KPI-3"]
    first = kpis["KPI-1"].kpi
    assert (first.name, first.description, first.target) == (
        "Wards rated clean at audit",
        "Share of unannounced audits rating the ward clean",
        "95 per cent",
    )
    assert first.procurement_id == contract.id and first.published
    assert kpis["KPI-3"].kpi.target == "fewer than 2 per 1,000 bed days"
    # A notice does not say a KPI's level or mission: flagged until someone classifies it.
    assert "check: KPI Wards rated clean at audit: measures an output" in run.out


def test_an_existing_contract_is_linked_not_duplicated(cli: Cli, ready: Any) -> None:
    pilots.add_record("T-001", "procurement", {"name": "Ward cleaning"}, db=ready, actor="ana")
    assert cli("import-notices", "T-001", str(UK7)).code == 0
    (contract,) = detail(ready).procurements
    assert (contract.name, contract.ocid) == ("Ward cleaning", OCID)


def test_a_performance_notice_rates_five_kpis_in_the_rating_vocabulary(
    cli: Cli, ready: Any
) -> None:
    assert cli("import-notices", "T-001", str(UK7)).code == 0
    run = cli("import-notices", "T-001", str(UK9))
    assert run.code == 0, run.err
    assert "KPIs 2 added, 0 updated; ratings 5 added" in run.out
    kpis = kpis_by_metric(ready)
    ratings = {metric: item.ratings for metric, item in kpis.items()}
    assert {m: [r.rating for r in rs] for m, rs in ratings.items()} == {
        "KPI-1": ["approaching"],
        "KPI-2": ["good"],
        "KPI-3": ["requires_improvement"],
        "KPI-4": ["inadequate"],
        "KPI-5": ["other"],
    }
    (rating,) = ratings["KPI-1"]
    assert rating.assessed_on == dt.date(2025, 9, 30)
    assert rating.period == "2025-04-01 to 2025-09-30"
    assert rating.year == "2025-26"
    assert rating.source_notice == f"UK9 {OCID}-uk9-1"
    assert rating.notice_observation_id == "KPI-1-2025-h1"
    assert rating.note == "91 per cent"
    assert ratings["KPI-3"][0].note == "Two outbreaks in August"
    assert [n["type"] for n in detail(ready).procurements[0].notices] == ["UK7", "UK9"]


def test_importing_the_same_notices_again_changes_nothing(
    cli: Cli, ready: Any, db_path: Path
) -> None:
    assert cli("import-notices", "T-001", str(UK7)).code == 0
    assert cli("import-notices", "T-001", str(UK9)).code == 0
    before = state(db_path)
    again = cli("import-notices", "T-001", str(UK9))
    assert again.code == 0 and "already up to date" in again.out
    assert cli("import-notices", "T-001", str(UK7)).code == 0
    assert state(db_path) == before


def test_a_later_notice_updates_the_kpis_and_ratings_accumulate_by_date(
    cli: Cli, ready: Any, tmp_path: Path
) -> None:
    uk7, uk9 = package(UK7), package(UK9)
    amended = copy.deepcopy(uk7["releases"][0])
    amended["id"] = f"{OCID}-uk7-2"
    amended["date"] = "2025-06-01T09:00:00Z"
    amended["contracts"][0]["agreedMetrics"][0]["title"] = "Wards rated clean at audit (revised)"
    later = copy.deepcopy(uk9["releases"][0])
    later["id"] = f"{OCID}-uk9-2"
    later["date"] = "2026-04-20T09:00:00Z"
    for metric in later["contracts"][0]["implementation"]["metrics"]:
        for observation in metric["observations"]:
            observation["id"] = observation["id"].replace("2025-h1", "2025-h2")
            observation["period"] = {
                "startDate": "2025-10-01T00:00:00Z",
                "endDate": "2026-03-31T00:00:00Z",
            }
            observation["measureClassification"] = {"id": "met"}
    # Given out of date order: the file's order must not matter.
    releases = [later, amended, uk9["releases"][0], uk7["releases"][0]]
    path = write(tmp_path / "notices.json", {**uk7, "releases": releases})
    run = cli("import-notices", "T-001", str(path))
    assert run.code == 0, run.err
    assert "(4 notices: UK7, UK9)" in run.out
    kpis = kpis_by_metric(ready)
    assert kpis["KPI-1"].kpi.name == "Wards rated clean at audit (revised)"
    dated = sorted((r.assessed_on, r.rating) for r in kpis["KPI-1"].ratings)
    assert dated == [(dt.date(2025, 9, 30), "approaching"), (dt.date(2026, 3, 31), "good")]
    assert [n["id"] for n in detail(ready).procurements[0].notices] == [
        f"{OCID}-uk7-1",
        f"{OCID}-uk7-2",
        f"{OCID}-uk9-1",
        f"{OCID}-uk9-2",
    ]


def test_a_record_package_and_a_single_release_are_read(
    cli: Cli, ready: Any, tmp_path: Path
) -> None:
    release = package(UK7)["releases"][0]
    single = write(tmp_path / "release.json", release)
    assert cli("import-notices", "T-001", str(single)).code == 0
    records = {
        "uri": "x",
        "version": "1.1",
        "publishedDate": "2025-10-20T09:00:00Z",
        "publisher": {"name": "Find a Tender"},
        "records": [
            {"ocid": OCID, "releases": [{"url": "https://example.invalid/r1", "date": "x"}]},
            {"ocid": OCID, "releases": package(UK9)["releases"]},
        ],
    }
    run = cli("import-notices", "T-001", str(write(tmp_path / "record.json", records)))
    assert run.code == 0, run.err
    assert "ratings 5 added" in run.out


def test_an_invalid_release_refuses_the_whole_file_naming_each_json_path(
    cli: Cli, ready: Any, tmp_path: Path, db_path: Path
) -> None:
    uk7, uk9 = package(UK7), package(UK9)
    broken = copy.deepcopy(uk7["releases"][0])
    contract = broken["contracts"][0]
    broken["contracts"].append(copy.deepcopy(contract))
    del broken["contracts"][1]["agreedMetrics"][2]["id"]
    broken["contracts"][1]["value"]["amount"] = "7.5m"
    rated = copy.deepcopy(uk9["releases"][0])
    metrics = rated["contracts"][0]["implementation"]["metrics"]
    metrics[1]["observations"][0]["measureClassification"]["id"] = "excellent"
    path = write(
        tmp_path / "notices.json", {**uk7, "releases": [uk9["releases"][0], broken, rated]}
    )
    before = state(db_path)
    run = cli("import-notices", "T-001", str(path))
    assert run.code == 1
    lines = run.err.splitlines()
    assert (
        "testlearn: notices.json: releases[1].contracts[1].agreedMetrics[2].id: required" in lines
    )
    assert (
        "testlearn: notices.json: releases[1].contracts[1].value.amount: must be a number (or null)"
    ) in lines
    assert any(
        line.startswith(
            "testlearn: notices.json: releases[2].contracts[0].implementation.metrics[1]"
            ".observations[0].measureClassification.id: 'excellent' is not one of met,"
        )
        for line in lines
    )
    assert lines[-1] == "testlearn: notices.json: refused whole; nothing was imported"
    assert state(db_path) == before


def test_a_release_missing_what_ocds_requires_is_named(tmp_path: Path) -> None:
    problems = release_problems({"ocid": OCID, "tag": ["contract"]}, ["releases", 0])
    assert problems == [
        "releases[0].date: required",
        "releases[0].id: required",
        "releases[0].initiationType: required",
    ]


def test_ratings_of_a_kpi_no_notice_agreed_are_refused(cli: Cli, ready: Any, db_path: Path) -> None:
    before = state(db_path)
    uk9 = package(UK9)
    del uk9["releases"][0]["contracts"][0]["agreedMetrics"]
    path = write(db_path.parent / "uk9.json", uk9)
    run = cli("import-notices", "T-001", str(path))
    assert run.code == 1
    assert "rate KPI KPI-1, KPI-2, KPI-3, KPI-4, KPI-5, which no notice" in run.err
    assert state(db_path) == before


def test_a_contract_above_5m_with_two_kpis_and_no_rationale_is_flagged(
    cli: Cli, ready: Any, tmp_path: Path
) -> None:
    two = package(UK7)
    del two["releases"][0]["contracts"][0]["agreedMetrics"][2]
    run = cli("import-notices", "T-001", str(write(tmp_path / "two.json", two)))
    assert run.code == 0, run.err
    assert (
        "check: Contract Outcome-based cleaning of hospital wards is worth £7,500,000, above £5m, "
        "with 2 KPIs and no reason given for publishing fewer than three"
    ) in run.out
    # The same contract with the notice's reason for publishing fewer is not flagged.
    two["releases"][0]["id"] = f"{OCID}-uk7-2"
    two["releases"][0]["date"] = "2025-05-01T00:00:00Z"
    two["releases"][0]["contracts"][0]["noAgreedMetricsRationale"] = "A pilot of one year"
    again = cli("import-notices", "T-001", str(write(tmp_path / "two.json", two)))
    assert again.code == 0, again.err
    assert "above £5m" not in again.out
    assert detail(ready).procurements[0].no_agreed_metrics_rationale == "A pilot of one year"


def test_three_kpis_above_5m_are_not_flagged_for_their_number(cli: Cli, ready: Any) -> None:
    run = cli("import-notices", "T-001", str(UK7))
    assert "above £5m" not in run.out


def test_an_outcome_kpi_linked_to_a_mission_is_not_flagged(cli: Cli, ready: Any) -> None:
    from testlearn.services.checks import contract_concerns

    assert cli("import-notices", "T-001", str(UK7)).code == 0
    for item in detail(ready).kpis:
        pilot_records.edit(
            "T-001",
            "kpi",
            item.kpi.id,
            {"level": "outcome", "mission_alignment": "strong", "mission": "NHS"},
            db=ready,
            actor="ana",
        )
    assert contract_concerns(detail(ready)) == []
    # Re-importing keeps the officer's classification.
    assert cli("import-notices", "T-001", str(UK7)).code == 0
    assert {item.kpi.level for item in detail(ready).kpis} == {"outcome"}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "notice.json: is a PDF, not a notice in JSON"),
        (b'{"ocid": "caf\xe9"}', "notice.json: byte 14 is not UTF-8 text"),
        (b'{"releases": [', "notice.json: line 1, column 15: not JSON"),
        (b"[1, 2]", "notice.json: is not a release, release package or record package"),
        (b"", "notice.json: is empty"),
        (b"[" * 100_000 + b"]" * 100_000, "notice.json: nested"),
        (b'{"a":' * 70 + b"1" + b"}" * 70, "notice.json: nested more than 64 levels deep"),
    ],
    ids=["pdf", "not-utf8", "cut-short", "a-list", "empty", "very-deep", "deep"],
)
def test_files_that_are_not_notices_are_refused_in_one_line(
    cli: Cli, ready: Any, tmp_path: Path, db_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "notice.json"
    path.write_bytes(content)
    before = state(db_path)
    run = cli("import-notices", "T-001", str(path))
    assert run.code == 1
    assert run.err.splitlines()[0].startswith(f"testlearn: {message}"), run.err
    assert "Traceback" not in run.err
    assert state(db_path) == before


def test_a_huge_file_is_refused_before_it_is_read(cli: Cli, ready: Any, tmp_path: Path) -> None:
    path = tmp_path / "huge.json"
    with path.open("wb") as stream:
        stream.truncate(64 * 1024 * 1024)  # sparse: no 64 MB written
    run = cli("import-notices", "T-001", str(path))
    assert run.code == 1
    assert "huge.json: 67,108,864 bytes is too large for a notice" in run.err


def test_the_export_validates_and_reimports_to_the_same_kpis(
    cli: Cli, ready: Any, tmp_path: Path
) -> None:
    assert cli("import-notices", "T-001", str(UK7)).code == 0
    assert cli("import-notices", "T-001", str(UK9)).code == 0
    # One of the pilot's own ratings goes out too, as the financial year's end.
    kpi_one = kpis_by_metric(ready)["KPI-1"].kpi
    pilot_records.add(
        "T-001",
        "kpi_rating",
        {"year": "2024-25", "rating": "good", "note": "Before the contract"},
        kpi=kpi_one.id,
        db=ready,
        actor="ana",
    )
    out = tmp_path / "export.json"
    run = cli("export-notice", "T-001", "--out", str(out))
    assert run.code == 0, run.err
    exported = package(out)
    (release,) = exported["releases"]
    assert release_problems(release, []) == []
    assert release["ocid"] == OCID
    (contract,) = release["contracts"]
    assert [m["id"] for m in contract["agreedMetrics"]] == [
        "KPI-2",
        "KPI-4",
        "KPI-3",
        "KPI-5",
        "KPI-1",
    ]  # by KPI name
    classes = {
        m["id"]: [o["measureClassification"]["id"] for o in m["observations"]]
        for m in contract["implementation"]["metrics"]
    }
    # The pilot's own rating of 2024-25 first (assessed at the year's end), then the notice's.
    assert classes["KPI-1"] == ["met", "slightlyBelow"]
    own = contract["implementation"]["metrics"][-1]["observations"]
    assert [o["period"] for o in own] == [
        {"endDate": "2025-03-31T00:00:00Z"},
        {"startDate": "2025-04-01T00:00:00Z", "endDate": "2025-09-30T00:00:00Z"},
    ]

    # Into another pilot: the same KPIs, targets and ratings come back.
    pilots.create_pilot(pilot(reference="T-002"), db=ready, actor="ana")
    run = cli("import-notices", "T-002", str(out))
    assert run.code == 0, run.err

    def kpis_of(reference: str) -> list[Any]:
        return sorted(
            (
                item.kpi.name,
                item.kpi.description,
                item.kpi.target,
                sorted((r.year, r.rating, r.period, r.note) for r in item.ratings),
            )
            for item in pilots.get_pilot(reference, db=ready).kpis
        )

    assert kpis_of("T-002") == kpis_of("T-001")
    second = pilots.get_pilot("T-002", db=ready).procurements[0]
    assert (second.ocid, second.contract_value) == (OCID, 7_500_000)


def test_an_export_of_a_contract_without_kpis_gives_its_reason(
    cli: Cli, ready: Any, tmp_path: Path
) -> None:
    pilots.add_record(
        "T-001",
        "procurement",
        {"name": "Ward cleaning", "no_agreed_metrics_rationale": "Below the threshold"},
        db=ready,
        actor="ana",
    )
    out = tmp_path / "export.json"
    assert cli("export-notice", "T-001", "--out", str(out)).code == 0
    (release,) = package(out)["releases"]
    assert release_problems(release, []) == []
    assert release["contracts"][0]["noAgreedMetricsRationale"] == "Below the threshold"
    assert release["ocid"].startswith("testlearn-")


@pytest.mark.parametrize("number", ["NaN", "Infinity", "1e400"])
def test_a_number_json_does_not_have_is_refused_naming_the_file(
    tmp_path: Path, number: str
) -> None:
    """Python's reader takes NaN, Infinity and 1e400; a notice from Find a Tender never has them."""
    from testlearn.domain.notices import read_notice_file
    from testlearn.errors import NoticeRefused

    text = UK7.read_text(encoding="utf-8")
    assert '"amount": ' in text
    crafted = tmp_path / "crafted.json"
    crafted.write_text(
        text.replace('"amount": ', f'"amount": {number}, "was": ', 1), encoding="utf-8"
    )
    with pytest.raises(NoticeRefused) as refused:
        read_notice_file(crafted)
    assert f"crafted.json: the number {number} is not a finite number" in str(refused.value)
