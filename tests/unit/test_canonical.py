"""The canonical payload defines every hash: its output must never drift."""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
import uuid
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from testlearn.domain.canonical import canonical_bytes, canonical_hash, revision_id
from testlearn.domain.fingerprint import Fingerprint

GOLDEN = Path(__file__).parent.parent / "golden" / "revision_ids.json"
ROW = uuid.UUID("01934b4e-7f00-7a00-8000-000000000001")
REPLICA = uuid.UUID("01934b4e-7f00-7a00-8000-0000000000aa")


def golden_cases() -> dict[str, str]:
    """Fixed revisions whose ids were computed once and written to the golden file."""
    payload = {
        "reference": "DFE-TL-004",
        "title": "Speech and language screening app in Reception classes",
        "budget": 1100000.0,
        "icc": 0.05,
        "start_date": dt.date(2025, 9, 1),
        "registered_at": dt.datetime(2025, 9, 15, 9, 30, tzinfo=dt.UTC),
        "missions": ["OPPORTUNITY"],
        "note": "Café – naïve",
        "deleted": False,
        "owner": None,
    }
    return {
        "create": revision_id(
            entity="pilot", row_id=ROW, parents=[], replica=REPLICA, payload=payload
        ),
        "update": revision_id(
            entity="pilot",
            row_id=ROW,
            parents=["a" * 64],
            replica=REPLICA,
            payload={**payload, "budget": 1200000.0},
        ),
        "merge": revision_id(
            entity="pilot",
            row_id=ROW,
            parents=["b" * 64, "a" * 64],
            replica=REPLICA,
            payload=payload,
        ),
        "fingerprint": _fingerprint(),
    }


def _fingerprint() -> str:
    fp = Fingerprint("aggregate")
    fp.add(
        [
            ("pilot", None, None, 4410, None, None, 3043, None, None, 150),
            ("comparator", None, None, 4380, None, None, 2996, None, None, 150),
        ]
    )
    return fp.hexdigest()


def test_revision_ids_match_the_golden_file() -> None:
    # If this fails, every revision id in every database ever written would change: bump
    # CANONICAL_VERSION and migrate instead of editing the golden file.
    assert golden_cases() == json.loads(GOLDEN.read_text())


def test_canonical_form_is_exactly_specified() -> None:
    value = {"b": 2.0, "a": [1.5, -0.0, "e\u0301"], "c": dt.date(2026, 4, 1), "d": None}
    assert canonical_bytes(value) == '{"a":[1.5,0,"é"],"b":2,"c":"2026-04-01","d":null}'.encode()


def test_aware_datetimes_are_written_in_utc() -> None:
    bst = dt.timezone(dt.timedelta(hours=1))
    assert (
        canonical_bytes(dt.datetime(2026, 6, 1, 10, 0, tzinfo=bst))
        == b'"2026-06-01T09:00:00.000000Z"'
    )


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), {1, 2}, b"bytes"])
def test_values_without_a_canonical_form_are_refused(bad: object) -> None:
    with pytest.raises((ValueError, TypeError)):
        canonical_bytes({"x": bad})


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**52), 2**52)
    | st.text()
    | st.floats(allow_nan=False, allow_infinity=False),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4)
    ),
    max_leaves=12,
)


@given(st.dictionaries(st.text(max_size=8), json_values, max_size=6))
def test_key_order_never_changes_the_hash(record: dict[str, object]) -> None:
    reordered = dict(reversed(list(record.items())))
    assert canonical_hash(record) == canonical_hash(reordered)


@given(st.text())
def test_unicode_composition_never_changes_the_hash(text: str) -> None:
    assert canonical_hash({"t": unicodedata.normalize("NFD", text)}) == canonical_hash(
        {"t": unicodedata.normalize("NFC", text)}
    )


@given(st.integers(-(2**53) + 1, 2**53 - 1))
def test_an_integral_float_hashes_like_the_integer(number: int) -> None:
    assert (
        canonical_hash({"n": float(number)}) == canonical_hash({"n": number})
        or float(number) != number
    )


def test_parent_order_does_not_change_a_merge_revision() -> None:
    one = revision_id(
        entity="pilot", row_id=ROW, parents=["a" * 64, "b" * 64], replica=REPLICA, payload={}
    )
    two = revision_id(
        entity="pilot", row_id=ROW, parents=["b" * 64, "a" * 64], replica=REPLICA, payload={}
    )
    assert one == two


@given(
    st.dictionaries(st.text(max_size=8), json_values, max_size=6),
    st.lists(st.text(alphabet="0123456789abcdef", min_size=64, max_size=64), max_size=2),
)
def test_the_fast_revision_check_hashes_the_same_bytes(
    payload: dict[str, object], parents: list[str]
) -> None:
    from testlearn.domain.canonical import revision_id_from_text

    text = canonical_bytes(payload).decode("utf-8")
    assert revision_id_from_text(
        entity="pilot", row_id=ROW, parents=parents, replica=REPLICA, payload_text=text
    ) == revision_id(entity="pilot", row_id=ROW, parents=parents, replica=REPLICA, payload=payload)
