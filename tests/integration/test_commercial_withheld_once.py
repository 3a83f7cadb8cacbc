"""A report's free text is withheld once for all the steps of shortening a brief tries: each
report still gets its own withheld copy, and a brief written again prints the same."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from reports.brief import write_brief
from reports.commercial_redaction import withhold_commercial
from testlearn.domain.commercial_text import WITHHELD_DETAIL
from tests.integration.demo_pilots import DEMO_REFERENCES as REFERENCES

# Later the same day or the next: after the data, within the day ahead a report may be dated.
WHEN = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=20)).replace(second=0, microsecond=0)
#: A pilot whose lessons give the should-cost and the winning bid away (see the demo).
LEAKY = "DESNZ-TL-005"


@pytest.fixture(scope="module")
def demo(demo_file: Path) -> Iterator[Any]:
    from testlearn.services.databases import open_database

    db = open_database(demo_file)
    yield db
    db.close()


def _report(demo: Any, reference: str) -> Any:
    from testlearn.services.reporting import pilot_report

    return pilot_report(reference, db=demo, generated_at=WHEN)


def _lessons(report: Any) -> str:
    return " ".join(lesson.what_happened for lesson in report.detail.lessons)


def test_each_report_gets_its_own_withheld_copy_however_many_are_withheld(demo: Any) -> None:
    reports = [_report(demo, ref) for ref in REFERENCES]
    leaky = reports[REFERENCES.index(LEAKY)]
    first = withhold_commercial(leaky, include_commercial=False)
    assert "6.1m" in _lessons(leaky)
    assert "6.1m" not in _lessons(first) and WITHHELD_DETAIL in _lessons(first)
    # More reports than are kept, twice over: each copy is of its own pilot, withheld.
    for _ in range(2):
        for report in reports:
            copy = withhold_commercial(report, include_commercial=False)
            assert copy.detail.pilot.reference == report.detail.pilot.reference
            assert copy.generated_at == report.generated_at
    again = withhold_commercial(leaky, include_commercial=False)
    assert _lessons(again) == _lessons(first)
    assert withhold_commercial(leaky, include_commercial=True) is leaky
    # The same pilot read again is a new report, withheld afresh and the same.
    fresh = withhold_commercial(_report(demo, LEAKY), include_commercial=False)
    assert _lessons(fresh) == _lessons(first)


def test_a_brief_written_again_between_others_prints_the_same(demo: Any, tmp_path: Path) -> None:
    leaky = _report(demo, LEAKY)
    write_brief(leaky, tmp_path / "first.pdf", html=False)
    for ref in REFERENCES:
        write_brief(_report(demo, ref), tmp_path / f"{ref}.pdf", html=False)
    write_brief(leaky, tmp_path / "again.pdf", html=False)
    write_brief(leaky, tmp_path / "with-figures.pdf", html=False, include_commercial=True)
    first = (tmp_path / "first.pdf").read_bytes()
    assert (tmp_path / "again.pdf").read_bytes() == first
    assert (tmp_path / "with-figures.pdf").read_bytes() != first
