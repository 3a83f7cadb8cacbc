"""Dates, amounts and counts as people in the UK type them, and what they are told when wrong."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from testlearn.domain import formats
from testlearn.domain.field_messages import describe, plain_messages
from testlearn.domain.records import (
    DecisionFields,
    HypothesisFields,
    PilotFields,
    ProcurementFields,
)

PILOT = {"reference": "T-1", "title": "A pilot"}


def pilot(**values: Any) -> PilotFields:
    return PilotFields.model_validate({**PILOT, **values})


def messages(fields: Any, values: dict[str, Any]) -> dict[str, str]:
    with pytest.raises(ValidationError) as caught:
        fields.model_validate(values)
    return plain_messages(caught.value, fields)


# -- dates -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "15/12/2026",
        "15-12-2026",
        "15.12.2026",
        "2026-12-15",
        "2026/12/15",
        "15 December 2026",
        "15 Dec 2026",
        "15 dec. 2026",
        "15th December 2026",
        " 15 December, 2026 ",
        "2026-12-15T00:00:00",
    ],
)
def test_a_date_is_read_in_every_written_style(text: str) -> None:
    assert pilot(start_date=text).start_date == dt.date(2026, 12, 15)


def test_dates_are_day_first_never_american() -> None:
    assert pilot(start_date="03/04/2026").start_date == dt.date(2026, 4, 3)
    assert pilot(start_date="3/4/2026").start_date == dt.date(2026, 4, 3)
    assert pilot(start_date="1 Sept 2026").start_date == dt.date(2026, 9, 1)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("31/02/2026", "31/02/2026 is not a date: February 2026 has 28 days"),
        ("29/02/2027", "February 2027 has 28 days"),
        ("12/31/2026", "has no month 31: write the day first, like 15/12/2026"),
        ("15/12/26", "write the year in full, like 15/12/2026"),
        ("15 Decembre 2026", "'Decembre' is not a month"),
        ("next Tuesday", "write a date like 15/12/2026"),
        ("15/12-2026", "write a date like 15/12/2026"),
    ],
)
def test_impossible_or_ambiguous_dates_are_refused_in_plain_words(text: str, words: str) -> None:
    found = messages(PilotFields, {**PILOT, "start_date": text})
    assert found["start_date"].startswith("Start date: ")
    assert words in found["start_date"]
    assert "Input should" not in found["start_date"]


def test_a_leap_day_is_a_date() -> None:
    assert pilot(end_date="29/02/2028").end_date == dt.date(2028, 2, 29)


def test_blank_means_not_known() -> None:
    chosen = pilot(start_date="  ", budget="", spend=None)
    assert chosen.start_date is None and chosen.budget is None and chosen.spend is None


# -- amounts and counts ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("£250,000", 250_000),
        ("250,000", 250_000),
        ("250000", 250_000),
        (" £ 250,000 ", 250_000),
        ("GBP 3,000.50", 3_000.5),
        ("£1,234.5", 1_234.5),
        ("£1.2m", 1_200_000),
        ("£1.35 million", 1_350_000),
        ("£250k", 250_000),
        ("250K", 250_000),
        ("£2bn", 2_000_000_000),
        ("0", 0),
    ],
)
def test_an_amount_is_read_as_people_write_it(text: str, amount: float) -> None:
    assert pilot(budget=text).budget == pytest.approx(amount)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("12,34", "12,34 is not an amount: commas separate thousands, like £250,000"),
        ("1,2345", "commas separate thousands"),
        ("250.000", "write pence with two digits"),
        ("lots", "write an amount like £250,000"),
        ("£250 quid", "write an amount like £250,000"),
        ("-£5", "cannot be negative"),
    ],
)
def test_ambiguous_amounts_are_refused(text: str, words: str) -> None:
    found = messages(PilotFields, {**PILOT, "budget": text})
    assert found["budget"].startswith("Budget: ")
    assert words in found["budget"]


def test_counts_take_thousands_commas_and_refuse_fractions() -> None:
    values = {"pilot_id": uuid.uuid4(), "bidders": "1,200", "smes_engaged": "12"}
    procurement = ProcurementFields.model_validate(values)
    assert (procurement.bidders, procurement.smes_engaged) == (1200, 12)
    found = messages(ProcurementFields, {"pilot_id": uuid.uuid4(), "bidders": "1.5"})
    assert found["bidders"] == (
        "Bids received: 1.5 is not a whole number; write a whole number like 1,200"
    )
    found = messages(ProcurementFields, {"pilot_id": uuid.uuid4(), "bidders": "12,34"})
    assert "commas separate thousands" in found["bidders"]


# -- properties ------------------------------------------------------------------------------

STYLES = (
    lambda d: f"{d.day:02d}/{d.month:02d}/{d.year}",
    lambda d: f"{d.day}/{d.month}/{d.year}",
    lambda d: f"{d.day:02d}-{d.month:02d}-{d.year}",
    lambda d: d.isoformat(),
    lambda d: f"{d.day} {formats.MONTH_NAMES[d.month - 1]} {d.year}",
    lambda d: f"{d.day} {formats.MONTH_NAMES[d.month - 1][:3]} {d.year}",
    formats.format_date,
)


# No deadline: on a busy shared machine a first call can be slow, and speed is not the point.
@settings(deadline=None)
@given(
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2199, 12, 31)),
    st.sampled_from(STYLES),
)
def test_a_date_written_in_any_accepted_style_reads_back_as_itself(
    day: dt.date, style: Any
) -> None:
    assert formats.parse_date(style(day)) == day


@settings(deadline=None)
@given(st.integers(min_value=0, max_value=10**12))
def test_whole_pounds_with_pound_sign_and_commas_read_back(pounds: int) -> None:
    assert formats.parse_money(f"£{pounds:,}") == pounds
    assert formats.parse_money(formats.format_money(pounds)) == pounds
    assert formats.parse_count(formats.format_count(pounds)) == pounds


@settings(deadline=None)
@given(st.integers(min_value=0, max_value=10**11))
def test_pounds_and_pence_read_back(pence: int) -> None:
    amount = pence / 100
    assert formats.parse_money(formats.format_money(amount)) == pytest.approx(amount, abs=0.001)


def test_the_window_shows_amounts_and_dates_the_british_way() -> None:
    assert formats.format_money(250_000) == "£250,000"
    assert formats.format_money(1_234.5) == "£1,234.50"
    assert formats.format_date(dt.date(2026, 4, 3)) == "03/04/2026"


# -- messages --------------------------------------------------------------------------------


def test_messages_are_the_label_and_plain_words() -> None:
    found = messages(
        DecisionFields,
        {"pilot_id": uuid.uuid4(), "kind": "Carry on", "decided_on": "2026-13-45"},
    )
    assert found["decided_on"].startswith("Decided on: ")
    assert "write a date like 15/12/2026" in found["decided_on"]
    assert found["kind"].startswith("Decision: choose one of Scale, Scale adapted, ")
    assert "'Carry on' is not one of them" in found["kind"]


def test_a_missing_choice_lists_the_choices_and_missing_text_asks_for_it() -> None:
    found = messages(PilotFields, {"reference": "", "status": "Finished"})
    assert found["reference"] == "Reference: fill this in"
    assert found["title"] == "Title: fill this in"
    assert found["status"].startswith("Status: choose one of Idea, Design, Registered, ")
    found = messages(DecisionFields, {"pilot_id": uuid.uuid4()})
    assert found["kind"].startswith("Decision: choose one of ")


def test_pydantic_wording_never_reaches_people() -> None:
    values = {
        "pilot_id": uuid.uuid4(),
        "code": "H1",
        "statement": "It works",
        "outcome_type": "binary",
        "direction": "higher",
        "design": "nonsense",
        "benefit_threshold": "abc",
        "alpha": "0.7",
        "planned_n_pilot": "many",
        "clustered_design": "perhaps",
        "icc": "2",
    }
    with pytest.raises(ValidationError) as caught:
        HypothesisFields.model_validate(values)
    line = describe(caught.value, HypothesisFields)
    assert "Input should" not in line and "(alpha)" not in line
    assert "Alpha: must be less than 0.5" in line
    assert "Benefit threshold: write a number like 0.05" in line
    assert "Planned n (pilot): write a whole number like 1,200" in line
    assert "Assigned in clusters: write yes or no" in line
    assert "ICC: must be less than 1" in line


def test_the_reference_pattern_is_explained() -> None:
    found = messages(PilotFields, {**PILOT, "reference": "my pilot!"})
    assert found["reference"].startswith("Reference: use letters, digits")
