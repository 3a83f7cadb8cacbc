"""Comparing the text a report prints with the text the database gives for the same report.

``testlearn verify-report`` reads a report's text, rebuilds the same report from the
database and compares the two here. Both texts are cut into tokens (hashes, figures, words
and signs) that keep where they were printed (a page, or a section of the HTML). A genuine
report gives exactly the same tokens, since the same data and moment give the same file; any
other difference is named with the words around it, as the reader sees them on the page.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

#: A full sha256, a UUID, a figure (with its sign, currency, thousands and unit letters), a
#: word, or any other sign. Hashes come first so that their digits are not read as figures.
_TOKEN = re.compile(
    r"(?P<hash>\b[0-9a-f]{64}\b)"
    r"|(?P<uuid>\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b)"
    r"|(?P<figure>[+-]?[£$]?\d[\d,]*(?:\.\d+)?(?:%|[kmb]n?\b)?)"
    r"|(?P<word>\w+)"
    r"|(?P<sign>\S)"
)
#: How many differences a check lists before it only counts the rest.
MOST_LISTED = 30


@dataclass(frozen=True)
class Token:
    text: str
    kind: str  # "hash", "uuid", "figure", "word" or "sign"
    where: str  # "page 2", or "section “5. Findings”"


@dataclass(frozen=True)
class Comparison:
    """What a report prints against what the database gives for it.

    Attributes:
        figures: how many figures the report prints (all compared).
        hashes: how many full sha256 hashes it prints.
        differences: each difference in words, in the order printed.
    """

    figures: int
    hashes: int
    differences: tuple[str, ...]

    @property
    def agrees(self) -> bool:
        return not self.differences


def normalise(text: str) -> str:
    """Text as compared: compatibility forms, one kind of minus and of quote, single spaces."""
    text = unicodedata.normalize("NFKC", text)
    text = text.replace("\u2212", "-").replace("\u2013", "-").replace("\u00a0", " ")
    return re.sub(r"\s+", " ", text).strip()


def tokens(parts: Sequence[tuple[str, str]]) -> list[Token]:
    """The tokens of a report given as (where, text) parts, in reading order."""
    found: list[Token] = []
    for where, text in parts:
        for match in _TOKEN.finditer(normalise(text)):
            kind = match.lastgroup or "sign"
            found.append(Token(match.group(), kind, where))
    return found


def compare(
    printed: Sequence[tuple[str, str]],
    rebuilt: Sequence[tuple[str, str]],
    *,
    what: str = "report",
) -> Comparison:
    """Compare a printed report with the same report rebuilt from the database.

    Each difference names where the printed report has it and quotes both, with the word
    before it and the unit after it: ``page 1: the brief says "of 9.0 percentage points";
    the database gives "of 4.1 percentage points"``.
    """
    ours, theirs = tokens(printed), tokens(rebuilt)
    matcher = difflib.SequenceMatcher(
        a=[t.text for t in ours], b=[t.text for t in theirs], autojunk=False
    )
    differences: list[tuple[bool, str]] = []  # (whether a hash differs, in words)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            continue
        where = ours[min(a1, len(ours) - 1)].where if ours else "the report"
        said = _quote(ours, a1, a2)
        given = _quote(theirs, b1, b2)
        kinds = {t.kind for t in ours[a1:a2]} | {t.kind for t in theirs[b1:b2]}
        label = "hash " if "hash" in kinds else ""
        if a1 == a2:
            text = f"{where}: the {what} leaves out {label}{given} that the database gives"
        elif b1 == b2:
            text = f"{where}: the {what} says {label}{said}, which the database does not give"
        else:
            text = f"{where}: the {what} says {label}{said}; the database gives {given}"
        differences.append((bool(label), text))
    # Hashes first: a hash that differs says the data or registration differ, whatever the
    # figures; sorted() is stable, so the rest keep the order they are printed in.
    ordered = [text for _, text in sorted(differences, key=lambda d: not d[0])]
    return Comparison(
        figures=sum(1 for t in ours if t.kind == "figure"),
        hashes=sum(1 for t in ours if t.kind == "hash"),
        differences=tuple(ordered),
    )


def listed(differences: Sequence[str]) -> list[str]:
    """The differences to print: the first :data:`MOST_LISTED`, then how many more."""
    shown = list(differences[:MOST_LISTED])
    if len(differences) > MOST_LISTED:
        shown.append(f"... and {len(differences) - MOST_LISTED} more differences")
    return shown


def _quote(found: Sequence[Token], start: int, end: int) -> str:
    """The tokens from ``start`` to ``end`` with a word either side, quoted."""
    first = max(start - 1, 0)
    last = min(end + 1, len(found))
    words = [t.text for t in found[first:last]]
    return '"' + _joined(words) + '"'


def _joined(words: Sequence[str]) -> str:
    text = " ".join(words)
    # Signs sit against the word before them, as printed: "3.6 points." not "3.6 points ."
    return re.sub(r" ([.,;:)%])", r"\1", re.sub(r"([(£]) ", r"\1", text))
