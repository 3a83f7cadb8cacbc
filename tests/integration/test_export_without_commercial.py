"""`testlearn export --without-commercial`: the file a department sends leaves out every
commercially sensitive value, and its history; it still verifies on its own, and merging it
leaves the central store's own values as they were."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Cli
from tests.support.postgres import fresh_database, postgres_server

REFERENCE = "DHSC-TL-001"
CONTRACT = "AI referral triage: six-month paid pilot with option to extend"
OLD_BID, BID = 2_345_678, 2_456_789  # the older bid is only in the history
SUPPLIER = "Northgate Clinical Services Ltd"
#: Should-cost estimates of the demo pilots that no other field of the demo repeats.
DEMO_SHOULD_COSTS = (2_250_000, 6_100_000, 9_241_200)


@dataclass
class Files:
    department: Path
    full: Path
    without: Path
    full_message: str
    without_message: str


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Files:
    folder = tmp_path_factory.mktemp("department")
    department = folder / "dhsc.sqlite"
    cli = Cli(department)
    assert cli("init", "--demo", "--department", "DHSC").code == 0
    for bid in (OLD_BID, BID):
        assert cli("edit", REFERENCE, "procurement", CONTRACT, f"winning_bid={bid}").code == 0
    full = cli("export", "--out", str(folder / "full.sqlite"))
    assert full.code == 0, full.err
    # A change after the full export, so that merging the next one moves the record.
    assert cli("edit", REFERENCE, "procurement", CONTRACT, f"supplier={SUPPLIER}").code == 0
    without = cli("export", "--without-commercial", "--out", str(folder / "without.sqlite"))
    assert without.code == 0, without.err
    return Files(
        department, folder / "full.sqlite", folder / "without.sqlite", full.out, without.out
    )


def manifest_of(path: Path) -> dict[str, Any]:
    found: dict[str, Any] = json.loads(
        path.with_name(path.name + ".manifest.json").read_text("utf-8")
    )
    return found


def every_value(path: Path) -> list[tuple[str, str, Any]]:
    """(table, column, value) of every cell of every table of the file."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        cells = []
        for table in tables:
            cursor = conn.execute(f'SELECT * FROM "{table}"')
            names = [d[0] for d in cursor.description]
            for row in cursor:
                cells.extend((table, name, value) for name, value in zip(names, row, strict=True))
        return cells
    finally:
        conn.close()


def spellings(amount: int) -> re.Pattern[str]:
    """The amount as a number stands in text or JSON: 2456789, 2456789.0, 2,456,789."""
    forms = [str(amount), f"{amount:,}"]
    return re.compile(r"(?<![\d.,])(?:" + "|".join(map(re.escape, forms)) + r")(?:\.0+)?(?!\d)")


def where_found(path: Path, amount: int) -> list[str]:
    pattern = spellings(amount)
    found = []
    for table, column, value in every_value(path):
        if isinstance(value, int | float) and not isinstance(value, bool) and value == amount:
            found.append(f"{table}.{column}")
        elif isinstance(value, str | bytes):
            text = value if isinstance(value, str) else value.decode("utf-8", "replace")
            if pattern.search(text):
                found.append(f"{table}.{column}")
    return found


def procurement_values(path: Path) -> tuple[str, float | None, float | None]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        row = conn.execute(
            "SELECT supplier, winning_bid, should_cost FROM procurement WHERE name = ?",
            (CONTRACT,),
        ).fetchone()
        return row[0], row[1], row[2]
    finally:
        conn.close()


@pytest.mark.parametrize("amount", [OLD_BID, BID, *DEMO_SHOULD_COSTS])
def test_no_commercial_value_is_anywhere_in_the_file_history_included(
    files: Files, amount: int
) -> None:
    # The full export carries it (so the search can find it), the other does not.
    assert where_found(files.full, amount)
    assert where_found(files.without, amount) == []
    raw = files.without.read_bytes()
    assert str(amount).encode() not in raw  # not in a freed page either


def test_the_records_themselves_lose_only_their_commercial_values(files: Files) -> None:
    assert procurement_values(files.without) == (SUPPLIER, None, None)
    assert procurement_values(files.department) == (SUPPLIER, BID, 2_250_000)


def test_the_manifest_lists_what_was_left_out_and_never_the_values(files: Files) -> None:
    manifest = manifest_of(files.without)
    assert manifest["commercial"] == "without commercial values"
    assert "marking" not in manifest
    entry = next(w for w in manifest["withheld"] if w["record"] == CONTRACT)
    assert entry["kind"] == "procurement"
    assert entry["reference"] == REFERENCE
    assert entry["fields"] == ["outturn_cost", "should_cost", "winning_bid"]
    assert len(manifest["withheld"]) == 10  # the demo's contracts with commercial figures
    text = files.without.with_name(files.without.name + ".manifest.json").read_text("utf-8")
    assert str(BID) not in text and str(OLD_BID) not in text
    assert "without commercial values" in files.without_message
    assert "OFFICIAL-SENSITIVE" not in files.without_message


def test_an_export_with_the_values_is_marked_as_the_reports_are(files: Files) -> None:
    from testlearn.domain.marking import PrintedMarking, raised_for_commercial
    from testlearn.domain.vocabulary import Marking

    reports_marking = raised_for_commercial(PrintedMarking(Marking.OFFICIAL)).text
    assert reports_marking == "OFFICIAL-SENSITIVE COMMERCIAL"
    assert manifest_of(files.full)["marking"] == reports_marking
    assert files.full_message.startswith("OFFICIAL-SENSITIVE COMMERCIAL: exported ")
    assert "--without-commercial" in files.full_message


def test_the_export_verifies_on_its_own(files: Files, tmp_path: Path) -> None:
    copy = tmp_path / "copy.sqlite"
    shutil.copy(files.without, copy)
    run = Cli(copy)("verify")
    assert run.code == 0, run.out + run.err
    assert "nothing was changed outside testlearn" in run.out
    # Every revision of a contract: the demo's 17 and the three edits made here.
    assert "20 revisions without their commercial values" in run.out


@pytest.mark.parametrize("which", ["full", "without"])
def test_verifying_an_export_before_merging_it_leaves_it_as_its_manifest_says(
    files: Files, tmp_path: Path, which: str
) -> None:
    # A central team checks a department's file, then merges it. Opening a file for work
    # puts it in WAL mode, which rewrites its header: its sha256 no longer matched the
    # manifest, and the merge refused the genuine file.
    source = files.full if which == "full" else files.without
    export = tmp_path / source.name
    for path in (source, source.with_name(source.name + ".manifest.json")):
        shutil.copy(path, tmp_path / path.name)
    before = export.read_bytes()
    run = Cli(export)("verify")
    assert run.code == 0, run.out + run.err
    assert export.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [export.name, export.name + ".manifest.json"]
    )
    merged = Cli(tmp_path / "central.sqlite")(
        "merge", "--into", str(tmp_path / "central.sqlite"), str(export), db=False
    )
    assert merged.code == 0, merged.out + merged.err


def test_a_value_put_back_into_the_export_by_hand_is_caught(files: Files, tmp_path: Path) -> None:
    copy = tmp_path / "altered.sqlite"
    shutil.copy(files.without, copy)
    conn = sqlite3.connect(copy)
    with conn:
        conn.execute("UPDATE procurement SET winning_bid = 1 WHERE name = ?", (CONTRACT,))
    conn.close()
    run = Cli(copy)("verify")
    assert run.code != 0
    assert "changed outside testlearn" in run.out + run.err


def test_merging_it_keeps_the_central_stores_values_without_a_conflict(
    files: Files, tmp_path: Path
) -> None:
    central = tmp_path / "central.sqlite"
    cli = Cli(central)
    assert cli("init", "--department", "Cabinet Office").code == 0
    assert cli("merge", "--into", str(central), str(files.full), db=False).code == 0
    merged = cli("merge", "--into", str(central), str(files.without), db=False)
    assert merged.code == 0, merged.out + merged.err
    assert "conflict" not in merged.out
    assert "the central store's own commercial values were kept" in merged.out
    assert procurement_values(central) == (SUPPLIER, BID, 2_250_000)
    assert cli("conflicts").out.strip() == "no open conflicts"
    verified = cli("verify")
    assert verified.code == 0, verified.out + verified.err
    again = cli("merge", "--into", str(central), str(files.without), db=False)
    assert "nothing new" in again.out
    # The next export without the values meets the store's merge revision: a three-way
    # merge, in which the left-out values are still no change.
    department = tmp_path / "dhsc.sqlite"
    shutil.copy(files.department, department)
    edit = Cli(department)
    assert edit("edit", REFERENCE, "procurement", CONTRACT, "supplier=Second Ltd").code == 0
    later = tmp_path / "later.sqlite"
    assert edit("export", "--without-commercial", "--out", str(later)).code == 0
    merged = cli("merge", "--into", str(central), str(later), db=False)
    assert merged.code == 0, merged.out + merged.err
    assert "1 auto-merged" in merged.out and "conflict" not in merged.out
    assert procurement_values(central) == ("Second Ltd", BID, 2_250_000)
    verified = cli("verify")
    assert verified.code == 0, verified.out + verified.err


def test_merging_it_into_a_store_that_never_had_the_values_leaves_them_unknown(
    files: Files, tmp_path: Path
) -> None:
    central = tmp_path / "central.sqlite"
    cli = Cli(central)
    assert cli("init", "--department", "Cabinet Office").code == 0
    merged = cli("merge", "--into", str(central), str(files.without), db=False)
    assert merged.code == 0, merged.out + merged.err
    assert procurement_values(central) == (SUPPLIER, None, None)
    assert where_found(central, BID) == []
    verified = cli("verify")
    assert verified.code == 0, verified.out + verified.err


def test_listing_another_kind_of_revision_as_left_out_does_not_hide_an_edit(
    files: Files, tmp_path: Path
) -> None:
    from testlearn.store.withheld import WITHHELD_KEY

    copy = tmp_path / "altered.sqlite"
    shutil.copy(files.without, copy)
    conn = sqlite3.connect(copy, isolation_level=None)
    rev, payload = conn.execute(
        "SELECT r.id, r.payload FROM revision r JOIN pilot p ON p.rev = r.id WHERE p.reference = ?",
        (REFERENCE,),
    ).fetchone()
    guards = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'revision'"
    ).fetchall()
    for name, _sql in guards:
        conn.execute(f'DROP TRIGGER "{name}"')
    altered = json.loads(payload) | {"budget": 1}
    conn.execute("UPDATE revision SET payload = ? WHERE id = ?", (json.dumps(altered), rev))
    for _name, sql in guards:
        conn.execute(sql)
    (listed,) = conn.execute(
        "SELECT value FROM database_info WHERE key = ?", (WITHHELD_KEY,)
    ).fetchone()
    conn.execute(
        "UPDATE database_info SET value = ? WHERE key = ?",
        (json.dumps([*json.loads(listed), rev]), WITHHELD_KEY),
    )
    conn.close()
    run = Cli(copy)("verify")
    assert run.code != 0
    assert "history was altered" in run.out + run.err


@pytest.fixture(scope="module")
def postgres_url() -> Iterator[str]:
    # No skip: a central-store test that cannot reach its server must fail, not pass quietly.
    with postgres_server() as url:
        yield url


@pytest.mark.postgres
def test_a_postgresql_central_store_keeps_its_values_too(files: Files, postgres_url: str) -> None:
    from testlearn.services import databases, merging, pilots, verification

    central = fresh_database(postgres_url)
    with databases.open_database(central) as db:
        for source in (files.full, files.without):
            report = merging.merge([source], db=db, actor="central team")
            assert all(s.refused is None and not s.conflicts for s in report.sources)
        detail = pilots.get_pilot(REFERENCE, db=db)
        contract = next(p for p in detail.procurements if p.name == CONTRACT)
        assert (contract.supplier, contract.winning_bid) == (SUPPLIER, BID)
        checked = verification.verify(db=db)
    assert checked.ok, [f.message for f in checked.findings]
