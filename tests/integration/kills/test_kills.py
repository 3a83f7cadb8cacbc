"""kill -9 at random points of init, import, merge, analyse, export and report.

Each command runs as a process of its own on real files and is killed after a random part of
the time it takes whole (measured first), seeded: set TESTLEARN_KILL_SEED to replay a
failure. Afterwards every file opens with testlearn, passes ``PRAGMA integrity_check`` and
``verify``, holds all or nothing of the killed command (its counts are those from before or
those from a whole run), is never called damaged, and the next start leaves no temporary
file behind. An output (an export, a report) is absent or whole, never half written.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from testlearn.services import outcome_import, pilots, registration, verification
from testlearn.services.databases import create_database, open_database
from testlearn.temporary_files import private_folder
from tests.builders import add_analysed_pilot, hypothesis, pilot

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="fork and SIGKILL are POSIX")

SEED = int(os.environ.get("TESTLEARN_KILL_SEED") or random.randrange(1_000_000))
UNIT_ROWS = 20_000
ENV_KEYS = (
    "XDG_DATA_HOME",
    "XDG_CONFIG_HOME",
    "XDG_STATE_HOME",
    "XDG_CACHE_HOME",
    "TESTLEARN_NAME",
)


class Server:
    """The fork server (``fork_server.py``): runs a command line in a child it can kill."""

    def __init__(self) -> None:
        root = Path(__file__).resolve().parents[3]
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.integration.kills.fork_server"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=root,
            env={**os.environ, "PYTHONPATH": str(root)},
        )
        assert "ready" in self._ask(None)

    def _ask(self, request: dict[str, Any] | None) -> dict[str, Any]:
        assert self.process.stdin is not None and self.process.stdout is not None
        if request is not None:
            self.process.stdin.write(json.dumps(request) + "\n")
            self.process.stdin.flush()
        answer: dict[str, Any] = json.loads(self.process.stdout.readline())
        return answer

    def start(self, argv: list[str], log: Path) -> int:
        env = {key: os.environ[key] for key in ENV_KEYS if key in os.environ}
        return int(self._ask({"do": "run", "argv": argv, "env": env, "log": str(log)})["pid"])

    def wait(self, pid: int) -> int:
        return int(self._ask({"do": "wait", "pid": pid})["status"])

    def run(self, argv: list[str], log: Path) -> float:
        """Run whole; returns how long it took."""
        began = time.perf_counter()
        status = self.wait(self.start(argv, log))
        took = time.perf_counter() - began
        assert os.waitstatus_to_exitcode(status) == 0, log.read_text()
        return took

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(timeout=30)


def counts(target: Path | str) -> dict[str, int]:
    """What a database holds, as `verify` counts it; verify must pass, and nothing is damaged."""
    if isinstance(target, Path):
        conn = sqlite3.connect(target)
        try:
            assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)], target
        finally:
            conn.close()
    with open_database(target) as db:
        report = verification.verify(db=db)
        assert report.ok, [f.message for f in report.findings]
        return dict(report.checked)


def leftovers(folder: Path) -> list[str]:
    names = [*os.listdir(folder), *os.listdir(private_folder())]
    return [name for name in names if ".tl" in name and name.startswith(".")]


def whole_pdf(path: Path) -> bool:
    data = path.read_bytes()
    return data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")


@dataclass
class Operation:
    """One command to kill: what it is given, and what a whole run leaves."""

    name: str
    argv: Callable[[Path], list[str]]
    inputs: dict[str, Path] = field(default_factory=dict)  # name in the folder -> template
    database: str | None = "pilots.sqlite"  # the database it writes, if any
    output: str | None = None  # the file it makes
    duration: float = 0.0
    before: dict[str, int] | None = None
    after: dict[str, int] | None = None
    central: Callable[[], str] | None = None  # a PostgreSQL store, made fresh for each run
    whole: Path | None = None  # the database a whole run left


@dataclass
class World:
    server: Server
    folder: Path
    operations: dict[str, Operation]
    postgres: str | None


def _prepare(op: Operation, folder: Path) -> str | None:
    folder.mkdir()
    for name, template in op.inputs.items():
        shutil.copyfile(template, folder / name)
    return op.central() if op.central else None


def _target(op: Operation, folder: Path, central: str | None) -> Path | str | None:
    if central is not None:
        return central
    return folder / op.database if op.database else None


def _build(server: Server, root: Path, postgres: str | None) -> dict[str, Operation]:
    made = root / "made"
    made.mkdir()
    base = made / "base.sqlite"
    with create_database(base, actor="ana", department="DfT") as db:
        add_analysed_pilot(db, "T-001", ["H1", "H2"])
        pilots.create_pilot(pilot(reference="T-002"), db=db, actor="ana")
        codes = ["H1", "H2", "H3"]
        for code in codes:
            pilots.add_record(
                "T-002",
                "hypothesis",
                hypothesis(code=code, role="primary" if code == "H1" else "secondary"),
                db=db,
                actor="ana",
            )
        registration.register("T-002", db=db, actor="ana")
        for i, code in enumerate(codes):
            rows = [
                {"arm": "pilot", "n": 400, "successes": 300 - 4 * i},
                {"arm": "comparator", "n": 400, "successes": 240},
            ]
            outcome_import.import_aggregates(
                "T-002", code, rows, source_name=f"{code}.csv", db=db, actor="ana"
            )
        pilots.create_pilot(pilot(reference="T-003"), db=db, actor="ana")
        pilots.add_record("T-003", "hypothesis", hypothesis(), db=db, actor="ana")
        registration.register("T-003", db=db, actor="ana")
    outcomes = made / "outcomes.csv"
    lines = (f"{'pilot' if i % 2 else 'comparator'},{(i * 7) % 3 % 2}\n" for i in range(UNIT_ROWS))
    outcomes.write_text("arm,value\n" + "".join(lines))

    def db(f: Path) -> list[str]:
        return ["--db", str(f / "pilots.sqlite")]

    ops = [
        Operation("init", lambda f: [*db(f), "init"]),
        Operation("init --demo", lambda f: [*db(f), "init", "--demo"]),
        Operation(
            "import",
            lambda f: [*db(f), "import-results", "T-003", "H1", str(f / "outcomes.csv")],
            {"pilots.sqlite": base, "outcomes.csv": outcomes},
        ),
        Operation("analyse", lambda f: [*db(f), "analyse", "T-002"], {"pilots.sqlite": base}),
        Operation(
            "export",
            lambda f: [*db(f), "export", "--out", str(f / "out.sqlite")],
            {"pilots.sqlite": base},
            output="out.sqlite",
        ),
        Operation(
            "report",
            lambda f: [*db(f), "report", "T-001", "--kind", "full", "--out", str(f / "T-001.pdf")],
            {"pilots.sqlite": base},
            output="T-001.pdf",
        ),
    ]
    for op in ops:
        _measure(server, root, op)
    # The merge takes two departments' exports: this file's, and the demo's that the whole
    # run of `init --demo` above made.
    exports = {}
    for name, template in (("dft", base), ("dhsc", ops[1].whole)):
        assert template is not None
        source = made / f"{name}-own.sqlite"  # a copy: exporting sets the demo's department
        shutil.copyfile(template, source)
        exports[name] = made / f"{name}.sqlite"
        argv = ["--db", str(source), "export", "--out", str(exports[name])]
        server.run([*argv, "--department", name.upper()], made / "export.log")
    central = made / "central.sqlite"
    create_database(central, actor="lead", department="central").close()
    sources = {}
    for name, path in zip(("dft.sqlite", "dhsc.sqlite"), exports.values(), strict=True):
        sources[name] = path
        sources[f"{name}.manifest.json"] = Path(f"{path}.manifest.json")

    def merge(f: Path) -> list[str]:
        into = ["merge", "--into", str(f / "pilots.sqlite")]
        return [*into, str(f / "dft.sqlite"), str(f / "dhsc.sqlite")]

    merges = [Operation("merge", merge, {"pilots.sqlite": central, **sources})]
    if postgres is not None:
        from tests.support.postgres import fresh_database

        def fresh_central() -> str:
            url = fresh_database(postgres)
            open_database(url).close()  # the store made, as a central team's first use does
            return url

        merges.append(Operation("merge into PostgreSQL", merge, sources, None))
        merges[-1].central = fresh_central
    for op in merges:
        _measure(server, root, op)
    return {op.name: op for op in ops + merges}


def _measure(server: Server, root: Path, op: Operation) -> None:
    """Run ``op`` whole: how long it takes, and what it holds before and after."""
    folder = root / f"whole-{op.name.replace(' ', '-')}"
    central = _prepare(op, folder)
    target = _target(op, folder, central)
    op.before = counts(target) if target is not None and _exists(target) else None
    op.duration = server.run(_argv(op, folder, central), folder / "log.txt")
    op.after = counts(target) if target is not None else None
    if isinstance(target, Path):
        op.whole = target
    print(f"{op.name}: {op.duration:.2f} s whole")


def _argv(op: Operation, folder: Path, central: str | None) -> list[str]:
    argv = op.argv(folder)
    if central is not None:  # merge --into the server instead
        argv[2] = central
    return argv


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    root = tmp_path_factory.mktemp("kills")
    home = root / "home"
    saved = {key: os.environ.get(key) for key in ENV_KEYS}
    for key in ENV_KEYS:
        os.environ[key] = str(home / key.lower())
    server = Server()
    try:
        from tests.support.postgres import PostgresUnavailable, postgres_server

        try:
            with postgres_server() as url:
                yield World(server, root, _build(server, root, url), url)
        except PostgresUnavailable:
            yield World(server, root, _build(server, root, None), None)
    finally:
        server.close()
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


#: 51 kills without a PostgreSQL server, 56 with one.
KILLS = {
    "init": 7,
    "init --demo": 3,
    "import": 10,
    "analyse": 6,
    "export": 9,
    "report": 6,
    "merge": 10,
    "merge into PostgreSQL": 5,
}


@pytest.mark.parametrize("name", list(KILLS))
def test_a_killed_command_leaves_all_or_nothing(world: World, name: str) -> None:
    if name not in world.operations:
        pytest.skip("PostgreSQL is not installed here: the merge into a server is not killed")
    for key in ENV_KEYS:  # the module's folders, where the children put their own
        os.environ[key] = str(world.folder / "home" / key.lower())
    op = world.operations[name]
    chance = random.Random(f"{SEED}:{name}")
    for kill in range(KILLS[name]):
        folder = world.folder / f"kill-{name.replace(' ', '-')}-{kill}"
        central = _prepare(op, folder)
        target = _target(op, folder, central)
        argv = _argv(op, folder, central)
        delay = chance.uniform(0.0, 1.0) * op.duration
        where = (
            f"seed {SEED} (TESTLEARN_KILL_SEED): `{name}` killed after {delay:.3f} s "
            f"of {op.duration:.3f} s, kill {kill}, in {folder}"
        )
        pid = world.server.start(argv, folder / "log.txt")
        time.sleep(delay)
        os.kill(pid, signal.SIGKILL)
        status = world.server.wait(pid)
        finished = os.WIFEXITED(status)
        try:
            _check(op, folder, target, finished)
        except Exception as error:  # the replay instructions, with the failure itself
            raise AssertionError(f"{where}: {error!r}") from error


def _exists(target: Path | str) -> bool:
    return not isinstance(target, Path) or target.exists()


def _check(
    op: Operation,
    folder: Path,
    target: Path | str | None,
    finished: bool,
) -> None:
    if target is not None and _exists(target):
        now = counts(target)  # opens (never "damaged"), integrity_check, verify
        assert now in (op.before, op.after), f"neither all nor nothing: {now}"
        if finished:
            assert now == op.after
    elif target is not None:  # only init makes its database; killed, it leaves none at all
        assert op.name.startswith("init") and not finished
        create_database(folder / "other.sqlite", actor="t").close()  # the next start
    if op.output is not None and (folder / op.output).exists():
        out = folder / op.output
        if op.name == "export":
            counts(out)
            manifest = Path(f"{out}.manifest.json")
            if manifest.exists():
                assert json.loads(manifest.read_text())["file"] == out.name
        else:
            assert whole_pdf(out)
            html = out.with_suffix(".html")
            if html.exists():
                assert html.read_text(encoding="utf-8").rstrip().endswith("</html>")
    elif finished and op.output is not None:
        raise AssertionError(f"a whole run wrote no {op.output}")
    assert leftovers(folder) == [], "temporary files left after the next start"
