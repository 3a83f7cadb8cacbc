"""Registration receipts: written by `register`, read back, and checked by `verify --receipt`
against databases changed with raw SQL in ways that `verify` alone cannot see."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from testlearn.domain.receipt import receipt_from_json
from testlearn.services import databases, pilots, receipts
from tests.builders import hypothesis, pilot
from tests.conftest import Cli
from tests.integration import witness_attacks as attack


@pytest.fixture
def receipt_file(db: Any, cli: Cli) -> Path:
    """T-001 registered from the command line, a change made after; its receipt."""
    pilots.create_pilot(pilot(), db=db, actor="ana")
    pilots.add_record("T-001", "hypothesis", hypothesis(), db=db, actor="ana")
    db.close()
    run = cli("register", "T-001")
    assert run.code == 0, run.err
    [path] = cli.db.parent.glob("T-001-registration-*.receipt.json")
    assert f"receipt written to {path}" in run.out
    assert cli("set", "T-001", "spend", "12000").code == 0  # the history grows after it
    return path


def test_register_writes_a_receipt_beside_the_database_that_reads_back(
    receipt_file: Path, cli: Cli
) -> None:
    data = json.loads(receipt_file.read_text(encoding="utf-8"))
    receipt = receipts.read_receipt(receipt_file)
    with databases.open_database(cli.db) as db:
        [registration] = pilots.get_pilot("T-001", db=db).registrations
    assert receipt.registration_hash == registration.content_hash == data["registration_hash"]
    assert len(receipt.registration_hash) == 64 and len(receipt.chain_head.hash) == 64
    assert receipt.registered_at == registration.registered_at
    assert receipt_from_json(json.loads(receipt.to_text())) == receipt
    assert "Evaluation Registry" in data["what_this_is"]
    run = cli("verify", "--receipt", str(receipt_file))
    assert run.code == 0, run.out
    assert "the receipt holds" in run.out and receipt.chain_head.hash in run.out


def test_a_receipt_goes_where_receipt_out_says_and_is_never_overwritten(
    db: Any, cli: Cli, tmp_path: Path
) -> None:
    pilots.create_pilot(pilot(), db=db, actor="ana")
    pilots.add_record("T-001", "hypothesis", hypothesis(), db=db, actor="ana")
    db.close()
    taken = tmp_path / "taken.json"
    taken.write_text("an earlier receipt", encoding="utf-8")
    run = cli("register", "T-001", "--receipt-out", str(taken))
    assert run.code != 0 and "never overwritten" in run.err
    with databases.open_database(cli.db) as opened:
        assert not pilots.get_pilot("T-001", db=opened).registrations  # refused before
    out = tmp_path / "sent" / "T-001.receipt.json"
    run = cli("register", "T-001", "--receipt-out", str(out))
    assert run.code != 0 and "does not exist" in run.err
    out.parent.mkdir()
    assert cli("register", "T-001", "--receipt-out", str(out)).code == 0
    assert receipts.read_receipt(out).pilot_reference == "T-001"
    assert taken.read_text(encoding="utf-8") == "an earlier receipt"
    assert cli("receipt", "T-001", "--out", str(out.parent)).code == 0
    assert len(list(out.parent.iterdir())) == 2


def test_a_rewritten_history_passes_verify_but_not_the_receipt(
    receipt_file: Path, cli: Cli
) -> None:
    head = receipts.read_receipt(receipt_file).chain_head
    attack.rewrite_history(cli.db, 1, "someone else")
    assert cli("verify").code == 0  # consistent in itself: only a witness can tell
    run = cli("verify", "--receipt", str(receipt_file))
    assert run.code == 1
    assert f"event {head.seq} of replica {head.replica_id} now has hash" in run.out
    assert f"the receipt witnessed {head.hash}" in run.out


def test_a_history_cut_short_is_named_by_the_receipt(receipt_file: Path, cli: Cli) -> None:
    head = receipts.read_receipt(receipt_file).chain_head
    attack.cut_history(cli.db, head.seq - 1)
    run = cli("verify", "--receipt", str(receipt_file))
    assert run.code == 1
    assert f"ends at event {head.seq - 1}" in run.out and "cut short or rewritten" in run.out


def test_a_back_dated_registration_is_named_by_the_receipt(receipt_file: Path, cli: Cli) -> None:
    receipt = receipts.read_receipt(receipt_file)
    attack.back_date(cli.db, "T-001", dt.datetime(2024, 1, 1, 9, 0), how="resnapshot")
    run = cli("verify", "--receipt", str(receipt_file))
    assert run.code == 1
    assert f"the receipt witnessed {receipt.registration_hash}" in run.out
    assert "registered at 2024-01-01T09:00:00+00:00" in run.out


def test_a_receipt_of_another_database_is_named(receipt_file: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.sqlite"
    databases.create_database(other, actor="bo").close()
    run = Cli(other)("verify", "--receipt", str(receipt_file))
    assert run.code == 1
    assert "is not in this database" in run.out and "no history of replica" in run.out


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("not json", "not JSON"),
        ('{"format": "something else"}', "field 'format'"),
        (None, "field 'registration_hash' is not a full sha256"),
        ("missing", "no such receipt file"),
    ],
)
def test_a_file_that_is_not_a_receipt_gets_one_line(
    receipt_file: Path, cli: Cli, tmp_path: Path, content: str | None, words: str
) -> None:
    bad = tmp_path / "bad.json"
    if content is None:  # a receipt whose hash was cut short, as a careless copy might
        data = json.loads(receipt_file.read_text(encoding="utf-8"))
        data["registration_hash"] = data["registration_hash"][:16]
        content = json.dumps(data)
    if content != "missing":
        bad.write_text(content, encoding="utf-8")
    run = cli("verify", "--receipt", str(bad))
    assert run.code == 1
    assert str(bad) in run.err and words in run.err
    assert "Traceback" not in run.err and len(run.err.strip().splitlines()) == 1


def test_briefs_print_the_chain_head_in_full(tmp_path: Path) -> None:
    path = tmp_path / "demo.sqlite"
    databases.create_database(path, demo=True, actor="tester").close()
    cli = Cli(path)
    assert cli("analyse", "MOJ-TL-007").code == 0
    with databases.open_database(path) as db:
        head = receipts.chain_head(db=db)
    assert head is not None
    for kind in ("brief", "full"):
        out = tmp_path / f"{kind}.pdf"
        run = cli("report", "MOJ-TL-007", "--kind", kind, "--out", str(out))
        assert run.code == 0, run.err
        text = "".join(page.extract_text() for page in PdfReader(out).pages)
        assert f"Chain head (event {head.seq}, {head.replica_short})" in text
        assert head.replica_short in text and head.hash in text
    html = (tmp_path / "brief.html").read_text(encoding="utf-8")
    assert head.hash in html and f"event {head.seq}, {head.replica_short}" in html


def test_the_central_team_can_check_a_receipt_against_its_store(
    receipt_file: Path, cli: Cli, tmp_path: Path
) -> None:
    from testlearn.services import merging

    exported, central = tmp_path / "export.sqlite", tmp_path / "central.sqlite"
    with databases.open_database(cli.db) as db:
        merging.export_for_central(db=db, out=exported, department="DHSC", actor="ana")
    databases.create_database(central, actor="central", department="Cabinet Office").close()
    with databases.open_database(central) as db:
        [entry] = merging.merge([exported], db=db, actor="central team").sources
    assert entry.refused is None
    run = Cli(central)("verify", "--receipt", str(receipt_file))
    assert run.code == 0, run.out
    assert "the receipt holds" in run.out
