"""Naming records in findings as a reader would: "lesson ... of MOJ-TL-007", "hypothesis H1".

Verification reads tables as raw text, so ids arrive spelled however the file holds them;
:func:`key` turns any spelling of a UUID into one key (32 lowercase hex) to look it up by,
and :class:`RecordNames` follows each record's links (pilot_id, kpi_id, hypothesis_id) to
the pilot it belongs to, so every finding can carry that pilot's id.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from typing import Any

#: An id as testlearn writes it: 32 lowercase hex digits.
_CANONICAL = re.compile("[0-9a-f]{32}")
#: The column that links a record to its owner, and the owner's entity.
LINKS = (("pilot_id", "pilot"), ("kpi_id", "kpi"), ("hypothesis_id", "hypothesis"))
WORDS = {"result": "stored result", "kpi_rating": "KPI rating", "kpi": "KPI"}


def raw_text(value: Any) -> str:
    """A column's value as the file holds it (PostgreSQL hands uuid objects over)."""
    if isinstance(value, uuid.UUID):
        return value.hex
    return "" if value is None else str(value)


def key(value: Any) -> str:
    """The lookup key of an id in any spelling Python's uuid module reads, else its text."""
    if isinstance(value, uuid.UUID):
        return value.hex
    text = raw_text(value)
    if _CANONICAL.fullmatch(text):
        # How testlearn writes every id: already its key, without parsing a UUID (a
        # verification looks up ids hundreds of thousands of times).
        return text
    try:
        return uuid.UUID(text).hex
    except ValueError:
        return text


def full_id(value: Any) -> str:
    """The id as testlearn prints it (hyphenated), or the text itself if it is no UUID."""
    found = key(value)
    if _CANONICAL.fullmatch(found):
        return f"{found[:8]}-{found[8:12]}-{found[12:16]}-{found[16:20]}-{found[20:]}"
    try:
        return str(uuid.UUID(found))
    except ValueError:
        return raw_text(value)


class RecordNames:
    """Who each record belongs to, gathered from record rows or revision payloads."""

    def __init__(self) -> None:
        self._owner: dict[tuple[str, str], tuple[str, str]] = {}
        self._reference: dict[str, str] = {}
        self._code: dict[str, str] = {}
        self._detail: dict[tuple[str, str], str] = {}

    def add(self, entity: str, row_id: Any, values: Mapping[Any, Any]) -> None:
        """Learn one record's links (and its reference, code or file name, where it has one)."""
        row = key(row_id)
        if entity == "pilot" and values.get("reference"):
            self._reference.setdefault(row, str(values["reference"]))
        if entity == "hypothesis" and values.get("code"):
            self._code.setdefault(row, str(values["code"]))
        if entity == "dataset" and values.get("source_name"):
            self._detail.setdefault((entity, row), str(values["source_name"]))
        for column, owner in LINKS:
            if values.get(column) is not None:
                self._owner.setdefault((entity, row), (owner, key(values[column])))
                break

    def known(self, entity: str, row_id: Any) -> bool:
        row = key(row_id)
        return (entity, row) in self._owner or row in self._reference

    def pilot_key(self, entity: str, row_id: Any) -> str:
        entity, row = entity, key(row_id)
        for _ in range(4):  # pilot <- kpi <- kpi_rating is the longest chain
            if entity == "pilot":
                return row
            owner = self._owner.get((entity, row))
            if owner is None:
                return ""
            entity, row = owner
        return ""

    def pilot_id(self, entity: str, row_id: Any) -> str:
        """The pilot's id as text (hyphenated), or "" when the record cannot be traced."""
        pilot = self.pilot_key(entity, row_id)
        return full_id(pilot) if pilot else ""

    def reference(self, entity: str, row_id: Any) -> str:
        pilot = self.pilot_key(entity, row_id)
        return self._reference.get(pilot, f"pilot {full_id(pilot)}" if pilot else "no known pilot")

    def hypothesis(self, hypothesis_id: Any) -> str:
        """'MOJ-TL-007 H1'."""
        row = key(hypothesis_id)
        code = self._code.get(row, f"hypothesis {full_id(row)}")
        return f"{self.reference('hypothesis', row)} {code}"

    def describe(self, entity: str, row_id: Any) -> str:
        """The record as a reader would name it."""
        row = key(row_id)
        if entity == "pilot":
            return f"pilot {self._reference.get(row, full_id(row))}"
        if entity == "hypothesis":
            return f"hypothesis {self.hypothesis(row)}"
        if entity == "registration":
            return f"registration of {self.reference(entity, row)}"
        owner = self._owner.get((entity, row))
        word = WORDS.get(entity, entity.replace("_", " "))
        name = self._detail.get((entity, row))
        label = f"{word} {name} ({full_id(row)})" if name else f"{word} {full_id(row)}"
        if owner is not None and owner[0] == "hypothesis":
            return f"{label} of {self.hypothesis(owner[1])}"
        return f"{label} of {self.reference(entity, row)}"
