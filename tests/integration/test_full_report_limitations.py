"""The full report's limitations, defaults and MDEs, read back from the demo pilots' PDFs."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from reports import limitations as limits
from reports.detectable import detectable
from reports.full_findings import limitations as limitations_section
from reports.full_report import write_full_report
from reports.page import BOTTOM, PAGE_HEIGHT, TOP
from tests.integration.demo_pilots import DEMO_REFERENCES

# What each pilot's record holds, as the section must say it (from demo_pilots.toml).
EXPECTED = {
    "DHSC-TL-001": (
        "only 6 clusters in an arm",
        "ICC of 0.02 assumed at registration, not one estimated from the data",
        "too small by design (design MDE 15 points, achieved MDE 16 points)",
        "would have moved in parallel",
        "with only six trusts per arm the design could not detect",
        "arm totals, not individual rows",
    ),
    "MHCLG-TL-002": ("a secular trend", "ICC of 0.01 assumed at registration"),
    "DFE-TL-004": ("only 41% of practitioners used the app weekly", "ICC of 0.05"),
    "DESNZ-TL-005": (
        "unobserved differences between the groups",
        "412 units were analysed in the pilot arm against 600 planned (31% short)",
        "compared with a fixed benchmark, not with a comparison group",
    ),
    "DWP-TL-006": ("creaming and parking", "those who were parked"),
    "MOJ-TL-007": ("unobserved differences between the groups", "courts chose whom to tag"),
    "MHCLG-TL-008": (
        "would have moved in parallel",
        "only 9 clusters in all (4 pilot and 5 comparator)",
        "only 4 clusters in an arm",
    ),
    "DFT-TL-009": (
        "There is no comparison group: the result does not show what would have happened "
        "without the pilot",
        "level 1 of 5 on the Maryland Scale",
        "the counts vary more than Poisson chance allows",
    ),
    "DESNZ-TL-010": (
        "comparison is with an earlier period",
        "level 2 of 5 on the Maryland Scale",
        "does not control for the fall in panel prices",
    ),
    "HO-TL-003": ("ICC of 0.02 assumed at registration",),
}
NUMBER = r"-?\d[\d,]*(?:\.\d+)?"


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def body_text(page: Any) -> str:
    """A page's text without its furniture (markings, footer, DRAFT), so that a paragraph
    running on to the next page reads as one."""
    parts: list[str] = []

    def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
        y = cm[1] * tm[4] + cm[3] * tm[5] + cm[5]
        scale = (tm[2] ** 2 + tm[3] ** 2) ** 0.5 * (cm[2] ** 2 + cm[3] ** 2) ** 0.5
        if abs(size * scale) < 50 and BOTTOM - 1 <= y <= PAGE_HEIGHT - TOP + 1:
            parts.append(text)

    page.extract_text(visitor_text=visit)
    return "".join(parts)


@pytest.fixture(scope="module")
def demo(demo_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from testlearn.services.databases import open_database

    copy = tmp_path_factory.mktemp("limits") / "demo.sqlite"
    shutil.copy(demo_file, copy)
    db = open_database(copy)
    yield db
    db.close()


@pytest.fixture(scope="module")
def reports(demo: Any, tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Any, str]]:
    """Each demo pilot's detail and its full report's text, read back with pypdf."""
    from testlearn.services.reporting import pilot_report

    when = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=20)).replace(second=0, microsecond=0)
    folder = tmp_path_factory.mktemp("full")
    out = {}
    for ref in DEMO_REFERENCES:
        report = pilot_report(ref, db=demo, generated_at=when, kind="full")
        path = folder / f"{ref}.pdf"
        write_full_report(report, path)
        text = flat(" ".join(body_text(page) for page in PdfReader(path).pages))
        out[ref] = (report.detail, text)
    return out


def section(text: str) -> str:
    return text.split("Interpretation and limitations", 2)[-1].split("10. Lessons")[0]


@pytest.mark.parametrize("ref", DEMO_REFERENCES)
def test_limitations_are_the_recorded_ones_not_the_stock_sentence(
    reports: dict[str, tuple[Any, str]], ref: str
) -> None:
    _, text = reports[ref]
    limits_text = section(text)
    assert "No specific limitation is recorded" not in limits_text
    # Every demo import is arm totals but MHCLG-TL-008's, which has a row per borough and year.
    totals = "arm totals, not individual rows" in limits_text
    assert totals is (ref != "MHCLG-TL-008")
    for expected in EXPECTED[ref]:
        assert expected.casefold() in limits_text.casefold(), (ref, expected)


def test_small_shortfalls_and_the_sms_warning_are_not_repeated_as_limits(
    reports: dict[str, tuple[Any, str]],
) -> None:
    # HO-TL-003 is 1% short: the achieved MDE barely moved, so it is no limit on the reading.
    assert "short)" not in section(reports["HO-TL-003"][1])
    # The SMS warning is said once, from the evidence level, not again as a warning.
    assert "The analysis warns: Evidence level" not in section(reports["DFT-TL-009"][1])


def test_nothing_recorded_gives_the_stock_sentence_saying_so(
    reports: dict[str, tuple[Any, str]],
) -> None:
    detail, _ = reports["DWP-TL-006"]  # an individual RCT: no standing design weakness
    pilot = detail.pilot.model_copy(update={"delivery_summary": ""})
    bare = dataclasses.replace(detail, pilot=pilot, hypotheses=(), lessons=())
    assert not limits.limitations(bare).specific
    blocks = limitations_section(bare).blocks
    assert [getattr(b, "text", "") for b in blocks] == [limits.STOCK]
    assert limits.STOCK.startswith("No specific limitation is recorded for this pilot.")


def test_a_defaulted_harm_margin_is_printed_as_the_engines_default(
    reports: dict[str, tuple[Any, str]],
) -> None:
    detail, text = reports["DFE-TL-004"]
    assert detail.hypothesis("H1").plan.harm_margin is None
    assert (
        "Harm margin not registered; the engine's default of 4.3 points (the benefit "
        "threshold) was used" in text
    )
    registered, registered_text = reports["DHSC-TL-001"]
    assert registered.hypothesis("H1").plan.harm_margin == pytest.approx(0.01)
    assert "Harm margin 1 point " in registered_text
    assert "engine's default" not in registered_text


def test_dhsc_quotes_one_design_and_one_achieved_mde_as_its_sentence_does(
    reports: dict[str, tuple[Any, str]],
) -> None:
    detail, text = reports["DHSC-TL-001"]
    h1 = detectable(detail.hypothesis("H1"))
    assert (h1.design_text, h1.achieved_text) == ("15 points", "16 points")
    sentence = flat(detail.hypothesis("H1").current_result.sentence)
    assert "could detect was 16 points" in sentence and "registered MDE was 15 points" in sentence
    for other in ("15.52", "15.84", "15.2 ", "15.8 "):
        assert other not in text


@pytest.mark.parametrize("ref", DEMO_REFERENCES)
def test_every_mde_in_the_report_is_one_of_the_two_labelled_ones(
    reports: dict[str, tuple[Any, str]], ref: str
) -> None:
    detail, text = reports[ref]
    allowed: set[str] = set()
    for h in detail.hypotheses:
        mdes = detectable(h)
        allowed |= {mdes.design_text, mdes.achieved_text}
        # Section 6 names both, labelled, for each hypothesis.
        assert (
            f"{h.hypothesis.code}: planned n" in text
            and f"design MDE (what the registered design aimed to detect with 80% power) "
            f"{mdes.design_text}; achieved MDE (the smallest effect this analysis could "
            f"detect) {mdes.achieved_text}."
            in text
        ), (ref, h.hypothesis.code)
    # Every figure the report gives as an MDE, wherever it is, is one of those two.
    numbers = {a.split()[0].rstrip("%") for a in allowed}
    quoted = re.findall(
        rf"MDE(?: \(80% power\)| \((?:what|the smallest)[^)]*\))?(?: of| was| is|:)? ({NUMBER})",
        text,
    )
    quoted += re.findall(rf"could detect was ({NUMBER})", text)
    assert quoted, ref
    for figure in quoted:
        assert figure in numbers, (ref, figure, allowed)


def test_without_a_current_result_the_registered_design_mde_is_quoted_and_said_so(
    reports: dict[str, tuple[Any, str]],
) -> None:
    from reports.full_sections import evaluation_design

    detail, _ = reports["DHSC-TL-001"]
    stale = dataclasses.replace(detail.hypotheses[0], stale_reason="the data were replaced")
    bare = dataclasses.replace(detail, hypotheses=(stale,))
    mdes = detectable(stale)
    assert (mdes.design_text, mdes.achieved_text) == ("15.52 points", "no result yet")
    found = limits.limitations(bare)
    assert "There is no current result (the data were replaced)" in " ".join(found.hypotheses[0][1])
    line = " ".join(getattr(b, "text", "") for b in evaluation_design(bare).blocks)
    assert "80% power) 15.52 points; achieved MDE" in line and "no result yet" in line


def test_a_sensitivity_analysis_that_disagrees_is_a_limitation(
    reports: dict[str, tuple[Any, str]],
) -> None:
    detail, _ = reports["MOJ-TL-007"]  # the main interval rules out no effect
    h1 = detail.hypotheses[0]
    result = h1.current_result
    assert result is not None and result.ci_high is not None and result.ci_high < 0
    sensitivity = {"method": "BCa bootstrap", "ci_low": -0.06, "ci_high": 0.01, "note": ""}
    changed = result.model_copy(update={"detail": {**result.detail, "sensitivity": [sensitivity]}})
    disagreeing = dataclasses.replace(h1, result=changed)
    found = limits.limitations(dataclasses.replace(detail, hypotheses=(disagreeing,)))
    assert (
        "The sensitivity analysis (BCa bootstrap) does not rule out no effect, unlike the main "
        "analysis" in " ".join(found.hypotheses[0][1])
    )
    # An agreeing one is no limitation.
    agreeing = {**sensitivity, "ci_high": -0.01}
    same = result.model_copy(update={"detail": {**result.detail, "sensitivity": [agreeing]}})
    found = limits.limitations(
        dataclasses.replace(detail, hypotheses=(dataclasses.replace(h1, result=same),))
    )
    assert "The sensitivity analysis (" not in " ".join(found.hypotheses[0][1])


def test_a_high_share_of_use_is_not_called_a_delivery_shortfall(
    reports: dict[str, tuple[Any, str]],
) -> None:
    # MOJ-TL-007 records 93% wearing the tag; DFE-TL-004 only 41% using the app weekly.
    assert "not delivered as designed" not in section(reports["MOJ-TL-007"][1])
    assert "not delivered as designed" in section(reports["DFE-TL-004"][1])


def test_a_success_threshold_changed_after_the_data_is_a_limitation(
    demo_file: Path, tmp_path: Path
) -> None:
    from testlearn.services import analysis, databases, registration
    from testlearn.services.reporting import pilot_report

    copy = tmp_path / "demo.sqlite"
    shutil.copy(demo_file, copy)
    with databases.open_database(copy) as db:
        registration.record_deviation(
            "MOJ-TL-007", "H1", "benefit_threshold", "0.004", "lowered", db=db, actor="ana"
        )
        analysis.analyse_pilot("MOJ-TL-007", db=db, actor="ana")
        when = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=10)
        path = tmp_path / "full.pdf"
        write_full_report(pilot_report("MOJ-TL-007", db=db, generated_at=when), path)
    text = section(flat(" ".join(page.extract_text() for page in PdfReader(path).pages)))
    assert "What counts as success was changed after the data (benefit threshold from 3 points" in (
        text
    )
    assert "to 0.4 points" in text and "lowered" in text
    assert "the verdict given is against the plan as registered" in text
