"""Every chart of every demo brief, full report and the portfolio, read as a reader would.

The unit tests check each chart kind on made-up numbers; these check the charts the demo
actually prints: 9-point text, no label over another or struck through by a line, every
number in the text alternative, and the portfolio chart counting what its summary counts.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from reports.blocks import Chart, Document
from reports.brief_content import brief_document
from reports.full_report import full_report_document
from reports.portfolio_report import portfolio_document, write_portfolio
from testlearn.services import databases
from testlearn.services.portfolio import portfolio
from testlearn.services.reporting import pilot_report
from tests.integration.demo_pilots import DEMO_REFERENCES
from tests.unit import chart_checks as check


def _charts(document: Document) -> Iterator[Any]:
    for section in document.sections:
        for block in section.blocks:
            if isinstance(block, Chart):
                yield block.drawing


@pytest.fixture(scope="module")
def demo_charts(demo_file: Path) -> list[tuple[str, Any]]:
    found = []
    with databases.open_database_for_reading(demo_file) as db:
        for reference in DEMO_REFERENCES:
            report = pilot_report(reference, db=db)
            for kind, document in (
                ("brief", brief_document(report, final=False, include_commercial=False)),
                (
                    "full report",
                    full_report_document(report, final=False, include_commercial=False),
                ),
            ):
                found.extend((f"{reference} {kind}: {d.title}", d) for d in _charts(document))
        found.extend(
            (f"portfolio: {d.title}", d)
            for d in _charts(portfolio_document(portfolio(db=db), final=False))
        )
    return found


def test_the_demo_reports_draw_every_kind_of_chart(demo_charts: list[tuple[str, Any]]) -> None:
    titles = {d.title for _, d in demo_charts}
    assert "Results against the change worth having and the harm margin" in titles
    assert "Primary results by mission" in titles
    assert any(t.endswith(", before and after") for t in titles)


def test_every_demo_chart_can_be_read(demo_charts: list[tuple[str, Any]]) -> None:
    problems = {
        where: found
        for where, drawing in demo_charts
        if (
            found := {
                "under 9 pt": check.small_text(drawing),
                "overlapping": check.overlapping_labels(drawing),
                "struck through": check.lines_through_tick_labels(drawing),
                "past the edge": check.text_past_the_edge(drawing),
                "not in the words": check.numbers_not_described(drawing),
            }
        )
        and any(found.values())
    }
    assert problems == {}


def _counts(text: str) -> Counter[str]:
    """'3 worked; 1 gain, no causal claim' -> {'worked': 3, 'gain, no causal claim': 1}."""
    counts: Counter[str] = Counter()
    for part in text.split(";"):
        match = re.fullmatch(r"\s*(\d+) (.+?)\s*", part)
        assert match, part
        counts[match.group(2)] += int(match.group(1))
    return counts


def test_the_portfolio_chart_counts_what_its_summary_counts(
    demo_file: Path, tmp_path: Path
) -> None:
    with databases.open_database_for_reading(demo_file) as db:
        found = portfolio(db=db, generated_at=dt.datetime.now(dt.UTC))
    path = tmp_path / "portfolio.pdf"
    write_portfolio(found, path, html=False)
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(path).pages)
    summary = re.search(r"(\d+) worked: a fair test .*? The rest: (.+?)\. ", text)
    assert summary, text[:600]
    said = _counts(f"{summary.group(1)} worked; {summary.group(2)}")
    words = re.search(r"Chart in words: (.+?)\. 4\. Pooled results across pilots", text)
    assert words, text[:2000]
    drawn: Counter[str] = Counter()
    for mission in words.group(1).split(". "):
        drawn += _counts(mission.split(": ", 1)[1])
    assert drawn == said
    assert sum(drawn.values()) == len(found.pilots) == 10
    # The summary's "worked" is the wording table's, not the engine's "success": the demo
    # has six successes, of which three are a fair test with a worthwhile effect.
    assert sum(p.verdict == "success" for p in found.pilots) == 6 and drawn["worked"] == 3


def test_the_html_charts_scale_and_say_in_words_every_number_they_draw(demo_file: Path) -> None:
    from reports.html import render_html

    with databases.open_database_for_reading(demo_file) as db:
        report = pilot_report("DHSC-TL-001", db=db)  # a results chart and a slope chart
        documents = [
            full_report_document(report, final=False, include_commercial=False),
            portfolio_document(portfolio(db=db), final=False),
        ]
    svgs = [
        svg
        for document in documents
        for svg in re.findall(
            r"<svg\b.*?</svg>", render_html(document, generated_at=report.generated_at), re.S
        )
    ]
    assert len(svgs) == 3
    for svg in svgs:
        opening = svg[: svg.index(">") + 1]
        assert "viewBox=" in opening and 'width="100%"' in opening and "height=" not in opening
        (described,) = re.findall(r"<desc>(.*?)</desc>", svg, re.S)
        (title,) = re.findall(r"<title>(.*?)</title>", svg, re.S)
        said = {float(n.replace(",", "")) for n in re.findall(r"-?\d[\d,]*\.?\d*", described)}
        for label in re.findall(r"<text\b[^>]*>([^<]*)</text>", svg):
            numbers = re.findall(r"(?<![A-Za-z£\d.,])-?\d[\d,]*\.?\d*", label)
            tick = re.fullmatch(r"-?[\d,.]+%?", label.strip()) is not None
            if tick or label == title or "axis broken" in label:
                continue  # the title, or an axis's tick or name: the scale, not a value shown
            assert {float(n.replace(",", "")) for n in numbers} <= said, (label, described)
