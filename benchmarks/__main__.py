"""The benchmark runner: ``python -m benchmarks [NAME...]``."""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import sys
from pathlib import Path


def available() -> list[str]:
    folder = Path(__file__).parent
    return sorted(
        m.name.removeprefix("bench_")
        for m in pkgutil.iter_modules([str(folder)])
        if m.name.startswith("bench_")
    )


def main() -> int:
    parser = argparse.ArgumentParser(prog="benchmarks")
    parser.add_argument(
        "names", nargs="*", help=f"which to run (default all): {', '.join(available())}"
    )
    args = parser.parse_args()
    names = args.names or available()
    # An installed copy runs from compiled bytecode (pip and PyInstaller both compile it), so
    # the measured processes may write and reuse theirs: with PYTHONDONTWRITEBYTECODE set in
    # the shell, each would compile testlearn's own modules afresh, 0.1-0.2 s a process.
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    unknown = set(names) - set(available())
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(sorted(unknown))}")
    for name in names:
        module = importlib.import_module(f"benchmarks.bench_{name}")
        print(f"== {name}: {module.__doc__.strip().splitlines()[0]}")
        module.run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
