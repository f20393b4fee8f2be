"""The command line, run as a subprocess as users run it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


def run(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "portail_core", *arguments],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )


def test_demo_ends_children_linked() -> None:
    result = run("demo")

    assert result.returncode == 0, result.stderr
    last_line = result.stdout.strip().splitlines()[-1]
    assert "CHILDREN_LINKED" in last_line
    assert "2 enfant(s)" in last_line


def test_demo_shows_every_step_in_french() -> None:
    # The demo wraps long messages, so compare with spacing collapsed.
    output = " ".join(run("demo").stdout.split())

    for expected in (
        "Courriel entré : Emilie.Gagnon@Courriel.example",
        "Votre code de vérification",
        "Courriel vérifié.",
        "Le mot de passe doit compter au moins 8 caractères.",
        "Accepté : le compte est créé.",
        "Numéro de fiche : 482913",
        "utilisez plutôt son code permanent",
        "Code permanent : BERM 0211 1305",
        "État : EMAIL_VERIFIED",
        "État : PASSWORD_SET",
        "Événements : ChildLinkRejected",
    ):
        assert expected in output


def test_demo_in_english() -> None:
    result = run("demo", "--lang", "en")
    output = " ".join(result.stdout.split())

    assert result.returncode == 0, result.stderr
    assert "Email verified." in output
    assert "use the permanent code instead" in output
    assert "Your verification code" in output
    assert "Final state: CHILDREN_LINKED, 2 child(ren) linked" in output
    assert "Courriel entré" not in output


def test_demo_hides_accepted_password() -> None:
    output = run("demo").stdout

    assert "Éléphant-Bleu-2024" not in output


def test_console_script_installed() -> None:
    script = Path(sys.executable).with_name("portail-core")
    if not script.exists():
        pytest.skip("the package is not installed in this interpreter's venv")

    result = subprocess.run(
        [str(script), "find-organization", "chemin du roi"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("741000")


@pytest.mark.parametrize(
    ("arguments", "expected_code", "expected_text"),
    [
        (("check", "email", " Parent@École.QC.ca "), 0, "parent@xn--cole-9oa"),
        (("check", "email", "parent.ecole.qc.ca"), 1, "[email.missing_at]"),
        (("check", "email", "pa\u200brent@ecole.ca"), 1, "U+200B"),
        (("check", "record-number", "12 345"), 0, "0012345"),
        (("check", "record-number", "12345678"), 1, "record_number.too_long"),
        (("check", "permanent-code", "trem-1509-5512"), 0, "TREM15095512"),
        (("check", "permanent-code", "TREM1545"), 1, "wrong_length"),
        (("check", "password", "Éléphant12"), 0, "Longueur : 10"),
        (("check", "password", "court"), 1, "password.missing_digit"),
        (("find-organization", "chemin du roi"), 0, "741000"),
        (("find-organization", "zzzzzz"), 1, "Aucune organisation"),
    ],
    ids=lambda value: value if isinstance(value, int) else None,
)
def test_command_exit_and_output(
    arguments: tuple[str, ...], expected_code: int, expected_text: str
) -> None:
    result = run(*arguments)

    assert result.returncode == expected_code, result.stderr
    assert expected_text in result.stdout


def test_check_password_lists_every_reason() -> None:
    result = run("check", "password", "court", "--lang", "en")

    assert result.returncode == 1
    assert "password.too_short" in result.stdout
    assert "password.missing_digit" in result.stdout
    assert "password.missing_uppercase" in result.stdout
    assert "at least one digit" in result.stdout


def test_check_password_never_prints_value() -> None:
    result = run("check", "password", "Tournesol-Bleu-77")

    assert result.returncode == 0
    assert "Tournesol-Bleu-77" not in result.stdout


def test_check_permanent_code_consistency() -> None:
    result = run(
        "check",
        "permanent-code",
        "TREM15095512",
        "--family-name",
        "Gagnon",
        "--given-names",
        "Marie",
        "--birth-date",
        "1955-09-15",
    )

    assert result.returncode == 1
    assert "link.permanent_code_family_name" in result.stdout


@pytest.mark.parametrize(
    "arguments",
    [
        (),
        ("unknown-command",),
        ("check",),
        ("check", "email"),
        ("demo", "--lang", "de"),
        ("check", "password", "Abcdefg1", "--min-length", "90"),
        ("check", "permanent-code", "TREM15095512", "--family-name", "Roy"),
        ("find-organization", "laval", "--limit", "0"),
    ],
)
def test_usage_error_exits_2(arguments: tuple[str, ...]) -> None:
    assert run(*arguments).returncode == 2


@pytest.mark.parametrize(
    "command",
    [
        (),
        ("demo",),
        ("check",),
        ("check", "email"),
        ("check", "password"),
        ("check", "permanent-code"),
        ("check", "record-number"),
        ("find-organization",),
    ],
)
def test_help_exits_0(command: tuple[str, ...]) -> None:
    result = run(*command, "--help")

    assert result.returncode == 0
    assert "usage:" in result.stdout


def test_demo_sqlite_second_run_notice(tmp_path: Path) -> None:
    database = str(tmp_path / "portail.db")
    first = run(
        "demo",
        "--store",
        "sqlite",
        database,
        "--now",
        "2026-09-01T12:00+00:00",
    )
    second = run(
        "demo",
        "--store",
        "sqlite",
        database,
        "--now",
        "2026-09-01T14:00+00:00",
    )

    assert first.returncode == 0, first.stderr
    assert "CHILDREN_LINKED, 2 enfant(s)" in first.stdout
    assert second.returncode == 0, second.stderr
    assert "Vous avez déjà un compte au portail parents" in second.stdout
    assert "le compte existant a 2 enfant(s)" in second.stdout
    assert "Traceback" not in second.stderr


def test_demo_sqlite_rejects_foreign_file(tmp_path: Path) -> None:
    database = tmp_path / "notes.db"
    database.write_text("Notes de la réunion de parents.\n" * 50)

    result = run("demo", "--store", "sqlite", str(database))

    assert result.returncode == 1
    assert "n'est pas une base de données SQLite" in result.stderr
    assert "Traceback" not in result.stderr
    assert database.read_text().startswith("Notes de la réunion")


@pytest.mark.parametrize(
    "arguments",
    [
        ("--store", "sqlite"),
        ("--store", "postgres", "x"),
        ("--now", "hier"),
        ("--now", "2026-09-01T12:00"),
    ],
)
def test_demo_option_errors_exit_2(arguments: tuple[str, ...]) -> None:
    assert run("demo", *arguments).returncode == 2


def test_closed_pipe_exits_quietly() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "portail_core", "demo"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )
    assert process.stdout is not None
    process.stdout.readline()
    process.stdout.close()
    _, errors = process.communicate(timeout=120)

    assert process.returncode == 74
    assert b"Traceback" not in errors


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_full_disk_reports_error() -> None:
    with open("/dev/full", "w", encoding="utf-8") as full:
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "portail_core",
                "find-organization",
                "laval",
            ],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
            check=False,
        )

    assert result.returncode == 74
    assert "cannot write the output" in result.stderr
    assert "Traceback" not in result.stderr


def test_demo_now_out_of_range_exit_2() -> None:
    result = run("demo", "--now", "9999-12-31T23:59:59+00:00")

    assert result.returncode == 2
    assert "outside the years" in result.stderr


def test_password_length_options_checked() -> None:
    result = run("check", "password", "Abcdefg1", "--max-length", "4")

    assert result.returncode == 2
    assert "--max-length must be at least --min-length" in result.stderr


def test_consistency_line_in_french() -> None:
    result = run(
        "check",
        "permanent-code",
        "TREM15095512",
        "--family-name",
        "Tremblay",
        "--given-names",
        "Marie",
        "--birth-date",
        "1955-09-15",
    )

    assert result.returncode == 0
    assert "lettres du nom : concorde" in result.stdout
    assert "family_name_letters" not in result.stdout


def test_demo_second_run_too_soon(tmp_path: Path) -> None:
    database = str(tmp_path / "portail.db")
    now = ("--now", "2026-09-01T12:00+00:00")
    run("demo", "--store", "sqlite", database, *now)

    result = run("demo", "--store", "sqlite", database, *now)

    assert result.returncode == 0, result.stderr
    assert "redemandez un code dans 60 secondes" in result.stdout
    assert "Traceback" not in result.stderr


def test_check_password_from_stdin() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "portail_core", "check", "password", "-"],
        input=" Tournesol-Bleu-77\n",
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=False,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )

    assert result.returncode == 0, result.stdout
    # The leading space is part of the password; the line ending is not.
    assert "Longueur : 18" in result.stdout


def test_check_help_has_examples() -> None:
    result = run("check", "--help")

    assert result.returncode == 0
    assert "Examples:" in result.stdout
