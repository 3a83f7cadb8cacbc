"""Building blocks for record fields: vocabulary codes, money, financial years, sensitivity.

Records are declared once as SQLModel classes without a table (``XFields``); the store adds
the table, and services validate incoming values through the same class, so a value that is
wrong is refused with the field's title before anything is written.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, ConfigDict, field_validator
from pydantic.fields import FieldInfo
from sqlmodel import Field, SQLModel

from testlearn.domain import formats
from testlearn.domain.user_text import quoted
from testlearn.domain.vocabulary import Term

SENSITIVE_KEY = "commercially_sensitive"
#: The largest whole number a record holds: SQLite's integers are 64-bit, so a larger one
#: could be checked but never stored.
LARGEST_WHOLE_NUMBER = 2**63 - 1


class RecordFields(SQLModel):
    """The base of every record's fields, whoever hands the values in (the window, the
    command line, a file, a merge): numbers are finite (NaN and infinity, and "1e400" that
    reads as infinity, are refused; no stored record holds one, since none can be hashed) and
    whole numbers fit the database."""

    model_config = ConfigDict(allow_inf_nan=False)  # type: ignore[assignment]

    @field_validator("*", mode="after")
    @classmethod
    def _storable(cls, value: Any) -> Any:
        if type(value) is int and not -LARGEST_WHOLE_NUMBER <= value <= LARGEST_WHOLE_NUMBER:
            raise ValueError(f"is too large; at most {LARGEST_WHOLE_NUMBER:,}")
        return value


@dataclass(frozen=True)
class Kind:
    """What a field holds, for forms and messages: "date", "money", "count", "choice"..."""

    name: str
    vocabulary: type[Term] | None = None


@dataclass(frozen=True)
class _ParseAs(BeforeValidator):
    """A before-validator that also says what the field holds (see :func:`field_kind`)."""

    kind: Kind = Kind("text")


def field_kind(info: FieldInfo) -> Kind | None:
    """The :class:`Kind` a field was declared with, or None for plain text, numbers, flags."""
    for item in info.metadata:
        if isinstance(item, Kind):
            return item
        if isinstance(item, _ParseAs):
            return item.kind
    return None


def choices_text(vocabulary: type[Term]) -> str:
    """The labels of ``vocabulary`` as a sentence ends: "Idea, Design, Live or Withdrawn"."""
    labels = [term.label for term in vocabulary]
    return ", ".join(labels[:-1]) + f" or {labels[-1]}" if len(labels) > 1 else "".join(labels)


def _blank_to_none(value: Any) -> Any:
    if isinstance(value, str) and not value.strip():
        return None
    return value


def _term(vocabulary: type[Term], text: str) -> str:
    try:
        return vocabulary.parse(text).value
    except ValueError:
        raise ValueError(
            f"choose one of {choices_text(vocabulary)} ({quoted(text)} is not one of them)"
        ) from None


def coded(vocabulary: type[Term]) -> BeforeValidator:
    """Validator for a text field holding a code of ``vocabulary``.

    Labels and near-spellings ("Live", "live ") are accepted and stored as the code; blank
    means not set. Use as ``Annotated[str | None, coded(Mission)]``.
    """

    def parse(value: Any) -> Any:
        if isinstance(value, str):
            if not value.strip():
                return None
            return _term(vocabulary, value.strip())
        return value

    return _ParseAs(parse, kind=Kind("choice", vocabulary))


def coded_list(vocabulary: type[Term]) -> BeforeValidator:
    """Validator for a list of codes of ``vocabulary``; text separated by ';' or ',' is split."""

    def parse(value: Any) -> Any:
        if isinstance(value, str):
            value = [part for part in re.split(r"[;,]", value) if part.strip()]
        if isinstance(value, list | tuple):
            seen: list[str] = []
            for item in value:
                found = _term(vocabulary, str(item).strip())
                if found not in seen:
                    seen.append(found)
            return seen
        return value

    return _ParseAs(parse, kind=Kind("choices", vocabulary))


def coded_list_of(module: str, name: str, *, kind: str) -> BeforeValidator:
    """Like :func:`coded_list`, for a vocabulary made from a data file and read only when a
    value arrives (the Evaluation Registry's 239 policy areas would cost every command 60 ms
    to build at start-up). Only ';' separates choices: the labels hold commas."""

    def parse(value: Any) -> Any:
        if isinstance(value, str):
            value = [part for part in value.split(";") if part.strip()]
        if isinstance(value, list | tuple) and value:
            import difflib
            import importlib

            vocabulary: type[Term] = getattr(importlib.import_module(module), name)
            seen: list[str] = []
            for item in value:
                text = str(item).strip()
                try:
                    found = vocabulary.parse(text).value
                except ValueError:
                    names = {term.value.casefold(): term for term in vocabulary}
                    names.update({term.label.casefold(): term for term in vocabulary})
                    close = difflib.get_close_matches(text.casefold(), list(names), n=3)
                    found_terms = list(dict.fromkeys(names[c] for c in close))
                    hint = (
                        "; did you mean "
                        + " or ".join(f"{quoted(t.label)} ({t.value})" for t in found_terms)
                        if found_terms
                        else ""
                    )
                    raise ValueError(f"{quoted(text)} is not one of the {kind}{hint}") from None
                if found not in seen:
                    seen.append(found)
            return seen
        return value

    return _ParseAs(parse, kind=Kind("choices"))


_URL = re.compile(r"^https?://[^\s/?#]+\.[^\s/?#]+(?:[/?#]\S*)?$", re.IGNORECASE)


def _link(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        if value and not _URL.match(value):
            raise ValueError(
                "should be a web address starting https:// (e.g. https://www.gov.uk/...)"
            )
        if len(value) > 1024:
            raise ValueError("is longer than the 1,024 characters a registry link may have")
    return value


#: A web address (http or https, with a host name), or empty.
Link = Annotated[str, BeforeValidator(_link)]


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
        raise ValueError(f"{quoted(value)} is not a financial year; write it like 2026-27")
    return value.strip()


#: A UK government financial year (April to March), written 2026-27.
FinancialYear = Annotated[
    str | None, BeforeValidator(_blank_to_none), AfterValidator(_financial_year)
]


def _non_negative(value: float | None) -> float | None:
    if value is not None and value < 0:
        raise ValueError("cannot be negative")
    return value


def _written(parse: Any) -> Any:
    """Text read with ``parse`` (blank is not known); numbers and dates pass as they are."""

    def read(value: Any) -> Any:
        if isinstance(value, str):
            return parse(value) if value.strip() else None
        return value

    return read


def _as_date(value: Any) -> Any:
    # Spreadsheets hand dates over as midnight datetimes; the day is what was meant.
    if isinstance(value, dt.datetime):
        return value.date()
    return _written(formats.parse_date)(value)


def _as_count(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return _written(formats.parse_count)(value)


#: A date, typed day first (15/12/2026, 15 Dec 2026) or as ISO; blank means not known.
Date = Annotated[dt.date | None, _ParseAs(_as_date, kind=Kind("date"))]
#: An amount in pounds sterling (£250,000, 250000, £1.2m); blank means not known.
Money = Annotated[
    float | None,
    _ParseAs(_written(formats.parse_money), kind=Kind("money")),
    AfterValidator(_non_negative),
]
#: A whole number that cannot be negative (1,200); blank means not known.
Count = Annotated[
    int | None, _ParseAs(_as_count, kind=Kind("count")), AfterValidator(_non_negative)
]
OptionalFloat = Annotated[
    float | None, _ParseAs(_written(formats.parse_number), kind=Kind("number"))
]


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
