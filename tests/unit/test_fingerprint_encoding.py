"""The data fingerprint tells every two different lists of rows apart, and keeps old ones."""

from __future__ import annotations

import hashlib

from hypothesis import given
from hypothesis import strategies as st

from testlearn.domain.fingerprint import UNIT_COLUMNS, Fingerprint

HEADER = f"testlearn-data/1/unit/{','.join(UNIT_COLUMNS)}\n"


def fingerprint(rows: list[tuple[object, ...]]) -> str:
    fp = Fingerprint("unit")
    fp.add(rows)
    return fp.hexdigest()


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_ordinary_rows_are_written_exactly_as_before() -> None:
    # Golden: the text of the first format, so every fingerprint already recorded verifies.
    rows = [
        ("pilot", 1.0, None, "north", "u1", 2.5, None),
        ("comparator", 0.0, "p1", "", "u2", None, 3),
    ]
    text = (
        HEADER
        + "pilot\x1f1\x1f\x1fnorth\x1fu1\x1f2.5\x1f\n"
        + "comparator\x1f0\x1fp1\x1f\x1fu2\x1f\x1f3\n"
    )
    assert fingerprint(rows) == sha256(text)


def test_a_field_holding_a_separator_is_written_with_its_length() -> None:
    rows = [("pilot", 1.0, None, None, "a\x1fb", None, None)]
    text = HEADER + "pilot\x1f1\x1f\x1f\x1f\x1e3:a\x1fb\x1f\x1f\n"
    assert fingerprint(rows) == sha256(text)


def test_two_rows_cannot_be_collapsed_into_one_by_a_separator_in_a_unit() -> None:
    two = [
        ("pilot", 1.0, None, None, "u1", None, None),
        ("pilot", 0.0, None, None, "u2", None, None),
    ]
    one = [("pilot", 1.0, None, None, "u1\x1f\x1f\npilot\x1f0\x1f\x1f\x1fu2", None, None)]
    assert fingerprint(two) != fingerprint(one)


def test_a_unit_cannot_take_over_the_next_field_by_a_unit_separator() -> None:
    assert fingerprint([("pilot", 1.0, None, "c1\x1fu1", "", None, None)]) != fingerprint(
        [("pilot", 1.0, None, "c1", "u1", None, None)]
    )


def test_a_field_that_looks_length_prefixed_is_still_told_apart() -> None:
    plain = [("pilot", 1.0, None, None, "\x1e1:x", None, None)]
    other = [("pilot", 1.0, None, None, "x", None, None)]
    assert fingerprint(plain) != fingerprint(other)


def test_a_carriage_return_is_a_separator_too() -> None:
    assert fingerprint([("a\rb", 1.0, None, None, None, None, None)]) != fingerprint(
        [("a\nb", 1.0, None, None, None, None, None)]
    )


TEXT = st.text(
    alphabet=st.sampled_from(["a", "b", "1", ":", "\x1e", "\x1f", "\n", "\r"]), max_size=6
)
ROW = st.tuples(TEXT, st.just(1.0), st.none(), TEXT, TEXT, st.none(), st.none())


@given(st.lists(ROW, max_size=4), st.lists(ROW, max_size=4))
def test_different_rows_never_share_a_fingerprint(
    a: list[tuple[object, ...]], b: list[tuple[object, ...]]
) -> None:
    if a != b:
        assert fingerprint(a) != fingerprint(b)
