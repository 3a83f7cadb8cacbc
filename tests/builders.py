"""Small, valid records for tests, overridable field by field."""

from __future__ import annotations

from typing import Any

PILOT: dict[str, Any] = {
    "reference": "T-001",
    "title": "Test pilot of outcome-based cleaning contracts",
    "lead_organisation": "Cabinet Office",
    "primary_mission": "GROWTH",
    "marking": "OFFICIAL",
}

HYPOTHESIS: dict[str, Any] = {
    "code": "H1",
    "statement": "Outcome-based contracts raise the share of sites rated clean",
    "role": "primary",
    "outcome_name": "sites rated clean",
    "outcome_type": "binary",
    "direction": "increase",
    "design": "two-group",
    "benefit_threshold": 0.05,
    "planned_n_pilot": 400,
    "planned_n_comparator": 400,
    "baseline_value": 0.6,
    "evidence_level": 5,
}


def pilot(**overrides: Any) -> dict[str, Any]:
    return {**PILOT, **overrides}


def hypothesis(**overrides: Any) -> dict[str, Any]:
    return {**HYPOTHESIS, **overrides}
