"""Reading `verify`'s findings as a reviewer would, for the attack tests."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from testlearn.domain.verification import Finding
from testlearn.services import databases, verification
from tests.integration.attacks.raw_sql import connect, hyphenated, hypothesis_id, one, pilot_id


def verify(path: Path) -> list[Finding]:
    with databases.open_database(path) as db:
        return list(verification.verify(db=db).findings)


def pilot_of(path: Path, reference: str) -> str:
    conn = connect(path)
    try:
        return hyphenated(pilot_id(conn, reference))
    finally:
        conn.close()


def found(findings: list[Finding], check: str, *words: str) -> Finding:
    """The finding of ``check`` whose place and message hold every one of ``words``."""
    for finding in findings:
        text = f"{finding.where}: {finding.message}"
        if finding.check == check and all(word in text for word in words):
            return finding
    raise AssertionError(
        f"no {check} finding with {words}; found:\n" + "\n".join(map(str, findings))
    )


def dataset_of(conn: sqlite3.Connection, reference: str, code: str) -> str:
    return str(
        one(
            conn,
            "SELECT id FROM dataset WHERE hypothesis_id = ?",
            hypothesis_id(conn, reference, code),
        )
    )
