"""Window tests: offscreen Qt, Qt warnings fail, and no worker thread outlives its test."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("pytestqt")


def pytest_configure(config: pytest.Config) -> None:
    # Any Qt warning (a bad connection, a model misuse) fails the test that caused it.
    config.option.qt_log_level_fail = "WARNING"
    # The offscreen platform cannot pass size hints to a window manager it does not have.
    config.addinivalue_line("qt_log_ignore", "This plugin does not support propagateSizeHints")


@pytest.fixture(autouse=True)
def _own_settings(qapp: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Each test starts with no saved settings (recent files, window geometry) of another."""
    from PySide6.QtCore import QSettings

    for form in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(form, QSettings.Scope.UserScope, str(tmp_path_factory.mktemp("settings")))
    QSettings().clear()
    yield
    QSettings().clear()


@pytest.fixture(autouse=True)
def _no_thread_outlives_the_test() -> Iterator[None]:
    from ui.worker_lane import WorkerLane

    yield
    alive = [lane for lane in WorkerLane.live if lane.isRunning()]
    for lane in alive:
        lane.stop()
    assert not alive, "a worker lane was still running after the test"


class Recorder:
    """Stands in for message boxes: remembers what the window would have shown."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, str]] = []

    def inform(self, parent: Any, title: str, text: str) -> None:
        self.messages.append((title, text))

    def warn(self, parent: Any, title: str, text: str) -> None:
        self.messages.append((title, text))

    def ask(self, parent: Any, title: str, text: str, *, yes: str = "OK") -> bool:
        self.messages.append((title, text))
        return True

    def text(self) -> str:
        return "\n".join(text for _title, text in self.messages)


@pytest.fixture
def messages(monkeypatch: pytest.MonkeyPatch) -> Recorder:
    from ui.message_box import MessageBox

    recorder = Recorder()
    for name in ("inform", "warn", "ask"):
        monkeypatch.setattr(MessageBox, name, getattr(recorder, name))
    return recorder


@pytest.fixture
def lane(qapp: Any) -> Iterator[Any]:
    from ui.worker_lane import WorkerLane

    worker = WorkerLane("tester")
    yield worker
    worker.stop()


def _window_on(qtbot: Any, lane: Any) -> Iterator[Any]:
    """The main window over ``lane``, shown; queued work is cancelled when the test ends."""
    from ui.main_window import MainWindow

    main = MainWindow(lane)
    qtbot.addWidget(main)
    main.show()
    yield main
    lane.cancel_all()


@pytest.fixture
def window(qtbot: Any, lane: Any, messages: Recorder) -> Iterator[Any]:
    yield from _window_on(qtbot, lane)


def wait_idle(qtbot: Any, lane: Any, timeout: int = 60_000) -> None:
    """Wait until every queued job has finished and its answer has been shown."""
    qtbot.waitUntil(lambda: not lane.busy, timeout=timeout)


@pytest.fixture
def demo_window(qtbot: Any, window: Any, lane: Any, tmp_path: Path) -> Any:
    """The window on a new demo database (not analysed: analysis is exercised by tests)."""
    path = tmp_path / "demo.sqlite"
    window.database.create(path, demo=True)
    wait_idle(qtbot, lane, timeout=180_000)
    return window


@pytest.fixture
def slow_lane(qapp: Any) -> Iterator[Any]:
    """A worker lane on which every job waits 0.3 s before it runs, as saves do on a busy laptop."""
    import time

    from ui.worker_lane import WorkerLane

    class Slow(WorkerLane):
        delay = 0.3

        def submit(self, job: Any) -> Any:
            work = job.work

            def slowly(j: Any) -> Any:
                time.sleep(self.delay)
                return work(j)

            job.work = slowly
            return super().submit(job)

    worker = Slow("tester")
    yield worker
    worker.stop()


@pytest.fixture
def slow_window(qtbot: Any, slow_lane: Any, messages: Recorder) -> Iterator[Any]:
    yield from _window_on(qtbot, slow_lane)


@pytest.fixture
def slow_demo_window(qtbot: Any, slow_window: Any, slow_lane: Any, tmp_path: Path) -> Any:
    path = tmp_path / "demo.sqlite"
    slow_window.database.create(path, demo=True)
    wait_idle(qtbot, slow_lane, timeout=180_000)
    return slow_window
