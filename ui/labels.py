"""How codes read on screen: verdicts, missions, statuses, money. One formatter for the window.

Kept free of heavy imports (only the vocabulary enums), because the pilot list needs it
before the first paint.
"""

from __future__ import annotations

from testlearn.domain.vocabulary import LifecycleStatus, Mission, Term

VERDICTS = {
    "success": "Success",
    "harm": "Harm",
    "no_meaningful_effect": "No meaningful effect",
    "non_inferior": "Non-inferior",
    "inconclusive": "Inconclusive",
    "not_evaluable": "Not evaluable",
}
#: Accent colours for verdicts. They always sit beside the verdict's words, so nobody has to
#: read a colour to know the verdict.
VERDICT_ACCENTS = {
    "success": "#2e7d32",
    "harm": "#c62828",
    "no_meaningful_effect": "#6d4c41",
    "non_inferior": "#1565c0",
    "inconclusive": "#f9a825",
    "not_evaluable": "#757575",
}
GRADES = {"meaningful": "meaningful", "size_uncertain": "size uncertain", "trivial": "trivial"}


def term_label(vocabulary: type[Term], code: str | None) -> str:
    if not code:
        return ""
    try:
        return vocabulary(code).label
    except ValueError:
        return code


def mission_label(code: str | None) -> str:
    return term_label(Mission, code)


def status_label(code: str | None) -> str:
    return term_label(LifecycleStatus, code)


def verdict_label(code: str | None, *, stale: bool = False) -> str:
    if not code:
        return ""
    text = VERDICTS.get(code, code)
    return f"{text} (out of date)" if stale else text


def money(value: float | None) -> str:
    """GBP with thousands separators; millions shortened as people write them."""
    if value is None:
        return ""
    if abs(value) >= 1_000_000:
        return f"£{value / 1_000_000:,.1f}m"
    return f"£{value:,.0f}"
