"""Building blocks for record fields: vocabulary codes, money, financial years, sensitivity.

Records are declared once as SQLModel classes without a table (``XFields``); the store adds
the table, and services validate incoming values through the same class, so a value that is
wrong is refused with the field's title before anything is written.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator
from sqlmodel import Field, SQLModel

from testlearn.domain.vocabulary import Term

SENSITIVE_KEY = "commercially_sensitive"


def _blank_to_none(value: Any) -> Any:
    if isinstance(value, str) and not value.strip():
        return None
    return value


def coded(vocabulary: type[Term]) -> BeforeValidator:
    """Validator for a text field holding a code of ``vocabulary``.

    Labels and near-spellings ("Live", "live ") are accepted and stored as the code; blank
    means not set. Use as ``Annotated[str | None, coded(Mission)]``.
    """

    def parse(value: Any) -> Any:
        if isinstance(value, str):
            if not value.strip():
                return None
            return vocabulary.parse(value.strip()).value
        return value

    return BeforeValidator(parse)


def coded_list(vocabulary: type[Term]) -> BeforeValidator:
    """Validator for a list of codes of ``vocabulary``; text separated by ';' or ',' is split."""

    def parse(value: Any) -> Any:
        if isinstance(value, str):
            value = [part for part in re.split(r"[;,]", value) if part.strip()]
        if isinstance(value, list | tuple):
            seen: list[str] = []
            for item in value:
                found = vocabulary.parse(str(item).strip()).value
                if found not in seen:
                    seen.append(found)
            return seen
        return value

    return BeforeValidator(parse)


def _split_names(value: Any) -> Any:
    if isinstance(value, str):
        return [part.strip() for part in value.split(";") if part.strip()]
    return value


#: A list of free-text names; text separated by ';' is split.
Names = Annotated[list[str], BeforeValidator(_split_names)]

_FY = re.compile(r"^(\d{4})-(\d{2})$")


def _financial_year(value: str | None) -> str | None:
    if value is None:
        return None
    match = _FY.match(value.strip())
    if not match or (int(match.group(1)) + 1) % 100 != int(match.group(2)):
        raise ValueError(f"{value!r} is not a financial year; write it like 2026-27")
    return value.strip()


#: A UK government financial year (April to March), written 2026-27.
FinancialYear = Annotated[
    str | None, BeforeValidator(_blank_to_none), AfterValidator(_financial_year)
]


def _non_negative(value: float | None) -> float | None:
    if value is not None and value < 0:
        raise ValueError("must not be negative")
    return value


#: An amount in pounds sterling; blank means not known.
Money = Annotated[float | None, BeforeValidator(_blank_to_none), AfterValidator(_non_negative)]
#: A whole number that cannot be negative; blank means not known.
Count = Annotated[int | None, BeforeValidator(_blank_to_none), AfterValidator(_non_negative)]
OptionalFloat = Annotated[float | None, BeforeValidator(_blank_to_none)]


def sensitive(default: Any = None, **kwargs: Any) -> Any:
    """A field whose value is commercially sensitive (prices, bids, should-cost).

    Such values are withheld from ministerial briefs unless the user includes them.
    """
    return Field(default, schema_extra={"json_schema_extra": {SENSITIVE_KEY: True}}, **kwargs)


def commercially_sensitive_fields(model: type[SQLModel]) -> frozenset[str]:
    """Names of the fields of ``model`` marked commercially sensitive."""
    names = set()
    for name, info in model.model_fields.items():
        extra = info.json_schema_extra
        if isinstance(extra, dict) and extra.get(SENSITIVE_KEY):
            names.add(name)
    return frozenset(names)
