"""Every report can be cited and checked: its date, its hashes in full, the file behind them."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from html import unescape
from pathlib import Path
from typing import Any

import pytest

from testlearn.services import pilots
from testlearn.services.reporting import database_of
from tests.conftest import Cli
from tests.integration.test_verify_report import analysed, soon, text_of

HEX64 = re.compile(r"\b[0-9a-f]{64}\b")


@pytest.fixture
def data(cli: Cli, db: Any, tmp_path: Path) -> Path:
    return analysed(cli, db, tmp_path)


def refused(cli: Cli, *args: str) -> str:
    run = cli(*args)
    assert run.code == 1, run.out
    message = run.err.strip()
    assert "\n" not in message and "Traceback" not in message
    return message


@pytest.mark.parametrize("command", [("report", "T-001"), ("portfolio",)])
def test_a_report_dated_before_its_registration_or_data_is_refused(
    cli: Cli, db: Any, data: Path, tmp_path: Path, command: tuple[str, ...]
) -> None:
    out = tmp_path / "early.pdf"
    imported = pilots.get_pilot("T-001", db=db).hypothesis("H1").dataset
    assert imported is not None
    message = refused(cli, *command, "--out", str(out), "--timestamp", "2020-01-01T09:00Z")
    assert "2020-01-01 09:00:00 UTC" in message
    assert "before the latest outcome data import" in message and "T-001" in message
    assert f"{imported.imported_at:%Y-%m-%d %H:%M:%S} UTC" in message
    assert not out.exists() and not out.with_suffix(".html").exists()


@pytest.mark.parametrize("command", [("report", "T-001"), ("portfolio",)])
def test_a_report_dated_days_ahead_is_refused(
    cli: Cli, data: Path, tmp_path: Path, command: tuple[str, ...]
) -> None:
    ahead = f"{dt.datetime.now(dt.UTC) + dt.timedelta(days=3):%Y-%m-%dT%H:%M}Z"
    message = refused(cli, *command, "--out", str(tmp_path / "a.pdf"), "--timestamp", ahead)
    assert "more than a day after now" in message
    assert cli(*command, "--out", str(tmp_path / "b.pdf"), "--timestamp", soon()).code == 0


def test_the_brief_prints_every_hash_in_full_and_its_data_by_one_fingerprint(
    cli: Cli, db: Any, data: Path, tmp_path: Path
) -> None:
    when = soon()
    out = tmp_path / "brief.pdf"
    assert cli("report", "T-001", "--out", str(out), "--timestamp", when).code == 0
    detail = pilots.get_pilot("T-001", db=db)
    h1 = detail.hypothesis("H1")
    assert h1.dataset is not None and h1.result is not None
    # docs/reports.md: the sha256 of the data fingerprints, sorted, one a line.
    of_all = hashlib.sha256(f"{h1.result.data_fingerprint}\n".encode()).hexdigest()
    html = out.with_suffix(".html").read_text(encoding="utf-8")
    for text in (text_of(out), unescape(re.sub(r"<[^>]+>", " ", html))):
        flat = " ".join(text.split())
        assert f"Data fingerprint {of_all}" in flat
        # The fingerprint of each dataset, and its file's sha256, are the full report's.
        assert h1.result.data_fingerprint not in flat
        assert detail.registrations[0].content_hash in flat
        assert f"at {when}" in flat
        assert "Reference T-001-BRIEF, version draft, without commercially sensitive" in flat
        assert "the full report lists each, with its source file's sha256" in flat
        assert "testlearn verify-report FILE --db DATABASE" in flat
        assert database_of(db) in flat
        assert all(len(h) == 64 for h in HEX64.findall(flat))


def test_the_full_report_prints_the_source_file_sha256_in_its_annex(
    cli: Cli, db: Any, data: Path, tmp_path: Path
) -> None:
    out = tmp_path / "full.pdf"
    run = cli("report", "T-001", "--kind", "full", "--out", str(out), "--timestamp", soon())
    assert run.code == 0, run.err
    text = text_of(out)
    on_disk = hashlib.sha256(data.read_bytes()).hexdigest()  # what sha256sum prints
    assert f"Source file sha256 {on_disk}" in text
    assert f"H1 source file sha256 {on_disk}" in text
    # The list the brief's one data fingerprint is made from (docs/reports.md).
    fingerprint = pilots.get_pilot("T-001", db=db).hypothesis("H1").result
    assert fingerprint is not None and f"H1 data fingerprint {fingerprint.data_fingerprint}" in text
    assert "of the file imported (sha256sum FILE)" in text
    assert "Reference T-001-LESSONS, version draft" in text


def test_show_prints_hashes_in_full(cli: Cli, db: Any, data: Path) -> None:
    run = cli("show", "T-001")
    assert run.code == 0
    assert "…" not in run.out
    detail = pilots.get_pilot("T-001", db=db)
    dataset = detail.hypothesis("H1").dataset
    assert dataset is not None
    for value in (detail.registrations[0].content_hash, dataset.fingerprint):
        assert value in run.out
    assert f"source file sha256 {hashlib.sha256(data.read_bytes()).hexdigest()}" in run.out
    assert all(len(h) == 64 for h in HEX64.findall(run.out))


def test_the_portfolio_cites_itself_and_a_final_is_never_v1(
    cli: Cli, db: Any, data: Path, tmp_path: Path
) -> None:
    first, second = tmp_path / "a.pdf", tmp_path / "b.pdf"
    assert cli("portfolio", "--out", str(first), "--timestamp", soon(), "--final").code == 0
    text = text_of(first)
    assert "How to cite:" in text and "version final" in text
    assert "v1.0" not in text and "DRAFT" not in text
    assert re.search(r"Content fingerprint \(sha256\) [0-9a-f]{64}", text)
    assert "Pilots T-001" in text and f"Database {database_of(db)}" in text
    fingerprint = re.findall(r"Content fingerprint \(sha256\) ([0-9a-f]{64})", text)[0]
    assert cli("set", "T-001", "spend", "99000").code == 0
    assert cli("portfolio", "--out", str(second), "--timestamp", soon()).code == 0
    again = text_of(second)
    assert "version draft" in again and fingerprint not in again


def test_a_final_never_prints_a_clearance_of_other_content(
    cli: Cli, db: Any, data: Path, tmp_path: Path
) -> None:
    from reports.brief import write_brief
    from reports.clearance_text import NotClearedForFinal
    from testlearn.domain.pilot_report import PilotReport
    from testlearn.services.clearance import list_clearances
    from testlearn.services.reporting import pilot_report

    assert cli("clear", "T-001", "--by", "Priya Shah", "--role", "SRO").code == 0
    [cleared] = list_clearances("T-001", db=db)
    assert cli("set", "T-001", "title", "A title changed after the clearance").code == 0
    now = pilot_report("T-001", db=db)
    handed = PilotReport(now.detail, now.problems, now.generated_at, cleared, now.database)
    out = tmp_path / "final.pdf"
    with pytest.raises(NotClearedForFinal, match="not of this brief as it stands"):
        write_brief(handed, out, final=True)
    assert not out.exists()
    # Cleared again, the new content is the next version; the old content keeps v1.0.
    assert cli("clear", "T-001", "--by", "Priya Shah", "--role", "SRO").code == 0
    run = cli("report", "T-001", "--final", "--out", str(out), "--timestamp", soon())
    assert run.code == 0, run.err
    assert "T-001-BRIEF, v2.0" in text_of(out) and "Cleared by Priya Shah, SRO" in text_of(out)
