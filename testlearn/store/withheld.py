"""Commercially sensitive values left out of a file, and the revisions that were so left.

An export without commercial values (``testlearn export --without-commercial``) leaves the
commercially sensitive fields (``testlearn.domain.fields.sensitive``) out of each record
and out of every revision of it: the key is absent, not set to a stand-in. A revision so
shortened keeps its id, so the file's history still links up with the department's own
and with what a central store merged before, and its audit chain is untouched; but its id
can no longer be recomputed from what is left. The file therefore lists those revisions
here (in ``database_info``), and ``verify`` checks each listed one for what can still be
checked: it is of a kind that has commercial fields, and those fields, and only those, are
missing. A central store that merges such a file lists the revisions it took in the same
way. Every other revision is checked in full, as before.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from testlearn.domain.fields import commercially_sensitive_fields
from testlearn.store.tables import RECORDS
from testlearn.store.unit_of_work import UnitOfWork

#: The ``database_info`` key listing revisions held without their commercial values.
WITHHELD_KEY = "withheld_commercial_revisions"

#: Record kind -> its commercially sensitive fields, for the kinds that have any.
COMMERCIAL_FIELDS: dict[str, frozenset[str]] = {
    entity: names
    for entity, (_table, fields) in RECORDS.items()
    if (names := commercially_sensitive_fields(fields))
}


def withheld_from(entity: str, payload: Mapping[str, Any]) -> frozenset[str]:
    """The commercial fields of ``entity`` that ``payload`` leaves out (held elsewhere)."""
    return frozenset(COMMERCIAL_FIELDS.get(entity, frozenset()) - set(payload))


def withheld_revisions(uow: UnitOfWork) -> set[str]:
    """Ids of the revisions this file holds without their commercial values."""
    return parse_register(uow.get_info(WITHHELD_KEY))


def parse_register(text: str | None) -> set[str]:
    """The revision ids of a register's text; an unreadable register lists none."""
    if not text:
        return set()
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        return set()
    if not isinstance(value, list):
        return set()
    return {item for item in value if isinstance(item, str)}


def register_text(revisions: Iterable[str]) -> str:
    return json.dumps(sorted(set(revisions)))


def add_withheld(uow: UnitOfWork, revisions: Iterable[str]) -> None:
    """List ``revisions`` as held without their commercial values (a merge took them in)."""
    adding = set(revisions)
    if not adding:
        return
    known = withheld_revisions(uow)
    if adding <= known:
        return
    uow.set_info(WITHHELD_KEY, register_text(known | adding))


def shortened_as_exported(entity: str, payload_text: str) -> bool:
    """Whether a listed revision's payload is one an export without commercial values
    writes: a JSON object of a kind with commercial fields, every one of them left out."""
    fields = COMMERCIAL_FIELDS.get(entity)
    if not fields:
        return False
    try:
        payload = json.loads(payload_text)
    except (ValueError, TypeError, RecursionError):
        return False
    return isinstance(payload, dict) and not (fields & set(payload))
