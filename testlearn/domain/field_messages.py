"""What is wrong with a value, in the field's label and plain words.

Pydantic explains a refusal to programmers ("Input should be a valid date or datetime, invalid
character in year"). The window, the command line and imports show these messages to the
people who typed the value, so each is rewritten as the field's label and what to write
instead: "Decided on: write a date like 15/12/2026".
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails
from sqlmodel import SQLModel

from testlearn.domain import formats
from testlearn.domain.fields import choices_text, field_kind

#: What to write instead, by the kind of field (see ``testlearn.domain.fields.Kind``).
_HINTS = {
    "date": formats.DATE_HINT,
    "money": formats.MONEY_HINT,
    "count": formats.COUNT_HINT,
    "number": formats.NUMBER_HINT,
}
#: Plain words for pydantic's own error types; ``{...}`` names come from the error's context.
_PLAIN = {
    "float_parsing": formats.NUMBER_HINT,
    "float_type": formats.NUMBER_HINT,
    "finite_number": f"{formats.NUMBER_HINT} (not NaN or infinity)",
    "int_parsing": formats.COUNT_HINT,
    "int_type": formats.COUNT_HINT,
    "int_from_float": formats.COUNT_HINT,
    "bool_parsing": "write yes or no",
    "bool_type": "write yes or no",
    "date_parsing": formats.DATE_HINT,
    "date_type": formats.DATE_HINT,
    "date_from_datetime_parsing": formats.DATE_HINT,
    "date_from_datetime_inexact": formats.DATE_HINT,
    "datetime_parsing": "write a date and time like 15/12/2026 14:30",
    "datetime_type": "write a date and time like 15/12/2026 14:30",
    "greater_than": "must be more than {gt}",
    "greater_than_equal": "must be {ge} or more",
    "less_than": "must be less than {lt}",
    "less_than_equal": "must be {le} or less",
    "string_too_long": "must be at most {max_length} characters",
    "string_pattern_mismatch": "use letters, digits and . _ / - only, starting with a letter "
    "or digit (like DHSC-TL-001)",
    "uuid_parsing": "is not a record of this database",
    "uuid_type": "is not a record of this database",
    "list_type": "write one or more choices",
}


def label_of(fields: type[SQLModel], name: str) -> str:
    """The field's label as messages use it: its title, without a "(GBP)" the £ already says."""
    info = fields.model_fields.get(name)
    title = str(info.title) if info is not None and info.title else name.replace("_", " ")
    return title.removesuffix(" (GBP)")


def _what_to_write(fields: type[SQLModel], name: str) -> str:
    """For an empty required field: what it needs."""
    info = fields.model_fields.get(name)
    kind = field_kind(info) if info is not None else None
    if kind is not None and kind.vocabulary is not None:
        return f"choose one of {choices_text(kind.vocabulary)}"
    if kind is not None and kind.name in _HINTS:
        return _HINTS[kind.name]
    return "fill this in"


def plain_message(item: ErrorDetails, fields: type[SQLModel]) -> tuple[str, str]:
    """(field name, "Label: what to write") for one error of a validation."""
    name = str(item["loc"][0]) if item["loc"] else ""
    kind = item["type"]
    context: dict[str, Any] = dict(item.get("ctx") or {})
    if kind == "value_error" and "error" in context:
        words = str(context["error"]) or _what_to_write(fields, name)
    elif kind == "missing" or kind == "string_too_short" or item.get("input") is None:
        words = _what_to_write(fields, name)
    elif kind in _PLAIN:
        words = _PLAIN[kind].format(**context)
    else:
        info = fields.model_fields.get(name)
        field = field_kind(info) if info is not None else None
        words = _HINTS.get(field.name if field else "", "") or (
            str(item["msg"])
            .replace("Input should be", "it should be")
            .removeprefix("Value error, ")
        )
    return name, f"{label_of(fields, name)}: {words}"


def plain_messages(error: ValidationError, fields: type[SQLModel]) -> dict[str, str]:
    """Each wrong field's name -> one plain message (the first, where a field has several)."""
    found: dict[str, str] = {}
    for item in error.errors():
        name, message = plain_message(item, fields)
        found.setdefault(name, message)
    return found


def describe(error: ValidationError, fields: type[SQLModel]) -> str:
    """Every wrong field's message on one line, for the command line and error boxes."""
    return "; ".join(plain_messages(error, fields).values())
