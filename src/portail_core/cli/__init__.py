"""Command line: ``python -m portail_core`` or ``portail-core``.

Commands:

* ``demo``: walk a parent's whole sign-up on the embedded default.
* ``check KIND VALUE``: report whether a value is accepted, and why not.
* ``find-organization TEXT``: rank school organizations by name.

Exit codes: 0 success, 1 a value was rejected or nothing was found,
2 a usage error.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from datetime import datetime
from typing import TextIO

EXIT_OK = 0
EXIT_REJECTED = 1
EXIT_USAGE = 2
EXIT_IO_ERROR = 74  # EX_IOERR in BSD's sysexits.h: the output failed.

# Years the demo's --now accepts: far enough from datetime's limits that
# adding a code's lifetime or an hour's window cannot overflow.
NOW_YEARS = range(2000, 2101)


def build_parser() -> argparse.ArgumentParser:
    """Build the parser of every command and its options."""
    parser = argparse.ArgumentParser(
        prog="portail-core",
        description=(
            "Account creation rules of a Quebec school parent portal: "
            "email verification, passwords, and linking children to their "
            "school records."
        ),
        epilog=(
            "Exit codes: 0 success, 1 value rejected or nothing found, "
            "2 usage error."
        ),
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True

    demo = commands.add_parser(
        "demo",
        help="walk a parent's whole sign-up on fictional data",
        description=(
            "Walk a parent's whole sign-up on the embedded default "
            "(in-memory adapters and a fictional roster of the Centre de "
            "services scolaire du Chemin-du-Roy), printing each step, the "
            "email received, the state and the events."
        ),
        epilog=(
            "Examples: portail-core demo --lang en; "
            "portail-core demo --store sqlite portail.db (a second run "
            "finds the account of the first; within a minute of it, the "
            "second run shows the wait before a new email instead)"
        ),
    )
    demo.add_argument(
        "--store",
        nargs="+",
        default=["memory"],
        metavar=("KIND", "PATH"),
        help=(
            "where flows and accounts live: 'memory' (the default) or "
            "'sqlite PATH', a SQLite file created if missing"
        ),
    )
    demo.add_argument(
        "--now",
        type=_aware_time,
        metavar="TIME",
        help=(
            "run as if it were TIME, an ISO 8601 time with an offset such "
            "as 2026-09-01T12:00:00+00:00 (default: the system clock)"
        ),
    )
    _add_language(demo)

    from portail_core.cli._check import add_check_parser

    add_check_parser(commands, _add_language)

    find = commands.add_parser(
        "find-organization",
        help="rank school organizations by how well their names match",
        description=(
            "Rank Quebec school organizations by how well a name matches "
            "TEXT. Accents, case, 'CSS' and 'de/du/des' do not matter, and "
            "small typos are forgiven."
        ),
        epilog='Example: portail-core find-organization "chemin du roi"',
    )
    find.add_argument("text", metavar="TEXT", help="name as a parent types it")
    find.add_argument(
        "--limit",
        type=int,
        default=5,
        metavar="N",
        help="maximum number of matches to print (default: 5)",
    )
    _add_language(find)
    return parser


def _add_language(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--lang",
        choices=("fr", "en"),
        default="fr",
        help="language of the output (default: fr)",
    )


def main(
    argv: Sequence[str] | None = None, output: TextIO | None = None
) -> int:
    """Run the command line and return its exit code."""
    stream = output or sys.stdout
    if stream is None:
        # Started with standard output closed: there is nowhere to write.
        return EXIT_IO_ERROR
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is not None:
        # Print an escape instead of failing on a terminal whose encoding
        # has no accents.
        reconfigure(errors="backslashreplace")

    parser = build_parser()
    try:
        arguments = parser.parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)

    try:
        code = _run(stream, arguments)
        stream.flush()
    except BrokenPipeError:
        # The reader went away, as with "| head": stop quietly, like other
        # command-line tools, and keep Python from failing again at exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_IO_ERROR
    except OSError as error:
        print(
            f"portail-core: cannot write the output: {error.strerror}",
            file=sys.stderr,
        )
        return EXIT_IO_ERROR
    return code


def _run(stream: TextIO, arguments: argparse.Namespace) -> int:
    if arguments.command == "demo":
        return _demo(stream, arguments)
    if arguments.command == "find-organization":
        return _find_organization(
            stream, arguments.text, arguments.limit, arguments.lang
        )
    from portail_core.cli._check import run_check

    return run_check(stream, arguments)


def _demo(stream: TextIO, arguments: argparse.Namespace) -> int:
    from pathlib import Path

    from portail_core._errors import PortailError
    from portail_core.cli._demo import run_demo

    store = arguments.store
    if store == ["memory"]:
        database = None
    elif len(store) == 2 and store[0] == "sqlite":
        database = Path(store[1])
    else:
        print(
            "portail-core demo: --store takes 'memory' or 'sqlite PATH'.",
            file=sys.stderr,
        )
        return EXIT_USAGE
    try:
        return run_demo(
            stream, arguments.lang, database=database, now=arguments.now
        )
    except PortailError as error:
        print(
            f"portail-core demo: {error.message(arguments.lang)}",
            file=sys.stderr,
        )
        return EXIT_REJECTED


def _aware_time(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not an ISO 8601 time"
        ) from None
    if moment.tzinfo is None:
        raise argparse.ArgumentTypeError(
            f"{text!r} needs an offset, such as +00:00"
        )
    if moment.year not in NOW_YEARS:
        raise argparse.ArgumentTypeError(
            f"{text!r} is outside the years {NOW_YEARS.start} to "
            f"{NOW_YEARS.stop - 1}"
        )
    return moment


def _find_organization(
    stream: TextIO, text: str, limit: int, language: str
) -> int:
    from portail_core.values import OrganizationDirectory

    if limit < 1:
        print("portail-core: --limit must be at least 1.", file=sys.stderr)
        return EXIT_USAGE
    matches = OrganizationDirectory.bundled().search(text, limit=limit)
    if not matches:
        message = (
            "Aucune organisation scolaire ne correspond."
            if language == "fr"
            else "No school organization matches."
        )
        stream.write(message + "\n")
        return EXIT_REJECTED
    for match in matches:
        name = match.organization.name("en" if language == "en" else "fr")
        stream.write(f"{match.organization.code}  {match.score:.2f}  {name}\n")
    return EXIT_OK
