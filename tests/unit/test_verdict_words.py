"""The wording table: every cell claims no more than its verdict, grade and evidence band."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest

from reports import verdict_words
from reports.verdict_words import BANDS, FIELDS, GRADES, cells, words_in_band

CAUSAL = ("worked", "made things worse", "showed that it works", "caused")
DOCS = Path(__file__).resolve().parents[2] / "docs" / "reports.md"

COMBINATIONS = [
    (verdict, grade, band)
    for verdict in verdict_words.VERDICTS
    for grade in (GRADES if verdict in verdict_words.GRADED else ("none",))
    for band in BANDS
]


def _all_text(verdict: str, grade: str, band: str, direction: str) -> str:
    found = words_in_band(verdict, grade, band)
    parts = [getattr(found, name) for name in FIELDS]
    parts.append(found.issue_line("reoffending", direction, cause="by_design", reason="no data"))
    parts.append(found.line_to_take("reoffending", direction))
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
    down = found.issue_line("reoffending", "decrease") + found.line_to_take("x", "decrease")
    up = found.issue_line("employment", "increase") + found.line_to_take("x", "increase")
    assert "improved" not in down + up
    if verdict == "success":
        assert " fell" in down and " rose" not in down
        assert " rose" in up and " fell" not in up
    if verdict == "harm":
        assert " rose" in down and " fell" not in down
        assert " fell" in up and " rose" not in up


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
