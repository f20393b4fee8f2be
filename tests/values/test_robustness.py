"""Every parser fed junk: only the library's typed errors, and no slow path.

A call may return (PasswordPolicy.problems and OrganizationDirectory.search
return results for any str) or raise ValidationError or TypeError. Any
other exception is a bug. A 1 MB string must be handled in well under a
second: the bound guards against quadratic work, it is not a benchmark.
"""

import time
from collections.abc import Callable
from datetime import date

import pytest

from portail_core import ChildClaim, ValidationError
from portail_core.values import (
    BirthDate,
    Email,
    OrganizationDirectory,
    PasswordPolicy,
    PermanentCode,
    PersonName,
    RecordNumber,
)

TODAY = date(2026, 9, 1)
MEGABYTE = 1_000_000
MAX_SECONDS = 1.0

DIRECTORY = OrganizationDirectory.bundled()

PARSERS: dict[str, Callable[..., object]] = {
    "email": Email.parse,
    "password-parse": PasswordPolicy().parse,
    "password-problems": PasswordPolicy().problems,
    "permanent-code": PermanentCode.parse,
    "record-number": RecordNumber.parse,
    "person-name": PersonName.parse,
    "birth-date": lambda value: BirthDate.parse(value, today=TODAY),
    "organization-lookup": DIRECTORY.lookup,
    "organization-search": DIRECTORY.search,
}

HUGE = {
    "1mb-letters": "a" * MEGABYTE,
    "1mb-digits": "1" * MEGABYTE,
    "1mb-at-signs": "@" * MEGABYTE,
    "1mb-spaces": " " * MEGABYTE,
    "1mb-accented": "é" * MEGABYTE,
    "1mb-zwsp": "\u200b" * MEGABYTE,
    "1mb-mixed": ("parent@exemple.ca Côté-Tremblay 2015-09-12 " * 30_000)[
        :MEGABYTE
    ],
    "1mb-padded-email": " " * MEGABYTE + "parent@exemple.ca" + " " * MEGABYTE,
}

JUNK_STR = {
    **HUGE,
    "empty": "",
    "space": " ",
    "whitespace": " \t\n\r\u00a0\u2003",
    "nul": "\x00",
    "nuls": "\x00" * 64,
    "controls": "\x01\x02\x07\x08\x1b[31m\x7f",
    "c1-controls": "\x85\x9b",
    "separators": "\x1c\x1d\x1e\x1f",
    "zwsp": "\u200b",
    "bom": "\ufeff",
    "zero-width-mix": "\u200b\u200c\u200d\u2060\ufeff",
    "rlo": "\u202e",
    "bidi-in-email": "parent\u202e@exemple.ca",
    "bidi-isolates": "\u2066\u2067\u2068\u2069",
    "line-separator": "\u2028\u2029",
    "lone-high-surrogate": "\ud800",
    "lone-low-surrogate": "\udfff",
    "surrogate-in-text": "Tremblay\ud800",
    "private-use": "\ue000",
    "unassigned": "\U000e0080",
    "combining-only": "\u0301\u0302\u0303",
    "emoji": "👨‍👩‍👧",
    "replacement": "\ufffd",
    "format-string": "{0}{max_length}%s%n",
}

JUNK_OTHER = {
    "bytes": b"parent@exemple.ca",
    "bytearray": bytearray(b"TREM15091512"),
    "none": None,
    "int": 12345,
    "zero": 0,
    "bool": True,
    "float": 3.14,
    "nan": float("nan"),
    "list": ["parent@exemple.ca"],
    "empty-list": [],
    "dict": {"email": "parent@exemple.ca"},
    "date": TODAY,
}


def _call(parse: Callable[..., object], value: object) -> object:
    """Return what `parse(value)` raised, or None if it returned."""
    try:
        parse(value)
    except Exception as error:  # Callers check the type.
        return error
    return None


def _cases(junk: dict[str, object]) -> list[object]:
    return [
        pytest.param(PARSERS[parser], value, id=f"{parser}-{name}")
        for parser in PARSERS
        for name, value in junk.items()
    ]


@pytest.mark.parametrize(("parse", "value"), _cases(JUNK_STR))
def test_str_junk_typed_outcome(
    parse: Callable[..., object], value: str
) -> None:
    outcome = _call(parse, value)

    assert outcome is None or isinstance(outcome, ValidationError), repr(
        outcome
    )


@pytest.mark.parametrize(("parse", "value"), _cases(JUNK_OTHER))
def test_non_str_raises_type_error(
    parse: Callable[..., object], value: object
) -> None:
    outcome = _call(parse, value)

    assert isinstance(outcome, TypeError), repr(outcome)


@pytest.mark.parametrize(("parse", "value"), _cases(HUGE))
def test_huge_input_is_fast(parse: Callable[..., object], value: str) -> None:
    start = time.perf_counter()
    _call(parse, value)
    elapsed = time.perf_counter() - start

    assert elapsed < MAX_SECONDS


# Parsers that build a value must reject the junk above, not only fail to
# crash. The padded address is the exception, because Email.parse trims
# every Unicode space and so must accept it.
BUILDERS = [
    "email",
    "password-parse",
    "permanent-code",
    "record-number",
    "person-name",
    "birth-date",
    "organization-lookup",
]


@pytest.mark.parametrize(
    ("parse", "value"),
    [
        pytest.param(PARSERS[parser], value, id=f"{parser}-{name}")
        for parser in BUILDERS
        for name, value in JUNK_STR.items()
        if (parser, name) != ("email", "1mb-padded-email")
    ],
)
def test_str_junk_rejected(parse: Callable[..., object], value: str) -> None:
    assert isinstance(_call(parse, value), ValidationError)


def test_padded_huge_email_trimmed() -> None:
    email = Email.parse(HUGE["1mb-padded-email"])

    assert str(email) == "parent@exemple.ca"


def test_huge_password_reported_as_too_long() -> None:
    problems = PasswordPolicy().problems("a" * MEGABYTE)

    assert [problem.code for problem in problems] == ["password.too_long"]


# A claim parses six form fields; junk in any one of them must give the
# claim's typed error or TypeError, never another exception.

CLAIM_FORM = {
    "organization": "CSS du Chemin-du-Roy",
    "birth_date": "2016-03-14",
    "family_name": "Côté-Tremblay",
    "given_names": "Léa-Rose",
    "record_number": "482913",
    "permanent_code": "COTL14531601",
}


def _parse_claim(field: str, value: object) -> object:
    return ChildClaim.parse(**{**CLAIM_FORM, field: value}, today=TODAY)  # type: ignore[arg-type]


@pytest.mark.parametrize("field", CLAIM_FORM)
@pytest.mark.parametrize("value", list(JUNK_STR.values()), ids=list(JUNK_STR))
def test_claim_str_junk_typed_outcome(field: str, value: str) -> None:
    outcome = _call(lambda text: _parse_claim(field, text), value)

    assert outcome is None or isinstance(outcome, ValidationError), repr(
        outcome
    )


@pytest.mark.parametrize("field", CLAIM_FORM)
@pytest.mark.parametrize(
    "value",
    [item for item in JUNK_OTHER.values() if item is not None],
    ids=[name for name, item in JUNK_OTHER.items() if item is not None],
)
def test_claim_non_str_type_error(field: str, value: object) -> None:
    outcome = _call(lambda item: _parse_claim(field, item), value)

    assert isinstance(outcome, TypeError), repr(outcome)
