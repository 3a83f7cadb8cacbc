"""The fingerprint of an analysis's inputs, so a stored result can show where it came from.

SHA-256 over the registered specification (as canonical JSON) and every data column (as its
float64 or UTF-8 bytes, with the column's name and length), so equal inputs always hash equal,
whether they arrived as tuples, lists or arrays.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict

import numpy as np

from testlearn.domain.analysis import AggregateData, HypothesisSpec, UnitData

_NUMERIC = ("value", "time", "exposure", "baseline")
# Fields added after results were first stored: left out of the hash while empty, so an input
# that does not use them hashes as it always did.
_LATER_SPEC = ("evaluation_design",)
_LATER_ROW = ("cluster",)


def input_hash(spec: HypothesisSpec, data: UnitData | AggregateData) -> str:
    """Hex SHA-256 of the specification and the data."""
    digest = hashlib.sha256()
    registered = spec.to_json_dict()
    for name in _LATER_SPEC:
        if not registered.get(name):
            registered.pop(name, None)
    digest.update(json.dumps(registered, sort_keys=True).encode())
    if isinstance(data, AggregateData):
        rows = [
            {k: v for k, v in asdict(row).items() if not (k in _LATER_ROW and v is None)}
            for row in data.rows
        ]
        digest.update(b"aggregates")
        digest.update(json.dumps(rows, sort_keys=True, default=str).encode())
        return digest.hexdigest()
    digest.update(b"units")
    # An absent column adds nothing, so data without a baseline hash as they always did.
    for name in ("arm", "value", "period", "cluster", "unit", "time", "exposure", "baseline"):
        column = getattr(data, name)
        if column is None:
            continue
        digest.update(f"|{name}|{len(column)}|".encode())
        try:
            if name not in _NUMERIC:
                raise TypeError
            digest.update(np.ascontiguousarray(np.asarray(column, dtype=np.float64)).tobytes())
        except (TypeError, ValueError):
            digest.update("\x1f".join(map(str, column)).encode())
    return digest.hexdigest()
