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

#: Words a body cell must keep whole: references (DESNZ-TL-005), codes (H12), amounts,
#: percentages and dates in figures. Ordinary long words may still wrap in a narrow column,
#: where keeping them whole would squeeze every other column.
_WHOLE = re.compile(r"^[A-Z0-9£$€(][A-Za-z0-9£$€%.,:/()\u2011-]*$")
#: A body word wider than this share of the table is left to wrap rather than widen its column.
_LONGEST_KEPT = 0.4


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
    least = []
    for i, header in enumerate(headers):
        need = max((stringWidth(w, bold, size) for w in header.split()), default=0.0)
        for row in rows:
            if i < len(row):
                for word in row[i].split():
                    if _WHOLE.match(word):
                        width = stringWidth(word, font, size)
                        if width <= _LONGEST_KEPT * total:
                            need = max(need, width)
        least.append(need + padding + 0.5)
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
