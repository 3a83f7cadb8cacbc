"""Commercial figures written into free text stay out of the demo's reports unless included,
and the handling lines say what a report with them holds; read back from the PDFs."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from reports import numbers
from reports.brief import write_brief
from reports.commercial_redaction import pilot_withheld_values
from reports.full_report import write_full_report
from reports.portfolio_report import write_portfolio
from testlearn.domain.commercial_text import WITHHELD_DETAIL, sensitive_spans
from tests.integration.demo_pilots import DEMO_REFERENCES as REFERENCES

# Later the same day or the next: after the data, within the day ahead a report may be dated.
WHEN = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=20)).replace(second=0, microsecond=0)
#: The figures the demo's free text gave away before they were withheld.
KNOWN_LEAKS = {
    "DESNZ-TL-005": ("full", "The winning bid was 11% above the 6.1m should-cost."),
    "DESNZ-TL-010": ("full", "close to the should-cost of 1,020."),
    "DFT-TL-009": ("full", "the winning bid was 11% above the should-cost."),
}
FIGURES = (
    ("should_cost", "should-cost"),
    ("winning_bid", "winning bid"),
    ("outturn_cost", "outturn cost"),
)
WRITERS = {"brief": write_brief, "full": write_full_report}


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def pages_of(path: Path) -> list[str]:
    return [flat(page.extract_text()) for page in PdfReader(path).pages]


@pytest.fixture(scope="module")
def demo(demo_file: Path) -> Iterator[Any]:
    from testlearn.services.databases import open_database

    db = open_database(demo_file)
    yield db
    db.close()


@pytest.fixture(scope="module")
def written(
    demo: Any, tmp_path_factory: pytest.TempPathFactory
) -> dict[tuple[str, str, bool], list[str]]:
    """Every demo pilot's brief and full report, without and with commercial figures."""
    from testlearn.services.reporting import pilot_report

    folder = tmp_path_factory.mktemp("commercial")
    out = {}
    for ref in REFERENCES:
        report = pilot_report(ref, db=demo, generated_at=WHEN)
        for kind, write in WRITERS.items():
            for included in (False, True):
                path = folder / f"{ref}-{kind}-{included}.pdf"
                write(report, path, include_commercial=included)
                out[ref, kind, included] = pages_of(path)
    return out


def free_text(detail: Any) -> Iterator[str]:
    """Every free-text value of a pilot, as typed."""
    views = [
        detail.pilot,
        *detail.procurements,
        *(k.kpi for k in detail.kpis),
        *detail.comparators,
        *detail.costs,
        *detail.lessons,
        *detail.decisions,
    ]
    for view in views:
        for value in view.model_dump().values():
            if isinstance(value, str) and value:
                yield value


@pytest.mark.parametrize("ref", REFERENCES)
@pytest.mark.parametrize("kind", WRITERS)
def test_no_withheld_value_or_flagged_words_without_commercial_figures(
    written: dict[tuple[str, str, bool], list[str]], demo: Any, ref: str, kind: str
) -> None:
    from testlearn.services.pilots import get_pilot

    detail = get_pilot(ref, db=demo)
    text = " ".join(written[ref, kind, False])
    withheld = pilot_withheld_values(detail)
    for value in withheld:
        assert numbers.money(value.amount) not in text, value
    for typed in free_text(detail):
        for span in sensitive_spans(typed, withheld):
            # The flagged words with what stood around them, as the report would print them.
            around = flat(typed[max(0, span.start - 12) : span.end + 12])
            assert around not in text, (span, around)
    assert "Commercial in confidence" not in text


@pytest.mark.parametrize("ref", sorted(KNOWN_LEAKS))
def test_the_demo_leaks_are_withheld_and_printed_only_when_included(
    written: dict[tuple[str, str, bool], list[str]], ref: str
) -> None:
    kind, leak = KNOWN_LEAKS[ref]
    assert leak not in " ".join(written[ref, kind, False])
    # A brief short of room may end the sentence before the withheld clause; the full report
    # prints the lesson whole, so it always says what it withheld.
    assert WITHHELD_DETAIL in " ".join(written[ref, "full", False])
    assert leak in " ".join(written[ref, kind, True])


@pytest.mark.parametrize("ref", REFERENCES)
@pytest.mark.parametrize("kind", WRITERS)
def test_with_commercial_figures_every_page_says_how_to_handle_them(
    written: dict[tuple[str, str, bool], list[str]], demo: Any, ref: str, kind: str
) -> None:
    from testlearn.services.pilots import get_pilot

    detail = get_pilot(ref, db=demo)
    pilot = detail.pilot
    team = pilot.team or pilot.lead_organisation
    recorded = [
        words
        for field, words in FIGURES
        if any(getattr(c, field) is not None for c in detail.procurements)
    ]
    what = ", ".join(recorded[:-1]) + f" and {recorded[-1]}" if len(recorded) > 1 else recorded[0]
    line = (
        f"Commercial in confidence: contains {what} figures; "
        f"do not share outside {team} and the Commercial function."
    )
    pages = written[ref, kind, True]
    for number, page in enumerate(pages, 1):
        assert page.count("OFFICIAL-SENSITIVE COMMERCIAL") >= 2, number
        assert line in page, number
        assert flat(pilot.handling_instructions) in page, number


def test_the_portfolio_carries_the_strictest_handling_of_its_pilots(
    demo: Any, tmp_path: Path
) -> None:
    from testlearn.services.pilots import get_pilot
    from testlearn.services.portfolio import portfolio

    found = portfolio(db=demo, generated_at=WHEN)
    assert found.marking.text == "OFFICIAL-SENSITIVE COMMERCIAL"
    # Only the two commercial pilots are marked that high. The portfolio carries one
    # instruction, the stricter: DESNZ-TL-005 shares within DESNZ and HM Treasury only,
    # DESNZ-TL-010 within government.
    strictest, wider = (
        flat(get_pilot(ref, db=demo).pilot.handling_instructions)
        for ref in ("DESNZ-TL-005", "DESNZ-TL-010")
    )
    assert "DESNZ and HM Treasury only" in strictest and "government only" in wider
    assert flat(found.handling) == strictest
    path = tmp_path / "portfolio.pdf"
    write_portfolio(found, path)
    pages = pages_of(path)
    for number, page in enumerate(pages, 1):
        assert strictest in page, number
        assert wider not in page and "Share within government only" not in page, number
        assert page.count("Share within") == 1, number
    official = flat(get_pilot("DFT-TL-009", db=demo).pilot.handling_instructions)
    if official and official not in strictest:
        assert official not in pages[0]


def test_a_cleared_final_is_written_with_the_figures_withheld(
    demo_file: Path, tmp_path: Path
) -> None:
    from testlearn.cli import main

    copy = tmp_path / "team.sqlite"
    shutil.copy(demo_file, copy)
    today = dt.datetime.now(dt.UTC).strftime("%d/%m/%Y")
    ref = "DESNZ-TL-005"
    for kind in ("brief", "full"):
        cleared = ["--by", "Priya Shah", "--role", "Deputy Director", "--date", today]
        assert main(["--db", str(copy), "clear", ref, "--kind", kind, *cleared]) == 0
        out = tmp_path / f"{kind}.pdf"
        when = WHEN.isoformat()
        args = ["--kind", kind, "--final", "--no-html", "--out", str(out), "--timestamp", when]
        # The clearance is of the content as recorded; the final prints it withheld.
        assert main(["--db", str(copy), "report", ref, *args]) == 0
        text = " ".join(pages_of(out))
        assert "Cleared by Priya Shah, Deputy Director" in text
        assert "6.1m should-cost" not in text
    assert WITHHELD_DETAIL in text
