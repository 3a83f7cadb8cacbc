"""The brief cites all its data by one fingerprint, legibly, and every brief still checks.

A brief has two pages, so its citation names the pilot's data once, by a fingerprint of the
data fingerprints of every dataset analysed, and leaves the list to the full report. Each
brief here is written as a team writes it and checked by `testlearn verify-report`, as a
reader would: a genuine one agrees, one whose data were changed does not, and a brief issued
with a fingerprint per hypothesis (as briefs were) still checks as it was printed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import re
import sqlite3
import time
from pathlib import Path
from typing import Any

from pypdf import PdfReader

from reports.brief import write_brief
from testlearn.services import pilots
from testlearn.services.reporting import pilot_report
from tests.conftest import Cli
from tests.integration.test_brief_submission import ROLES, add_analysed
from tests.integration.test_verify_report import check, text_of

HEX64 = re.compile(r"[0-9a-f]{64}")


def moment() -> dt.datetime:
    """A report's moment: the next whole second after the data, within a day of now."""
    return (dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1)).replace(microsecond=0)


def expected_fingerprint(db: Any, reference: str) -> tuple[str, int]:
    """The pilot's data fingerprint as docs/reports.md defines it, and how many datasets."""
    detail = pilots.get_pilot(reference, db=db)
    each = {h.current_result.data_fingerprint for h in detail.hypotheses if h.current_result}
    listed = "".join(f"{value}\n" for value in sorted(each))  # what `sort -u | sha256sum` reads
    return hashlib.sha256(listed.encode()).hexdigest(), len(each)


def hash_sizes(path: Path) -> list[float]:
    """The size, in points, of every piece of text that is a whole sha256, as printed."""
    sizes: list[float] = []

    def visit(text: str, cm: Any, tm: Any, font: Any, size: float) -> None:
        if HEX64.fullmatch(text.strip()):
            scale = (tm[0] ** 2 + tm[1] ** 2) ** 0.5 * (cm[0] ** 2 + cm[1] ** 2) ** 0.5
            sizes.append(size * scale)

    for page in PdfReader(path).pages:
        page.extract_text(visitor_text=visit)
    return sizes


def brief(db: Any, reference: str, path: Path, *, per_hypothesis: bool = False) -> Path:
    report = pilot_report(reference, db=db, generated_at=moment())
    write_brief(dataclasses.replace(report, cited_per_hypothesis=per_hypothesis), path)
    return path


def test_a_twelve_hypothesis_brief_cites_its_data_once_and_names_every_hypothesis(
    db: Any, tmp_path: Path
) -> None:
    codes = [f"H{i}" for i in range(1, 13)]
    add_analysed(db, "T-012", codes, **ROLES)
    path = brief(db, "T-012", tmp_path / "brief.pdf")

    pages = PdfReader(path).pages
    assert len(pages) == 2
    text = text_of(path)
    findings = text.split("5. Findings", 1)[1].split("6. Why this", 1)[0]
    shown = re.findall(r"\b(H\d+) \((?:primary|secondary)", findings)
    more = re.search(r"The results for (\d+) more \(H(\d+) to H(\d+)\)", findings)
    counted = [f"H{i}" for i in range(int(more[2]), int(more[3]) + 1)] if more else []
    assert shown + counted == codes
    assert len(shown) + (int(more[1]) if more else 0) == 12

    fingerprint, datasets = expected_fingerprint(db, "T-012")
    assert datasets == 12
    assert f"Data fingerprint {fingerprint}" in text
    detail = pilots.get_pilot("T-012", db=db)
    for h in detail.hypotheses:
        assert h.current_result is not None and h.dataset is not None
        # Each is left to the full report, where the list is.
        assert h.current_result.data_fingerprint not in text
        assert h.dataset.source_sha256 not in text
    assert "data fingerprint" not in text.split("How to cite:", 1)[1].split("Produced by")[0]
    assert "sorted, one a line" in text


def test_the_brief_prints_its_hashes_at_a_size_that_can_be_read(db: Any, tmp_path: Path) -> None:
    add_analysed(db, "T-002", ["H1", "H2"], **ROLES)
    sizes = hash_sizes(brief(db, "T-002", tmp_path / "brief.pdf"))
    # The registration, the data fingerprint and the chain head.
    assert len(sizes) == 3
    assert min(sizes) >= 8.5
    html = (tmp_path / "brief.html").read_text(encoding="utf-8")
    assert expected_fingerprint(db, "T-002")[0] in html


def test_a_brief_citing_all_its_data_by_one_fingerprint_checks(
    cli: Cli, db: Any, tmp_path: Path
) -> None:
    add_analysed(db, "T-002", ["H1", "H2"], **ROLES)
    path = brief(db, "T-002", tmp_path / "brief.pdf")
    assert expected_fingerprint(db, "T-002")[0] in text_of(path)
    for printed in (path, path.with_suffix(".html")):
        run = check(cli, printed)
        assert run.code == 0, run.out + run.err
        assert "agree with the database" in run.out


def test_a_brief_whose_data_were_changed_outside_testlearn_fails(
    cli: Cli, db: Any, db_path: Path, tmp_path: Path
) -> None:
    add_analysed(db, "T-002", ["H1", "H2"], **ROLES)
    path = brief(db, "T-002", tmp_path / "brief.pdf")
    conn = sqlite3.connect(db_path)
    try:
        conn.execute("UPDATE aggregate_row SET successes = 250 WHERE arm = 'comparator'")
        conn.commit()
    finally:
        conn.close()
    run = check(cli, path)
    assert run.code == 1
    assert "the database fails verification" in run.out, run.out


def test_a_brief_issued_with_a_fingerprint_per_hypothesis_still_checks(
    cli: Cli, db: Any, tmp_path: Path
) -> None:
    add_analysed(db, "T-002", ["H1", "H2"], **ROLES)
    path = brief(db, "T-002", tmp_path / "old.pdf", per_hypothesis=True)
    text = text_of(path)
    detail = pilots.get_pilot("T-002", db=db)
    for h in detail.hypotheses:
        assert h.current_result is not None and h.dataset is not None
        code = h.hypothesis.code
        assert f"{code} data fingerprint {h.current_result.data_fingerprint}" in text
        assert f"{code} source file sha256 {h.dataset.source_sha256}" in text
    assert not re.search(r"Data fingerprint [0-9a-f]{64}", text)
    # As such briefs were printed: the hashes in the annex's fixed-width size.
    assert max(hash_sizes(path)) < 8.5
    for printed in (path, path.with_suffix(".html")):
        run = check(cli, printed)
        assert run.code == 0, run.out + run.err
        assert "agree with the database" in run.out


def test_a_brief_issued_with_a_fingerprint_per_hypothesis_fails_when_its_data_change(
    cli: Cli, db: Any, tmp_path: Path
) -> None:
    add_analysed(db, "T-002", ["H1", "H2"], **ROLES)
    path = brief(db, "T-002", tmp_path / "old.pdf", per_hypothesis=True)
    said = pilots.get_pilot("T-002", db=db).hypothesis("H2").current_result
    assert said is not None
    # The brief is dated up to a second ahead; the correction comes after it, as in use.
    time.sleep(1.1)
    again = tmp_path / "H2-corrected.csv"
    again.write_text("arm,n,successes\npilot,400,330\ncomparator,400,240\n", encoding="utf-8")
    assert cli("import-results", "T-002", "H2", str(again)).code == 0
    assert cli("analyse", "T-002").code == 0
    run = check(cli, path)
    assert run.code == 1
    assert "the database changed after this brief was produced" in run.out
    # Checked as it was printed, fingerprint by fingerprint: the one that moved is named.
    assert any(
        "says hash" in line and said.data_fingerprint in line for line in run.out.splitlines()
    ), run.out
