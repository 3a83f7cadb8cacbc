"""The pilot list's query: one row per live pilot, read by the ORM's connection or by sqlite3.

The same SQL and the same row handling serve both ways in (``queries.pilot_summaries`` for
the window and the services, ``plain_reading`` for `testlearn pilots`), so the list cannot
differ between them. ``run`` executes one statement and returns its rows as tuples.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from testlearn.domain.pilot_summary import PilotSummary

Run = Callable[[str], Iterable[Sequence[Any]]]


def pilot_summaries(run: Run, *, search: bool = False) -> list[PilotSummary]:
    """Every live pilot, one row each, ordered by reference.

    With ``search``, each summary carries the text a search of the pilot list reads (its
    problem statement, hypotheses and lessons, casefolded); callers that only count or
    walk the pilots leave it out. One query for the rows, and with ``search`` one more for
    every pilot's text, whatever the count.
    """
    rows = run(
        """
            SELECT p.id, p.reference, p.title, p.lead_organisation, p.primary_mission,
                   p.status, p.spend, p.marking,
                   count(DISTINCT h.id) AS hypotheses,
                   count(DISTINCT CASE WHEN h.registration_id IS NOT NULL THEN h.id END)
                       AS registered,
                   max(CASE WHEN h.role = 'primary' THEN r.verdict END) AS primary_verdict,
                   max(CASE WHEN h.role = 'primary' AND r.id IS NOT NULL AND (
                           r.hypothesis_rev != h.rev OR d.id IS NULL OR r.dataset_id != d.id)
                       THEN 1 ELSE 0 END) AS primary_stale,
                   max(CASE WHEN h.role = 'primary' THEN r.grade END) AS primary_grade,
                   max(CASE WHEN h.role = 'primary' THEN h.evidence_level END)
                       AS primary_evidence_level
            FROM pilot p
            LEFT JOIN hypothesis h ON h.pilot_id = p.id AND NOT h.deleted
            LEFT JOIN analysis_result r ON r.hypothesis_id = h.id AND NOT r.deleted
            LEFT JOIN dataset d ON d.hypothesis_id = h.id AND NOT d.deleted
            WHERE NOT p.deleted
            GROUP BY p.id
            ORDER BY p.reference
            """
    )
    searchable = _search_text(run) if search else {}
    summaries = []
    # Rows are unpacked by position and the summaries built positionally: for a register
    # of ten thousand pilots, named access per field costs more than the query itself.
    for (
        pilot_id,
        reference,
        title,
        organisation,
        mission,
        status,
        spend,
        marking,
        hypotheses,
        registered,
        verdict,
        stale,
        grade,
        evidence_level,
    ) in rows:
        found = searchable.get(str(pilot_id), [])
        words = ""
        if search:
            words = f"{reference}\n{title}\n{organisation}".casefold()
            if found:
                words = "\n".join([words, *[t for _w, t in found]])
        summaries.append(
            PilotSummary(
                uuid.UUID(str(pilot_id)),
                reference,
                title,
                organisation,
                mission,
                status,
                spend,
                marking,
                hypotheses,
                hypotheses > 0 and registered == hypotheses,
                verdict,
                bool(stale),
                tuple(found),
                words,
                grade,
                evidence_level,
            )
        )
    return summaries


def _search_text(run: Run) -> dict[str, list[tuple[str, str]]]:
    """Each pilot's problem statement, hypotheses and lessons, casefolded, by pilot id.

    One query for every pilot (a per-pilot query would be ten thousand round trips), with
    each record's fields joined by the database and fetched at once; the caller keeps only
    the live pilots. They come in the order of the pilot's tabs.
    """
    # The line breaks keep words of two fields from running together into a false match;
    # a literal newline inside quotes is read the same by SQLite and PostgreSQL.
    rows = run(
        """
            SELECT id, 'problem statement', problem_statement
            FROM pilot WHERE problem_statement != ''
            UNION ALL
            SELECT pilot_id, 'hypothesis ' || code, statement || '
' || outcome_name
            FROM hypothesis WHERE NOT deleted
            UNION ALL
            SELECT pilot_id, 'lesson', what_happened || '
' || root_cause || '
' || recommendation || '
' || owner
            FROM lesson WHERE NOT deleted
            """
    )
    found: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for pilot_id, where, words in rows:
        found[str(pilot_id)].append((where, words.casefold()))
    return found
