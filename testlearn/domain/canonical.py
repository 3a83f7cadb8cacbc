"""The canonical payload: the one byte form of a record that every hash is taken over.

Revision ids, registration hashes, audit-chain links and data fingerprints all hash the
output of :func:`canonical_bytes`. Changing anything here changes every hash in every
database ever written, so the format is versioned (``CANONICAL_VERSION``) and pinned by
golden-file tests. The rules:

- JSON, keys sorted, no insignificant whitespace, UTF-8 (not ASCII escapes);
- strings in Unicode NFC, so the same text typed on two machines hashes the same;
- floats: integral values within 2**53 are written as integers (so 2.0 read back from one
  database as 2 hashes the same); others as the shortest repr that round-trips; -0.0 is 0;
  NaN and infinities are refused, they have no place in a record;
- dates as ``YYYY-MM-DD``; datetimes in UTC as ``YYYY-MM-DDTHH:MM:SS.ffffffZ`` (naive
  datetimes are taken to be UTC already);
- UUIDs as lowercase hyphenated text; enums by their value; tuples as lists; sets refused
  (they have no order).
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import json
import math
import unicodedata
import uuid
from collections.abc import Mapping
from typing import Any

CANONICAL_VERSION = 1
_MAX_EXACT = 2**53


def _nfc(text: str) -> str:
    # ASCII text is already in every normal form; checking is far cheaper than normalising.
    return text if text.isascii() else unicodedata.normalize("NFC", text)


def normalise(value: Any) -> Any:
    """Return ``value`` as plain JSON types under the canonical rules."""
    # The common exact types first: histories hash hundreds of thousands of values.
    kind = type(value)
    if kind is str:
        return _nfc(value)
    if kind is dict:
        out: dict[str, Any] = {}
        for key, item in value.items():
            if type(key) is not str:
                raise TypeError(f"record keys must be text, not {type(key).__name__}")
            out[_nfc(key)] = normalise(item)
        return out
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, enum.Enum):
        return normalise(value.value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{value!r} cannot be stored in a record")
        if value.is_integer() and abs(value) < _MAX_EXACT:
            return int(value)
        return value
    if isinstance(value, str):
        return _nfc(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
        return value.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        out = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError(f"record keys must be text, not {type(key).__name__}")
            out[_nfc(key)] = normalise(item)
        return out
    if isinstance(value, list | tuple):
        return [normalise(item) for item in value]
    raise TypeError(f"{type(value).__name__} has no canonical form")


def canonical_bytes(value: Any) -> bytes:
    """Serialise ``value`` to its canonical bytes."""
    return json.dumps(
        normalise(value),
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        allow_nan=False,
    ).encode("utf-8")


def canonical_hash(value: Any) -> str:
    """sha256 (hex) of the canonical bytes of ``value``."""
    return hashlib.sha256(canonical_bytes(value)).hexdigest()


def revision_id(
    *,
    entity: str,
    row_id: uuid.UUID | str,
    parents: list[str],
    replica: uuid.UUID | str,
    payload: Mapping[str, Any],
) -> str:
    """Content-addressed id of one revision of one record.

    Parents are sorted so that a merge revision's id does not depend on which side was
    called ours. Nothing time-dependent is hashed: the same change from the same state
    on the same replica is the same revision, which is what makes re-imports no-ops.
    """
    return canonical_hash(
        {
            "v": CANONICAL_VERSION,
            "entity": entity,
            "id": str(row_id),
            "parents": sorted(parents),
            "replica": str(replica),
            "payload": payload,
        }
    )


def revision_id_from_text(
    *,
    entity: str,
    row_id: uuid.UUID | str,
    parents: list[str],
    replica: uuid.UUID | str,
    payload_text: str,
) -> str:
    """:func:`revision_id` for a payload already stored as canonical text.

    Verifying a history recomputes every revision id; parsing each payload only to write it
    out again would cost ten times the hashing. The bytes assembled here are exactly those
    :func:`revision_id` hashes when ``payload_text`` is canonical, and differ otherwise,
    which is what a check wants.
    """
    head = canonical_bytes({"entity": entity, "id": str(row_id), "parents": sorted(parents)})
    tail = canonical_bytes({"replica": str(replica), "v": CANONICAL_VERSION})
    data = head[:-1] + b',"payload":' + payload_text.encode("utf-8") + b"," + tail[1:]
    return hashlib.sha256(data).hexdigest()
