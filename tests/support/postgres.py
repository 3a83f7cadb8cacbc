"""A throwaway PostgreSQL server for the central-store tests.

Started once per test session from the system's PostgreSQL binaries, in a temporary folder,
on a free port on 127.0.0.1, and removed afterwards. PostgreSQL refuses to run as root, so
when the tests run as root (as CI does) the server runs as the ``postgres`` system user.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class PostgresUnavailable(RuntimeError):
    pass


def _binaries() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        raise PostgresUnavailable(
            "PostgreSQL is not installed (the test command installs the 'postgresql' package)"
        )
    return Path(found[-1]).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_server_user(args: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *args]
    return args


@contextmanager
def postgres_server() -> Iterator[str]:
    """Yield the address of a fresh server's ``postgres`` database; stop it afterwards."""
    bin_dir = _binaries()
    folder = Path(tempfile.mkdtemp(prefix="testlearn-pg-"))
    data = folder / "data"
    port = _free_port()
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    run = lambda args: subprocess.run(  # noqa: E731
        _as_server_user(args), check=True, capture_output=True, text=True
    )
    try:
        run(
            [
                str(bin_dir / "initdb"),
                "-D",
                str(data),
                "-U",
                "postgres",
                "-A",
                "trust",
                "-E",
                "UTF8",
            ]
        )
        # Members of "clerks" sign in with a password, as on a real server; everyone else is
        # trusted, which keeps the other tests free of passwords. The first line that matches
        # decides, so this one goes first.
        hba = data / "pg_hba.conf"
        run(["sed", "-i", "1i host all +clerks 127.0.0.1/32 scram-sha-256", str(hba)])
        run(
            [
                str(bin_dir / "pg_ctl"),
                "-D",
                str(data),
                "-l",
                str(folder / "log"),
                "-w",
                "-o",
                f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off",
                "start",
            ]
        )
        url = f"postgresql://postgres@127.0.0.1:{port}/postgres"
        deadline = time.monotonic() + 20
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise PostgresUnavailable("the PostgreSQL test server did not start") from None
                time.sleep(0.2)
        yield url
    finally:
        subprocess.run(
            _as_server_user([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
            capture_output=True,
            check=False,
        )
        shutil.rmtree(folder, ignore_errors=True)


def fresh_database(server_url: str) -> str:
    """Create an empty database on the server; return its address."""
    import psycopg

    name = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return server_url.rsplit("/", 1)[0] + f"/{name}"


def password_database(server_url: str) -> tuple[str, str]:
    """A new role that must give a password, and an empty database it owns.

    Returns the database's address (without the password) and the password."""
    import psycopg

    suffix = uuid.uuid4().hex[:12]
    role, password = f"clerk_{suffix}", f"pw-{uuid.uuid4().hex}"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(
            "DO $$ BEGIN CREATE ROLE clerks NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL;"
            " END $$"
        )
        conn.execute(f"CREATE ROLE {role} LOGIN PASSWORD '{password}' IN ROLE clerks")
        conn.execute(f'CREATE DATABASE "t_{suffix}" OWNER {role}')
    host = server_url.split("@", 1)[1].rsplit("/", 1)[0]
    return f"postgresql://{role}@{host}/t_{suffix}", password
