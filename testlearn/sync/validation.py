"""Incoming records checked as testlearn checks its own, before a merge plans with them.

A department file's hashes can all be right and its content still be nothing testlearn would
write: a status code no vocabulary has, an empty reference, a number where a date belongs, an
id that is no UUID, a payload that is not JSON or nests without end. Stored at the central
store, such a record would break ``verify``, analyses and portfolios there. Each record's
last revision is checked three ways: its keys are exactly the columns the record has, each
value has its column's type (and JSON nests no deeper than ``MAX_DEPTH``), and the values pass
the record's own fields (``testlearn.domain.records``), as the window's and the command line's
do. A record that fails is rejected with the field named; it is never stored.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import math
import uuid
from collections.abc import Callable, Mapping
from typing import Any

from pydantic import ValidationError
from sqlalchemy import JSON

from testlearn.domain.field_messages import plain_messages
from testlearn.domain.json_depth import nesting_depth
from testlearn.domain.records import OMITTED_WHILE_EMPTY
from testlearn.store.tables import RECORDS, table_of
from testlearn.store.withheld import COMMERCIAL_FIELDS

#: Deepest nesting of lists and objects a payload may have: a stored result's detail, the
#: deepest testlearn writes, nests five levels.
MAX_DEPTH = 20
#: Longest payload text read (a result's full detail is a few kilobytes).
MAX_PAYLOAD = 2_000_000

Check = Callable[[Any], str | None]  # a value -> what is wrong with it, or None
#: Codes the store writes that no vocabulary lists (the record's fields take any text).
_CODES: dict[str, dict[str, tuple[str, ...]]] = {"dataset": {"shape": ("unit", "aggregate")}}


def parse(payload: Any) -> tuple[dict[str, Any] | None, str | None]:
    """A revision's payload text as an object, or why it cannot be one."""
    if not isinstance(payload, str):
        return None, "its payload is not text"
    if len(payload) > MAX_PAYLOAD:
        return None, f"its payload is {len(payload):,} characters, more than testlearn writes"
    try:
        value = json.loads(payload)
    except RecursionError:
        return None, f"its payload nests more than {MAX_DEPTH} levels deep"
    except ValueError as error:
        return None, f"its payload is not JSON ({error})"
    if not isinstance(value, dict):
        return None, "its payload is not a JSON object"
    return value, None


def record_problem(entity: str, payload: Mapping[str, Any]) -> str | None:
    """What is wrong with a record of ``entity`` holding ``payload`` (one line), or None."""
    columns = _column_checks(entity)
    later = OMITTED_WHILE_EMPTY.get(entity, ())
    unknown = sorted(set(payload) - set(columns))
    if unknown:
        return f"field {unknown[0]!r}: a {entity.replace('_', ' ')} has no such field"
    # Commercial values an export without them left out are absent, not missing.
    withheld = COMMERCIAL_FIELDS.get(entity, frozenset())
    missing = sorted(set(columns) - set(payload) - set(later) - withheld)
    if missing:
        return f"field {missing[0]!r}: missing"
    for name, check in columns.items():
        if name in payload:
            problem = check(payload[name])
            if problem:
                return f"field {name!r}: {problem}"
    for name, allowed in _CODES.get(entity, {}).items():
        if payload.get(name) not in allowed:
            shown = str(payload.get(name))[:40]
            return f"field {name!r}: {shown!r} is not one of {', '.join(allowed)}"
    fields = RECORDS[entity][1]
    names = _field_names(entity)
    values = {k: v for k, v in payload.items() if k in names}
    try:
        fields.model_validate(values)
    except ValidationError as error:
        name, message = next(iter(plain_messages(error, fields).items()), ("", str(error)))
        return f"field {name!r}: {message}"
    return None


@functools.cache
def _field_names(entity: str) -> frozenset[str]:
    return frozenset(RECORDS[entity][1].model_fields)


@functools.cache
def _column_checks(entity: str) -> dict[str, Check]:
    table = table_of(RECORDS[entity][0])
    return {
        c.name: _check_of(c.type, nullable=bool(c.nullable))
        for c in table.columns
        if c.name not in ("id", "rev")
    }


def _check_of(column_type: Any, *, nullable: bool) -> Check:
    if isinstance(column_type, JSON):
        kind: type | None = dict  # any JSON value, nested no deeper than MAX_DEPTH
    else:
        try:
            # A TypeDecorator (SQLModel's UTCDateTime) names its Python type through its impl.
            kind = getattr(column_type, "impl", column_type).python_type
        except NotImplementedError:
            kind = None
    test = _TESTS.get(kind) if kind is not None else None

    def check(value: Any) -> str | None:
        if value is None:
            return None if nullable else "empty, and it must have a value"
        return test(value) if test is not None else None

    return check


def _uuid(value: Any) -> str | None:
    if not isinstance(value, str):
        return "not an id"
    try:
        spelt = str(uuid.UUID(value))
    except ValueError:
        return f"{value[:40]!r} is not an id (a UUID)"
    if spelt != value:
        return f"{value[:40]!r} is not written as testlearn writes ids ({spelt})"
    return None


def _moment(parse_text: Callable[[str], Any], what: str) -> Check:
    def check(value: Any) -> str | None:
        if not isinstance(value, str):
            return f"not {what}"
        try:
            parse_text(value)
        except ValueError:
            return f"{value[:40]!r} is not {what}"
        return None

    return check


def _number(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return f"{str(value)[:40]!r} is not a number"
    if isinstance(value, float) and not math.isfinite(value):
        return f"{value} is not a finite number"
    return None


def _whole(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int):
        return f"{str(value)[:40]!r} is not a whole number"
    if abs(value) >= 2**63:
        return "the number is too large to store"
    return None


def _flag(value: Any) -> str | None:
    return None if isinstance(value, bool) else f"{str(value)[:40]!r} is not yes or no"


def _text(value: Any) -> str | None:
    return None if isinstance(value, str) else f"{str(value)[:40]!r} is not text"


def _nested(value: Any) -> str | None:
    if isinstance(value, dict | list) and nesting_depth(value, stop_above=MAX_DEPTH) > MAX_DEPTH:
        return f"nests more than {MAX_DEPTH} levels deep"
    return None


_TESTS: dict[type, Check] = {
    dict: _nested,
    uuid.UUID: _uuid,
    dt.datetime: _moment(dt.datetime.fromisoformat, "a date and time"),
    dt.date: _moment(dt.date.fromisoformat, "a date"),
    float: _number,
    int: _whole,
    bool: _flag,
    str: _text,
}
