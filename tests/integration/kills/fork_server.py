"""Runs command lines in forked children, so that a test can kill -9 them anywhere.

``python -m tests.integration.kills.fork_server`` imports the command line and everything
its commands load, then reads one JSON request a line: ``{"do": "run", "argv": [...],
"env": {...}, "log": PATH}`` forks a child that runs ``testlearn`` with those arguments
(answering its pid), and ``{"do": "wait", "pid": N}`` reaps it (answering its exit status).
Each child is a real process doing a real command on real files; forking from an imported
parent only spares the second or so that every ``python -m testlearn`` spends importing,
so that the kills land in the work and fifty of them fit in a test's time.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any


def _child(request: dict[str, Any]) -> None:
    from testlearn.cli import main

    os.environ.update(request["env"])
    log = os.open(request["log"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.dup2(log, 1)
    os.dup2(log, 2)
    code = 99
    try:
        code = main(request["argv"])
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def serve() -> None:
    # What the commands import when they run: loaded once here, inherited by every child.
    import testlearn.cli  # noqa: F401
    from testlearn.cli import (  # noqa: F401
        analysis_commands,
        data_commands,
        merge_commands,
        pilot_commands,
        report_commands,
    )
    from testlearn.services import (  # noqa: F401
        analysis,
        databases,
        demo,
        merging,
        outcome_import,
        reporting,
        verification,
    )

    print(json.dumps({"ready": os.getpid()}), flush=True)
    for line in sys.stdin:
        request = json.loads(line)
        if request["do"] == "run":
            pid = os.fork()
            if pid == 0:
                _child(request)
            print(json.dumps({"pid": pid}), flush=True)
        elif request["do"] == "wait":
            _, status = os.waitpid(request["pid"], 0)
            print(json.dumps({"status": status}), flush=True)


if __name__ == "__main__":
    serve()
