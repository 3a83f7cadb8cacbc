"""The brief's risks carry the design's principal weakness, from the same source as the full
report's limitations: a matched comparison's brief says what matching cannot rule out."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from reports import design_weakness
from reports.brief import write_brief
from reports.full_report import write_full_report
from testlearn.domain.vocabulary import EvaluationDesign
from testlearn.services import databases
from testlearn.services.reporting import pilot_report


def _text(path: Path) -> str:
    return re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(path).pages))


@pytest.fixture(scope="module")
def demo(demo_file: Path) -> Any:
    db = databases.open_database_for_reading(demo_file)
    yield db
    db.close()


def _risks(demo: Any, reference: str, folder: Path) -> tuple[str, str, Any]:
    when = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=10)
    report = pilot_report(reference, db=demo, generated_at=when)
    brief, full = folder / f"{reference}-brief.pdf", folder / f"{reference}-full.pdf"
    assert write_brief(report, brief, html=False) <= 2
    write_full_report(pilot_report(reference, db=demo, generated_at=when, kind="full"), full)
    text = _text(brief)
    risks = text[text.index("Risks, handling and communications") : text.index("Lines to take")]
    return risks, _text(full), report.detail


@pytest.mark.parametrize("reference", ["MOJ-TL-007", "DFT-TL-009", "DHSC-TL-001"])
def test_the_brief_and_the_full_report_state_the_same_design_weakness(
    demo: Any, tmp_path: Path, reference: str
) -> None:
    risks, full, detail = _risks(demo, reference, tmp_path)
    short = design_weakness.principal_weakness(detail, short=True)
    whole = design_weakness.principal_weakness(detail)
    assert short and whole
    assert f"Evidence: {short}" in risks
    assert whole in full


def test_a_matched_comparison_brief_names_unmeasured_confounding(demo: Any, tmp_path: Path) -> None:
    risks, full, _ = _risks(demo, "MOJ-TL-007", tmp_path)
    assert "differences between the groups that were not recorded may explain" in risks
    assert "unobserved differences between the groups" in full


def test_a_randomised_trial_has_no_standing_weakness_to_print(demo: Any, tmp_path: Path) -> None:
    risks, _, detail = _risks(demo, "HO-TL-003", tmp_path)
    assert design_weakness.principal_weakness(detail) is None
    assert "Matching" not in risks and "comparison group, so" not in risks


def test_every_design_with_a_weakness_has_a_short_form() -> None:
    assert set(design_weakness.SHORT) == set(design_weakness.DESIGN_WEAKNESS)
    assert set(design_weakness.SHORT) <= {d.value for d in EvaluationDesign}
    for text in design_weakness.SHORT.values():
        # One sentence, so a brief shortened to first sentences keeps all of it.
        assert text.endswith(".") and text.count(". ") == 0


def test_with_no_evaluation_design_a_before_after_primary_has_its_weakness(demo: Any) -> None:
    from testlearn.services.pilots import get_pilot

    detail = get_pilot("DFT-TL-009", db=demo)  # a before/after primary
    bare = dataclasses.replace(
        detail, pilot=detail.pilot.model_copy(update={"evaluation_design": None})
    )
    assert (
        design_weakness.principal_weakness(bare, short=True)
        == (design_weakness.SHORT["before_after"])
    )
    rct = get_pilot("HO-TL-003", db=demo)
    bare = dataclasses.replace(rct, pilot=rct.pilot.model_copy(update={"evaluation_design": None}))
    assert design_weakness.principal_weakness(bare) is None  # two groups: nothing to assume
