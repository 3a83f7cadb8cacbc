"""The version rule and the content fingerprint of clearances, without a database."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from testlearn.domain.clearance import (
    ClearanceView,
    clearance_of,
    next_version,
    parse_day,
    report_fingerprint,
)
from testlearn.domain.ids import new_id
from testlearn.domain.pilot_detail import PilotDetail
from testlearn.domain.views import LessonView, PilotView
from tests import builders

PILOT_ID = uuid.UUID("01890000-0000-7000-8000-000000000001")


def clearance(content: str, version: int, minute: int = 0) -> ClearanceView:
    return ClearanceView(
        id=new_id(),
        pilot_id=PILOT_ID,
        kind="brief",
        content_hash=content * 64,
        version=version,
        cleared_by="Priya Shah",
        role="SRO",
        cleared_on=dt.date(2026, 12, 15),
        recorded_at=dt.datetime(2026, 12, 15, 9, minute, tzinfo=dt.UTC),
    )


def test_new_content_gets_the_next_version_and_old_content_keeps_its_own() -> None:
    assert next_version([], "a" * 64) == 1
    earlier = [clearance("a", 1), clearance("b", 2)]
    assert next_version(earlier, "c" * 64) == 3
    assert next_version(earlier, "a" * 64) == 1
    assert next_version(earlier, "b" * 64) == 2


def test_the_latest_clearance_of_the_content_is_the_one_in_force() -> None:
    first, other, second = clearance("a", 1, 0), clearance("b", 2, 1), clearance("a", 1, 2)
    assert clearance_of([second, other, first], "a" * 64) is second
    assert clearance_of([first, other], "c" * 64) is None


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("15/12/2026", dt.date(2026, 12, 15)),
        ("1/2/2027", dt.date(2027, 2, 1)),
        ("2026-12-15", dt.date(2026, 12, 15)),
    ],
)
def test_british_and_iso_dates_are_read(typed: str, day: dt.date) -> None:
    assert parse_day(typed) == day


@pytest.mark.parametrize("typed", ["31/02/2026", "12/15/2026", "tomorrow"])
def test_other_dates_are_refused_with_a_plain_message(typed: str) -> None:
    with pytest.raises(ValueError, match="date"):
        parse_day(typed)


def detail(pilot: PilotView, lessons: tuple[LessonView, ...] = ()) -> PilotDetail:
    return PilotDetail(pilot, (), (), (), (), (), (), (), lessons, ())


def lesson(what: str) -> LessonView:
    return LessonView(id=new_id(), pilot_id=PILOT_ID, category="delivery", what_happened=what)


def test_the_fingerprint_follows_content_not_revisions_or_display_order() -> None:
    pilot = PilotView(id=PILOT_ID, rev="r1", **builders.pilot())
    a, b = lesson("Sites were slow to sign up"), lesson("Suppliers bid below cost")
    base = report_fingerprint(detail(pilot, (a, b)), kind="brief", include_commercial=False)
    moved = pilot.model_copy(update={"rev": "r2"})
    assert report_fingerprint(detail(moved, (b, a)), kind="brief", include_commercial=False) == base
    changed = pilot.model_copy(update={"minister": "Chancellor"})
    assert (
        report_fingerprint(detail(changed, (a, b)), kind="brief", include_commercial=False) != base
    )
    assert report_fingerprint(detail(pilot, (a, b)), kind="full", include_commercial=False) != base
    assert report_fingerprint(detail(pilot, (a, b)), kind="brief", include_commercial=True) != base
