"""Timing and peak memory of a piece of code run in a fresh Python process."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Measurement:
    seconds: float
    peak_mb: float
    #: processor time of the timed part (user + system): what the ratios compare, because
    #: it barely moves when other work shares the machine, where wall time can double.
    cpu_seconds: float = 0.0


def in_fresh_process(setup: str, timed: str, *, repeat: int = 1) -> Measurement:
    """Run ``setup`` then time ``timed`` in a new interpreter; least CPU of ``repeat`` runs.

    Peak memory is the process's maximum resident set size, so it includes the interpreter
    and every import: what the user's machine actually has to hold.
    """
    best: Measurement | None = None
    for _ in range(repeat):
        script = "\n".join(
            [
                "import json, resource, time",
                textwrap.dedent(setup),
                "_start, _cpu = time.perf_counter(), time.process_time()",
                textwrap.dedent(timed),
                "_seconds = time.perf_counter() - _start",
                "_cpu = time.process_time() - _cpu",
                "_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024",
                "print(json.dumps({'seconds': _seconds, 'peak_mb': _peak, 'cpu': _cpu}))",
            ]
        )
        done = subprocess.run(
            [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=False
        )
        if done.returncode != 0:
            raise RuntimeError(done.stderr)
        figures = json.loads(done.stdout.strip().splitlines()[-1])
        result = Measurement(figures["seconds"], figures["peak_mb"], figures["cpu"])
        if best is None or result.cpu_seconds < best.cpu_seconds:
            best = result
    assert best is not None
    return best


def report(label: str, ours: Measurement, baseline: Measurement, baseline_name: str) -> None:
    """Both figures and their ratio, in CPU seconds (wall seconds beside them)."""
    ratio = ours.cpu_seconds / baseline.cpu_seconds
    for name, measured in ((baseline_name, baseline), (label, ours)):
        print(
            f"  {name:<44} {measured.cpu_seconds:8.2f} s CPU ({measured.seconds:.2f} s wall)  "
            f"peak {measured.peak_mb:6.0f} MB"
        )
    print(f"  ratio {ratio:.2f}x the baseline (CPU)")
