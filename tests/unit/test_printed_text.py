"""Comparing a printed report's text with the database's: each difference named where printed."""

from __future__ import annotations

from testlearn.domain.printed_text import compare, listed, tokens

HASH_A = "a" * 64
HASH_B = "b" * 64
PRINTED = [
    ("page 1", "An increase of 9.0 percentage points (95% CI 0.8 to 14.1 points)."),
    ("page 2", f"H1 data fingerprint {HASH_A}\nProduced by testlearn 0.1.0"),
]


def test_the_same_text_agrees_and_counts_what_was_checked() -> None:
    checked = compare(PRINTED, [(w, " ".join(t.split())) for w, t in PRINTED])
    assert checked.agrees
    assert checked.hashes == 1
    assert checked.figures == 6  # 9.0, 95%, 0.8, 14.1, and the version 0.1.0 as 0.1 and 0


def test_a_changed_figure_is_named_on_its_page_with_its_words() -> None:
    rebuilt = [("page 1", PRINTED[0][1].replace("9.0", "4.1")), PRINTED[1]]
    checked = compare(PRINTED, rebuilt, what="brief")
    assert checked.differences == (
        'page 1: the brief says "of 9.0 percentage"; the database gives "of 4.1 percentage"',
    )


def test_a_changed_hash_is_listed_first() -> None:
    rebuilt = [
        ("page 1", PRINTED[0][1].replace("14.1", "15.0")),
        ("page 2", PRINTED[1][1].replace(HASH_A, HASH_B)),
    ]
    first, second = compare(PRINTED, rebuilt).differences
    assert first.startswith("page 2: the report says hash") and HASH_B in first
    assert second.startswith('page 1: the report says "to 14.1 points"')


def test_minus_signs_and_spacing_do_not_count_as_differences() -> None:
    assert compare([("p", "\u22123.6  points")], [("p", "-3.6 points")]).agrees
    assert [t.kind for t in tokens([("p", f"£1.2m {HASH_A} H1")])] == ["figure", "hash", "word"]


def test_a_long_list_is_cut_with_a_count() -> None:
    shown = listed([f"difference {n}" for n in range(45)])
    assert len(shown) == 31 and shown[-1] == "... and 15 more differences"
