"""The data fingerprint: a sha256 that pins the outcome data behind every number.

A report prints it; anyone holding the database can recompute it and see that a quoted
figure came from exactly these rows. It is computed while rows stream in (a million rows
never sit in memory) and recomputed from stored rows by ``testlearn verify``, so both
sides must format values identically: that format is defined here, versioned, and pinned
by a golden test. One line per row, fields joined by U+001F, numbers as in
``canonical.normalise`` (integral floats as integers, others by shortest repr), missing
values empty.

A field that itself holds a separator (U+001E, U+001F, a newline or a carriage return) is
written length-prefixed, as U+001E, its length in characters, a colon, then the text: so
no two different lists of rows give the same text (a unit holding U+001F cannot pass for two
fields, nor a newline for two rows). Fields without those characters, which is every field
of every dataset a person would import, are written exactly as before, so fingerprints
recorded before the change still verify and ``FINGERPRINT_VERSION`` stays 1.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from operator import itemgetter

FINGERPRINT_VERSION = 1
UNIT_COLUMNS = ("arm", "value", "period", "cluster", "unit", "time", "exposure")
#: What a unit row stores: the fingerprinted columns, then each unit's baseline measure (added
#: with the baseline adjustment). A row whose baseline is empty is fingerprinted without it,
#: exactly as before, so every fingerprint recorded earlier still verifies; a row with one
#: has one more field, so the baseline is pinned as firmly as the outcome.
OBSERVATION_COLUMNS = (*UNIT_COLUMNS, "baseline")
AGGREGATE_COLUMNS = (
    "arm",
    "period",
    "time",
    "n",
    "mean",
    "sd",
    "successes",
    "events",
    "exposure",
    "clusters",
    "cluster",
)
#: The aggregate columns before a stepped wedge's ``cluster`` (which cluster the row is) was
#: added: the header line names these, and a row without a cluster is written with these
#: alone, so every aggregate fingerprint recorded before still verifies. A row with a cluster
#: has one field more, which no row without one can be mistaken for.
_AGGREGATE_COLUMNS_V1 = AGGREGATE_COLUMNS[:-1]
_MAX_EXACT = 2**53
_SEPARATORS = re.compile("[\x1e\x1f\n\r]")


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        if value.is_integer() and abs(value) < _MAX_EXACT:
            return str(int(value))
        return repr(value)
    text = str(value)
    if _SEPARATORS.search(text):
        return f"\x1e{len(text)}:{text}"
    return text


class Fingerprint:
    """Incremental fingerprint of a dataset's rows, in row order."""

    def __init__(self, shape: str) -> None:
        # Both shapes gained a trailing field later (a unit's baseline, an aggregate row's
        # cluster): an empty one is cut off, so earlier fingerprints still verify.
        columns = UNIT_COLUMNS if shape == "unit" else _AGGREGATE_COLUMNS_V1
        self._width = len(columns)
        self._hash = hashlib.sha256()
        self._hash.update(
            f"testlearn-data/{FINGERPRINT_VERSION}/{shape}/{','.join(columns)}\n".encode()
        )

    def add(self, rows: Iterable[Sequence[object]]) -> None:
        """Add rows given in the column order of the shape (unit rows may carry a baseline
        after the fingerprinted columns, ``OBSERVATION_COLUMNS``; aggregate rows a cluster)."""
        text = _text
        rows = self._without_empty_tails(rows)
        self._hash.update(
            "".join("\x1f".join([text(v) for v in row]) + "\n" for row in rows).encode("utf-8")
        )

    def _without_empty_tails(self, rows: Iterable[Sequence[object]]) -> list[Sequence[object]]:
        """The rows with an empty trailing field cut off, as rows were before it existed.

        A chunk is checked with C-level maps (a chunk with no baselines, the usual one, costs
        one pass of ``itemgetter``), not a Python test per row.
        """
        width = self._width
        rows = rows if isinstance(rows, list) else list(rows)
        if not rows or len(rows[0]) <= width:
            return rows
        try:
            tails = set(map(itemgetter(width), rows))
        except IndexError:  # rows of mixed widths: decide row by row
            return [row[:width] if len(row) > width and row[width] is None else row for row in rows]
        if tails == {None}:
            return list(map(itemgetter(slice(0, width)), rows))
        if None in tails:
            return [row[:width] if row[width] is None else row for row in rows]
        return rows

    def hexdigest(self) -> str:
        return self._hash.hexdigest()
