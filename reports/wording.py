"""Words for a reader who is not a statistician: verdicts, designs, decisions, warnings.

The engine's sentence is always quoted as it is (it carries the numbers and the interval);
these phrases sit beside it to say what it means, what the design can and cannot show, and
what was decided.
"""

from __future__ import annotations

import functools
import re

from testlearn.domain.records import HypothesisFields
from testlearn.domain.vocabulary import (
    DecisionKind,
    EvaluationDesign,
    Milestone,
    Mission,
    Term,
)

#: What each Maryland Scientific Methods Scale level can show, in one phrase.
SMS_PHRASES = {
    1: "weak evidence (level 1 of 5): a before-and-after comparison without a comparison group",
    2: "moderate-to-weak evidence (level 2 of 5): a comparison group that is not like-for-like",
    3: "moderate evidence (level 3 of 5): a matched comparison group",
    4: "strong evidence (level 4 of 5): as-good-as-random assignment",
    5: "the strongest evidence (level 5 of 5): a randomised trial",
}


def design_phrase(design: str | None, evidence_level: int | None) -> str:
    """The evaluation design and its strength, in one phrase."""
    name = _label(EvaluationDesign, design) if design else "design not recorded"
    strength = SMS_PHRASES.get(evidence_level or 0, "evidence level not recorded")
    return f"{name}, {strength}"


def decision_phrase(kind: str | None) -> str:
    """What a decision asks the minister to agree to, as a verb phrase."""
    return {
        DecisionKind.SCALE.value: "scale it up",
        DecisionKind.SCALE_ADAPTED.value: "scale it up in an adapted form",
        DecisionKind.ADAPT_AND_RETEST.value: "adapt it and test it again",
        DecisionKind.EXTEND.value: "extend the pilot",
        DecisionKind.CONTINUE_LOCALLY.value: "continue it locally without a national roll-out",
        DecisionKind.STOP.value: "stop it and not roll it out nationally",
        DecisionKind.TRANSFER.value: "transfer it to another owner",
        DecisionKind.PAUSE.value: "pause it",
    }.get(kind or "", "decide what happens next")


def option_of(kind: str | None) -> str:
    """The option (Scale, Adapt and re-test, Stop) a decision belongs to."""
    if kind in ("scale", "scale_adapted", "extend"):
        return "Scale"
    if kind in ("stop", "transfer"):
        return "Stop"
    if kind is None:
        return ""
    return "Adapt and re-test"


def mission_label(code: str | None) -> str:
    return _label(Mission, code) if code else "No mission"


def milestone_label(code: str | None) -> str:
    return _label(Milestone, code) if code else ""


def field_title(name: str) -> str:
    """The title of a hypothesis field, as the registration form shows it."""
    info = HypothesisFields.model_fields.get(name)
    return info.title if info is not None and info.title else name.replace("_", " ")


_SHORTFALL = re.compile(
    r"Shortfall: ([\d,]+) units analysed in the (\w+) arm against ([\d,]+) planned"
)
_FEW_CLUSTERS = re.compile(r"Only (\d+) clusters in an arm")


def plain_caveat(warning: str) -> str | None:
    """A warning from the engine in plain words, or None if it does not matter to a minister.

    A shortfall of under 5% against the planned numbers changes nothing a reader should
    weigh, so it is left to the full report.
    """
    match = _SHORTFALL.search(warning)
    if match:
        got, planned = (int(match.group(i).replace(",", "")) for i in (1, 3))
        if planned and got >= 0.95 * planned:
            return None
        return (
            f"Fewer cases than planned took part in the {match.group(2)} group "
            f"({match.group(1)} against {match.group(3)}), so the result is less certain."
        )
    match = _FEW_CLUSTERS.search(warning)
    if match:
        # The engine gives the smaller arm's count only: the other group may have more.
        return (
            f"As few as {match.group(1)} sites took part in a group, so the result is less "
            "certain than the interval suggests."
        )
    if "Evidence level SMS" in warning:
        return (
            "The design cannot rule out other explanations, so the result shows an "
            "association, not proof of cause and effect."
        )
    return warning


def first_sentences(text: str, count: int = 1) -> str:
    """The first ``count`` sentences of ``text``."""
    parts = re.split(r"(?<=[.!?])\s+(?=[A-Z0-9])", text.strip())
    return " ".join(parts[:count])


def lower_first(text: str) -> str:
    """Lower-case the first letter unless the first word is an acronym ("AI-assisted")."""
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        return text[0].lower() + text[1:]
    return text


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


# A brief looks the same few codes up at every step of shortening; a vocabulary is fixed.
@functools.lru_cache(maxsize=1024)
def term_label(vocabulary: type[Term], code: str) -> str:
    """The label of a vocabulary code, or the code itself if the vocabulary lacks it."""
    try:
        return vocabulary.parse(code).label
    except ValueError:
        return code


_label = term_label
