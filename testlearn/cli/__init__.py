"""The command line: `testlearn COMMAND ...` for scripts, and plain `testlearn` for the window.

Expected failures (a wrong reference, a bad cell in a file) print one line naming what is
wrong and exit 1; they never show a traceback. Anything else is a bug: it is logged with its
traceback and the log's path is printed.
"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import logging
import sys
from collections.abc import Callable, Sequence
from typing import Any

from testlearn import __version__
from testlearn.cli.values import refuse_long_values
from testlearn.domain.user_text import shortened
from testlearn.errors import TestlearnError

Command = Callable[[argparse.Namespace], int]

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def actor() -> str:
    """The name to record a change against: the one the user set, never the OS account.

    A command that would record a change without one is refused before it does anything.
    """
    from testlearn.services.user_name import required_name

    return required_name()


def build_parser() -> argparse.ArgumentParser:
    from testlearn.cli import (
        analysis_commands,
        data_commands,
        merge_commands,
        name_command,
        pilot_commands,
        record_commands,
        report_commands,
        window_command,
    )

    parser = argparse.ArgumentParser(
        prog="testlearn",
        description="Register, analyse and report test-and-learn pilots. "
        "Without a command, opens the window.",
    )
    parser.add_argument("--version", action="version", version=f"testlearn {__version__}")
    parser.add_argument(
        "--smoke-test",
        action="store_true",
        help="check this installation (database, analysis, brief, window offscreen) and exit",
    )
    parser.add_argument(
        "--db",
        metavar="PATH",
        help="the database file (default: $TESTLEARN_DB, else your own database)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    # --db is accepted after the command too (`testlearn init --db PATH`); SUPPRESS keeps a
    # value given before the command from being reset by the sub-parser's default.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS, help="the database file")
    for module in (
        pilot_commands,
        record_commands,
        data_commands,
        analysis_commands,
        merge_commands,
        report_commands,
        name_command,
        window_command,
    ):
        module.add_commands(_WithParents(commands, common))
    return parser


class _WithParents:
    """Adds the common options to every command's parser."""

    def __init__(self, commands: Any, common: argparse.ArgumentParser) -> None:
        self._commands, self._common = commands, common

    def add_parser(self, name: str, **kwargs: Any) -> argparse.ArgumentParser:
        parser: argparse.ArgumentParser = self._commands.add_parser(
            name, parents=[self._common], **kwargs
        )
        return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    try:
        # Number options are read (and refused, in one line) as the line is parsed.
        args = parser.parse_args(argv)
        refuse_long_values(args)
    except TestlearnError as error:
        print(f"testlearn: {shortened(str(error))}", file=sys.stderr)
        return EXIT_USAGE
    run: Command | None = getattr(args, "run", None)
    if args.smoke_test:
        from testlearn.cli.smoke_test import run_smoke_test

        run = run_smoke_test
    elif run is None:
        from testlearn.cli.window_command import open_window

        run = open_window
    try:
        with _waits_announced(args):
            return _asking_for_a_password(run, args)
    except TestlearnError as error:
        from testlearn.domain.locations import without_passwords

        print(f"testlearn: {shortened(without_passwords(str(error)))}", file=sys.stderr)
        return EXIT_FAILED
    except BrokenPipeError:
        # Output piped into `head` and the like: the reader has gone, which is not an error.
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except KeyboardInterrupt:
        print(
            "testlearn: interrupted; nothing was saved from the unfinished action", file=sys.stderr
        )
        return 130
    except Exception as error:
        from testlearn.services.databases import storage_failure

        # A full or failing drive met outside the places that name their own file.
        failure = storage_failure(error, _file_written(args, error))
        if failure is not None:
            print(f"testlearn: {failure}", file=sys.stderr)
            return EXIT_FAILED
        from testlearn.cli.logs import log_unexpected

        path = log_unexpected()
        print(
            f"testlearn: an unexpected error occurred; nothing was saved from this action. "
            f"Details are in {path}",
            file=sys.stderr,
        )
        return EXIT_FAILED


def _asking_for_a_password(run: Command, args: argparse.Namespace) -> int:
    """Run the command; if a server asks for a password and someone is at the terminal, ask
    (without echo) and run it again. The refusal comes at connecting, before anything is
    done, so running again repeats nothing. The password is held in memory only."""
    from testlearn.errors import PasswordNeeded

    for attempt in range(3):
        try:
            return run(args)
        except PasswordNeeded as needed:
            if attempt == 2 or not (sys.stdin.isatty() and sys.stderr.isatty()):
                raise
            from testlearn.services.databases import use_password

            if needed.refused:
                print(f"testlearn: {needed}", file=sys.stderr)
            password = getpass.getpass(f"Password for {needed.location}: ", stream=sys.stderr)
            if not password:
                raise
            use_password(needed.location, password)
    raise AssertionError("unreachable")  # the loop returns or raises


def _waits_announced(args: argparse.Namespace) -> contextlib.AbstractContextManager[None]:
    """While the command runs, a wait for another writer is said once, on stderr."""
    from testlearn.services.writer_waits import announce_waits

    said: list[str] = []

    def notice(text: str) -> None:
        if not said:
            said.append(text)
            print(f"testlearn: {text}", file=sys.stderr, flush=True)

    command = getattr(args, "command", None)
    return announce_waits(notice, doing=command or "the window")


def _file_written(args: argparse.Namespace, error: BaseException) -> str:
    """The file a command was writing when the drive refused: its output (--out, --into),
    else the file the error names, else its database. The output first: a failed copy names
    the file it read from, while the room is needed where the command writes."""
    from testlearn.services.databases import resolve_database_path

    named = getattr(error, "filename", None)
    for candidate in (getattr(args, "out", None), getattr(args, "into", None), named):
        if candidate:
            return str(candidate)
    return str(resolve_database_path(getattr(args, "db", None)))


logging.getLogger("testlearn").addHandler(logging.NullHandler())
