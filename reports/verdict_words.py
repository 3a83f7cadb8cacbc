"""The plain words for a result, from one table: (verdict, grade, evidence band) -> words.

The table is the data file ``verdict_words.toml`` beside this module, read once. Every
report takes its label, Issue line, chart label, options risks, portfolio category and first
line to take from here, so that no word claims more than the verdict, its grade and the
strength of the design support together. docs/reports.md shows the whole table.

Usage::

    from reports.verdict_words import words
    words("success", "size_uncertain", 2).label        # "Gain, size uncertain"
    words("harm", "meaningful", 5).issue_line("reoffending", "decrease")
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    # Annotations only: the window's pilot list reads labels from here at start-up, so this
    # module imports nothing heavier than tomllib.
    from testlearn.domain.pilot_detail import HypothesisDetail
    from testlearn.domain.views import ComparatorView

BANDS = ("causal", "weak", "unknown")
GRADED = ("success", "harm")
GRADES = ("meaningful", "size_uncertain", "trivial")
#: Every verdict, and the states a report shows where there is no verdict to quote.
VERDICTS = (
    "success",
    "harm",
    "no_meaningful_effect",
    "non_inferior",
    "inconclusive",
    "not_evaluable",
    "not_analysed",
    "out_of_date",
    "fails_verification",
)
FIELDS = ("label", "issue", "chart", "risk_scaling", "risk_stopping", "category", "line")


#: What a result is measured against: a comparison group, the same place before, or a fixed
#: benchmark or target. It decides the verbs: only a before/after comparison "rose" or "fell".
COMPARISONS = ("group", "before_after", "benchmark")


def comparison(design: str | None, comparator_kind: str | None = None) -> str:
    """The comparison kind of a registered design; the comparator's kind decides only where
    no design is recorded. The design is what the engine compared: a two-group comparison
    with a historical comparator is still two groups of different units, not the same place
    before and after."""
    if design is None:
        design = {"fixed_benchmark": "benchmark", "historical_baseline": "before-after"}.get(
            comparator_kind or ""
        )
    if design == "benchmark":
        return "benchmark"
    if design in ("before-after", "its"):
        return "before_after"
    return "group"


def comparison_of(h: HypothesisDetail, comparators: Iterable[ComparatorView] = ()) -> str:
    """The comparison kind of a hypothesis as registered, with its comparator where given."""
    chosen = h.plan.comparator_id
    kind = next((c.kind for c in comparators if chosen is not None and c.id == chosen), None)
    return comparison(h.plan.design, kind)


def verbs(direction: str | None, kind: str) -> tuple[str, str]:
    """(better, worse): how the outcome compared, in the direction of benefit."""
    table: dict[str, dict[str, list[str]]] = _table()["comparisons"]
    found = table.get(kind, table["group"])
    pair = found.get(direction or "", found["unknown"])
    return pair[0], pair[1]


def band(evidence_level: int | None) -> str:
    """The evidence band of a Maryland SMS level: causal (3-5), weak (1-2), unknown."""
    if evidence_level is None or not 1 <= evidence_level <= 5:
        return "unknown"
    return "causal" if evidence_level >= 3 else "weak"


@dataclass(frozen=True)
class Words:
    """The words of one cell of the table (templates where they name the outcome).

    Attributes:
        verdict, grade, band: the cell ("none" for an ungraded verdict).
        known: False when the table holds no such cell and the fallback stands in.
    """

    verdict: str
    grade: str
    band: str
    known: bool
    label: str
    issue: str
    chart: str
    risk_scaling: str
    risk_stopping: str
    category: str
    line: str

    def issue_line(
        self,
        outcome: str,
        direction: str | None,
        *,
        cause: str | None = None,
        reason: str | None = None,
        comparison: str = "group",
    ) -> str:
        """The Issue sentence for an outcome, with the verbs of its direction of benefit and
        its comparison kind (see ``COMPARISONS``)."""
        return self._fill(self.issue, outcome, direction, cause, reason, comparison)

    def line_to_take(
        self,
        outcome: str,
        direction: str | None,
        *,
        cause: str | None = None,
        reason: str | None = None,
        comparison: str = "group",
    ) -> str:
        """The first line to take, as a private office would say it aloud."""
        return self._fill(self.line, outcome, direction, cause, reason, comparison)

    def _fill(
        self,
        template: str,
        outcome: str,
        direction: str | None,
        cause: str | None,
        reason: str | None,
        comparison: str,
    ) -> str:
        # Without a direction a verb could say the opposite of what happened: "differed".
        better, worse = verbs(
            direction if direction in ("increase", "decrease") else None, comparison
        )
        against: dict[str, str] = _table()["against"]
        text = template.format(
            outcome=outcome or "the outcome",
            better=better,
            worse=worse,
            against=against.get(comparison, against["group"]),
            why=_table()["inconclusive_causes"].get(cause or "", ""),
            reason=f": {reason.rstrip('.')}" if reason else "",
        )
        if self.band == "unknown" and self.verdict in _BANDED:
            text += " " + _table()["bands"]["unknown_note"]
        return text[:1].upper() + text[1:]


def words(verdict: str | None, grade: str | None, evidence_level: int | None) -> Words:
    """The words for a verdict and grade at an evidence level (None: not recorded)."""
    return words_in_band(verdict, grade, band(evidence_level))


def words_in_band(verdict: str | None, grade: str | None, evidence_band: str) -> Words:
    table = _table()
    code = verdict or "not_analysed"
    grade_key = (grade or "none") if code in GRADED else "none"
    cells = table.get(code, {}).get(grade_key, {}) if code in VERDICTS else {}
    lookup = "weak" if evidence_band == "unknown" else evidence_band
    cell: dict[str, str] | None = cells.get(lookup) or cells.get("any")
    if cell is None:
        return Words(code, grade_key, evidence_band, False, **_fields(table["fallback"]))
    return Words(code, grade_key, evidence_band, True, **_fields(cell))


def label(verdict: str | None, grade: str | None = None, evidence_level: int | None = None) -> str:
    """A result in two to four words ("Worked", "Gain, size uncertain")."""
    return words(verdict, grade, evidence_level).label


def chart_label(
    verdict: str | None, grade: str | None = None, evidence_level: int | None = None
) -> str:
    return words(verdict, grade, evidence_level).chart


def category(
    verdict: str | None, grade: str | None = None, evidence_level: int | None = None
) -> str:
    """The portfolio category of a pilot's primary result."""
    return words(verdict, grade, evidence_level).category


def cells() -> list[Words]:
    """Every cell a report can print, in the table's order (for the documentation)."""
    found = []
    for verdict in VERDICTS:
        for grade in GRADES if verdict in GRADED else ("none",):
            for evidence_band in BANDS:
                found.append(words_in_band(verdict, grade, evidence_band))
    return found


def unknown_note() -> str:
    return str(_table()["bands"]["unknown_note"])


_BANDED = frozenset(
    ("success", "harm", "no_meaningful_effect", "non_inferior"),
)


def _fields(cell: dict[str, str]) -> dict[str, str]:
    return {name: cell[name] for name in FIELDS}


@cache
def _table() -> dict[str, Any]:
    data = resources.files("reports").joinpath("verdict_words.toml").read_text("utf-8")
    return tomllib.loads(data)


def result_words(h: HypothesisDetail) -> Words:
    """The words for a hypothesis's current result (no result: "Not analysed")."""
    result = h.current_result
    if result is None:
        return words("out_of_date" if h.result is not None else None, None, h.plan.evidence_level)
    return words(result.verdict, result.grade, h.plan.evidence_level)


def result_sentence(h: HypothesisDetail, comparators: Iterable[ComparatorView] = ()) -> str:
    """What the current result of a hypothesis means, in one plain sentence."""
    result = h.current_result
    found = result_words(h)
    return found.issue_line(
        h.hypothesis.outcome_name,
        h.plan.direction,
        cause=result.detail.get("inconclusive_cause") if result else None,
        reason=result.detail.get("not_evaluable_reason") if result else None,
        comparison=comparison_of(h, comparators),
    )


def result_line(h: HypothesisDetail, comparators: Iterable[ComparatorView] = ()) -> str:
    """The first line to take on the current result of a hypothesis."""
    result = h.current_result
    return result_words(h).line_to_take(
        h.hypothesis.outcome_name,
        h.plan.direction,
        cause=result.detail.get("inconclusive_cause") if result else None,
        reason=result.detail.get("not_evaluable_reason") if result else None,
        comparison=comparison_of(h, comparators),
    )


def verdict_name(verdict: str | None) -> str:
    """The name of a verdict on its own, for counts that do not carry grade or evidence."""
    names: dict[str, str] = _table()["verdict_names"]
    return names.get(verdict or "not_analysed", str(_table()["fallback"]["label"]).lower())


def doc_row(cell: Words) -> str:
    """One row of the table as docs/reports.md shows it (Markdown)."""
    grade = cell.grade.replace("_", " ")
    parts = (
        cell.verdict,
        grade,
        cell.band,
        cell.label,
        cell.issue,
        cell.chart,
        cell.risk_scaling,
        cell.risk_stopping,
        cell.category,
        cell.line,
    )
    return "| " + " | ".join(parts) + " |"


def doc_table() -> str:
    """The whole table in Markdown: ``python -c "from reports.verdict_words import doc_table;
    print(doc_table())"`` writes what docs/reports.md shows."""
    head = (
        "| Verdict | Grade | Evidence | Label | Issue line | Chart | Risk of scaling "
        "| Risk of stopping | Portfolio category | First line to take |"
    )
    rule = "|" + "---|" * 10
    return "\n".join([head, rule, *(doc_row(c) for c in cells())])
