"""The engine's warnings as a minister reads them: never more than the warning says."""

from __future__ import annotations

from reports.wording import plain_caveat


def test_few_clusters_names_the_smaller_group_not_each_group() -> None:
    # MHCLG-TL-008: 4 pilot boroughs and 5 comparison boroughs; the engine's warning gives the
    # smaller arm's count, so "4 sites in each group" would be false for the comparison group.
    warning = (
        "Only 4 clusters in an arm (fewer than 10): clustering matters and even cluster-robust "
        "intervals are unreliable with so few; treat the interval as too narrow."
    )
    said = plain_caveat(warning)
    assert said is not None
    assert "As few as 4 sites took part in a group" in said
    assert "each group" not in said


def test_a_small_shortfall_is_left_to_the_full_report() -> None:
    warning = (
        "Shortfall: 1,187 units analysed in the comparator arm against 1,200 planned (1% short)."
    )
    assert plain_caveat(warning) is None
