"""Hypothesis properties of the value objects.

The valid and invalid inputs come from `portail_core.testing.strategies`,
the strategies the library ships for integrators' tests.
"""

import string
import unicodedata
from collections.abc import Callable
from datetime import date, timedelta

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from unidecode import unidecode

import portail_core
from portail_core import InvalidPasswordError, ValidationError
from portail_core._catalogue import MESSAGES
from portail_core.testing import strategies
from portail_core.values import (
    BirthDate,
    Email,
    OrganizationDirectory,
    Password,
    PasswordPolicy,
    PermanentCode,
    PersonName,
    RecordNumber,
    SchoolOrganization,
)

# The reference day of the strategies, on which birth_dates() generates
# plausible dates.
TODAY = date(2026, 9, 1)
POLICY = PasswordPolicy()
DIRECTORY = OrganizationDirectory.bundled()

# Parsing runs email-validator and unidecode, whose first calls load
# tables, so a fixed deadline would fail on the first example only.
PROPERTY = settings(deadline=None)


# Canonical round trip: parsing the canonical text gives the same value.


@PROPERTY
@given(strategies.emails())
def test_email_round_trip(email: Email) -> None:
    assert Email.parse(str(email)) == email


@PROPERTY
@given(strategies.permanent_codes())
def test_permanent_code_round_trip(code: PermanentCode) -> None:
    assert PermanentCode.parse(str(code)) == code


@PROPERTY
@given(strategies.record_numbers())
def test_record_number_round_trip(number: RecordNumber) -> None:
    assert RecordNumber.parse(str(number)) == number


@PROPERTY
@given(strategies.person_names())
def test_person_name_round_trip(name: PersonName) -> None:
    assert PersonName.parse(str(name)) == name


@PROPERTY
@given(strategies.birth_dates(today=TODAY))
def test_birth_date_round_trip(birth: BirthDate) -> None:
    assert BirthDate.parse(str(birth), today=TODAY) == birth


@PROPERTY
@given(strategies.passwords())
def test_password_round_trip(password: Password) -> None:
    # Passwords never compare equal, so compare what a hasher receives.
    assert POLICY.parse(password.reveal()).reveal() == password.reveal()


@PROPERTY
@given(strategies.organizations())
def test_organization_round_trip_name(
    organization: SchoolOrganization,
) -> None:
    assert DIRECTORY.lookup(organization.name_fr) == organization


@PROPERTY
@given(strategies.organizations())
def test_organization_round_trip_code(
    organization: SchoolOrganization,
) -> None:
    assert DIRECTORY.lookup(organization.code) == organization


# Email: equality and hash ignore case, normalization form and IDN form.

CASE_CHANGES: dict[str, Callable[[str], str]] = {
    "upper": str.upper,
    "lower": str.lower,
    "swapcase": str.swapcase,
    "title": str.title,
}


@PROPERTY
@given(strategies.emails(), st.sampled_from(sorted(CASE_CHANGES)))
def test_email_equal_under_case(email: Email, change: str) -> None:
    changed = Email.parse(CASE_CHANGES[change](str(email)))

    assert changed == email


@PROPERTY
@given(strategies.emails(), st.sampled_from(sorted(CASE_CHANGES)))
def test_email_hash_under_case(email: Email, change: str) -> None:
    changed = Email.parse(CASE_CHANGES[change](str(email)))

    assert hash(changed) == hash(email)


@PROPERTY
@given(strategies.email_texts())
def test_email_mixed_case_equal_lower(text: str) -> None:
    assert Email.parse(text) == Email.parse(text.lower())


@PROPERTY
@given(strategies.email_texts())
def test_email_mixed_case_hash_lower(text: str) -> None:
    assert hash(Email.parse(text)) == hash(Email.parse(text.lower()))


@PROPERTY
@given(strategies.emails(), st.sampled_from(("NFC", "NFD", "NFKC", "NFKD")))
def test_email_equal_under_normal_forms(email: Email, form: str) -> None:
    # NFKC and NFKD act as NFC and NFD here, because the strategy's letters
    # have no compatibility decomposition.
    text = unicodedata.normalize(form, str(email))  # type: ignore[arg-type]

    assert Email.parse(text) == email


@PROPERTY
@given(strategies.emails())
def test_email_hash_under_nfd(email: Email) -> None:
    text = unicodedata.normalize("NFD", str(email))

    assert hash(Email.parse(text)) == hash(email)


@PROPERTY
@given(strategies.emails())
def test_email_nfd_upper_equal(email: Email) -> None:
    text = unicodedata.normalize("NFD", str(email).upper())

    assert Email.parse(text) == email


def _punycode_domain(domain: str) -> str:
    return ".".join(
        label.encode("idna").decode("ascii") for label in domain.split(".")
    )


@PROPERTY
@given(strategies.emails())
def test_email_idn_punycode_equal(email: Email) -> None:
    ascii_form = f"{email.local_part}@{_punycode_domain(email.domain)}"

    assert Email.parse(ascii_form) == email


@PROPERTY
@given(strategies.emails())
def test_email_idn_punycode_same_hash(email: Email) -> None:
    ascii_form = f"{email.local_part}@{_punycode_domain(email.domain)}"

    assert hash(Email.parse(ascii_form)) == hash(email)


@PROPERTY
@given(strategies.emails())
def test_email_key_domain_is_ascii(email: Email) -> None:
    assert email.key.rpartition("@")[2].isascii()


# PersonName: the key ignores case, accents and hyphen or space changes.

NAME_CHANGES: dict[str, Callable[[str], str]] = {
    "upper": str.upper,
    "lower": str.lower,
    "unidecode": unidecode,
    "nfd": lambda text: unicodedata.normalize("NFD", text),
    "hyphens-to-spaces": lambda text: text.replace("-", " "),
    "spaces-to-hyphens": lambda text: text.replace(" ", "-"),
    "apostrophes-dropped": lambda text: text.replace("'", ""),
}


@PROPERTY
@given(strategies.person_names(), st.sampled_from(sorted(NAME_CHANGES)))
def test_name_key_stable(name: PersonName, change: str) -> None:
    changed = PersonName.parse(NAME_CHANGES[change](str(name)))

    assert changed.key == name.key


@PROPERTY
@given(strategies.person_names())
def test_name_key_is_ascii_alnum(name: PersonName) -> None:
    assert name.key.isascii()
    assert name.key.isalnum()


# No secret in repr() or str().


@PROPERTY
@given(strategies.emails())
def test_email_repr_hides_address(email: Email) -> None:
    assert str(email) not in repr(email)


@PROPERTY
@given(strategies.emails())
def test_email_repr_hides_local_part(email: Email) -> None:
    # "Email(<hidden>)" can contain a local part such as "Emai" by chance.
    assume(email.local_part.lower() not in "email(<hidden>)")

    assert email.local_part not in repr(email)


@PROPERTY
@given(strategies.passwords())
def test_password_repr_hides_value(password: Password) -> None:
    assert password.reveal() not in repr(password)


@PROPERTY
@given(strategies.passwords())
def test_password_str_hides_value(password: Password) -> None:
    assert password.reveal() not in str(password)


@PROPERTY
@given(strategies.person_names())
def test_name_repr_hides_name(name: PersonName) -> None:
    # "PersonName(<hidden>)" can contain a short name by chance.
    assume(len(name.text) >= 4)

    assert name.text not in repr(name)


@PROPERTY
@given(strategies.birth_dates(today=TODAY))
def test_birth_date_repr_hides_date(birth: BirthDate) -> None:
    assert str(birth) not in repr(birth)


@PROPERTY
@given(strategies.birth_dates(today=TODAY))
def test_birth_date_repr_hides_year(birth: BirthDate) -> None:
    assert str(birth.value.year) not in repr(birth)


@PROPERTY
@given(strategies.permanent_codes())
def test_permanent_code_repr_hides_digits(code: PermanentCode) -> None:
    assert str(code)[4:] not in repr(code)


@PROPERTY
@given(strategies.permanent_codes())
def test_permanent_code_repr_has_no_digit(code: PermanentCode) -> None:
    assert not any(character.isdigit() for character in repr(code))


# No input in any error: str(), repr() and both messages.

# Text that every error shows whatever its input: the catalogue's
# templates, the codes, and the class names that repr() shows. An input
# found in it proves no leak.
FIXED_TEXT = "\n".join(
    [
        *(template for pair in MESSAGES.values() for template in pair),
        *MESSAGES,
        *(name for name in dir(portail_core) if name.endswith("Error")),
    ]
)


def _leaks(parse: Callable[[str], object], text: str) -> list[str]:
    """Return each rendering of the raised error that contains `text`."""
    stripped = text.strip()
    assume(len(stripped) >= 4 and stripped not in FIXED_TEXT)
    try:
        parse(text)
    except ValidationError as error:
        renderings = {
            "str": str(error),
            "repr": repr(error),
            "fr": error.message("fr"),
            "en": error.message("en"),
        }
        return [
            name
            for name, rendered in renderings.items()
            if stripped in rendered
        ]
    assume(False)  # The parser accepted the input, so nothing to check.
    return []


def _future_or_too_old(days: int) -> str:
    if days >= 0:
        return (TODAY + timedelta(days=days + 1)).isoformat()
    return (date(2000, 9, 1) + timedelta(days=days)).isoformat()


def _invalid_record_numbers() -> st.SearchStrategy[str]:
    return st.one_of(
        st.text(string.digits, min_size=8, max_size=20).filter(
            lambda text: len(text.lstrip("0")) > 7
        ),
        st.text(string.ascii_letters + string.digits + "-#.", min_size=4),
    )


def _invalid_names() -> st.SearchStrategy[str]:
    return st.builds(
        lambda name, digits: f"{name}{digits}",
        st.sampled_from(strategies.FAMILY_NAMES),
        st.text(string.digits + "@_()", min_size=1, max_size=4),
    )


def _invalid_birth_dates() -> st.SearchStrategy[str]:
    return st.one_of(
        st.integers(min_value=-20_000, max_value=20_000).map(
            _future_or_too_old
        ),
        st.builds(
            lambda year, day: f"{year}-02-{day}",
            st.integers(min_value=2001, max_value=2024),
            st.integers(min_value=30, max_value=99),
        ),
        st.text(string.ascii_letters + string.digits + "/-", min_size=4),
    )


PARSERS: dict[str, tuple[Callable[[str], object], st.SearchStrategy[str]]] = {
    "email": (Email.parse, strategies.invalid_emails()),
    "password": (POLICY.parse, strategies.invalid_passwords()),
    "permanent-code": (
        PermanentCode.parse,
        strategies.invalid_permanent_codes(),
    ),
    "record-number": (RecordNumber.parse, _invalid_record_numbers()),
    "name": (PersonName.parse, _invalid_names()),
    "birth-date": (
        lambda text: BirthDate.parse(text, today=TODAY),
        _invalid_birth_dates(),
    ),
    "organization": (
        DIRECTORY.lookup,
        st.text(string.ascii_letters + " ", min_size=4, max_size=40),
    ),
}


@PROPERTY
@given(st.data())
def test_error_never_shows_input(data: st.DataObject) -> None:
    kind = data.draw(st.sampled_from(sorted(PARSERS)), label="parser")
    parse, invalid = PARSERS[kind]
    text = data.draw(invalid, label="input")

    assert _leaks(parse, text) == []


@PROPERTY
@given(st.text(string.ascii_lowercase, min_size=4, max_size=12))
def test_contains_email_error_hides_both(local_part: str) -> None:
    assume(local_part not in FIXED_TEXT)
    email = Email.parse(f"{local_part}@exemple.ca")
    secret = f"X{local_part}-2026"

    with pytest.raises(InvalidPasswordError) as caught:
        POLICY.parse(secret, email=email)

    assert local_part not in str(caught.value)
