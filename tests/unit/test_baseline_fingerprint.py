"""The data fingerprint pins a unit's baseline, and rows without one fingerprint as before."""

from __future__ import annotations

from testlearn.domain.fingerprint import Fingerprint

ROW = ("pilot", 58.9, None, "site 1", "u1", None, None)


def digest(*chunks: list[tuple[object, ...]]) -> str:
    fingerprint = Fingerprint("unit")
    for chunk in chunks:
        fingerprint.add(chunk)
    return fingerprint.hexdigest()


def test_an_empty_baseline_fingerprints_as_a_row_without_the_column() -> None:
    # The digest of this row before the baseline column existed (testlearn on main, schema 6).
    before = "c3c676ba823ccd1486e60f60749260e230603cad0c2fc6083da5d0292a837807"
    assert digest([(*ROW, None)]) == digest([ROW])
    assert digest([(*ROW, None)] * 3) == digest([ROW] * 3)
    assert digest([(*ROW, None)]) == before


def test_a_baseline_is_part_of_the_fingerprint() -> None:
    with_baseline = digest([(*ROW, 68.3)])
    assert with_baseline != digest([ROW])
    assert with_baseline != digest([(*ROW, 68.4)])
    # A baseline of 0 is a value, not an empty cell.
    assert digest([(*ROW, 0.0)]) != digest([ROW])


def test_rows_with_and_without_a_baseline_in_one_chunk() -> None:
    mixed = [(*ROW, 68.3), (*ROW, None), ROW]
    assert digest(mixed) == digest([(*ROW, 68.3)], [ROW], [ROW])
