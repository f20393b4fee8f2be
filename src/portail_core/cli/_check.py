"""``check``: report whether a value is accepted, and every reason if not."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import date
from typing import Any, TextIO

from portail_core._errors import (
    InvalidBirthDateError,
    Language,
    PortailError,
)
from portail_core.values import Consistency

EXIT_OK = 0
EXIT_REJECTED = 1
EXIT_USAGE = 2

_LABELS = {
    "accepted": ("Accepté", "Accepted"),
    "rejected": ("Refusé", "Rejected"),
    "canonical": ("Forme canonique", "Canonical form"),
    "key": ("Clé de comparaison", "Comparison key"),
    "length": ("Longueur", "Length"),
    "day": ("Jour", "Day"),
    "month": ("Mois", "Month"),
    "year": ("Année (2 chiffres)", "Year (2 digits)"),
    "sex_marker": ("Marqueur de sexe", "Sex marker"),
    "consistency": ("Cohérence", "Consistency"),
    "unknown": ("inconnu", "unknown"),
    # Parts of a permanent code and the verdicts on them.
    "part_family_name_letters": ("lettres du nom", "family name letters"),
    "part_given_name_letter": ("lettre du prénom", "given name letter"),
    "part_day": ("jour", "day"),
    "part_month": ("mois", "month"),
    "part_year": ("année", "year"),
    "part_sex_marker": ("marqueur de sexe", "sex marker"),
    "matches": ("concorde", "matches"),
    "differs": ("diffère", "differs"),
    "cannot_tell": ("indéterminé", "cannot tell"),
}


def add_check_parser(
    commands: Any,
    add_language: Callable[[argparse.ArgumentParser], None],
) -> None:
    """Add the ``check`` command and its kinds to `commands`."""
    check = commands.add_parser(
        "check",
        help="say whether a value is accepted, and why not",
        description=(
            "Check one value as a parent would type it. Prints the "
            "canonical form and exits 0, or prints every reason and "
            "exits 1."
        ),
        epilog=(
            "Examples: portail-core check email Parent@École.qc.ca; "
            "portail-core check record-number '12 345'; "
            "portail-core check password - < password.txt"
        ),
    )
    kinds = check.add_subparsers(dest="kind", metavar="KIND")
    kinds.required = True

    email = kinds.add_parser(
        "email",
        help="an email address",
        epilog="Example: portail-core check email Parent@École.qc.ca",
    )
    email.add_argument("value", metavar="VALUE", help="the address")
    add_language(email)

    password = kinds.add_parser(
        "password",
        help="a new password against the policy",
        epilog=(
            "Example: portail-core check password 'Hiver2024!' "
            "--email parent@exemple.ca"
        ),
    )
    password.add_argument(
        "value",
        metavar="VALUE",
        help=(
            "the password, or - to read it from standard input, which "
            "keeps it out of the process list and the shell's history"
        ),
    )
    password.add_argument(
        "--email",
        help="account's email address, which the password must not contain",
    )
    password.add_argument(
        "--min-length",
        type=int,
        default=8,
        metavar="N",
        help="minimum length in characters (default: 8)",
    )
    password.add_argument(
        "--max-length",
        type=int,
        default=64,
        metavar="N",
        help="maximum length in characters (default: 64)",
    )
    add_language(password)

    code = kinds.add_parser(
        "permanent-code",
        help="a student's permanent code (4 letters, 8 digits)",
        description=(
            "Check a permanent code's format. With --family-name, "
            "--given-names and --birth-date, also explain whether each "
            "part agrees with them."
        ),
        epilog=(
            "Example: portail-core check permanent-code 'TREM 1509 5512' "
            "--family-name Tremblay --given-names Marie "
            "--birth-date 1955-09-15"
        ),
    )
    code.add_argument(
        "value", metavar="VALUE", help="the code, spaces and dashes allowed"
    )
    code.add_argument("--family-name", help="family name as typed")
    code.add_argument("--given-names", help="given names as typed")
    code.add_argument(
        "--birth-date", help="birth date as YYYY-MM-DD (ISO 8601)"
    )
    add_language(code)

    record = kinds.add_parser(
        "record-number",
        help="a student's record number (1 to 7 digits)",
        epilog="Example: portail-core check record-number '12 345'",
    )
    record.add_argument(
        "value", metavar="VALUE", help="the number, spaces allowed"
    )
    add_language(record)


def run_check(stream: TextIO, arguments: argparse.Namespace) -> int:
    """Run ``check`` with parsed `arguments`; return the exit code."""
    language: Language = arguments.lang

    def label(key: str) -> str:
        french, english = _LABELS[key]
        return french if language == "fr" else english

    checkers = {
        "email": _check_email,
        "password": _check_password,
        "permanent-code": _check_permanent_code,
        "record-number": _check_record_number,
    }
    try:
        rows = checkers[arguments.kind](arguments)
    except UsageError as error:
        sys.stderr.write(f"portail-core check: {error}\n")
        return EXIT_USAGE
    except PortailError as error:
        stream.write(f"{label('rejected')}\n")
        for problem in error.problems:
            stream.write(f"- [{problem.code}] {problem.message(language)}\n")
        return EXIT_REJECTED

    stream.write(f"{label('accepted')}\n")
    separator = " : " if language == "fr" else ": "
    for key, value in rows:
        if value is None:
            shown = label("unknown")
        elif isinstance(value, Consistency):
            separator_part = " : " if language == "fr" else ": "
            shown = "; ".join(
                f"{label('part_' + check.part.value)}{separator_part}"
                f"{label(check.verdict.value)}"
                for check in value.checks
            )
        else:
            shown = str(value)
        stream.write(f"{label(key)}{separator}{shown}\n")
    return EXIT_OK


class UsageError(Exception):
    """Options that do not fit together; exit code 2."""


Rows = list[tuple[str, object]]


def _check_email(arguments: argparse.Namespace) -> Rows:
    from portail_core.values import Email

    email = Email.parse(arguments.value)
    return [("canonical", str(email)), ("key", email.key)]


def _check_password(arguments: argparse.Namespace) -> Rows:
    from portail_core.values import Email, PasswordPolicy

    if arguments.min_length < 1:
        raise UsageError("--min-length must be at least 1.")
    if arguments.max_length < arguments.min_length:
        raise UsageError("--max-length must be at least --min-length.")
    policy = PasswordPolicy(
        min_length=arguments.min_length, max_length=arguments.max_length
    )
    email = Email.parse(arguments.email) if arguments.email else None
    text = arguments.value
    if text == "-":
        # One line ending is the terminal's or the file's, not the
        # password's; every other character counts.
        text = sys.stdin.read().removesuffix("\n").removesuffix("\r")
    password = policy.parse(text, email=email)
    # The password itself is never printed, only its length.
    return [("length", len(password))]


def _check_permanent_code(arguments: argparse.Namespace) -> Rows:
    from portail_core.signup._linking import mismatch_error
    from portail_core.values import PermanentCode

    code = PermanentCode.parse(arguments.value)
    rows: Rows = [
        ("canonical", str(code)),
        ("day", code.day),
        ("month", code.month),
        ("year", f"{code.year_digits:02d}"),
        ("sex_marker", code.sex_marker),
    ]
    typed = (
        arguments.family_name,
        arguments.given_names,
        arguments.birth_date,
    )
    if not any(value is not None for value in typed):
        return rows
    if not all(value is not None for value in typed):
        raise UsageError(
            "--family-name, --given-names and --birth-date go together."
        )
    try:
        birth_date = date.fromisoformat(arguments.birth_date)
    except ValueError:
        raise InvalidBirthDateError("birth_date.unreadable") from None
    consistency = code.consistency(
        family_name=arguments.family_name,
        given_names=arguments.given_names,
        birth_date=birth_date,
    )
    error = mismatch_error(consistency)
    if error is not None:
        raise error
    rows.append(("consistency", consistency))
    return rows


def _check_record_number(arguments: argparse.Namespace) -> Rows:
    from portail_core.values import RecordNumber

    return [("canonical", str(RecordNumber.parse(arguments.value)))]
