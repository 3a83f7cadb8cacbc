"""Planning a hypothesis before it is registered: the design MDE for values still being typed."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from testlearn.domain.views import HypothesisView
from testlearn.errors import TestlearnError
from testlearn.services.registration import design_mde


def preview_design_mde(values: Mapping[str, Any]) -> float | None:
    """The design MDE (threshold units) for a hypothesis as typed so far, or None.

    ``values`` are a form's fields as text or numbers; blank text means not set. Returns None
    while the values are incomplete or invalid (the form says which when the field is left):
    a preview never raises for half-typed input.
    """
    cleaned: dict[str, Any] = {
        name: (None if isinstance(value, str) and not value.strip() else value)
        for name, value in values.items()
    }
    cleaned = {name: value for name, value in cleaned.items() if value is not None}
    cleaned.setdefault("pilot_id", uuid.UUID(int=0))
    cleaned.setdefault("code", "H")
    cleaned.setdefault("statement", "preview")
    cleaned["id"] = uuid.UUID(int=0)
    try:
        hypothesis = HypothesisView.model_validate(cleaned)
        return design_mde(hypothesis)
    except (ValidationError, TestlearnError, ValueError, ArithmeticError):
        return None
