"""The message catalogue: both languages, matching placeholders, no gaps.

Every error code used in the source must have messages, and every code in
the catalogue must be used. The source is scanned with the ast module for
string literals of the form ``word.word``, outside docstrings.
"""

import ast
import re
import string
from pathlib import Path

import pytest

import portail_core
from portail_core import Problem
from portail_core._catalogue import MESSAGES

SOURCE = Path(portail_core.__file__).parent
CODE_FORM = re.compile(r"[a-z]+(?:_[a-z]+)*\.[a-z]+(?:_[a-z]+)*")
CODES = sorted(MESSAGES)


def _placeholders(template: str) -> set[str]:
    return {
        field
        for _, field, _, _ in string.Formatter().parse(template)
        if field is not None
    }


def _dummy_params(code: str) -> dict[str, str | int]:
    french, english = MESSAGES[code]
    return dict.fromkeys(_placeholders(french) | _placeholders(english), 7)


@pytest.mark.parametrize("code", CODES)
def test_code_has_stable_form(code: str) -> None:
    assert CODE_FORM.fullmatch(code)


@pytest.mark.parametrize("code", CODES)
def test_french_text_not_empty(code: str) -> None:
    assert MESSAGES[code][0].strip()


@pytest.mark.parametrize("code", CODES)
def test_english_text_not_empty(code: str) -> None:
    assert MESSAGES[code][1].strip()


@pytest.mark.parametrize("code", CODES)
def test_languages_differ(code: str) -> None:
    # Identical texts mean one language was copied into the other.
    french, english = MESSAGES[code]

    assert french != english


@pytest.mark.parametrize("code", CODES)
def test_same_placeholders(code: str) -> None:
    french, english = MESSAGES[code]

    assert _placeholders(french) == _placeholders(english)


@pytest.mark.parametrize("code", CODES)
@pytest.mark.parametrize("language", ["fr", "en"])
def test_renders_with_dummy_values(code: str, language: str) -> None:
    problem = Problem(code, _dummy_params(code))

    rendered = problem.message(language)  # type: ignore[arg-type]

    assert "{" not in rendered


@pytest.mark.parametrize("code", CODES)
@pytest.mark.parametrize("language", ["fr", "en"])
def test_renders_every_value(code: str, language: str) -> None:
    params = _dummy_params(code)
    template = MESSAGES[code][0 if language == "fr" else 1]
    problem = Problem(code, params)

    rendered = problem.message(language)  # type: ignore[arg-type]

    assert rendered.count("7") >= template.count("7") + len(params)


@pytest.mark.parametrize("code", CODES)
def test_messages_end_as_sentences(code: str) -> None:
    french, english = MESSAGES[code]

    assert french.rstrip()[-1] in ".!?»"
    assert english.rstrip()[-1] in '.!?"'


def test_unknown_code_rejected() -> None:
    with pytest.raises(LookupError, match="missing from the catalogue"):
        Problem("email.not_a_code")


def test_error_unknown_code_rejected() -> None:
    with pytest.raises(LookupError, match="missing from the catalogue"):
        portail_core.InvalidEmailError("email.not_a_code")


def test_errors_without_params_share_problem() -> None:
    first = portail_core.InvalidEmailError("email.empty")
    second = portail_core.InvalidEmailError("email.empty")

    assert first.problems == (Problem("email.empty"),)
    assert first.problems[0] is second.problems[0]
    assert first.args == ("email.empty",)


def test_error_with_params_keeps_them() -> None:
    error = portail_core.InvalidEmailError("email.too_long", max_length=254)

    assert error.problems == (Problem("email.too_long", {"max_length": 254}),)


# Scanning the source for the codes it uses.


def _docstring_nodes(tree: ast.Module) -> set[int]:
    """Return the ids of string constants that stand alone as statements."""
    return {
        id(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
    }


def _source_files() -> list[Path]:
    return sorted(
        path for path in SOURCE.rglob("*.py") if path.name != "_catalogue.py"
    )


def _code_literals() -> dict[str, list[str]]:
    """Map each ``word.word`` literal in the source to where it occurs."""
    found: dict[str, list[str]] = {}
    for path in _source_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skipped = _docstring_nodes(tree)
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in skipped
                and CODE_FORM.fullmatch(node.value)
            ):
                where = f"{path.relative_to(SOURCE)}:{node.lineno}"
                found.setdefault(node.value, []).append(where)
    return found


def _callee_name(call: ast.Call) -> str:
    function = call.func
    if isinstance(function, ast.Name):
        return function.id
    if isinstance(function, ast.Attribute):
        return function.attr
    return ""


def _constructor_codes() -> dict[str, list[str]]:
    """Map ``word.word`` literals passed first to an error, Problem or
    ``__init__`` call to where they occur."""
    found: dict[str, list[str]] = {}
    for path in _source_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and node.args):
                continue
            name = _callee_name(node)
            if not (name.endswith("Error") or name in {"Problem", "__init__"}):
                continue
            first = node.args[0]
            if (
                isinstance(first, ast.Constant)
                and isinstance(first.value, str)
                and CODE_FORM.fullmatch(first.value)
            ):
                where = f"{path.relative_to(SOURCE)}:{node.lineno}"
                found.setdefault(first.value, []).append(where)
    return found


CODE_LITERALS = _code_literals()
CONSTRUCTOR_CODES = _constructor_codes()


def test_scan_finds_constructor_codes() -> None:
    # Guards the scanner itself, because these calls are known to exist.
    assert {"email.empty", "code.expired", "flow.locked"} <= set(
        CONSTRUCTOR_CODES
    )


def test_scan_finds_mapped_codes() -> None:
    # Codes chosen through a dict or a conditional are literals too.
    assert {"link.permanent_code_day", "link.rejected"} <= set(CODE_LITERALS)


@pytest.mark.parametrize(
    "code",
    [
        pytest.param(code, id=f"{code}@{places[0]}")
        for code, places in sorted(CONSTRUCTOR_CODES.items())
    ],
)
def test_constructor_code_in_catalogue(code: str) -> None:
    assert code in MESSAGES


@pytest.mark.parametrize(
    "code",
    [
        pytest.param(code, id=f"{code}@{places[0]}")
        for code, places in sorted(CODE_LITERALS.items())
    ],
)
def test_code_literal_in_catalogue(code: str) -> None:
    assert code in MESSAGES


@pytest.mark.parametrize("code", CODES)
def test_catalogue_code_used(code: str) -> None:
    assert code in CODE_LITERALS
