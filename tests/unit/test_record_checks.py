"""Checking typed values before saving: the store's own checks, without a database."""

from __future__ import annotations

import uuid
from types import SimpleNamespace

from testlearn.domain.records import HypothesisFields
from testlearn.services.checks import (
    check_deviation,
    check_fields,
    check_new_pilot,
    check_record,
)


def test_values_that_are_right_need_nothing() -> None:
    values = {"kind": "Stop", "decided_on": "15/12/2026", "decided_by": "Minister"}
    assert check_record("decision", values) == {}


def test_only_the_fields_shown_are_reported() -> None:
    # The pilot a decision belongs to is filled in by the service, not typed.
    found = check_record("decision", {"decided_on": "31/02/2026"}, shown={"kind", "decided_on"})
    assert set(found) == {"kind", "decided_on"}
    assert found["decided_on"] == (
        "Decided on: 31/02/2026 is not a date: February 2026 has 28 days"
    )
    assert found["kind"].startswith("Decision: choose one of ")


def test_a_taken_reference_is_reported_whatever_its_case() -> None:
    found = check_new_pilot(
        {"reference": "dhsc-tl-001", "title": "Virtual wards"},
        existing_references=["DHSC-TL-001"],
    )
    assert found == {
        "reference": "Reference: dhsc-tl-001 is already used by another pilot; choose another"
    }
    assert (
        check_new_pilot(
            {"reference": "DHSC-TL-002", "title": "x"}, existing_references=["DHSC-TL-001"]
        )
        == {}
    )


def test_a_new_pilot_needs_a_reference_and_a_title() -> None:
    found = check_new_pilot({"lead_organisation": "DHSC"})
    assert found == {"reference": "Reference: fill this in", "title": "Title: fill this in"}


def registered() -> SimpleNamespace:
    fields = HypothesisFields.model_validate(
        {
            "pilot_id": uuid.uuid4(),
            "code": "H1",
            "statement": "Virtual wards cut readmissions",
            "outcome_type": "binary",
            "direction": "decrease",
            "design": "two_group",
            "benefit_threshold": 0.03,
            "planned_n_pilot": 1200,
        }
    )
    return SimpleNamespace(id=uuid.uuid4(), **fields.model_dump())


def test_a_deviation_is_checked_as_the_fields_type_and_needs_a_reason() -> None:
    found = check_deviation(registered(), "planned_n_pilot", "lots", "")
    assert found["value"] == "Planned n (pilot): write a whole number like 1,200"
    assert found["reason"].startswith("Reason: ")
    assert check_deviation(registered(), "planned_n_pilot", "1,500", "Two sites closed") == {}


def test_a_deviation_to_the_registered_value_is_no_deviation() -> None:
    found = check_deviation(registered(), "planned_n_pilot", "1,200", "No change really")
    assert found == {"value": "Planned n (pilot): already has that value"}


def test_a_choice_is_named_by_label_in_a_deviation() -> None:
    found = check_deviation(registered(), "direction", "sideways", "Because")
    assert found["value"].startswith("Direction of benefit: choose one of ")
    assert check_deviation(registered(), "pilot_id", "x", "Because") == {
        "field": "Field: choose one of the registered fields"
    }


def test_check_fields_takes_the_record_class_itself() -> None:
    found = check_fields(HypothesisFields, {"alpha": "0.7"}, shown={"alpha"})
    assert found == {"alpha": "Alpha: must be less than 0.5"}
