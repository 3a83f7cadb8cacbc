"""Table column widths that never split a heading word, a reference or a date.

A report's table declares the share of the page each column should take. A column narrower
than its longest word makes reportlab cut the word wherever the line ends ("Hypothe / sis",
"DESNZ-TL-00 / 5"), which a reader takes for two words and a search cannot find. So the
declared shares are a starting point: each column is widened to its longest header word and
its longest reference-like word (at the size they are printed), and the room is taken from
the columns that have some to spare.

Example::

    widths = column_widths(("Pilot", "Verdict"), [("DESNZ-TL-005", "Worked")],
                           (0.1, 0.9), total=480, font="Helvetica", bold="Helvetica-Bold",
                           size=9, padding=6)
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from reportlab.pdfbase.pdfmetrics import stringWidth

#: Phrases a line must not break inside: a date ("15 October 2026") and, in running text,
#: the two-word markings. The report prints them with no-break spaces, which are copied
#: and searched as spaces. In a table cell a marking may wrap at its space: kept whole it
#: would take a third of a seven-column table and cut the words of the others.
DATE = re.compile(
    r"\b\d{1,2} (?:January|February|March|April|May|June|July|August|September|October"
    r"|November|December) \d{4}\b"
)
MARKING = re.compile(r"OFFICIAL-SENSITIVE (?:COMMERCIAL|PERSONAL)")
#: Words a body cell keeps whole before any other: references (DESNZ-TL-005), codes (H12),
#: amounts and percentages (anything with a figure), dates and markings.
_WHOLE = re.compile(r"^(?=.*\d)[A-Za-z0-9£$€%.,:/()\u00a0\u2011-]+$|^[A-Z][A-Z\u00a0-]+[A-Z]$")
#: The widest a kept reference may make its column, as a share of the table; and the widest
#: an ordinary word may, beyond which it wraps rather than squeeze every other column.
_LONGEST_KEPT = 0.4
_LONGEST_WORD = 0.22


def unbroken(text: str, *, markings: bool = True) -> str:
    """``text`` with the spaces inside dates (and markings) made no-break spaces."""
    text = DATE.sub(_join, text)
    return MARKING.sub(_join, text) if markings else text


def _join(match: re.Match[str]) -> str:
    return match.group(0).replace(" ", "\u00a0")


def column_widths(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    shares: Sequence[float],
    *,
    total: float,
    font: str,
    bold: str,
    size: float,
    padding: float,
) -> list[float]:
    """Column widths in points, summing to ``total``, each at least its longest kept word."""
    declared = sum(shares) or 1.0
    widths = [share / declared * total for share in shares]
    kept, words = [], []
    for i, header in enumerate(headers):
        # Header words and references come first; ordinary words are kept whole only when
        # the page has room for them as well.
        need = max((stringWidth(w, bold, size) for w in header.split()), default=0.0)
        ordinary = need
        for row in rows:
            if i < len(row):
                for word in unbroken(row[i], markings=False).split(" "):
                    width = stringWidth(word, font, size)
                    if _WHOLE.match(word) and width <= _LONGEST_KEPT * total:
                        need = max(need, width)
                    elif width <= _LONGEST_WORD * total:
                        ordinary = max(ordinary, width)
        kept.append(need + padding + 0.5)
        words.append(max(need, ordinary) + padding + 0.5)
    if sum(kept) >= total:
        return _fit(widths, kept, total)
    # Room left after the header words and references goes to whole words, column by
    # column, those needing least first, so that as many columns as possible wrap cleanly.
    budget = total - sum(kept) - 0.5
    least = list(kept)
    for i in sorted(range(len(least)), key=lambda c: words[c] - kept[c]):
        cost = words[i] - kept[i]
        if cost <= budget:
            least[i] = words[i]
            budget -= cost
    return _fit(widths, least, total)


def _fit(widths: list[float], least: list[float], total: float) -> list[float]:
    """``widths`` raised to ``least``, the difference taken from the columns with room."""
    if sum(least) >= total:
        # More words than page: every column at its least, scaled to the page (a word may
        # then wrap, which beats printing past the margin).
        scale = total / sum(least)
        return [w * scale for w in least]
    out = list(widths)
    for _ in range(len(out)):
        short = [i for i, w in enumerate(out) if w < least[i] - 1e-6]
        if not short:
            break
        deficit = sum(least[i] - out[i] for i in short)
        for i in short:
            out[i] = least[i]
        spare = {i: out[i] - least[i] for i in range(len(out)) if i not in short}
        room = sum(spare.values())
        for i, extra in spare.items():
            out[i] -= deficit * extra / room
    return out
