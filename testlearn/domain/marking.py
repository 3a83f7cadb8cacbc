"""Security markings as printed: the words at the top and bottom of every page.

A marking is printed in capitals with its descriptor ("OFFICIAL-SENSITIVE COMMERCIAL"). A
document made from several pilots (a portfolio, a merge) carries the highest marking of its
inputs, with the descriptors of the inputs at that marking, so nothing is marked down by
being combined.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from testlearn.domain.vocabulary import Marking, MarkingDescriptor


@dataclass(frozen=True)
class PrintedMarking:
    """A marking with its descriptors, and the text printed on the page."""

    marking: Marking
    descriptors: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        words = self.marking.label
        if self.descriptors and self.marking is Marking.OFFICIAL_SENSITIVE:
            words += " " + "/".join(self.descriptors)
        return words.upper()

    @property
    def rank(self) -> int:
        return self.marking.rank


def printed_marking(marking: str | None, descriptor: str | None = None) -> PrintedMarking:
    """The printed marking of one record; an unset marking is OFFICIAL."""
    code = Marking.parse(marking) if marking else Marking.OFFICIAL
    descriptors = (MarkingDescriptor.parse(descriptor).label,) if descriptor else ()
    return PrintedMarking(code, descriptors)


def highest_marking(markings: Iterable[PrintedMarking]) -> PrintedMarking:
    """The highest of several markings, with every descriptor found at that level."""
    found = list(markings)
    if not found:
        return PrintedMarking(Marking.OFFICIAL)
    top = max(m.rank for m in found)
    marking = next(m.marking for m in found if m.rank == top)
    descriptors = sorted({d for m in found if m.rank == top for d in m.descriptors})
    return PrintedMarking(marking, tuple(descriptors))


def raised_for_commercial(marking: PrintedMarking) -> PrintedMarking:
    """The marking of a document that prints commercially sensitive values.

    Supplier prices and should-cost estimates are OFFICIAL-SENSITIVE COMMERCIAL whatever the
    pilot's own marking, so a brief that includes them is marked at least that.
    """
    commercial = MarkingDescriptor.COMMERCIAL.label
    if marking.marking is Marking.OFFICIAL_SENSITIVE and commercial in marking.descriptors:
        return marking
    descriptors = marking.descriptors if marking.marking is Marking.OFFICIAL_SENSITIVE else ()
    return PrintedMarking(Marking.OFFICIAL_SENSITIVE, tuple(sorted({*descriptors, commercial})))


def handling_line(
    instructions: str, *, raised: bool = False, figures: Sequence[str] = (), team: str = ""
) -> str:
    """The handling instructions printed under the marking.

    A document whose marking was raised because it prints commercially sensitive values
    (``figures``: which, "should-cost", "winning bid") says so first, and who may see it,
    before the pilot's own instructions: the raised marking alone does not tell a reader
    what is in the document or how to treat it.
    """
    if not raised:
        return instructions
    named = list(dict.fromkeys(figures)) or ["commercially sensitive"]
    what = ", ".join(named[:-1]) + f" and {named[-1]}" if len(named) > 1 else named[0]
    line = (
        f"Commercial in confidence: contains {what} figures; do not share outside "
        f"{team or 'the pilot team'} and the Commercial function."
    )
    return f"{line} {instructions}".strip()


def strictest_handling(inputs: Iterable[tuple[PrintedMarking, str]]) -> str:
    """The one handling instruction of a document combining several: the strictest of its
    inputs, as written.

    Strictest is the instruction of the most highly marked inputs (commercial ones first at
    that level) that shares with the fewest: one limited to named bodies ("within DESNZ and
    HM Treasury only") before one limited to government, before one that limits nothing; then
    the one with the most restrictions; then the first. Two instructions side by side would
    leave a reader to choose, and the wider one would be read as permission.
    """
    found = [(marking, text.strip()) for marking, text in inputs if text and text.strip()]
    if not found:
        return ""
    top = max(marking.rank for marking, _ in found)
    top_commercial = any(
        MarkingDescriptor.COMMERCIAL.label in m.descriptors for m, _ in found if m.rank == top
    )
    kept = [
        text
        for marking, text in found
        if marking.rank == top
        and (not top_commercial or MarkingDescriptor.COMMERCIAL.label in marking.descriptors)
    ]
    return max(kept, key=_narrowness)  # max keeps the first of equals


#: "within X only", "outside X", "only to X": who a handling instruction lets see a document.
_AUDIENCE = re.compile(
    r"\b(?:within|outside|only to|beyond)\s+(?:the\s+)?([^.;,]+?)(?:\s+only)?\s*(?:[.;,]|$)",
    re.IGNORECASE,
)
_RESTRICTION = re.compile(r"\b(?:only|do not|don't|not to|never|must not)\b", re.IGNORECASE)
_WHOLE_GOVERNMENT = re.compile(r"^(?:hm\s+)?government$|^the civil service$", re.IGNORECASE)


def _narrowness(text: str) -> tuple[int, int]:
    """(how narrow the audience, how many restrictions): larger is stricter."""
    audiences = [a.strip() for a in _AUDIENCE.findall(text)]
    if any(not _WHOLE_GOVERNMENT.match(a) for a in audiences):
        audience = 2  # named bodies, narrower than government
    elif audiences:
        audience = 1
    else:
        audience = 0
    return audience, len(_RESTRICTION.findall(text))
