"""The wording table: every cell claims no more than its verdict, grade and evidence band."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest

from reports import verdict_words
from reports.verdict_words import BANDS, COMPARISONS, FIELDS, GRADES, cells, words_in_band

#: Causal words: the pilot as the cause of what happened. Only at SMS 3 and above.
CAUSAL = (
    "worked",
    "made things worse",
    "showed that it works",
    "caused",
    "led to",
    "because of",
    "reduced",
    "improved",
    "made no worthwhile difference",
)
DOCS = Path(__file__).resolve().parents[2] / "docs" / "reports.md"

COMBINATIONS = [
    (verdict, grade, band)
    for verdict in verdict_words.VERDICTS
    for grade in (GRADES if verdict in verdict_words.GRADED else ("none",))
    for band in BANDS
]


def _all_text(verdict: str, grade: str, band: str, direction: str) -> str:
    return _cell_text(words_in_band(verdict, grade, band), direction)


def _cell_text(found: verdict_words.Words, direction: str | None) -> str:
    parts = [getattr(found, name) for name in FIELDS]
    for kind in COMPARISONS:
        parts.append(
            found.issue_line(
                "reoffending", direction, cause="by_design", reason="no data", comparison=kind
            )
        )
        parts.append(found.line_to_take("reoffending", direction, comparison=kind))
    return " ".join(parts).casefold()


@pytest.mark.parametrize(("verdict", "grade", "band"), COMBINATIONS)
def test_every_cell_is_in_the_table_and_complete(verdict: str, grade: str, band: str) -> None:
    found = words_in_band(verdict, grade, band)
    assert found.known
    assert 1 <= len(found.label.split()) <= 4
    for name in FIELDS:
        assert getattr(found, name).strip(), name
    line = found.issue_line("reoffending", "decrease")
    assert "{" not in line and "}" not in line
    assert line[0].isupper() and line.endswith(".")


@pytest.mark.parametrize(("verdict", "grade", "band"), COMBINATIONS)
def test_causal_words_only_in_the_causal_band(verdict: str, grade: str, band: str) -> None:
    text = _all_text(verdict, grade, band, "increase")
    if band != "causal":
        for word in CAUSAL:
            assert word not in text, (verdict, grade, band, word)
    if band != "causal" and verdict in ("success", "harm"):
        assert "no causal claim can be made" in text


@pytest.mark.parametrize(
    ("grade", "band"), list(itertools.product(("size_uncertain", "trivial"), BANDS))
)
def test_a_success_that_may_be_too_small_is_never_worked_or_worthwhile(
    grade: str, band: str
) -> None:
    text = _all_text("success", grade, band, "increase")
    assert "worked" not in text and "worthwhile" not in text
    if grade == "trivial":
        assert "smaller than worth having" in text


@pytest.mark.parametrize(("verdict", "grade", "band"), COMBINATIONS)
def test_verbs_follow_the_direction_of_benefit(verdict: str, grade: str, band: str) -> None:
    found = words_in_band(verdict, grade, band)

    def both(direction: str) -> str:
        return found.issue_line("reoffending", direction, comparison="before_after") + (
            found.line_to_take("x", direction, comparison="before_after")
        )

    down, up = both("decrease"), both("increase")
    assert "improved" not in down + up
    if verdict == "success":
        assert " fell" in down and " rose" not in down
        assert " rose" in up and " fell" not in up
    if verdict == "harm":
        assert " rose" in down and " fell" not in down
        assert " fell" in up and " rose" not in up


@pytest.mark.parametrize(("verdict", "grade", "band"), COMBINATIONS)
@pytest.mark.parametrize("direction", ["increase", "decrease", None])
def test_only_a_before_after_comparison_rises_or_falls(
    verdict: str, grade: str, band: str, direction: str | None
) -> None:
    found = words_in_band(verdict, grade, band)
    for kind in ("group", "benchmark"):
        text = found.issue_line("cost", direction, comparison=kind) + found.line_to_take(
            "cost", direction, comparison=kind
        )
        assert not re.search(r"\b(rose|fell|changed)\b(?! short)", text), (kind, text)
        if verdict in ("success", "harm") and kind == "benchmark":
            assert "the benchmark" in text
        if verdict in ("success", "harm") and kind == "group":
            assert "than in the comparison group" in text or "differed from" in text


@pytest.mark.parametrize(
    ("direction", "verdict", "expected"),
    [
        ("decrease", "success", "Cost came out below the benchmark by more than"),
        ("increase", "success", "Cost came out above the benchmark by more than"),
        ("decrease", "harm", "Cost came out above the benchmark, by more than"),
        ("increase", "harm", "Cost fell short of the benchmark, by more than"),
    ],
)
def test_a_benchmark_result_reads_above_or_below_the_benchmark(
    direction: str, verdict: str, expected: str
) -> None:
    line = words_in_band(verdict, "meaningful", "weak").issue_line(
        "cost", direction, comparison="benchmark"
    )
    assert line.startswith(expected), line


@pytest.mark.parametrize(
    ("design", "comparator_kind", "kind"),
    [
        ("two-group", "control_sites", "group"),
        ("did", "matched_comparison", "group"),
        ("paired", None, "group"),
        ("before-after", None, "before_after"),
        ("its", None, "before_after"),
        ("two-group", "historical_baseline", "group"),  # two groups, one of them earlier
        (None, "historical_baseline", "before_after"),
        (None, "fixed_benchmark", "benchmark"),
        (None, None, "group"),
        ("benchmark", "fixed_benchmark", "benchmark"),
        ("benchmark", None, "benchmark"),
    ],
)
def test_the_comparison_kind_follows_the_design_and_comparator(
    design: str | None, comparator_kind: str | None, kind: str
) -> None:
    assert verdict_words.comparison(design, comparator_kind) == kind


@pytest.mark.parametrize("level", [None, 1, 2, 3, 4, 5])
@pytest.mark.parametrize(("verdict", "grade", "band"), COMBINATIONS[::3])
def test_no_causal_word_below_sms_3_at_any_level(
    verdict: str, grade: str, band: str, level: int | None
) -> None:
    # Every verdict and grade, at each SMS level as a report looks it up.
    text = _cell_text(verdict_words.words(verdict, grade, level), "decrease")
    if level is None or level < 3:
        for word in CAUSAL:
            assert word not in text, (verdict, grade, level, word)


def test_unknown_band_is_worded_as_weak_and_says_so() -> None:
    line = verdict_words.words("success", "meaningful", None).issue_line("x", "increase")
    assert "evidence level was not recorded" in line
    assert "worked" not in line.casefold()
    assert verdict_words.band(None) == "unknown"
    assert [verdict_words.band(n) for n in (1, 2, 3, 4, 5)] == ["weak"] * 2 + ["causal"] * 3


@pytest.mark.parametrize(
    ("verdict", "grade"), [("mystery", None), ("success", None), ("harm", "enormous")]
)
def test_unknown_combinations_fall_back_to_could_not_tell(verdict: str, grade: str | None) -> None:
    found = verdict_words.words(verdict, grade, 5)
    assert not found.known
    assert found.label == "Could not tell"
    assert "worked" not in found.issue_line("x", "increase").casefold()


def test_docs_show_the_whole_table() -> None:
    text = re.sub(r"\s+", " ", DOCS.read_text(encoding="utf-8"))
    for cell in cells():
        row = verdict_words.doc_row(cell)
        assert re.sub(r"\s+", " ", row) in text, row
