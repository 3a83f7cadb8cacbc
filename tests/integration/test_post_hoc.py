"""Changes after the data: the verdict stays the registered plan's, the changed plan is shown
beside it, labelled post hoc, and no sentence claims success was defined in advance when it
was not. Read back from the PDF and its HTML twin, as a private secretary would read them."""

from __future__ import annotations

import datetime as dt
import html
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from reports.brief import write_brief
from reports.full_report import write_full_report
from testlearn.errors import InvalidValue
from testlearn.services import analysis, databases, pilots, registration
from testlearn.services.reporting import pilot_report
from tests.builders import hypothesis, pilot


@pytest.fixture
def demo_db(demo_file: Path, tmp_path: Path) -> Iterator[Any]:
    copy = tmp_path / "demo.sqlite"
    shutil.copy(demo_file, copy)
    db = databases.open_database(copy)
    yield db
    db.close()


#: Page furniture, left out so that a sentence running over a page break reads as one.
FURNITURE = re.compile(
    r"^(DRAFT|OFFICIAL.*|.*-(BRIEF|FULL)[^ ]*, (draft|v\d+\.\d+)|Page \d+ of \d+)$"
)


def _text(path: Path) -> str:
    lines = [
        line
        for page in PdfReader(path).pages
        for line in page.extract_text().splitlines()
        if not FURNITURE.match(line.strip())
    ]
    return " ".join(" ".join(lines).split())


def _html_text(path: Path) -> str:
    body = re.sub(r"<[^>]+>", " ", path.read_text(encoding="utf-8"))
    return " ".join(html.unescape(body).split())


def _brief(
    db: Any, reference: str, folder: Path, when: dt.datetime | None = None
) -> tuple[str, str]:
    when = when or dt.datetime.now(dt.UTC) + dt.timedelta(minutes=10)  # after the data
    report = pilot_report(reference, db=db, generated_at=when)
    pdf = folder / f"{reference}.pdf"
    write_brief(report, pdf)
    return _text(pdf), _html_text(pdf.with_suffix(".html"))


CASES = [
    # (pilot, hypothesis, field, value after the data, words of the changed threshold)
    ("MOJ-TL-007", "H1", "benefit_threshold", "0.004", "0.4 points"),
    ("HO-TL-003", "H1", "benefit_threshold", "7", "7 minutes"),
]


@pytest.mark.parametrize(("reference", "code", "field", "value", "words"), CASES)
def test_a_threshold_changed_after_the_data_leaves_the_verdict_as_registered(
    demo_db: Any, tmp_path: Path, reference: str, code: str, field: str, value: str, words: str
) -> None:
    before = pilots.get_pilot(reference, db=demo_db).hypothesis(code)
    assert before is not None and before.current_result is not None
    registered_verdict = (before.current_result.verdict, before.current_result.grade)
    registered_sentence = before.current_result.sentence

    registration.record_deviation(
        reference, code, field, value, "changed after seeing results", db=demo_db, actor="ana"
    )
    analysis.analyse_pilot(reference, db=demo_db, actor="ana")

    after = pilots.get_pilot(reference, db=demo_db).hypothesis(code)
    assert after is not None and after.current_result is not None
    assert (after.current_result.verdict, after.current_result.grade) == registered_verdict
    assert after.current_result.sentence == registered_sentence
    [change] = after.post_hoc_changes
    assert change.field == field
    later = after.post_hoc_result
    assert later is not None
    assert (later.verdict, later.grade) != registered_verdict  # the change mattered
    assert later.changes[0]["reason"] == "changed after seeing results"

    for text in _brief(demo_db, reference, tmp_path):
        assert "Post hoc, not the registered test" in text
        assert "changed after seeing results" in text
        assert "after the outcome data were added (post hoc)" in text
        assert "The verdict given is against the plan as registered" in text
        # The changed threshold appears only where the change is described, never as the
        # criterion the pilot was judged against.
        assert f"smallest change worth having was {words}" not in text
        lines = text[text.index("Lines to take") :]
        assert words not in lines


def test_the_full_report_marks_the_change_post_hoc(demo_db: Any, tmp_path: Path) -> None:
    registration.record_deviation(
        "MOJ-TL-007", "H1", "benefit_threshold", "0.004", "lowered", db=demo_db, actor="ana"
    )
    analysis.analyse_pilot("MOJ-TL-007", db=demo_db, actor="ana")
    report = pilot_report("MOJ-TL-007", db=demo_db)
    path = tmp_path / "full.pdf"
    write_full_report(report, path)
    text = _text(path)  # the full report's HTML twin is yet to come
    assert "after the data (post hoc)" in text  # the deviations table
    assert "Post hoc, not the registered test" in text


def test_a_change_before_the_data_is_part_of_the_plan(db: Any, tmp_path: Path) -> None:
    pilots.create_pilot(pilot(), db=db, actor="ana")
    pilots.add_record("T-001", "hypothesis", hypothesis(), db=db, actor="ana")
    registration.register("T-001", db=db, actor="ana")
    registration.record_deviation(
        "T-001", "H1", "benefit_threshold", "0.08", "agreed with the board", db=db, actor="ana"
    )
    h1 = pilots.get_pilot("T-001", db=db).hypothesis("H1")
    assert h1 is not None
    assert h1.post_hoc_changes == ()
    assert h1.plan.benefit_threshold == 0.08  # no data yet: the change is the plan
    assert not h1.after_data(h1.deviations[0])


def test_a_registration_after_the_data_is_never_called_in_advance(db: Any, tmp_path: Path) -> None:
    """The brief compares the registration time with the first data, rather than assuming."""
    from testlearn.services.outcome_import import import_results

    pilots.create_pilot(pilot(), db=db, actor="ana")
    pilots.add_record("T-001", "hypothesis", hypothesis(), db=db, actor="ana")
    later = dt.datetime.now(dt.UTC) + dt.timedelta(hours=2)
    registration.register("T-001", db=db, actor="ana", now=later)
    data = tmp_path / "results.csv"
    data.write_text("arm,n,successes\npilot,400,290\ncomparator,400,240\n", encoding="utf-8")
    import_results("T-001", "H1", data, db=db, actor="ana")
    analysis.analyse_pilot("T-001", db=db, actor="ana")
    h1 = pilots.get_pilot("T-001", db=db).hypothesis("H1")
    assert h1 is not None and not h1.registered_before_data
    for text in _brief(db, "T-001", tmp_path, later + dt.timedelta(minutes=10)):
        assert "before any outcome data were added" not in text
        assert "only after outcome data had been added" in text
        assert "We set out on" not in text


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("role", "secondary", "primary hypothesis is fixed"),
        ("design_mde", "0.01", "worked out from the design"),
        ("planned_n_pilot", "0", "must be at least 1"),
        ("outcome_name", "", "needs Outcome"),
        ("code", "H2", "already H2"),
    ],
)
def test_nonsensical_deviations_are_refused_in_one_line(
    db: Any, field: str, value: str, message: str
) -> None:
    pilots.create_pilot(pilot(), db=db, actor="ana")
    pilots.add_record("T-001", "hypothesis", hypothesis(), db=db, actor="ana")
    pilots.add_record(
        "T-001", "hypothesis", hypothesis(code="H2", role="secondary"), db=db, actor="ana"
    )
    registration.register("T-001", db=db, actor="ana")
    target = "H1"
    with pytest.raises(InvalidValue, match=message) as refused:
        registration.record_deviation("T-001", target, field, value, "why", db=db, actor="ana")
    assert "\n" not in str(refused.value)
    assert pilots.get_pilot("T-001", db=db).hypothesis("H1").deviations == ()  # type: ignore[union-attr]


def test_a_clock_set_back_cannot_register(db: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    pilots.create_pilot(pilot(), db=db, actor="ana")
    pilots.add_record("T-001", "hypothesis", hypothesis(), db=db, actor="ana")
    real = dt.datetime

    class Clock(dt.datetime):
        @classmethod
        def now(cls, tz: Any = None) -> Any:  # the machine's clock, set back to 2024
            return real(2024, 1, 1, 9, tzinfo=dt.UTC)

    monkeypatch.setattr("testlearn.services.registration.dt.datetime", Clock)
    with pytest.raises(InvalidValue, match="clock reads 01 January 2024"):
        registration.register("T-001", db=db, actor="ana")
    monkeypatch.undo()
    assert not pilots.get_pilot("T-001", db=db).registrations


def test_a_second_import_keeps_the_first_and_reports_name_it(demo_db: Any, tmp_path: Path) -> None:
    from testlearn.services.outcome_import import import_results

    h1 = pilots.get_pilot("MOJ-TL-007", db=demo_db).hypothesis("H1")
    assert h1 is not None and h1.dataset is not None
    first = h1.dataset
    again = tmp_path / "MOJ-TL-007-H1-second.csv"
    again.write_text("arm,n,successes\npilot,1046,150\ncomparator,1046,187\n", encoding="utf-8")
    summary = import_results("MOJ-TL-007", "H1", again, db=demo_db, actor="ana")
    assert f"replaces the data imported from {first.source_name}" in summary.describe()
    analysis.analyse_pilot("MOJ-TL-007", db=demo_db, actor="ana")
    h1 = pilots.get_pilot("MOJ-TL-007", db=demo_db).hypothesis("H1")
    assert h1 is not None
    [earlier] = h1.replaced_imports
    assert earlier.dataset.id == first.id and earlier.replaced_at is not None
    assert h1.first_data_at == first.imported_at.replace(tzinfo=dt.UTC)
    for text in _brief(demo_db, "MOJ-TL-007", tmp_path):
        assert f"first imported from {first.source_name}" in text
        assert "were replaced" in text and "the earlier data are kept" in text


def test_the_commands_label_a_change_after_the_data_post_hoc(demo_db: Any) -> None:
    from tests.conftest import Cli

    assert demo_db.path is not None
    cli = Cli(demo_db.path)
    deviated = cli(
        "deviate", "MOJ-TL-007", "H1", "benefit_threshold", "0.004", "--reason", "lowered"
    )
    assert deviated.code == 0 and "it is post hoc" in deviated.out
    analysed = cli("analyse", "MOJ-TL-007")
    assert "SUCCESS (SIZE UNCERTAIN)" in analysed.out  # the registered plan's verdict
    assert "POST HOC, not the registered test" in analysed.out
    assert "SUCCESS (MEANINGFUL)" in analysed.out.split("POST HOC")[1]
    shown = cli("show", "MOJ-TL-007").out
    assert "benefit threshold 0.03," in shown  # what the verdict is judged against
    assert "after the data: post hoc, not used for the verdict (lowered)" in shown
