"""The pooling across pilots where the central team looks: the portfolio, its report (PDF and
HTML twin, checked by axe-core as the other reports are), and the `portfolio` command.

The demo's ten pilots share no outcome measure, so these pilots are made here: four that
measured sites rated clean (pooled), two of them complaints too (pooled, flagged: two pilots),
one measure with a single usable result (not pooled) and a pilot with no data yet.
"""

from __future__ import annotations

import json
import math
import shutil
import time
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from reports.portfolio_pooling import measures
from reports.portfolio_report import write_portfolio
from testlearn.domain.pooling import FEW, POOLED
from testlearn.services import databases, pilots
from testlearn.services.portfolio import portfolio
from tests.builders import add_pilots_sharing_measures
from tests.conftest import Cli
from tests.integration.html_pages import flat, read_page
from tests.integration.test_html_accessibility import axe_results
from tests.integration.test_verify_report import after, soon


@pytest.fixture(scope="module")
def shared_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("shared") / "pilots.sqlite"
    db = databases.create_database(path, actor="ana")
    try:
        add_pilots_sharing_measures(db)
    finally:
        db.close()
    return path


@pytest.fixture(scope="module")
def found(shared_file: Path) -> Any:
    db = databases.open_database_for_reading(shared_file)
    try:
        return portfolio(db=db)
    finally:
        db.close()


@pytest.fixture(scope="module")
def written(found: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    pdf = tmp_path_factory.mktemp("report") / "portfolio.pdf"
    write_portfolio(found, pdf)
    return pdf


def test_the_portfolio_carries_each_shared_measure_with_every_pilots_own_result(
    found: Any, shared_file: Path
) -> None:
    outcomes = {o.outcome_name: o for o in found.pooling.outcomes}
    assert set(outcomes) == {"sites rated clean", "complaints", "sites needing a repeat visit"}
    clean, complaints = outcomes["sites rated clean"], outcomes["complaints"]
    assert clean.analysis is not None and clean.analysis.reliability == POOLED
    assert complaints.analysis is not None and complaints.analysis.reliability == FEW
    assert not outcomes["sites needing a repeat visit"].pooled
    assert [(item.pilot, item.reason) for item in clean.left_out] == [("T-005", "not analysed yet")]
    db = databases.open_database_for_reading(shared_file)
    try:
        for outcome in (clean, complaints):
            assert outcome.analysis is not None
            for p in outcome.analysis.pilots:
                stored = pilots.get_pilot(p.pilot, db=db).hypothesis(p.hypothesis)
                assert stored is not None and stored.result is not None
                result = stored.result
                assert p.verdict == result.verdict and p.grade == result.grade
                # The pilot's own interval, on the pooling scale: the log for counts.
                assert p.ci_low is not None and p.ci_high is not None
                low, high = outcome.analysis.natural(p.ci_low), outcome.analysis.natural(p.ci_high)
                assert low == pytest.approx(result.ci_low, rel=1e-12)
                assert high == pytest.approx(result.ci_high, rel=1e-12)
    finally:
        db.close()
    # The counts' weights and the verdicts in the portfolio's content fingerprint are plain
    # numbers: the report can cite them.
    json.dumps(found.pooling.to_json_dict(), allow_nan=False)


def test_the_report_prints_the_pooled_results_in_their_own_section(
    found: Any, written: Path
) -> None:
    text = flat(" ".join(page.extract_text() for page in PdfReader(written).pages))
    assert "4. Pooled results across pilots" in text and "5. Spend, and roll-outs" in text
    assert (
        "3 outcome measures registered by two or more pilots; 2 are pooled across pilots, "
        "each pilot keeping its own verdict." in text
    )
    for measure in measures(found.pooling):
        assert flat(measure.heading) in text
        assert flat(measure.sentence) in text
        for row in measure.rows:
            assert " ".join(row[:2]) in text
    assert "Not pooled: T-005 H1: not analysed yet." in text
    assert "Not pooled: only T-001 has a usable result, so its own result stands." in text
    assert "Two pilots only: the between-pilot variance rests on a single degree of freedom" in (
        text
    )


def test_the_html_twin_has_each_measure_as_a_captioned_table_and_a_described_plot(
    found: Any, written: Path
) -> None:
    page = read_page(written.with_suffix(".html"))
    assert (2, "4. Pooled results across pilots") in page.headings
    assert page.unlabelled_tables == 0 and page.header_cells_without_scope == 0
    titles = [svg.get("aria-label", "") for svg in page.svgs]
    assert page.figures == page.figcaptions == len(page.svgs) == 3, titles  # the mission chart too
    text = page.text
    for measure in measures(found.pooling):
        assert flat(measure.sentence) in text
        if measure.chart is not None:
            assert flat(measure.chart.description) in text


@pytest.mark.slow
def test_axe_finds_no_violation_in_the_pooled_portfolio(written: Path) -> None:
    (checked,) = axe_results([written.with_suffix(".html")])
    assert checked["violations"] == [], json.dumps(checked["violations"], indent=2)


def test_the_portfolio_command_prints_the_pooling_and_gives_it_as_json(
    shared_file: Path, tmp_path: Path
) -> None:
    cli = Cli(shared_file)
    out = tmp_path / "portfolio.pdf"
    run = cli("portfolio", "--out", str(out), "--no-html")
    assert run.code == 0, run.err
    assert "pooled across pilots: Sites rated clean (a proportion" in run.out
    assert "Averaged across these 4 pilots, sites rated clean came out" in run.out
    assert "pooled across pilots: Sites needing a repeat visit" in run.out
    as_json = cli("portfolio", "--out", str(out), "--no-html", "--json")
    assert as_json.code == 0, as_json.err
    answer = as_json.json()
    assert answer["pdf"] == str(out) and answer["html"] is None and answer["pilots"] == 5
    outcomes = {o["outcome_name"]: o for o in answer["pooling"]["outcomes"]}
    clean = outcomes["sites rated clean"]["analysis"]
    assert clean["k"] == 4 and clean["reliability"] == "pooled"
    assert clean["pilots"][0]["verdict"] == "success"
    assert math.isclose(sum(p["weight"] for p in clean["pilots"]), 100)
    assert outcomes["complaints"]["analysis"]["pooled_ratio"]["estimate"] > 0


def test_a_final_pooled_portfolio_agrees_with_the_database_when_checked(
    shared_file: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "pilots.sqlite"
    shutil.copy(shared_file, copy)
    cli = Cli(copy)
    out = tmp_path / "portfolio.pdf"
    time.sleep(1)  # the report's moment after every import, which are to the second
    when = soon()
    assert cli("portfolio", "--out", str(out), "--timestamp", when, "--final").code == 0
    after(when)
    run = cli("verify-report", str(out))
    assert run.code == 0, run.out + run.err
    assert "agree with the database" in run.out
