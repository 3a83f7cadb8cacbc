"""Every command on a central store on a PostgreSQL server that asks for a password.

The server is real (started by the tests); its role signs in with a password, as a central
team's server does. The password is given as people give it to PostgreSQL tools: PGPASSWORD,
or typed when asked at a terminal. It must never appear in what testlearn prints.
"""

from __future__ import annotations

import os
import select
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from testlearn.services import databases, merging
from tests.conftest import Cli
from tests.support.postgres import password_database, postgres_server

REFERENCE = "DHSC-TL-001"


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    # No skip: a central-store test that cannot reach its server must fail, not pass quietly.
    with postgres_server() as url:
        yield url


@pytest.fixture(scope="module")
def department_export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("department")
    with databases.create_database(
        folder / "dhsc.sqlite", demo=True, actor="department", department="DHSC"
    ) as db:
        merging.export_for_central(db=db, out=folder / "dhsc-export.sqlite")
    return folder / "dhsc-export.sqlite"


@pytest.fixture
def store(server: str, monkeypatch: pytest.MonkeyPatch) -> tuple[str, str]:
    """An empty database on the server, its address (no password in it), and the password."""
    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setattr(databases, "_typed_passwords", {})
    return password_database(server)


def test_every_command_works_on_the_store_and_never_prints_the_password(
    store: tuple[str, str],
    department_export: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    address, password = store
    monkeypatch.setenv("PGPASSWORD", password)
    cli = Cli(address)  # type: ignore[arg-type]  # an address travels as text
    said: list[str] = []

    def ok(*args: str, db: bool = True) -> str:
        run = cli(*args, db=db)
        said.extend([run.out, run.err])
        assert run.code == 0, (args, run.err)
        return run.out

    assert f"the central store at {address} is ready (empty)" in ok("init")
    ok("merge", "--into", address, str(department_export), db=False)
    assert "holding 10 pilots" in ok("init")  # a store already there is opened as it is
    assert REFERENCE in ok("pilots")
    assert REFERENCE in ok("show", REFERENCE)
    ok("set", REFERENCE, "team", "Central analysis team")
    assert "Central analysis team" in ok("show", REFERENCE, "--json")
    ok("analyse", "--all")
    ok("report", REFERENCE, "--out", str(tmp_path / "brief.pdf"))
    ok("portfolio", "--out", str(tmp_path / "portfolio.pdf"))
    ok("set", REFERENCE, "unpublished_reasons", "resource; other")
    ok("set", REFERENCE, "unpublished_details", "Awaiting the spending review")
    ok("set", REFERENCE, "policy_areas", "education")
    ok("registry-pack", REFERENCE, "--out", str(tmp_path / "registry"))
    assert (tmp_path / "registry" / f"{REFERENCE}-registry-entry.csv").stat().st_size > 0
    assert "verified" in ok("verify")
    ok("conflicts")
    assert (tmp_path / "brief.pdf").stat().st_size > 0
    assert all(password not in text for text in said)
    assert not any("unexpected" in text for text in said)


def test_without_a_password_the_command_says_how_to_give_one(store: tuple[str, str]) -> None:
    address, _password = store
    run = Cli(address)("pilots")  # type: ignore[arg-type]
    assert run.code == 1
    assert run.err.strip() == (
        f"testlearn: {address}: the server asks for a password; type it when asked, "
        "or set PGPASSWORD or a .pgpass file"
    )


def test_a_wrong_password_is_refused_in_one_line_without_showing_it(
    store: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    address, _password = store
    monkeypatch.setenv("PGPASSWORD", "not-the-password")
    run = Cli(address)("pilots")  # type: ignore[arg-type]
    assert run.code == 1
    assert run.err.strip() == f"testlearn: {address}: the server did not accept the password"
    assert "not-the-password" not in run.out + run.err


def test_a_password_inside_the_address_is_used_and_not_printed(store: tuple[str, str]) -> None:
    address, password = store
    with_password = address.replace("@", f":{password}@", 1)
    run = Cli(with_password)("init")  # type: ignore[arg-type]
    assert run.code == 0, run.err
    assert password not in run.out + run.err


def test_the_demo_is_not_made_on_a_server(
    store: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    address, password = store
    monkeypatch.setenv("PGPASSWORD", password)
    run = Cli(address)("init", "--demo")  # type: ignore[arg-type]
    assert run.code == 1
    assert "the demo pilots are made in a file" in run.err


def _read_until(fd: int, wanted: bytes, timeout: float = 60) -> bytes:
    seen = b""
    deadline = time.monotonic() + timeout
    while wanted not in seen:
        left = deadline - time.monotonic()
        assert left > 0, f"waited for {wanted!r}; saw {seen!r}"
        ready, _, _ = select.select([fd], [], [], left)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:  # the other end closed: the command has ended
                break
            if not chunk:
                break
            seen += chunk
    return seen


def test_at_a_terminal_the_password_is_asked_for_without_echo(
    store: tuple[str, str], department_export: Path
) -> None:
    """As a person runs it: a terminal, no PGPASSWORD; asked once, the command then runs."""
    address, password = store
    controller, terminal = os.openpty()
    env = {k: v for k, v in os.environ.items() if k != "PGPASSWORD"}
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[2])
    process = subprocess.Popen(
        [sys.executable, "-m", "testlearn", "merge", "--into", address, str(department_export)],
        stdin=terminal,
        stdout=terminal,
        stderr=terminal,
        env=env,
        close_fds=True,
        # No controlling terminal of the test's own: getpass then reads the pty given.
        start_new_session=True,
    )
    os.close(terminal)
    try:
        prompt = _read_until(controller, f"Password for {address}: ".encode())
        os.write(controller, password.encode() + b"\r")
        rest = _read_until(controller, b"\x00", timeout=120)  # to the end of the output
        assert process.wait(timeout=60) == 0, rest
    finally:
        process.kill()
        os.close(controller)
    assert password.encode() not in prompt + rest  # not echoed, not printed
    assert b"(DHSC):" in rest and b" new" in rest  # the merge report
