"""Edge cases where a lenient parser would accept the wrong thing."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from datetime import date

import pytest

from portail_core import (
    BirthDate,
    Email,
    InvalidEmailError,
    InvalidPermanentCodeError,
    OrganizationDirectory,
    PasswordPolicy,
    PermanentCode,
    PersonName,
    RecordNumber,
    ValidationError,
)

TODAY = date(2026, 9, 1)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        pytest.param(
            "ıREM15095512", "permanent_code.wrong_format", id="dotless-i"
        ),
        pytest.param(
            "ﬀEM15091512", "permanent_code.wrong_format", id="ligature"
        ),
        pytest.param(
            "TREM31021512", "permanent_code.invalid_day", id="31-february"
        ),
        pytest.param(
            "TREM31611512", "permanent_code.invalid_day", id="31-november-girl"
        ),
        pytest.param(
            "TREM93041512", "permanent_code.invalid_day", id="31-april-plus-62"
        ),
    ],
)
def test_permanent_code_rejected(text: str, code: str) -> None:
    with pytest.raises(InvalidPermanentCodeError) as caught:
        PermanentCode.parse(text)

    assert caught.value.codes == (code,)


@pytest.mark.parametrize(
    "text", ["TREM29021612", "TREM29520012", "TREM99131512", "TREM31129912"]
)
def test_permanent_code_possible_dates(text: str) -> None:
    assert str(PermanentCode.parse(text)) == text


@pytest.mark.parametrize(
    "password", ["Québec2024", "Montréal1", "LIBERTÉ123", "Été2025"]
)
def test_common_password_with_accents(password: str) -> None:
    problems = PasswordPolicy().problems(password)

    assert "password.common" in [problem.code for problem in problems]


@pytest.mark.parametrize("invisible", ["\u200b", "\u202e", "\u2066", "\xad"])
def test_password_invisible_rejected(invisible: str) -> None:
    problems = PasswordPolicy().problems(f"Tournesol{invisible}Bleu42")

    assert [problem.code for problem in problems] == [
        "password.invalid_character"
    ]


@pytest.mark.parametrize("control", ["\x1c", "\x1d", "\x1e", "\x1f", "\x85"])
def test_email_edge_control_rejected(control: str) -> None:
    with pytest.raises(InvalidEmailError) as caught:
        Email.parse(f"{control}parent@exemple.ca")

    assert caught.value.code == "email.invisible_character"


@pytest.mark.parametrize("space", [" ", "\t", "\n", "\r\n", "\xa0", "\u3000"])
def test_email_edge_space_trimmed(space: str) -> None:
    email = Email.parse(f"{space}parent@exemple.ca{space}")

    assert str(email) == "parent@exemple.ca"


def test_sharp_s_not_ss() -> None:
    assert Email.parse("straße@exemple.ca") != Email.parse(
        "strasse@exemple.ca"
    )


def test_email_upper_sharp_s_equal() -> None:
    assert Email.parse("STRAẞE@exemple.ca") == Email.parse("straße@exemple.ca")


def test_name_length_counted_after_nfc() -> None:
    decomposed = unicodedata.normalize("NFD", "É" * 60)

    name = PersonName.parse(decomposed)

    assert len(name.text) == 60


@pytest.mark.parametrize("text", ["2015/09/12", "2015.09.12", "2015-9-2"])
def test_birth_date_year_first_forms(text: str) -> None:
    parsed = BirthDate.parse(text, today=TODAY)

    assert parsed.value.year == 2015
    assert parsed.value.month == 9


@pytest.mark.parametrize("text", ["", "   ", "a" * 201, "Laval\u200b"])
def test_search_unusable_query_empty(text: str) -> None:
    assert OrganizationDirectory.bundled().search(text) == []


@pytest.mark.parametrize(
    ("parse", "text", "code"),
    [
        (
            PermanentCode.parse,
            "TREM1509\u200b5512",
            "permanent_code.invisible_character",
        ),
        (
            RecordNumber.parse,
            "482913\u200b",
            "record_number.invisible_character",
        ),
    ],
)
def test_invisible_character_named(
    parse: Callable[[str], object], text: str, code: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        parse(text)

    assert caught.value.code == code
    assert "U+200B ZERO WIDTH SPACE" in caught.value.message("en")
