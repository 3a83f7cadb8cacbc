"""`testlearn --smoke-test`: prove that this installation can do its job, then exit.

Built for the frozen app, where the classic failures only show when a user clicks: Alembic's
migration scripts left out of the bundle, reportlab's fonts missing, no Qt platform plugin, a
scipy module that PyInstaller did not see. Each step runs the real code path in a temporary
folder (a database with the demo pilots, every pilot analysed, a brief written, the window
opened offscreen on that database, the database verified), prints one line, and the command
exits 0 only if every step worked. A failing step prints why (with the traceback when it was
unexpected) and the others still run, so one run shows everything that is wrong.

Set TESTLEARN_SMOKE_TEST_DIR to keep the database and the brief in that folder for a look.
"""

from __future__ import annotations

import argparse
import importlib
import os
import platform
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from testlearn import __version__

ACTOR = "smoke-test"
KEEP_VARIABLE = "TESTLEARN_SMOKE_TEST_DIR"
WINDOW_TIMEOUT = 60.0  # seconds for the window to open the database on its worker thread

#: The platform plugin Qt loads on a user's desktop. The smoke test itself draws offscreen,
#: so it checks that this one is in the build too.
NATIVE_PLATFORM_PLUGINS = {"linux": "qxcb", "win32": "qwindows", "darwin": "qcocoa"}


class StepFailed(Exception):
    """An expected failure with a message that says it all; no traceback is printed."""


@dataclass
class SmokeRun:
    folder: Path
    database: Any = None  # testlearn.store.database.Database once the database step worked
    references: list[str] = field(default_factory=list)
    analysed: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


def run_smoke_test(args: argparse.Namespace) -> int:
    """Run every step; 0 if all worked, 1 otherwise."""
    # Before anything imports Qt: the test must work on a machine without a display, and must
    # never put a window in front of the user.
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    frozen = "frozen" if getattr(sys, "frozen", False) else "from source"
    print(
        f"smoke test: testlearn {__version__} ({frozen}), Python {platform.python_version()}, "
        f"{sys.platform} {platform.machine()}",
        flush=True,
    )
    keep = os.environ.get(KEEP_VARIABLE)
    if keep:
        folder = Path(keep).expanduser()
        folder.mkdir(parents=True, exist_ok=True)
        return _run_steps(SmokeRun(folder))
    with tempfile.TemporaryDirectory(prefix="testlearn-smoke-") as name:
        return _run_steps(SmokeRun(Path(name)))


def _run_steps(run: SmokeRun) -> int:
    steps: list[tuple[str, Callable[[SmokeRun], str], bool]] = [
        ("database", _database, False),
        ("analysis", _analysis, True),
        ("brief", _brief, True),
        ("window", _window, True),
        ("verify", _verify, True),
    ]
    try:
        for name, step, needs_database in steps:
            if needs_database and run.database is None:
                _report(run, name, "skipped: no database", ok=False, seconds=0.0)
                continue
            started = time.perf_counter()
            try:
                message, ok = step(run), True
            except StepFailed as failure:
                message, ok = str(failure), False
            except Exception as error:  # the point of the test: anything at all is a failure
                message, ok = f"{type(error).__name__}: {error}", False
                traceback.print_exc(file=sys.stdout)
            _report(run, name, message, ok=ok, seconds=time.perf_counter() - started)
    finally:
        if run.database is not None:
            run.database.close()
    if run.failures:
        print(f"smoke test: FAILED ({', '.join(run.failures)})", flush=True)
        return 1
    print("smoke test: all steps passed", flush=True)
    return 0


def _report(run: SmokeRun, name: str, message: str, *, ok: bool, seconds: float) -> None:
    if not ok:
        run.failures.append(name)
    status = "ok  " if ok else "FAIL"
    print(f"  {status} {name:<9} {message} ({seconds:.1f} s)", flush=True)


def _database(run: SmokeRun) -> str:
    # Creating a database runs every Alembic migration from the scripts in the package
    # folder, and the demo pilots are read from their data file (package data), so this is
    # where a bundle without either fails.
    from testlearn.services import databases, pilots

    path = run.folder / "smoke.sqlite"
    if path.exists():
        path.unlink()
    run.database = databases.create_database(path, demo=True, actor=ACTOR)
    run.references = [summary.reference for summary in pilots.list_pilots(db=run.database)]
    if not run.references:
        raise StepFailed("the demo pilots were not added")
    with run.database.reading() as uow:
        created_with = uow.get_info("created_with")
        generation = uow.get_info("schema_generation")
    if created_with != __version__:
        raise StepFailed(f"the database records version {created_with!r}, not {__version__}")
    return (
        f"{len(run.references)} demo pilots in a new database "
        f"(schema {generation}, created with testlearn {created_with})"
    )


def _analysis(run: SmokeRun) -> str:
    from testlearn.services.analysis import analyse_pilot

    results = skipped = 0
    for reference in run.references:
        outcome = analyse_pilot(reference, db=run.database, actor=ACTOR)
        analysed = [h for h in outcome.hypotheses if h.result is not None]
        results += len(analysed)
        skipped += len(outcome.hypotheses) - len(analysed)
        if analysed:
            run.analysed.append(reference)
    if not results:
        raise StepFailed("no hypothesis was analysed")
    return f"{results} hypotheses analysed in {len(run.analysed)} pilots ({skipped} without data)"


def _brief(run: SmokeRun) -> str:
    from testlearn.services.reporting import ReportRefused, pilot_report

    # `reports` sits above the core (ui -> reports -> testlearn), so the core may not import
    # it; it is looked up by name here, as the window is, and a build without it fails.
    try:
        brief = importlib.import_module("reports.brief")
    except ModuleNotFoundError as error:
        raise StepFailed(f"reports are not part of this build ({error})") from None
    accelerated = importlib.import_module("reportlab.lib.rl_accel")
    missing = sorted(set(accelerated.__all__) - set(accelerated._c_funcs))
    if missing:
        raise StepFailed(
            "reportlab's C accelerator (_rl_accel) is not part of this build: "
            f"{', '.join(missing)} would run in pure Python"
        )
    refusals = []
    for reference in run.analysed:
        try:
            report = pilot_report(reference, db=run.database)
        except ReportRefused as refusal:
            refusals.append(str(refusal))
            continue
        path = run.folder / f"{reference}-brief.pdf"
        pages = brief.write_brief(report, path)
        data = path.read_bytes()
        if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-1024:]:
            raise StepFailed(f"{path.name} is not a complete PDF")
        if f"testlearn {__version__}".encode() not in data:
            raise StepFailed(f"{path.name} does not record testlearn {__version__}")
        return f"brief for {reference} written ({pages} pages, {len(data) // 1024} KB)"
    raise StepFailed("no pilot could be reported on: " + "; ".join(refusals))


def _window(run: SmokeRun) -> str:
    # Through the ui package only (Qt lives there); the app object's static methods stand in
    # for the Qt classes the core must not import.
    try:
        app_module = importlib.import_module("ui.app")
        main_window = importlib.import_module("ui.main_window")
        worker_lane = importlib.import_module("ui.worker_lane")
    except ImportError as error:
        raise StepFailed(f"the window is not part of this build ({error})") from None
    if os.name == "posix" and sys.platform != "darwin":
        # Keep the temporary database out of the user's "Open recent" list (Qt keeps its
        # settings under XDG_CONFIG_HOME on Linux).
        os.environ["XDG_CONFIG_HOME"] = str(run.folder / "config")
    app = app_module.make_application(["testlearn"])
    app.setOrganizationName("testlearn-smoke-test")
    plugin = _native_platform_plugin(app)
    lane = worker_lane.WorkerLane(ACTOR)
    window = main_window.MainWindow(lane)
    opened: list[Any] = []
    window.database.opened.connect(lambda path, summaries, _message: opened.append(summaries))
    try:
        window.show()
        window.open_start(run.database.path, is_default=False)
        deadline = time.monotonic() + WINDOW_TIMEOUT
        while not opened and time.monotonic() < deadline:
            app.processEvents()
            time.sleep(0.01)
        if not opened:
            raise StepFailed(f"the window did not open the database within {WINDOW_TIMEOUT:.0f} s")
        shown = len(opened[0])
        if shown != len(run.references):
            raise StepFailed(f"the window lists {shown} pilots, not {len(run.references)}")
        if not window.isVisible():
            raise StepFailed("the main window is not shown")
    finally:
        window.close()
        lane.stop()
        app.processEvents()
    return f"main window listed {shown} pilots ({app.platformName()} platform; {plugin})"


def _native_platform_plugin(app: Any) -> str:
    """The desktop platform plugin's file name; fails if the build lacks it."""
    wanted = NATIVE_PLATFORM_PLUGINS.get(sys.platform)
    if wanted is None:
        return "no native platform plugin known for this system"
    for folder in app.libraryPaths():
        platforms = Path(folder) / "platforms"
        if platforms.is_dir():
            for plugin in platforms.iterdir():
                if plugin.stem.removeprefix("lib") == wanted:
                    return f"{plugin.name} present"
    raise StepFailed(
        f"the Qt platform plugin {wanted} is missing (looked in {', '.join(app.libraryPaths())}); "
        "the window could not start on a desktop"
    )


def _verify(run: SmokeRun) -> str:
    from testlearn.services.verification import verify

    report = verify(db=run.database)
    if report.findings:
        first = report.findings[0]
        raise StepFailed(
            f"{len(report.findings)} problems, the first: {first.check} in {first.where}: "
            f"{first.message}"
        )
    checked = ", ".join(f"{count} {what}" for what, count in sorted(report.checked.items()))
    return f"every hash and registration checks out ({checked})"
