"""One row of the pilot list: what `testlearn pilots` prints and the window's list shows.

Apart from the whole pilot's read models (``pilot_detail``), which build on the ORM's record
types: the list is read without them (``testlearn.store.plain_reading``).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class PilotSummary:
    """One row of the pilot list."""

    id: uuid.UUID
    reference: str
    title: str
    lead_organisation: str
    primary_mission: str | None
    status: str
    spend: float | None
    marking: str
    hypotheses: int
    registered: bool
    primary_verdict: str | None = None
    primary_stale: bool = False
    #: What a search looks through besides the columns: (where, text casefolded) for the
    #: problem statement, each hypothesis and each lesson. Casefolded once, where it is read
    #: (on the worker lane), so a search keystroke only compares.
    search_text: tuple[tuple[str, str], ...] = ()
    #: The reference, title, organisation and all of ``search_text`` in one casefolded
    #: string: what a search matches each word against, in one substring test per word.
    search_words: str = ""
    #: The primary result's grade and the primary hypothesis's evidence level (Maryland SMS):
    #: with the verdict, what the list needs to label it as the brief does.
    primary_grade: str | None = None
    primary_evidence_level: int | None = None

    def matched_in(self, words: list[str]) -> list[str]:
        """Where each of the casefolded ``words`` was found outside the columns, in order."""
        found = [where for where, text in self.search_text if any(w in text for w in words)]
        return list(dict.fromkeys(found))  # two lessons that match are one "lesson"

    def to_json(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "reference": self.reference,
            "title": self.title,
            "lead_organisation": self.lead_organisation,
            "primary_mission": self.primary_mission,
            "status": self.status,
            "spend": self.spend,
            "marking": self.marking,
            "hypotheses": self.hypotheses,
            "registered": self.registered,
            "primary_verdict": self.primary_verdict,
            "primary_result_stale": self.primary_stale,
        }
