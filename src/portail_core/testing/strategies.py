"""Hypothesis strategies for every value object, valid and invalid.

Valid strategies cover the whole valid space a parent can type: accented
and IDN addresses, compound and accented names, every date encoding of a
permanent code. Invalid strategies generate text each parser must reject
with its typed error. Importing this module needs Hypothesis, which is not
a runtime dependency of portail-core.

Installing the package registers the valid strategies with Hypothesis
through its ``hypothesis`` entry point, so ``st.from_type(Email)`` and the
like work.
"""

from __future__ import annotations

import string
from collections.abc import Callable
from datetime import date, timedelta
from typing import TypeVar, cast

from hypothesis import strategies as st
from unidecode import unidecode

from portail_core.signup import StudentRecord
from portail_core.values import (
    AgeRange,
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

_T = TypeVar("_T")

_TODAY = date(2026, 9, 1)

_ACCENTED_LOWER = "àâäçéèêëîïôöùûüÿœæ"
_ACCENTED_UPPER = "ÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸŒÆ"
_LOCAL_SYMBOLS = "._+-"

FAMILY_NAMES = (
    "Tremblay",
    "Gagnon",
    "Roy",
    "Côté",
    "Bouchard",
    "Gauthier",
    "Morin",
    "Lavoie",
    "Fortin",
    "Gagné",
    "Ouellet",
    "Pelletier",
    "Bélanger",
    "Lévesque",
    "Bergeron",
    "Leblanc",
    "Paquette",
    "Girard",
    "Simard",
    "Boucher",
    "Caron",
    "Beaulieu",
    "Cloutier",
    "Dubé",
    "Poirier",
    "Fournier",
    "Lapointe",
    "Leclerc",
    "Lefebvre",
    "Thériault",
    "Bérubé",
    "Nadeau",
    "D'Amour",
    "Saint-Pierre",
    "Nguyen",
    "Ng",
    "Ho",
    "Mc Duff",
    "de la Fontaine",
    "O'Neil",
)
GIVEN_NAMES = (
    "Léa",
    "Emma",
    "Olivia",
    "Alice",
    "Florence",
    "Zoé",
    "Béatrice",
    "Chloé",
    "Juliette",
    "Rosalie",
    "Marie-Ève",
    "Anne-Sophie",
    "Noémie",
    "Maëlle",
    "Éloïse",
    "William",
    "Thomas",
    "Liam",
    "Noah",
    "Félix",
    "Jacob",
    "Samuel",
    "Raphaël",
    "Émile",
    "Louis",
    "Jean-Philippe",
    "Xavier",
    "Mathis",
    "Zacharie",
    "Loïc",
)


def emails(*, internationalized: bool = True) -> st.SearchStrategy[Email]:
    """Generate valid email addresses, with accented local parts and IDN
    domains when `internationalized` is True."""
    letters = string.ascii_letters + string.digits
    if internationalized:
        letters += _ACCENTED_LOWER + _ACCENTED_UPPER
    atom = st.text(alphabet=letters, min_size=1, max_size=12)
    local = st.lists(atom, min_size=1, max_size=3).flatmap(
        lambda atoms: st.sampled_from(_LOCAL_SYMBOLS).map(
            lambda symbol: symbol.join(atoms)
        )
    )
    label_letters = string.ascii_lowercase + string.digits
    if internationalized:
        label_letters += "éèàçôîûë"
    label = st.text(alphabet=label_letters, min_size=1, max_size=15).filter(
        lambda text: text[0].isalnum() and text[-1].isalnum()
    )
    tld = st.sampled_from(("ca", "com", "org", "quebec", "example", "net"))
    domain = st.builds(
        lambda labels, top: ".".join([*labels, top]),
        st.lists(label, min_size=1, max_size=2),
        tld,
    )
    text = st.builds(lambda left, right: f"{left}@{right}", local, domain)
    return _parsed(text, Email.parse)


def email_texts(*, internationalized: bool = True) -> st.SearchStrategy[str]:
    """Generate valid addresses as text, in mixed case."""
    return emails(internationalized=internationalized).flatmap(
        lambda email: _mixed_case(str(email))
    )


def invalid_emails() -> st.SearchStrategy[str]:
    """Generate text that `Email.parse` must reject."""
    return st.one_of(
        st.just(""),
        st.text(alphabet=string.ascii_letters, min_size=1, max_size=20),
        st.builds(lambda text: text + "@", st.text(string.ascii_letters)),
        st.builds(
            lambda text: "@" + text + ".ca", st.text(string.ascii_letters)
        ),
        st.builds(
            lambda left, right: f"{left}@@{right}.ca",
            st.text(string.ascii_letters, min_size=1),
            st.text(string.ascii_letters, min_size=1),
        ),
        st.builds(
            lambda left, char: f"pa{char}rent{left}@ecole.ca",
            st.text(string.ascii_letters),
            st.sampled_from(
                "\u200b\u200c\u200d\u2060\ufeff\u202e\u2066\x00\n"
            ),
        ),
        st.just("pаrent@ecole.ca"),
        st.just("parent@ecole"),
        st.just("par..ent@ecole.ca"),
        st.just("a" * 300 + "@ecole.ca"),
    )


def passwords(
    policy: PasswordPolicy | None = None,
) -> st.SearchStrategy[Password]:
    """Generate passwords that `policy` (the default one if None) accepts,
    with accented letters, symbols and spaces."""
    policy = policy or PasswordPolicy()
    alphabet = (
        string.ascii_letters
        + string.digits
        + _ACCENTED_LOWER
        + _ACCENTED_UPPER
        + " !?#$%&*-_.@"
    )
    required = st.tuples(
        st.sampled_from(string.ascii_uppercase + _ACCENTED_UPPER),
        st.sampled_from(string.ascii_lowercase + _ACCENTED_LOWER),
        st.sampled_from(string.digits),
    )
    rest = st.text(
        alphabet=alphabet,
        min_size=max(0, policy.min_length - 3),
        max_size=max(0, policy.max_length - 3),
    )
    text = st.builds(
        lambda parts, tail, position: _insert(tail, "".join(parts), position),
        required,
        rest,
        st.integers(min_value=0, max_value=policy.max_length),
    )
    return _parsed(text, policy.parse)


def invalid_passwords() -> st.SearchStrategy[str]:
    """Generate text the default `PasswordPolicy` must reject."""
    return st.one_of(
        st.text(max_size=7),
        st.text(alphabet=string.ascii_lowercase + string.digits, min_size=8),
        st.text(alphabet=string.ascii_uppercase + string.digits, min_size=8),
        st.text(alphabet=string.ascii_letters, min_size=8),
        st.text(alphabet=string.ascii_letters + string.digits, min_size=65),
        st.sampled_from(("Hiver2024", "Canadiens1", "Password1", "Soleil123")),
    )


def person_names() -> st.SearchStrategy[PersonName]:
    """Generate realistic Quebec names: accented, compound, particles."""
    simple = st.sampled_from(FAMILY_NAMES + GIVEN_NAMES)
    compound = st.builds(
        lambda first, second, separator: f"{first}{separator}{second}",
        st.sampled_from(FAMILY_NAMES),
        st.sampled_from(FAMILY_NAMES),
        st.sampled_from(("-", " ")),
    )
    invented = st.text(
        alphabet=string.ascii_letters + _ACCENTED_LOWER,
        min_size=1,
        max_size=20,
    ).filter(lambda text: any(character.isalpha() for character in text))
    return st.one_of(simple, compound, invented).map(PersonName.parse)


def record_numbers() -> st.SearchStrategy[RecordNumber]:
    """Generate record numbers from 1 to 9 999 999."""
    return st.integers(min_value=1, max_value=9_999_999).map(RecordNumber)


def birth_dates(
    *, today: date = _TODAY, ages: AgeRange | None = None
) -> st.SearchStrategy[BirthDate]:
    """Generate birth dates plausible on `today` for `ages`."""
    ages = ages or AgeRange()
    latest = _years_before(today, ages.min_years)
    earliest = _years_before(today, ages.max_years + 1) + timedelta(days=1)
    return st.dates(min_value=earliest, max_value=latest).map(
        lambda value: BirthDate.of(value, today=today, ages=ages)
    )


def permanent_codes() -> st.SearchStrategy[PermanentCode]:
    """Generate permanent codes in every known date encoding."""
    return st.builds(
        _permanent_code_text,
        letters=st.text(string.ascii_uppercase, min_size=4, max_size=4),
        birth=st.dates(
            min_value=date(1990, 1, 1), max_value=date(2024, 12, 31)
        ),
        girl=st.booleans(),
        day_plus_62=st.booleans(),
        month_plus_25=st.booleans(),
        serial=st.integers(min_value=0, max_value=99),
    ).map(PermanentCode.parse)


def invalid_permanent_codes() -> st.SearchStrategy[str]:
    """Generate text that `PermanentCode.parse` must reject."""
    return st.one_of(
        st.just(""),
        st.text(string.ascii_uppercase + string.digits, max_size=11),
        st.text(
            string.ascii_uppercase + string.digits, min_size=13, max_size=20
        ),
        st.builds(
            lambda digits: "TREM" + digits,
            st.text(string.digits, min_size=8, max_size=8).filter(
                lambda text: (
                    not 1 <= int(text[:2]) <= 31
                    and not 63 <= int(text[:2]) <= 93
                    and int(text[:2]) != 99
                )
            ),
        ),
        st.just("TRÉM15095512"),
        st.just("1REM15095512"),
    )


def organizations() -> st.SearchStrategy[SchoolOrganization]:
    """Generate organizations of the bundled directory."""
    return st.sampled_from(OrganizationDirectory.bundled().organizations)


def student_records(
    *,
    organization_code: str | None = None,
    guardian: st.SearchStrategy[Email] | None = None,
    today: date = _TODAY,
) -> st.SearchStrategy[StudentRecord]:
    """Generate student records whose permanent codes fit their names and
    birth dates.

    The family name is one of `FAMILY_NAMES` or two of them joined by a
    hyphen or a space (``Côté-Tremblay``). The student has one to three
    of `GIVEN_NAMES`, and the usual given name is any one of them, not
    always the first. The permanent code's letters are the first three
    letters of the family name, padded with ``X`` when it has fewer
    (``Ng`` gives ``NGX``), and the first letter of the first given name.
    The month has 50 added for girls, and the day sometimes has 62 added
    for students born in 2000 or later. The student id joins the
    organization code and the record number (``741000-0482913``).

    The organization is `organization_code`, or any bundled one when it
    is None. One or two guardian emails come from `guardian`, or from
    `emails()` when it is None.
    """
    organization = (
        st.just(organization_code)
        if organization_code
        else organizations().map(lambda item: item.code)
    )
    single = st.sampled_from(FAMILY_NAMES)
    compound = st.builds(
        lambda names, separator: separator.join(names),
        st.lists(single, min_size=2, max_size=2, unique=True),
        st.sampled_from(("-", " ")),
    )
    given_and_usual = st.lists(
        st.sampled_from(GIVEN_NAMES), min_size=1, max_size=3, unique=True
    ).flatmap(lambda names: st.tuples(st.just(names), st.sampled_from(names)))
    return st.builds(
        _student,
        organization_code=organization,
        record_number=record_numbers(),
        family_name=st.one_of(single, compound),
        given_and_usual=given_and_usual,
        birth=birth_dates(today=today),
        girl=st.booleans(),
        day_plus_62=st.booleans(),
        serial=st.integers(min_value=0, max_value=99),
        guardians=st.lists(
            emails() if guardian is None else guardian,
            min_size=1,
            max_size=2,
            unique_by=str,
        ),
    )


# Helpers.


def _parsed(
    texts: st.SearchStrategy[str], parse: Callable[[str], _T]
) -> st.SearchStrategy[_T]:
    """Parse each text, dropping the rare ones the parser rejects."""

    def attempt(text: str) -> _T | None:
        try:
            return parse(text)
        except ValueError:
            return None

    parsed = texts.map(attempt).filter(lambda value: value is not None)
    return cast("st.SearchStrategy[_T]", parsed)


def _mixed_case(text: str) -> st.SearchStrategy[str]:
    return st.lists(st.booleans(), min_size=len(text), max_size=len(text)).map(
        lambda flags: "".join(
            character.upper() if flag else character.lower()
            for character, flag in zip(text, flags, strict=True)
        )
    )


def _insert(text: str, piece: str, position: int) -> str:
    position = min(position, len(text))
    return text[:position] + piece + text[position:]


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        # 29 February in a year that has none.
        return day.replace(year=day.year - years, day=28)


def _permanent_code_text(
    *,
    letters: str,
    birth: date,
    girl: bool,
    day_plus_62: bool,
    month_plus_25: bool,
    serial: int,
) -> str:
    day = birth.day + (62 if day_plus_62 else 0)
    month = birth.month
    if month_plus_25:
        month += 25
    if girl:
        month += 50
    return f"{letters}{day:02d}{month:02d}{birth.year % 100:02d}{serial:02d}"


def _student(
    *,
    organization_code: str,
    record_number: RecordNumber,
    family_name: str,
    given_and_usual: tuple[list[str], str],
    birth: BirthDate,
    girl: bool,
    day_plus_62: bool,
    serial: int,
    guardians: list[Email],
) -> StudentRecord:
    given_names, usual_given_name = given_and_usual
    family = PersonName.parse(family_name)
    family_letters = "".join(
        character
        for character in unidecode(family_name).upper()
        if character.isalpha()
    )
    letters = (
        family_letters[:3].ljust(3, "X") + unidecode(given_names[0])[0].upper()
    )
    code = _permanent_code_text(
        letters=letters,
        birth=birth.value,
        girl=girl,
        day_plus_62=day_plus_62 and birth.value.year >= 2000,
        month_plus_25=False,
        serial=serial,
    )
    return StudentRecord(
        student_id=f"{organization_code}-{record_number}",
        organization_code=organization_code,
        record_number=record_number,
        permanent_code=PermanentCode.parse(code),
        family_name=family,
        given_names=PersonName.parse(" ".join(given_names)),
        usual_given_name=PersonName.parse(usual_given_name),
        birth_date=birth.value,
        guardian_emails=tuple(guardians),
    )


__all__ = [
    "FAMILY_NAMES",
    "GIVEN_NAMES",
    "birth_dates",
    "email_texts",
    "emails",
    "invalid_emails",
    "invalid_passwords",
    "invalid_permanent_codes",
    "organizations",
    "passwords",
    "permanent_codes",
    "person_names",
    "record_numbers",
    "student_records",
]
