"""How codes read on screen: verdicts, missions, statuses, money. One formatter for the window.

Kept free of heavy imports (only the vocabulary enums), because the pilot list needs it
before the first paint. A verdict reads in the reports' words (``reports.verdict_words``: the
verdict, its grade and the evidence level together), so that the list and the brief never
disagree; that table is imported on the first label asked for, not at start-up.
"""

from __future__ import annotations

from testlearn.domain.vocabulary import LifecycleStatus, Mission, Term

#: The engine's verdict names, for the analyst's tables that show the grade beside them.
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
    """The engine's verdict name ("Success"), for tables that show the grade beside it."""
    if not code:
        return ""
    text = VERDICTS.get(code, code)
    return f"{text} (out of date)" if stale else text


def result_label(
    code: str | None,
    grade: str | None,
    evidence_level: int | None,
    *,
    stale: bool = False,
) -> str:
    """A result as the brief labels it ("Gain, size uncertain"; "Gain, not shown causal" at
    SMS 1-2): the verdict, its grade and the evidence level together. "" for no result."""
    if not code:
        return ""
    from reports.verdict_words import label

    text = label(code, grade, evidence_level)
    return f"{text} (out of date)" if stale else text


def verdict_choices() -> list[tuple[str, str]]:
    """(code, name) of each verdict for the pilot list's filter, in the reports' words for a
    verdict without its grade or evidence level ("With a success verdict", "Could not tell")."""
    from reports.verdict_words import verdict_name

    return [(code, _capital(verdict_name(code))) for code in VERDICTS]


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def money(value: float | None) -> str:
    """GBP with thousands separators; millions shortened as people write them."""
    if value is None:
        return ""
    if abs(value) >= 1_000_000:
        return f"£{value / 1_000_000:,.1f}m"
    return f"£{value:,.0f}"
