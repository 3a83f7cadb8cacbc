"""Every report's HTML twin, read back as a screen reader would find it, against its PDF."""

from __future__ import annotations

import re
from itertools import pairwise
from pathlib import Path

import pytest
from pypdf import PdfReader

from reports.html import MIN_CHART_TEXT, scalable_svg
from tests.integration.html_pages import flat, read_page, write_reports


@pytest.fixture(scope="module")
def written(demo_file: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return write_reports(demo_file, tmp_path_factory.mktemp("html"))


def test_every_report_has_its_html_twin_beside_the_pdf(written: dict[str, Path]) -> None:
    for name, pdf in written.items():
        assert pdf.with_suffix(".html").is_file(), name


def test_headings_run_in_order_from_one_h1_with_no_level_skipped(
    written: dict[str, Path],
) -> None:
    for name, pdf in written.items():
        page = read_page(pdf.with_suffix(".html"))
        levels = [level for level, _ in page.headings]
        assert levels[0] == 1 and levels.count(1) == 1, name
        for before, after in pairwise(levels):
            assert after <= before + 1, (name, page.headings)


def test_the_html_has_the_pdfs_headings_and_sentences(written: dict[str, Path]) -> None:
    for name, pdf in written.items():
        html = read_page(pdf.with_suffix(".html"))
        printed = flat(" ".join(p.extract_text() for p in PdfReader(pdf).pages))
        sections = [text for level, text in html.headings if level == 2]
        assert len(sections) >= 3, name
        for heading in sections:
            # A heading is in the PDF too (the PDF may break it across lines, hence flat).
            assert heading in printed, (name, heading)
        # Every sentence of some length the PDF prints on its first page is on the web page.
        first_page = flat(PdfReader(pdf).pages[0].extract_text())
        html_words = re.sub(r"\W+", "", html.text)
        # Sentences that follow another, so that no heading or list letter runs into them.
        sentences = re.findall(r"(?<=[.!?] )[A-Z][a-z][^.!?()]{40,200}[.!?]", first_page)
        sentences = [s for s in sentences if "DRAFT" not in s and "OFFICIAL" not in s][:8]
        assert sentences, name
        for sentence in sentences:
            # Compare without spaces and hyphens: the PDF wraps words where the web page reflows.
            assert re.sub(r"\W+", "", sentence) in html_words, (name, sentence)


def test_language_header_scopes_and_table_labels(written: dict[str, Path]) -> None:
    for name, pdf in written.items():
        page = read_page(pdf.with_suffix(".html"))
        assert page.lang == "en-GB", name
        assert page.tables > 0, name
        assert page.header_cells_without_scope == 0, name
        assert page.unlabelled_tables == 0, name


def test_the_marking_and_draft_are_at_the_top_and_the_bottom(written: dict[str, Path]) -> None:
    for name, pdf in written.items():
        text = read_page(pdf.with_suffix(".html")).text
        found = re.match(r"OFFICIAL(-SENSITIVE)?( COMMERCIAL)?", text)
        assert found is not None, name
        marking = found.group(0)
        assert marking in flat(PdfReader(pdf).pages[0].extract_text()), name
        assert text.count("DRAFT: not yet final") == 2, name
        # The foot of the page repeats the marking and the DRAFT, as every printed page does.
        assert marking in text[-400:] and text.endswith("DRAFT: not yet final"), name


def test_the_citation_block_is_on_the_page(written: dict[str, Path]) -> None:
    for name, pdf in written.items():
        text = read_page(pdf.with_suffix(".html")).text
        assert "How to cite" in text, name
        assert "sha256:" in text or "fingerprint" in text.lower(), name


def test_charts_scale_with_the_page_and_say_what_they_show(written: dict[str, Path]) -> None:
    for name in ("DESNZ-TL-005 brief", "portfolio"):
        page = read_page(written[name].with_suffix(".html"))
        assert page.figures == page.figcaptions == len(page.svgs) > 0, name
        assert page.svg_titles == page.svg_descs == len(page.svgs), name
        for svg in page.svgs:
            assert svg["role"] == "img"
            assert re.fullmatch(r"0 0 [\d.]+ [\d.]+", svg["viewbox"]), svg
            assert svg["width"] == "100%" and "height" not in svg, svg
        assert page.chart_font_sizes and min(page.chart_font_sizes) >= MIN_CHART_TEXT, name
        assert "Chart in words:" in page.text


def test_small_chart_text_is_raised_to_nine_points_keeping_its_place() -> None:
    svg = (
        '<?xml version="1.0"?><svg width="499" height="120" xmlns="http://www.w3.org/2000/svg">'
        '<text x="10" style="font-size: 6.5px">Safer streets</text>'
        '<text x="90" style="font-size: 12px">z</text></svg>'
    )
    scaled = scalable_svg(svg)
    assert scaled.startswith('<svg viewBox="0 0 499 120"')
    assert 'width="499"' not in scaled and 'height="120"' not in scaled
    raised = re.search(r'<text x="10" style="font-size: 9px" textLength="([\d.]+)"', scaled)
    # Drawn as wide as at 6.5 pt, where the chart placed it, so it cannot overlap its bar.
    assert raised is not None and 30 < float(raised.group(1)) < 60
    assert '<text x="90" style="font-size: 12px">z' in scaled
