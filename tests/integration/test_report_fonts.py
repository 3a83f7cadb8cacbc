"""Text the PDF fonts cannot print is refused, naming it; right-to-left text reads back in order."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from reports.brief import write_brief
from reports.full_report import write_full_report
from reports.printable import UnprintableText
from tests.integration.html_pages import WHEN, read_page

HEBREW = "חיפה"
ARABIC = "العربية"


@pytest.fixture(scope="module")
def db(demo_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A copy of the demo with a lesson in emoji and Japanese, and one in Hebrew and Arabic."""
    from testlearn.services import pilots
    from testlearn.services.databases import open_database

    path = tmp_path_factory.mktemp("fonts") / "demo.sqlite"
    shutil.copy(demo_file, path)
    database = open_database(path)
    pilots.add_record(
        "DFE-TL-004",
        "lesson",
        {"category": "delivery", "what_happened": "The launch 🚀 went well in 試験 schools"},
        db=database,
        actor="tester",
    )
    pilots.add_record(
        "DFT-TL-009",
        "lesson",
        {
            "category": "delivery",
            "what_happened": f"Riders in {HEBREW} asked for leaflets in {ARABIC} first",
        },
        db=database,
        actor="tester",
    )
    yield database
    database.close()


def test_a_lesson_in_emoji_is_refused_naming_the_lesson_and_characters(
    db: Any, tmp_path: Path
) -> None:
    from testlearn.services.reporting import pilot_report

    report = pilot_report("DFE-TL-004", db=db, generated_at=WHEN, kind="full")
    number = next(
        n for n, lesson in enumerate(report.detail.lessons, 1) if "🚀" in lesson.what_happened
    )
    path = tmp_path / "full.pdf"
    with pytest.raises(UnprintableText) as refused:
        write_full_report(report, path)
    message = str(refused.value)
    assert f"Lesson {number} 'What happened' contains characters the report fonts" in message
    assert "🚀 (U+1F680)" in message and "試 (U+8A66)" in message and "験 (U+9A13)" in message
    # Nothing half-written: neither the PDF nor its HTML twin.
    assert not path.exists() and not path.with_suffix(".html").exists()


def test_the_brief_refuses_a_title_in_emoji_naming_the_field(db: Any, tmp_path: Path) -> None:
    from testlearn.services import pilots
    from testlearn.services.reporting import pilot_report

    pilot = pilots.get_pilot("MOJ-TL-007", db=db).pilot
    pilots.update_record("pilot", pilot.id, {"title": pilot.title + " 🙂"}, db=db, actor="tester")
    report = pilot_report("MOJ-TL-007", db=db, generated_at=WHEN)
    with pytest.raises(UnprintableText) as refused:
        write_brief(report, tmp_path / "brief.pdf")
    assert "Pilot 'Title' contains characters" in str(refused.value)
    assert "🙂 (U+1F642)" in str(refused.value)
    assert not (tmp_path / "brief.pdf").exists()


def test_right_to_left_text_reads_back_in_its_logical_order(db: Any, tmp_path: Path) -> None:
    from testlearn.services.reporting import pilot_report

    path = tmp_path / "full.pdf"
    write_full_report(pilot_report("DFT-TL-009", db=db, generated_at=WHEN, kind="full"), path)
    text = re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(path).pages))
    # As copied from the PDF: pypdf, as a viewer does, undoes the display order of a
    # right-to-left run, giving its letters back in the order typed. (It places the spaces
    # round the run by its own rule, so they are left out of the comparison.)
    assert f"Ridersin{HEBREW}askedforleafletsin{ARABIC}first" in text
    html = path.with_suffix(".html").read_text(encoding="utf-8")
    # The web page keeps the text as stored and lets the browser lay it out.
    assert f'<bdi dir="auto">Riders in {HEBREW} asked for leaflets in {ARABIC} first' in html
    assert (
        f"Riders in {HEBREW} asked for leaflets in {ARABIC} first"
        in read_page(path.with_suffix(".html")).text
    )
