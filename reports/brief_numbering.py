"""The numbers of a brief's sections, so that "see paragraph 9" follows any renumbering."""

from __future__ import annotations

#: Section name -> its number in the brief (the annex has none).
PARAGRAPH = {
    "issue": 1,
    "recommendations": 2,
    "timing": 3,
    "background": 4,
    "findings": 5,
    "responsible": 6,
    "argument": 7,
    "options": 8,
    "handling": 9,
    "lines": 10,
}
