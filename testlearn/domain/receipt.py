"""Registration receipts and chain heads: what an outside witness keeps.

A database can prove that nothing in it was changed piecemeal (every hash is recomputed by
``testlearn verify``), but not that it was not rebuilt whole: someone who rewrites the
history and recomputes every hash leaves a file that checks out. Certificate Transparency
answers this with signed tree heads held by others; testlearn's answer is the chain head.
Each replica's audit events form a hash chain, so the last event's (replica, seq, hash)
stands for the whole history before it. Whoever holds a head can later check that the
history has only grown since: the event at that seq must still have that hash.

A registration writes a receipt holding the head right after it, for the team to send to the
central team or attach to the Evaluation Registry entry. The central store keeps the head of
every file it merges, and a brief prints the head of the file it was made from.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass
from typing import Any

#: Receipts name their format, so a later version can still read an older receipt.
RECEIPT_FORMAT = "testlearn registration receipt 1"
_HEX = frozenset("0123456789abcdef")


@dataclass(frozen=True)
class ChainHead:
    """The last event of one replica's audit chain: it stands for the history before it."""

    replica_id: str  # the replica's UUID, hyphenated lower-case text
    seq: int
    hash: str  # sha256, 64 hex

    @property
    def replica_short(self) -> str:
        """The replica for display beside the full hash (the hash is what is compared)."""
        return self.replica_id[:8]

    def describe(self) -> str:
        return f"event {self.seq} of replica {self.replica_id}, hash {self.hash}"

    def to_json(self) -> dict[str, Any]:
        return {"replica_id": self.replica_id, "seq": self.seq, "hash": self.hash}


@dataclass(frozen=True)
class Receipt:
    """What a registration was, and the history it sat in, as the team sends it out."""

    pilot_reference: str
    registration_id: str
    registration_hash: str
    registered_at: dt.datetime
    chain_head: ChainHead
    written_at: dt.datetime
    testlearn_version: str
    department: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "format": RECEIPT_FORMAT,
            "what_this_is": (
                "The receipt of a registration in testlearn. Keep it outside the database "
                "(send it to the central team or attach it to the Evaluation Registry entry). "
                "`testlearn verify --receipt FILE` checks a database against it: the "
                "registration must still have this hash and time, and the history must "
                "still contain this chain head."
            ),
            "pilot_reference": self.pilot_reference,
            "department": self.department,
            "registration_id": self.registration_id,
            "registration_hash": self.registration_hash,
            "registered_at": _iso(self.registered_at),
            "chain_head": self.chain_head.to_json(),
            "written_at": _iso(self.written_at),
            "testlearn_version": self.testlearn_version,
        }

    def to_text(self) -> str:
        """The receipt as JSON a person can read: one field a line, in a fixed order."""
        return json.dumps(self.to_json(), indent=2, ensure_ascii=False) + "\n"


class ReceiptUnreadable(ValueError):
    """The receipt file is not a receipt; the message names the field that is wrong."""


def receipt_from_json(data: object) -> Receipt:
    """Read a receipt back, naming the first field that is missing or malformed."""
    if not isinstance(data, dict):
        raise ReceiptUnreadable("it is not a JSON object")
    if data.get("format") != RECEIPT_FORMAT:
        raise ReceiptUnreadable(f"field 'format' is not {RECEIPT_FORMAT!r}")
    head = data.get("chain_head")
    if not isinstance(head, dict):
        raise ReceiptUnreadable("field 'chain_head' is missing")
    seq = head.get("seq")
    if not isinstance(seq, int) or isinstance(seq, bool) or seq < 1:
        raise ReceiptUnreadable("field 'chain_head.seq' is not a positive whole number")
    return Receipt(
        pilot_reference=_text(data, "pilot_reference"),
        registration_id=_uuid(data, "registration_id"),
        registration_hash=_digest(data, "registration_hash"),
        registered_at=_moment(data, "registered_at"),
        chain_head=ChainHead(
            _uuid(head, "replica_id", "chain_head."), seq, _digest(head, "hash", "chain_head.")
        ),
        written_at=_moment(data, "written_at"),
        testlearn_version=_text(data, "testlearn_version"),
        department=str(data.get("department") or ""),
    )


def _text(data: dict[str, Any], name: str, prefix: str = "") -> str:
    value = data.get(name)
    if not isinstance(value, str) or not value.strip():
        raise ReceiptUnreadable(f"field '{prefix}{name}' is missing or empty")
    return value


def _uuid(data: dict[str, Any], name: str, prefix: str = "") -> str:
    try:
        return str(uuid.UUID(_text(data, name, prefix)))
    except ValueError:
        raise ReceiptUnreadable(f"field '{prefix}{name}' is not an id") from None


def _digest(data: dict[str, Any], name: str, prefix: str = "") -> str:
    value = data.get(name)
    if not isinstance(value, str) or len(value) != 64 or not set(value) <= _HEX:
        raise ReceiptUnreadable(f"field '{prefix}{name}' is not a full sha256 (64 lower-case hex)")
    return value


def _moment(data: dict[str, Any], name: str) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(_text(data, name).replace("Z", "+00:00"))
    except ValueError:
        raise ReceiptUnreadable(f"field '{name}' is not a date and time") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _iso(moment: dt.datetime) -> str:
    aware = moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
    return aware.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
