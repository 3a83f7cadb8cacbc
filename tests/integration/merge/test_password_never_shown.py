"""A central store's password is never shown: not in a merge's report (text or JSON), not in
any command's messages, not in the log. The server is real; it trusts local connections, so
it takes any password, which lets the test give one and look for it everywhere."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from testlearn.domain.locations import shown_location, without_passwords
from tests.conftest import Cli, Run
from tests.support.postgres import fresh_database

PASSWORD = "Tr0ub4dor-and-3"


def with_password(url: str) -> str:
    return url.replace("postgres@", f"postgres:{PASSWORD}@", 1)


def everything_said(runs: list[Run]) -> str:
    import platformdirs

    logs = platformdirs.user_log_path("testlearn", appauthor=False)
    logged = "".join(p.read_text("utf-8") for p in logs.glob("*")) if logs.is_dir() else ""
    return "\n".join(run.out + run.err for run in runs) + logged


def everything_stored(url: str) -> str:
    """Every row of every table of the store, as text: what it recorded of the merges."""
    import psycopg

    with psycopg.connect(url.replace(PASSWORD, "")) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = current_schema()"
            )
        ]
        return "".join(
            str(conn.execute(f"SELECT string_agg(t::text, '') FROM \"{name}\" t").fetchone())
            for name in tables
        )


def test_no_output_of_a_merge_into_postgresql_holds_the_password(
    postgres_url: str, department: Any, tmp_path: Path
) -> None:
    url = with_password(fresh_database(postgres_url))
    export = department("dhsc").export()
    broken = tmp_path / "broken.sqlite"
    broken.write_bytes(b"not a database at all" * 100)
    cli = Cli(tmp_path / "unused.sqlite")
    runs = [
        cli("merge", "--into", url, "--dry-run", str(export), db=False),
        cli("merge", "--into", url, str(export), db=False),
        cli("merge", "--into", url, "--json", str(export), str(broken), db=False),
        cli("--db", url, "verify", db=False),
        cli("--db", url, "verify", "--json", db=False),
        cli("--db", url, "conflicts", db=False),
        cli("--db", url, "pilots", db=False),
        # A server that refuses: its message names the address.
        cli("merge", "--into", url.rsplit("/", 1)[0] + "/no_such_store", str(export), db=False),
    ]
    assert [run.code for run in runs[:2]] == [0, 0], runs[1].err
    assert runs[2].code == 1 and runs[2].json()["sources"][1]["refused"]
    assert runs[-1].code == 1 and "cannot use this server" in runs[-1].err
    # The reader still sees which store it was: user, host and database, and no password
    # (the store keeps its address without one, so nothing downstream can show it).
    shown = url.replace(f":{PASSWORD}", "")
    assert f"into {shown}" in runs[1].out
    assert runs[2].json()["central"] == shown
    said = everything_said(runs)
    assert PASSWORD not in said
    assert said.count(shown.split("//", 1)[1]) >= 4
    stored = everything_stored(url)
    assert "merge" in stored and PASSWORD not in stored


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        (
            "postgresql://team:s3cret@db.example:5432/central",
            "postgresql://team:***@db.example:5432/central",
        ),
        ("postgresql://team@db.example/central", "postgresql://team@db.example/central"),
        (
            "postgresql://db.example/central?user=a&password=s3cret",
            "postgresql://db.example/central?user=a&password=***",
        ),
        ("postgresql://team:p%40ss@db.example/central", "postgresql://team:***@db.example/central"),
        (
            "postgresql://team:s3cret@db.example:99999999/c",
            "postgresql://team:***@db.example:99999999/c",
        ),
        ("/home/ann/pilots.sqlite", "/home/ann/pilots.sqlite"),
    ],
)
def test_a_location_is_shown_without_its_password(given: str, shown: str) -> None:
    assert shown_location(given) == shown


def test_text_quoting_an_address_loses_its_password() -> None:
    text = "connection to postgresql+psycopg://team:s3cr@t@db/central failed; retry"
    assert (
        without_passwords(text)
        == "connection to postgresql+psycopg://team:***@db/central failed; retry"
    )
