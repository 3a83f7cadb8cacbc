"""The attacks that apply to a PostgreSQL central store, made with psycopg as psql would.

The store is a real server (tests/support/postgres.py) holding the team file merged in; each
attack is verified from the command line with the store's postgresql:// address.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from testlearn.services import databases, merging
from tests.conftest import Cli
from tests.integration.attacks.conftest import MOJ, no_brief_from_what_failed
from tests.support.postgres import fresh_database, postgres_server


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    # No skip: a central-store test that cannot reach its server must fail, not pass quietly.
    with postgres_server() as url:
        yield url


@pytest.fixture
def central(server: str, team_file: Path, tmp_path: Path) -> Iterator[str]:
    """A central store on the server with the team file merged into it; afterwards, no pilot
    an attack touched gives a brief from it."""
    url = fresh_database(server)
    export = team_file.with_name("team-export.sqlite")
    with databases.open_database(team_file) as db:
        merging.export_for_central(db=db, out=export)
    with databases.open_database(url) as db:
        merging.merge([export], db=db, actor="central team")
    yield url
    no_brief_from_what_failed(url, tmp_path)


def attack(url: str, *statements: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        for statement in statements:
            conn.execute(statement)  # type: ignore[arg-type]  # literal SQL of the attack


def verify(url: str) -> tuple[int, str]:
    run = Cli(Path("unused"))("--db", url, "verify", db=False)
    return run.code, run.out + run.err


def test_an_honest_central_store_verifies_from_the_command_line(central: str) -> None:
    code, out = verify(central)
    assert code == 0, out
    assert "verified" in out and "nothing was changed outside testlearn" in out


def test_a_server_that_is_not_a_store_is_refused_in_one_line(server: str) -> None:
    code, out = verify(fresh_database(server))
    assert code != 0
    assert "cannot read this server as a testlearn store" in out
    assert "Traceback" not in out


def test_dropping_both_append_only_triggers_is_found(central: str) -> None:
    attack(
        central,
        "DROP TRIGGER revision_append_only ON revision",
        "DROP TRIGGER audit_event_append_only ON audit_event",
    )
    code, out = verify(central)
    assert code == 1
    assert "[guards] revision_append_only: the append-only trigger on revision was removed" in out
    assert (
        "[guards] audit_event_append_only: the append-only trigger on audit_event was removed"
        in out
    )


REPLACE = "DROP TRIGGER revision_append_only ON revision"


@pytest.mark.parametrize(
    ("statements", "words"),
    [
        (("ALTER TABLE revision DISABLE TRIGGER revision_append_only",), "it is disabled"),
        (
            (
                "CREATE OR REPLACE FUNCTION revision_append_only() RETURNS trigger "
                "LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$",
            ),
            "its function no longer refuses the change",
        ),
        (
            (
                REPLACE,
                "CREATE TRIGGER revision_append_only BEFORE UPDATE OR DELETE ON revision "
                "FOR EACH ROW WHEN (false) EXECUTE FUNCTION revision_append_only()",
            ),
            "it was given a condition",
        ),
        (
            (
                REPLACE,
                "CREATE TRIGGER revision_append_only BEFORE INSERT ON revision "
                "FOR EACH ROW EXECUTE FUNCTION revision_append_only()",
            ),
            "it no longer fires before every update and delete",
        ),
    ],
    ids=["disabled", "hollow function", "never fires", "wrong events"],
)
def test_a_hollow_trigger_is_found(central: str, statements: tuple[str, ...], words: str) -> None:
    attack(central, *statements)
    code, out = verify(central)
    assert code == 1
    assert "[guards] revision_append_only" in out and words in out


def test_an_edited_row_is_found(central: str) -> None:
    attack(
        central,
        "UPDATE lesson SET what_happened = 'Nothing went wrong' WHERE category = 'governance'",
    )
    code, out = verify(central)
    assert code == 1
    assert f"of {MOJ}: the record differs from its last recorded revision" in out


def test_a_deleted_registration_is_found(central: str) -> None:
    # Foreign keys are triggers too: replica mode switches them off, as an attacker would.
    with psycopg.connect(central, autocommit=True) as conn:
        conn.execute("SET session_replication_role = replica")
        conn.execute(
            "DELETE FROM registration WHERE pilot_id = (SELECT id FROM pilot WHERE reference = %s)",
            (MOJ,),
        )
    code, out = verify(central)
    assert code == 1
    assert f"[records] registration of {MOJ}: the record was deleted outside testlearn" in out
